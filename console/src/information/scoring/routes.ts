/** The scoring pages inside the information layout, and their tabs. */
import type { RouteRecordRaw } from 'vue-router';

export const scoringRoutes: RouteRecordRaw[] = [
  { path: 'quota', name: 'info-score-quota', component: () => import('./QuotaPage.vue') },
  { path: 'requests', name: 'info-score-requests', component: () => import('./RequestsPage.vue') },
  { path: 'bulletins', name: 'info-score-bulletins', component: () => import('./BulletinPage.vue') },
  { path: 'scheme', name: 'info-score-scheme', component: () => import('./SchemePage.vue') },
];

/** Everyone sees quotas, requests, bulletins and the scheme; what each shows depends on the unit and role. */
export const scoringTabs = (): string[] => ['score-quota', 'score-requests', 'score-bulletins', 'score-scheme'];
export const tabLabel = (tab: string): string => (tab.startsWith('score-') ? `scoring.tabs.${tab}` : `information.tabs.${tab}`);
