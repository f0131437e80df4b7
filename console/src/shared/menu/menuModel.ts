/**
 * The console's side menu and breadcrumbs as data: sections, which routes belong to each, and the counts
 * that make waiting work visible from any page (reports to sign for, reports to sign off, open alerts).
 * Pure: the table test is tests/unit/menu-model.test.ts.
 */
import type { WaitingReportDto } from '../../../../contract/reports';
import { ADMIN_ROLES } from '../../../../contract/org';

export type SectionKey = 'home' | 'reports' | 'instructions' | 'board' | 'duty' | 'information' | 'platform';

export interface Section {
  key: SectionKey;
  /** The route the menu entry opens. */
  to: string;
  /** i18n key of the entry's label. */
  label: string;
  /** Roles that see the entry (none: everyone signed in). */
  roles?: string[];
  /** Routes under this section: names equal to these, or starting with `prefix`. */
  routes: string[];
  prefix?: string;
}

export const SECTIONS: Section[] = [
  { key: 'home', to: 'home', label: 'menu.home', routes: ['home', 'meeting-attendance', 'device-test'] },
  { key: 'reports', to: 'reports', label: 'nav.incidents', routes: ['reports', 'incident', 'report-print'] },
  { key: 'instructions', to: 'instructions', label: 'nav.instructions', routes: ['instructions'] },
  { key: 'board', to: 'report-board', label: 'nav.board', roles: ['leader', 'duty_officer'], routes: ['report-board'] },
  { key: 'duty', to: 'duty-now', label: 'duty.nav', routes: [], prefix: 'duty-' },
  { key: 'information', to: 'info-mine', label: 'information.nav', routes: [], prefix: 'info-' },
  { key: 'platform', to: 'platform-alerts', label: 'platform.nav', routes: [], prefix: 'platform-' },
];

export function sectionOf(routeName: string | null | undefined): Section | null {
  if (!routeName) return null;
  return SECTIONS.find((s) => s.routes.includes(routeName) || (s.prefix !== undefined && routeName.startsWith(s.prefix))) ?? null;
}

/**
 * The sections a user sees. An administrator who holds no business role (三员分立) sees none: the business pages
 * would show nothing they may act on; their own pages are linked from the header.
 */
export function visibleSections(roles: readonly string[]): Section[] {
  const business = roles.some((r) => !(ADMIN_ROLES as readonly string[]).includes(r));
  if (!business) return [];
  return SECTIONS.filter((s) => !s.roles || s.roles.some((r) => roles.includes(r)));
}

/** i18n key of a page's own crumb (after its section), or null when the section's name says it all. */
export function pageLabel(routeName: string): string | null {
  if (routeName.startsWith('duty-')) return `duty.tabs.${routeName.slice(5)}`;
  if (routeName.startsWith('info-score-')) return `scoring.tabs.${routeName.slice(5)}`;
  if (routeName.startsWith('info-')) return `information.tabs.${routeName.slice(5)}`;
  if (routeName.startsWith('platform-')) return `platform.tabs.${routeName.slice(9)}`;
  const own: Record<string, string> = { incident: 'menu.incident', 'report-print': 'menu.print', 'meeting-attendance': 'menu.attendance', 'device-test': 'menu.deviceTest' };
  return own[routeName] ?? null;
}

export interface MenuCounts {
  /** Delivered to my office and not yet signed for (签收). */
  toAcknowledge: number;
  /** Waiting for a leader of my unit: own reports to sign off (签发) and relays to sign (only for those who sign). */
  toSignOff: number;
}

/** Whether a report waits for my office or me: the server's `waiting` rule, applied to live pushes. */
export function waitsForMe(r: WaitingReportDto, unitCode: string, roles: readonly string[]): boolean {
  const signs = roles.includes('leader');
  const hop = r.hops.find((h) => h.unitCode === unitCode);
  if (hop?.state === 'received') return true;
  if (!signs) return false;
  return (r.unitCode === unitCode && r.state === 'pending_signoff') || hop?.state === 'relay_pending';
}

export function reportCounts(reports: readonly WaitingReportDto[], unitCode: string, roles: readonly string[]): MenuCounts {
  const signs = roles.includes('leader');
  let toAcknowledge = 0;
  let toSignOff = 0;
  for (const r of reports) {
    if (r.hops.some((h) => h.unitCode === unitCode && h.state === 'received')) toAcknowledge++;
    if (signs && r.unitCode === unitCode && r.state === 'pending_signoff') toSignOff++;
    if (signs && r.hops.some((h) => h.unitCode === unitCode && h.state === 'relay_pending')) toSignOff++;
  }
  return { toAcknowledge, toSignOff };
}
