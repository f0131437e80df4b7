/** The chair's site list at region scale: search, city and state filters, stepping roll call (console/src/meetings/control/siteFilter.ts). */
import { describe, expect, it } from 'vitest';
import { filterSites, groupByCity, siteStates, stateCounts, stepSite, type SiteFacts, type SiteState } from '../../console/src/meetings/control/siteFilter.ts';

const sites = [
  { code: '150100', name: '呼和浩特市' },
  { code: '150102', name: '新城区' },
  { code: '150103', name: '回民区' },
  { code: '150200', name: '包头市' },
  { code: '150202', name: '东河区' },
  { code: '152921', name: '阿拉善左旗' },
];
const cityOf = (code: string) => `${code.slice(0, 4)}00`;
const facts: SiteFacts = {
  online: new Set(['150100', '150102', '150200', '150202']),
  muted: ['150102', '150103'],
  videoOff: ['150202'],
  hands: [{ unitCode: '150200' }],
  trouble: new Set(['150102', '150103']), // 150103 is absent: an absent site has no network to be poor
  noPicture: new Set(['150100']),
};
const codes = (q: string, city: string, state: SiteState) => filterSites(sites, { query: q, city, state }, facts, cityOf).map((s) => s.code);

describe('filterSites', () => {
  it.each([
    ['everything', '', '', 'all', ['150100', '150102', '150103', '150200', '150202', '152921']],
    ['by name', '新城', '', 'all', ['150102']],
    ['by code prefix', '1502', '', 'all', ['150200', '150202']],
    ['a city and its counties', '', '150100', 'all', ['150100', '150102', '150103']],
    ['absent', '', '', 'absent', ['150103', '152921']],
    ['no video: camera turned off by the chair, or no picture', '', '', 'noVideo', ['150100', '150202']],
    ['muted, absent or not', '', '', 'muted', ['150102', '150103']],
    ['hand raised', '', '', 'hand', ['150200']],
    ['poor network, present only', '', '', 'poorNetwork', ['150102']],
    ['search within a city and a state', '区', '150100', 'muted', ['150102', '150103']],
    ['nothing matches', '赤峰', '', 'all', []],
  ] as const)('%s', (_what, q, city, state, expected) => expect(codes(q, city, state)).toEqual(expected));

  it('counts per state', () => {
    expect(stateCounts(sites, facts)).toEqual({ all: 6, absent: 2, noVideo: 2, muted: 2, hand: 1, poorNetwork: 1 });
  });
});

describe('stepSite (next / previous roll call)', () => {
  const shown = [{ code: 'a' }, { code: 'b' }, { code: 'c' }];
  it.each([
    [null, 1, 'a'],
    [null, -1, 'c'],
    ['a', 1, 'b'],
    ['c', 1, 'a'],
    ['a', -1, 'c'],
    ['x', 1, 'a'], // the current site is filtered out: start from the top
  ] as const)('from %s by %d → %s', (cur, dir, next) => expect(stepSite(shown, cur, dir)).toBe(next));
  it('nothing shown, nothing to call', () => expect(stepSite([], 'a', 1)).toBeNull());
});

describe('siteStates (what a row and a wall cell show)', () => {
  it.each([
    ['150100', ['noVideo']],
    ['150102', ['poorNetwork', 'muted']],
    ['150103', ['absent', 'muted']], // absent: its poor network is not shown
    ['150200', ['hand']],
    ['150202', ['noVideo']],
    ['152921', ['absent']],
  ] as const)('%s → %j', (code, expected) => expect(siteStates(code, facts)).toEqual(expected));
});

describe('groupByCity (the wall)', () => {
  it('groups a city with its counties, in the meeting order', () => {
    expect(groupByCity(sites, cityOf).map((g) => [g.city, g.sites.map((s) => s.code)])).toEqual([
      ['150100', ['150100', '150102', '150103']],
      ['150200', ['150200', '150202']],
      ['152900', ['152921']],
    ]);
  });
  it('sites of no known city form their own group', () => {
    expect(groupByCity([{ code: 'x' }, { code: '150102' }], (c) => (c === 'x' ? null : '150100')).map((g) => g.city)).toEqual([null, '150100']);
  });
});
