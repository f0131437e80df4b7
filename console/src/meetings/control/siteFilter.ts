/**
 * The chair's site list at the scale of the region (116 sites): search by name or code, filter by city and by
 * state, and step roll call to the next or previous site of what is shown. Pure (structural types), table-tested in
 * tests/unit/site-filter.test.ts.
 */
export type SiteState = 'all' | 'absent' | 'noVideo' | 'muted' | 'hand' | 'poorNetwork';
export const SITE_STATES: SiteState[] = ['all', 'absent', 'noVideo', 'muted', 'hand', 'poorNetwork'];

export interface SiteFacts {
  online: ReadonlySet<string>;
  muted: readonly string[];
  videoOff: readonly string[];
  hands: readonly { unitCode: string }[];
  /** Sites whose network the health poll marks as troubled. */
  trouble: ReadonlySet<string>;
  /** Sites that are online but send no picture (camera off or failed). */
  noPicture?: ReadonlySet<string>;
}

export function hasState(code: string, state: SiteState, f: SiteFacts): boolean {
  switch (state) {
    case 'all':
      return true;
    case 'absent':
      return !f.online.has(code);
    case 'noVideo':
      return f.online.has(code) && (f.videoOff.includes(code) || !!f.noPicture?.has(code));
    case 'muted':
      return f.muted.includes(code);
    case 'hand':
      return f.hands.some((h) => h.unitCode === code);
    case 'poorNetwork':
      return f.online.has(code) && f.trouble.has(code);
  }
}

export interface SiteFilter {
  query: string;
  /** A city's code: its own site and its counties; '' for every city. */
  city: string;
  state: SiteState;
}

/** The sites the chair sees, in the meeting's order. `cityOf` maps a site to its city (itself for a city). */
export function filterSites<T extends { code: string; name: string }>(sites: readonly T[], f: SiteFilter, facts: SiteFacts, cityOf: (code: string) => string | null): T[] {
  const q = f.query.trim().toLowerCase();
  return sites.filter(
    (s) => (!q || s.name.toLowerCase().includes(q) || s.code.startsWith(q)) && (!f.city || cityOf(s.code) === f.city) && hasState(s.code, f.state, facts),
  );
}

/** How many sites are in each state (for the filter's counts). */
export function stateCounts(sites: readonly { code: string }[], facts: SiteFacts): Record<SiteState, number> {
  return Object.fromEntries(SITE_STATES.map((st) => [st, sites.filter((s) => hasState(s.code, st, facts)).length])) as Record<SiteState, number>;
}

/** The next (or previous) site after `current` among the shown ones, wrapping around; the first when none is current. */
export function stepSite(shown: readonly { code: string }[], current: string | null, dir: 1 | -1): string | null {
  if (!shown.length) return null;
  const i = current ? shown.findIndex((s) => s.code === current) : -1;
  if (i < 0) return dir === 1 ? shown[0]!.code : shown[shown.length - 1]!.code;
  return shown[(i + dir + shown.length) % shown.length]!.code;
}

/** Every state a site is in (not 'all'), most pressing first: what its row and its cell on the wall show. */
const PRESSING: SiteState[] = ['hand', 'poorNetwork', 'absent', 'muted', 'noVideo'];
export function siteStates(code: string, f: SiteFacts): SiteState[] {
  return PRESSING.filter((st) => hasState(code, st, f));
}

/** The wall: sites grouped by their city, cities in the order their first site comes in the meeting. */
export function groupByCity<T extends { code: string }>(sites: readonly T[], cityOf: (code: string) => string | null): { city: string | null; sites: T[] }[] {
  const groups = new Map<string | null, T[]>();
  for (const s of sites) {
    const city = cityOf(s.code);
    const list = groups.get(city);
    if (list) list.push(s);
    else groups.set(city, [s]);
  }
  return [...groups].map(([city, list]) => ({ city, sites: list }));
}
