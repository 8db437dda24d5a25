// Routes of the desk; hash history works the same under app:// and the browser host. The guard sends a desk
// without an operator to sign-in, one without a shop to the shop connection screen, and keeps the back office to
// those whose permissions open it.
import { createRouter, createWebHashHistory } from 'vue-router';
import { useSession } from '../operators/session';
import SignInView from '../operators/SignInView.vue';
import ShopsView from '../shops/ShopsView.vue';
import DeskView from '../desk/DeskView.vue';
import QueueView from '../queue/QueueView.vue';
import { SECTIONS, sectionsFor } from '../backoffice/sections';
import { backOfficeRoutes } from '../backoffice/routes';

export const router = createRouter({
  history: createWebHashHistory(),
  routes: [
    { path: '/', redirect: '/desk' },
    { path: '/signin', name: 'signin', component: SignInView },
    { path: '/shops', name: 'shops', component: ShopsView },
    { path: '/desk', name: 'desk', component: DeskView },
    { path: '/queue', name: 'queue', component: QueueView },
    backOfficeRoutes,
  ],
});

router.beforeEach(async (to) => {
  const session = useSession();
  if (!session.loaded) await session.load();
  if (!session.operator) return to.name === 'signin' ? true : { name: 'signin' };
  if (to.name === 'signin') return { name: 'desk' };
  if (session.shops === null) await session.loadShops();
  if (to.name !== 'shops' && session.shops !== null && session.shops.length === 0) return { name: 'shops' };
  // The back office opens only the sections this operator's permissions allow; /admin itself opens the first one.
  const allowed = sectionsFor(session.operator.permissions);
  if (to.name === 'admin') return allowed[0] ? { name: allowed[0].name } : { name: 'desk' };
  const section = SECTIONS.find((s) => s.name === to.name);
  if (section && !allowed.includes(section)) return { name: 'desk' };
  return true;
});
