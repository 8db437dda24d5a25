// The back office's routes: /admin/<section>, each panel loaded when first opened so the desk starts as fast as before.
import type { RouteRecordRaw } from 'vue-router';
import BackOfficeView from '../views/backoffice/BackOfficeView.vue';

export const backOfficeRoutes: RouteRecordRaw = {
  path: '/admin',
  name: 'admin',
  component: BackOfficeView,
  children: [
    { path: 'operators', name: 'admin-operators', component: () => import('../views/backoffice/OperatorsPanel.vue') },
    { path: 'shops', name: 'admin-shops', component: () => import('../views/backoffice/ShopsPanel.vue') },
    { path: 'unmatched', name: 'admin-unmatched', component: () => import('../views/backoffice/UnmatchedPanel.vue') },
    { path: 'audit', name: 'admin-audit', component: () => import('../views/backoffice/AuditPanel.vue') },
    { path: 'settings', name: 'admin-settings', component: () => import('../views/backoffice/SettingsPanel.vue') },
    { path: 'stats', name: 'admin-stats', component: () => import('../views/backoffice/StatsPanel.vue') },
  ],
};
