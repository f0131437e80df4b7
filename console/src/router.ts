import { createRouter, createWebHistory } from 'vue-router';
import { useAuthStore } from './auth/authStore';

declare module 'vue-router' {
  interface RouteMeta {
    /** Reachable without a session. */
    public?: boolean;
  }
}

export const router = createRouter({
  history: createWebHistory(),
  routes: [
    { path: '/login', name: 'login', component: () => import('./auth/LoginPage.vue'), meta: { public: true } },
    { path: '/', name: 'home', component: () => import('./HomePage.vue') },
    { path: '/meetings/:id', name: 'meeting-room', component: () => import('./meetings/room/MeetingRoomPage.vue') },
    { path: '/:pathMatch(.*)*', redirect: '/' },
  ],
});

router.beforeEach(async (to) => {
  const auth = useAuthStore();
  await auth.ensureChecked();
  if (!to.meta.public && !auth.user) {
    return { name: 'login', query: to.fullPath === '/' ? {} : { redirect: to.fullPath } };
  }
  if (to.name === 'login' && auth.user) return { name: 'home' };
  return true;
});
