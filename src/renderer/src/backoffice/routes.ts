// The back office's routes: /admin/<section>, each panel loaded when first opened so the desk starts as fast as before.
import type { RouteRecordRaw } from 'vue-router';
import BackOfficeView from './BackOfficeView.vue';

export const backOfficeRoutes: RouteRecordRaw = {
  path: '/admin',
  name: 'admin',
  component: BackOfficeView,
  children: [
    { path: 'operators', name: 'admin-operators', component: () => import('./OperatorsPanel.vue') },
    { path: 'shops', name: 'admin-shops', component: () => import('./ShopsPanel.vue') },
    { path: 'unmatched', name: 'admin-unmatched', component: () => import('./UnmatchedPanel.vue') },
    { path: 'audit', name: 'admin-audit', component: () => import('./AuditPanel.vue') },
    { path: 'settings', name: 'admin-settings', component: () => import('./SettingsPanel.vue') },
    { path: 'stats', name: 'admin-stats', component: () => import('./StatsPanel.vue') },
  ],
};
