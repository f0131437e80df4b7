import { createRouter, createWebHistory } from 'vue-router';
import { useAuthStore } from './shared/session/authStore';
import { scoringRoutes } from './information/scoring/routes';

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
    { path: '/meetings/device-test', name: 'device-test', component: () => import('./meetings/device/DeviceTestPage.vue') },
    { path: '/meetings/:id', name: 'meeting-room', component: () => import('./meetings/room/MeetingRoomPage.vue') },
    { path: '/meetings/:id/attendance', name: 'meeting-attendance', component: () => import('./meetings/control/AttendancePage.vue') },
    { path: '/account/password', name: 'account-password', component: () => import('./account/PasswordPage.vue') },
    { path: '/admin/audit', name: 'admin-audit', component: () => import('./audit/AuditPage.vue') },
    { path: '/admin/voice-phones', name: 'admin-voice-phones', component: () => import('./voice/VoicePhonesPage.vue') },
    { path: '/account/sessions', name: 'account-sessions', component: () => import('./account/SessionsPage.vue') },
    { path: '/admin/accounts', name: 'admin-accounts', component: () => import('./admin/AccountsPage.vue') },
    { path: '/admin/units', name: 'admin-units', component: () => import('./admin/UnitsPage.vue') },
    { path: '/admin/roles', name: 'admin-roles', component: () => import('./admin/RolesPage.vue') },
    { path: '/admin/security', name: 'admin-security', component: () => import('./admin/SecurityPage.vue') },
    { path: '/admin/certificates', name: 'admin-certificates', component: () => import('./certificates/CertificatesPage.vue') },
    { path: '/admin/password-reset', name: 'admin-password-reset', component: () => import('./account/ResetPasswordPage.vue') },
    { path: '/reports', name: 'reports', component: () => import('./reports/ReportsPage.vue') },
    { path: '/reports/incidents/:id', name: 'incident', component: () => import('./reports/IncidentPage.vue') },
    { path: '/reports/instructions', name: 'instructions', component: () => import('./reports/InstructionsPage.vue') },
    { path: '/reports/board', name: 'report-board', component: () => import('./reports/BoardPage.vue') },
    { path: '/reports/print/:id', name: 'report-print', component: () => import('./reports/PrintPage.vue') },
    {
      path: '/duty',
      component: () => import('./duty/DutyLayout.vue'),
      children: [
        { path: '', redirect: { name: 'duty-now' } },
        { path: 'now', name: 'duty-now', component: () => import('./duty/OnDutyBoard.vue') },
        { path: 'roster', name: 'duty-roster', component: () => import('./duty/RosterPage.vue') },
        { path: 'swaps', name: 'duty-swaps', component: () => import('./duty/SwapsPage.vue') },
        { path: 'handover', name: 'duty-handover', component: () => import('./duty/HandoverPage.vue') },
        { path: 'log', name: 'duty-log', component: () => import('./duty/LogPage.vue') },
      ],
    },
    {
      path: '/information',
      component: () => import('./information/InformationLayout.vue'),
      children: [
        { path: '', redirect: { name: 'info-mine' } },
        { path: 'mine', name: 'info-mine', component: () => import('./information/MyItemsPage.vue') },
        { path: 'signoff', name: 'info-signoff', component: () => import('./information/SignoffPage.vue') },
        { path: 'inbox', name: 'info-inbox', component: () => import('./information/InboxPage.vue') },
        { path: 'issues', name: 'info-issues', component: () => import('./information/IssuesPage.vue') },
        { path: 'archive', name: 'info-archive', component: () => import('./information/ArchivePage.vue') },
        { path: 'instructions', name: 'info-instructions', component: () => import('./information/InstructionsPage.vue') },
        { path: 'people', name: 'info-people', component: () => import('./information/PeoplePage.vue') },
        { path: 'departments', name: 'info-departments', component: () => import('./information/DepartmentsPage.vue') },
        ...scoringRoutes,
      ],
    },
    { path: '/emergency/alerts', name: 'platform-alerts', component: () => import('./platform/AlertsPage.vue') },
    { path: '/emergency/outbox', name: 'platform-outbox', component: () => import('./platform/OutboxPage.vue') },
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
  // An administrator reset the password: nothing else until it is changed (the server refuses the rest too).
  if (auth.user?.mustChangePassword && to.name !== 'account-password') return { name: 'account-password', query: { forced: '1' } };
  return true;
});
