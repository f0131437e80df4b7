/** Subscribe on demand: what a console consumes, by layout × chair state × page × last-N (contract/subscription.ts). */
import { describe, expect, it } from 'vitest';
import { initialControlState, reduce, type Actor, type Command, type ControlState } from '../../contract/meetingControl.ts';
import { decideView, layerForWidth, type SiteMedia, type ViewInput } from '../../contract/subscription.ts';
import { nextAudible, sameUnits } from '../../sfu/lastNRanking.ts';

const HOST = '150100';
/** The host and 30 counties: more than a page of any layout. */
const COUNTIES = Array.from({ length: 30 }, (_, i) => String(150101 + i));
const chair: Actor = { unitCode: HOST, chair: true };

function state(...cmds: [Command, Actor?][]): ControlState {
  let s = initialControlState({ meetingId: 'm', hostUnitCode: HOST, units: [HOST, ...COUNTIES], endsAt: '2036-03-01T02:00:00.000Z' });
  for (const [cmd, actor] of cmds) {
    const r = reduce(s, cmd, actor ?? chair);
    if (!r.ok) throw new Error(`${cmd.type}: ${r.error}`);
    s = r.state;
  }
  return s;
}

const site = (unitCode: string, more: Partial<SiteMedia> = {}): SiteMedia => ({ key: `p-${unitCode}`, unitCode, hasVideo: true, hasScreen: false, ...more });
/** What the viewer sees of the others (itself excluded), in org order. */
const others = (viewer: string, n = COUNTIES.length + 1) => [HOST, ...COUNTIES].slice(0, n).filter((u) => u !== viewer).map((u) => site(u));

function view(viewer: string, control: ControlState | null, more: Partial<ViewInput> = {}) {
  return decideView({ control, viewerUnit: viewer, viewerIsChair: viewer === HOST, hostUnitCode: HOST, sites: others(viewer), pin: null, page: 0, audible: [], ...more });
}
const videoUnits = (v: ReturnType<typeof decideView>) => v.video.map((x) => x.key.slice(2));
const mainOf = (v: ReturnType<typeof decideView>) => v.tiles.find((t) => t.main)?.unitCode ?? null;

describe('decideView: video follows the layout, the chair and the page', () => {
  const V = COUNTIES[0]!; // 150101, a county viewer
  const rows: { name: string; control: ControlState; page?: number; layout: string; main: string | null; count: number; pages: number; mainLayer?: number; thumbLayer?: number }[] = [
    // Free, auto layout, 30 others: the 16-grid; main = the host (nobody speaks); a page of 15 beside it.
    { name: 'free, auto (16 pictures)', control: state(), layout: '16', main: HOST, count: 16, pages: 2, mainLayer: 0, thumbLayer: 0 },
    { name: 'free, auto, page 2 (the other 14)', control: state(), page: 1, layout: '16', main: HOST, count: 1 + 14, pages: 2 },
    { name: 'free, a page beyond the last is the last', control: state(), page: 9, layout: '16', main: HOST, count: 1 + 14, pages: 2 },
    { name: 'roll call (点名) of a county: 1+N, main 720p, small ones 180p', control: state([{ type: 'rollcall', unitCode: COUNTIES[5]! }]), layout: '1+N', main: COUNTIES[5]!, count: 9, pages: 4, mainLayer: 2, thumbLayer: 0 },
    { name: 'broadcast (广播) of the host', control: state([{ type: 'broadcast', unitCode: HOST }]), layout: '1+N', main: HOST, count: 9, pages: 4 },
    { name: 'chair sets 1 picture: only the main', control: state([{ type: 'rollcall', unitCode: COUNTIES[5]! }], [{ type: 'layout', layout: '1' }]), layout: '1', main: COUNTIES[5]!, count: 1, pages: 1, mainLayer: 2 },
    { name: 'chair sets 4 pictures: 360p', control: state([{ type: 'layout', layout: '4' }]), layout: '4', main: HOST, count: 4, pages: 10, mainLayer: 1, thumbLayer: 1 },
    { name: 'chair sets 9 pictures, page 4 (last, 2 left)', control: state([{ type: 'layout', layout: '9' }]), page: 3, layout: '9', main: HOST, count: 1 + 5, pages: 4 },
    { name: 'patrol to all: the patrolled site', control: state([{ type: 'patrolStart', unitCodes: [COUNTIES[2]!, COUNTIES[3]!], intervalSec: 10, toAll: true }]), layout: '1+N', main: COUNTIES[2]!, count: 9, pages: 4 },
    { name: 'the viewer itself called: it watches the main venue', control: state([{ type: 'rollcall', unitCode: V }]), layout: '1+N', main: HOST, count: 9, pages: 4 },
  ];
  it.each(rows)('$name', (row) => {
    const v = view(V, row.control, { page: row.page ?? 0 });
    expect(v.layout).toBe(row.layout);
    expect(mainOf(v)).toBe(row.main);
    expect(v.video).toHaveLength(row.count);
    expect(v.pages).toBe(row.pages);
    expect(new Set(videoUnits(v)).size).toBe(v.video.length); // nothing twice
    expect(videoUnits(v)).not.toContain(V);
    if (row.mainLayer !== undefined) expect(v.video[0]!.layer).toBe(row.mainLayer);
    if (row.thumbLayer !== undefined) expect(v.video.slice(1).every((x) => x.layer === row.thumbLayer)).toBe(true);
    // Every tile is there (a placeholder off the page), only the visible ones are consumed.
    expect(v.tiles).toHaveLength(COUNTIES.length);
    expect(v.tiles.filter((t) => t.visible).map((t) => t.unitCode)).toEqual(videoUnits(v));
  });

  it('pages cover every site once, main excluded', () => {
    const c = state([{ type: 'layout', layout: '9' }]);
    const seen = [0, 1, 2, 3].flatMap((page) => videoUnits(view(V, c, { page })).slice(1));
    expect(seen.sort()).toEqual(others(V).map((s) => s.unitCode).filter((u) => u !== HOST).sort());
  });

  it('the chair in patrol on its own view watches the patrol; the counties do not', () => {
    const c = state([{ type: 'patrolStart', unitCodes: [COUNTIES[7]!, COUNTIES[8]!], intervalSec: 10, toAll: false }]);
    expect(mainOf(view(HOST, c))).toBe(COUNTIES[7]);
    expect(mainOf(view(V, c))).not.toBe(COUNTIES[7]);
  });

  it('a chair-decided site that is not connected: a placeholder, nothing consumed for it', () => {
    const c = state([{ type: 'rollcall', unitCode: COUNTIES[9]! }]);
    const v = view(V, c, { sites: others(V).filter((s) => s.unitCode !== COUNTIES[9]) });
    expect(v.absentMain).toBe(COUNTIES[9]);
    expect(mainOf(v)).toBeNull();
    expect(v.video).toHaveLength(8); // the 1+N strip only
  });

  it('content sharing (双流): the share in the big tile, not the sharer camera', () => {
    const sharer = COUNTIES[3]!;
    const c = state([{ type: 'shareStart' }, { unitCode: sharer, chair: false }] as never);
    const sites = others(V).map((s) => (s.unitCode === sharer ? { ...s, hasScreen: true } : s));
    const v = view(V, { ...c, sharer }, { sites });
    expect(v.video[0]).toEqual({ key: `p-${sharer}`, source: 'screen', layer: 2 });
    expect(v.video.filter((x) => x.key === `p-${sharer}`)).toHaveLength(1);
  });

  it('a pin is the viewer own main picture while the chair leaves it free, and ignored in roll call', () => {
    const free = view(V, state(), { pin: COUNTIES[12]! });
    expect(mainOf(free)).toBe(COUNTIES[12]);
    expect(free.layout).toBe('1+N');
    expect(mainOf(view(V, state([{ type: 'rollcall', unitCode: COUNTIES[4]! }]), { pin: COUNTIES[12]! }))).toBe(COUNTIES[4]);
  });

  it('a site without a camera has a tile but nothing to consume', () => {
    const sites = others(V, 4).map((s) => (s.unitCode === COUNTIES[1] ? { ...s, hasVideo: false } : s));
    const v = view(V, state(), { sites });
    expect(v.tiles).toHaveLength(3);
    expect(videoUnits(v)).not.toContain(COUNTIES[1]);
    expect(v.video).toHaveLength(2);
  });

  it('before the control state arrives: the host, then the others', () => {
    const v = view(V, null, { sites: others(V, 3) });
    expect(v.layout).toBe('4');
    expect(mainOf(v)).toBe(HOST);
  });
});

describe('decideView: audio is the last-N the server forwards, never a muted site', () => {
  const V = COUNTIES[0]!;
  const rows = [
    { name: 'nobody heard', audible: [], muted: [], want: [] },
    { name: 'three heard', audible: [HOST, COUNTIES[3]!, COUNTIES[4]!], muted: [], want: [HOST, COUNTIES[3]!, COUNTIES[4]!] },
    { name: 'a muted one in a stale list is dropped', audible: [HOST, COUNTIES[3]!], muted: [COUNTIES[3]!], want: [HOST] },
    { name: 'our own unit is not among the others', audible: [V, HOST], muted: [], want: [HOST] },
  ];
  it.each(rows)('$name', ({ audible, muted, want }) => {
    const c = { ...state(), muted };
    const v = view(V, c, { audible });
    expect(v.audio.map((k) => k.slice(2)).sort()).toEqual([...want].sort());
  });

  it('audio does not depend on the page or the layout', () => {
    const audible = [COUNTIES[28]!];
    expect(view(V, state([{ type: 'layout', layout: '1' }]), { audible }).audio).toEqual([`p-${COUNTIES[28]}`]);
  });
});

describe('nextAudible: the N loudest unmuted, with a hold', () => {
  const opts = { n: 4, holdMs: 2000 };
  const loud = (...pairs: [string, number][]) => pairs.map(([unitCode, volume]) => ({ unitCode, volume }));
  const all = ['a', 'b', 'c', 'd', 'e', 'f'];
  const rows: { name: string; previous: string[]; loud: { unitCode: string; volume: number }[]; lastLoudAt: Record<string, number>; eligible: string[]; want: string[]; n?: number }[] = [
    { name: 'silence: nobody', previous: [], loud: [], lastLoudAt: {}, eligible: all, want: [] },
    { name: 'loudest first, capped at N', previous: [], loud: loud(['a', -60], ['b', -20], ['c', -40], ['d', -30], ['e', -50]), lastLoudAt: {}, eligible: all, want: ['b', 'd', 'c', 'e'] },
    { name: 'N = 2', previous: [], loud: loud(['a', -60], ['b', -20], ['c', -40]), lastLoudAt: {}, eligible: all, want: ['b', 'c'], n: 2 },
    { name: 'a pause within the hold keeps the site', previous: ['a'], loud: [], lastLoudAt: { a: 9000 }, eligible: all, want: ['a'] },
    { name: 'quiet beyond the hold: dropped', previous: ['a'], loud: [], lastLoudAt: { a: 7000 }, eligible: all, want: [] },
    { name: 'muted (not eligible) at once, hold or not', previous: ['a', 'b'], loud: loud(['b', -20]), lastLoudAt: { a: 9900 }, eligible: ['b', 'c'], want: ['b'] },
    { name: 'new loud ones go before held ones; full: the held one waits', previous: ['a', 'b', 'c', 'd'], loud: loud(['e', -30], ['f', -25]), lastLoudAt: { a: 9500, b: 9500, c: 9500, d: 9500 }, eligible: all, want: ['f', 'e', 'a', 'b'] },
    { name: 'a loud but muted site is never heard', previous: [], loud: loud(['x', -10], ['a', -50]), lastLoudAt: {}, eligible: all, want: ['a'] },
  ];
  it.each(rows)('$name', (row) => {
    const r = nextAudible({ previous: row.previous, loud: row.loud, lastLoudAt: row.lastLoudAt, now: 10_000, eligible: row.eligible }, { ...opts, n: row.n ?? opts.n });
    expect(r.audible).toEqual(row.want);
    for (const l of row.loud) if (row.eligible.includes(l.unitCode)) expect(r.lastLoudAt[l.unitCode]).toBe(10_000);
  });

  it('a speaker stays heard through short pauses and goes after the hold', () => {
    let s = { audible: [] as string[], lastLoudAt: {} as Record<string, number> };
    const step = (now: number, l: { unitCode: string; volume: number }[]) =>
      (s = nextAudible({ previous: s.audible, loud: l, lastLoudAt: s.lastLoudAt, now, eligible: all }, opts));
    step(0, loud(['a', -30]));
    step(400, []);
    step(1900, []);
    expect(s.audible).toEqual(['a']);
    step(2100, []);
    expect(s.audible).toEqual([]);
  });

  it('sameUnits ignores order', () => {
    expect(sameUnits(['a', 'b'], ['b', 'a'])).toBe(true);
    expect(sameUnits(['a'], ['a', 'b'])).toBe(false);
  });

  it('layerForWidth: a measured tile refines the layer, unmeasured keeps the decided one', () => {
    expect([layerForWidth(0, 1), layerForWidth(200, 2), layerForWidth(400, 0), layerForWidth(1280, 0)]).toEqual([1, 0, 1, 2]);
  });
});
