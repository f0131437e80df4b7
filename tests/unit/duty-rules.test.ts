import { describe, expect, it } from 'vitest';
import type { DutyPerson } from '../../db/tables/duty.ts';
import {
  addDays,
  checkPattern,
  checkSwap,
  closableSlots,
  localDate,
  monthRange,
  onDutyAt,
  previousSlot,
  rotation,
  slotAt,
  slotStartingAt,
  slotsForDates,
  weekRange,
  type RosterEntry,
} from '../../server/duty/rules.ts';

const at = (s: string) => new Date(s); // ISO with +08:00 offsets below: China time, as officers read it
const iso = (d: Date) => d.toISOString();

describe('slotAt: which shift covers an instant (China time, UTC+8)', () => {
  const cases: [string, string[], string, string, string, string, number][] = [
    // name, pattern, instant, expected start, expected end, local date of the slot, index
    ['24 h shift, mid-day', ['08:30'], '2026-11-20T12:00:00+08:00', '2026-11-20T08:30:00+08:00', '2026-11-21T08:30:00+08:00', '2026-11-20', 0],
    ['24 h shift, exactly at the change', ['08:30'], '2026-11-20T08:30:00+08:00', '2026-11-20T08:30:00+08:00', '2026-11-21T08:30:00+08:00', '2026-11-20', 0],
    ['24 h shift, a second before the change belongs to yesterday', ['08:30'], '2026-11-20T08:29:59+08:00', '2026-11-19T08:30:00+08:00', '2026-11-20T08:30:00+08:00', '2026-11-19', 0],
    ['24 h shift, after local midnight (UTC still the previous day)', ['08:30'], '2026-11-20T00:10:00+08:00', '2026-11-19T08:30:00+08:00', '2026-11-20T08:30:00+08:00', '2026-11-19', 0],
    ['day/night, day', ['08:30', '17:30'], '2026-11-20T17:29:00+08:00', '2026-11-20T08:30:00+08:00', '2026-11-20T17:30:00+08:00', '2026-11-20', 0],
    ['day/night, night before midnight', ['08:30', '17:30'], '2026-11-20T23:00:00+08:00', '2026-11-20T17:30:00+08:00', '2026-11-21T08:30:00+08:00', '2026-11-20', 1],
    ['day/night, night after midnight', ['17:30', '08:30'], '2026-11-21T03:00:00+08:00', '2026-11-20T17:30:00+08:00', '2026-11-21T08:30:00+08:00', '2026-11-20', 1],
    ['midnight shift start', ['00:00'], '2026-11-20T00:00:00+08:00', '2026-11-20T00:00:00+08:00', '2026-11-21T00:00:00+08:00', '2026-11-20', 0],
    ['year end', ['08:30'], '2027-01-01T07:00:00+08:00', '2026-12-31T08:30:00+08:00', '2027-01-01T08:30:00+08:00', '2026-12-31', 0],
    ['leap day', ['08:30'], '2028-02-29T09:00:00+08:00', '2028-02-29T08:30:00+08:00', '2028-03-01T08:30:00+08:00', '2028-02-29', 0],
    ['three shifts', ['08:00', '16:00', '00:00'], '2026-11-20T15:59:59+08:00', '2026-11-20T08:00:00+08:00', '2026-11-20T16:00:00+08:00', '2026-11-20', 1],
  ];
  it.each(cases)('%s', (_name, pattern, instant, start, end, date, index) => {
    const s = slotAt(pattern, at(instant));
    expect(iso(s.start)).toBe(iso(at(start)));
    expect(iso(s.end)).toBe(iso(at(end)));
    expect(s.date).toBe(date);
    expect(s.index).toBe(index);
  });
});

describe('slot generation', () => {
  it('a month of 24 h shifts has one slot per day, back to back', () => {
    const { from, to } = monthRange('2026-11');
    const slots = slotsForDates(['08:30'], from, to);
    expect(slots).toHaveLength(30);
    expect(iso(slots[0]!.start)).toBe('2026-11-01T00:30:00.000Z');
    for (let i = 1; i < slots.length; i++) expect(slots[i]!.start.getTime()).toBe(slots[i - 1]!.end.getTime());
    expect(slots.at(-1)!.date).toBe('2026-11-30');
  });
  it('a week of day/night shifts has 14 slots covering 7 days without gaps', () => {
    const { from, to } = weekRange('2026-11-20'); // a Friday
    expect([from, to]).toEqual(['2026-11-16', '2026-11-22']);
    const slots = slotsForDates(['08:30', '17:30'], from, to);
    expect(slots).toHaveLength(14);
    expect(slots.map((s) => s.startTime).slice(0, 2)).toEqual(['08:30', '17:30']);
    expect(slots.at(-1)!.end.getTime() - slots[0]!.start.getTime()).toBe(7 * 24 * 3600_000);
  });
  it.each([
    ['2026-02', '2026-02-01', '2026-02-28'],
    ['2028-02', '2028-02-01', '2028-02-29'],
    ['2026-12', '2026-12-01', '2026-12-31'],
  ])('monthRange(%s)', (m, from, to) => expect(monthRange(m)).toEqual({ from, to }));
  it.each([
    ['2026-11-16', '2026-11-16'], // Monday
    ['2026-11-22', '2026-11-16'], // Sunday
    ['2027-01-01', '2026-12-28'],
  ])('weekRange(%s) starts on Monday %s', (d, monday) => expect(weekRange(d).from).toBe(monday));
  it('dates and previous slots', () => {
    expect(addDays('2026-12-31', 1)).toBe('2027-01-01');
    expect(localDate(at('2026-11-20T23:59:59+08:00'))).toBe('2026-11-20');
    expect(localDate(at('2026-11-21T00:00:00+08:00'))).toBe('2026-11-21');
    const cur = slotAt(['08:30', '17:30'], at('2026-11-21T09:00:00+08:00'));
    expect(iso(previousSlot(['08:30', '17:30'], cur).start)).toBe(iso(at('2026-11-20T17:30:00+08:00')));
    expect(slotStartingAt(['08:30'], at('2026-11-21T08:30:00+08:00'))?.date).toBe('2026-11-21');
    expect(slotStartingAt(['08:30'], at('2026-11-21T08:31:00+08:00'))).toBeNull();
  });
  it.each([
    [['08:30'], true],
    [['17:30', '08:30'], true],
    [[], false],
    [['8:30'], false],
    [['24:00'], false],
    [['08:30', '08:30'], false],
  ])('pattern %j valid: %s', (p, ok) => expect(checkPattern(p).ok).toBe(ok));
});

const zhang: DutyPerson = { userId: 1, name: '张三', phone: '13800000001' };
const li: DutyPerson = { userId: 2, name: '李四', phone: '13800000002' };
const wang: DutyPerson = { userId: null, name: '王五', phone: '13800000003' };
const boss: DutyPerson = { userId: 9, name: '赵局长', phone: '13900000009' };
const slot = (day: number, officers: DutyPerson[]): RosterEntry => ({
  start: at(`2026-11-${String(day).padStart(2, '0')}T08:30:00+08:00`),
  end: at(`2026-11-${String(day + 1).padStart(2, '0')}T08:30:00+08:00`),
  officers,
  leader: boss,
});
const roster = [slot(20, [zhang]), slot(21, [li]), slot(22, [zhang, wang])];
const now = at('2026-11-20T10:00:00+08:00');

describe('on duty now', () => {
  it.each([
    ['2026-11-20T08:29:59+08:00', null],
    ['2026-11-20T08:30:00+08:00', '张三'],
    ['2026-11-21T08:29:59+08:00', '张三'],
    ['2026-11-21T08:30:00+08:00', '李四'],
    ['2026-11-23T08:30:00+08:00', null],
  ])('at %s: %s', (t, who) => expect(onDutyAt(roster, at(t))?.officers[0]?.name ?? null).toBe(who));
});

describe('swap validity', () => {
  const req = (over: Partial<Parameters<typeof checkSwap>[1]>) => ({
    kind: 'swap' as const,
    role: 'officer' as const,
    slotStart: roster[0]!.start,
    from: zhang,
    to: li,
    otherSlotStart: roster[1]!.start,
    ...over,
  });
  it('a valid swap exchanges the two people', () => {
    const r = checkSwap(roster, req({}), now);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.changes.map((c) => c.officers.map((p) => p.name))).toEqual([['李四'], ['张三']]);
  });
  it('a replacement by someone without an account', () => {
    const r = checkSwap(roster, req({ kind: 'replace', slotStart: roster[2]!.start, from: zhang, to: { userId: null, name: '孙六', phone: '1' }, otherSlotStart: null }), now);
    expect(r.ok && r.changes[0]!.officers.map((p) => p.name)).toEqual(['孙六', '王五']);
  });
  it('the leader on duty can be replaced', () => {
    const r = checkSwap(roster, req({ kind: 'replace', role: 'leader', from: boss, to: { userId: 10, name: '钱副局长', phone: null }, otherSlotStart: null }), now);
    expect(r.ok && r.changes[0]!.leader?.name).toBe('钱副局长');
  });
  it.each([
    ['slot not on the roster', req({ slotStart: at('2026-11-25T08:30:00+08:00') }), 'SWAP_SLOT_MISSING'],
    ['other slot not on the roster', req({ otherSlotStart: at('2026-11-25T08:30:00+08:00') }), 'SWAP_SLOT_MISSING'],
    ['requester not on the slot', req({ from: li, to: zhang }), 'SWAP_NOT_ON_SLOT'],
    ['counterpart not on the other slot', req({ to: wang }), 'SWAP_NOT_ON_SLOT'],
    ['same person', req({ to: zhang }), 'SWAP_SAME_PERSON'],
    ['counterpart already on my slot', req({ slotStart: roster[2]!.start, from: zhang, to: wang, otherSlotStart: roster[1]!.start }), 'SWAP_ALREADY_ON_SLOT'],
    ['swap without the other slot', req({ otherSlotStart: null }), 'SWAP_INVALID'],
    ['swap with itself', req({ otherSlotStart: roster[0]!.start }), 'SWAP_INVALID'],
  ])('refuses: %s', (_n, r, code) => {
    const out = checkSwap(roster, r, now);
    expect(out.ok ? 'ok' : out.code).toBe(code);
  });
  it('refuses a slot that has ended', () => {
    const out = checkSwap(roster, req({}), at('2026-11-21T09:00:00+08:00'));
    expect(out.ok ? 'ok' : out.code).toBe('SWAP_SLOT_PAST');
  });
});

describe('which shift a handover closes', () => {
  const closed = new Set<number>();
  const isClosed = (d: Date) => closed.has(d.getTime());
  it('just after the change: the previous shift first, then the current one', () => {
    const s = closableSlots(['08:30'], at('2026-11-21T08:40:00+08:00'), isClosed);
    expect(s.map((x) => x.date)).toEqual(['2026-11-21', '2026-11-20']);
    closed.add(s[1]!.start.getTime());
    expect(closableSlots(['08:30'], at('2026-11-21T08:40:00+08:00'), isClosed).map((x) => x.date)).toEqual(['2026-11-21']);
  });
  it('late in the shift: only the current one', () => {
    expect(closableSlots(['08:30'], at('2026-11-21T20:00:00+08:00'), isClosed).map((x) => x.date)).toEqual(['2026-11-21']);
  });
});

describe('rotation', () => {
  const days = slotsForDates(['08:30', '17:30'], '2026-11-20', '2026-11-22');
  it.each([
    [1, ['A', 'B', 'C', 'A', 'B', 'C'], ['L1', 'L1', 'L2', 'L2', 'L1', 'L1']],
    [2, ['AB', 'CA', 'BC', 'AB', 'CA', 'BC'], ['L1', 'L1', 'L2', 'L2', 'L1', 'L1']],
    [9, ['ABC', 'ABC', 'ABC', 'ABC', 'ABC', 'ABC'], ['L1', 'L1', 'L2', 'L2', 'L1', 'L1']],
  ])('%i officer(s) per shift', (perSlot, officers, leaders) => {
    const r = rotation(days, ['A', 'B', 'C'], ['L1', 'L2'], perSlot);
    expect(r.map((x) => x.officers.join(''))).toEqual(officers);
    expect(r.map((x) => x.leader)).toEqual(leaders);
  });
});

/**
 * The chosen instants (Beijing time) the browser specs run at too: what is on duty, what a handover may close,
 * and the calendar ranges a page shows, at each hour that matters and on month ends, 29 February and 31 December.
 */
describe('at the chosen instants', () => {
  const none = () => false;
  const cases: [string, string, string[], string, string][] = [
    // instant, slot on duty (start), closable slot dates (current first), week Monday, month range
    ['2028-02-29T03:00:00+08:00', '2028-02-28T08:30:00+08:00', ['2028-02-28'], '2028-02-28', '2028-02-01~2028-02-29'],
    ['2026-11-30T08:29:00+08:00', '2026-11-29T08:30:00+08:00', ['2026-11-29'], '2026-11-23', '2026-11-01~2026-11-30'],
    ['2027-02-28T08:31:00+08:00', '2027-02-28T08:30:00+08:00', ['2027-02-28', '2027-02-27'], '2027-02-22', '2027-02-01~2027-02-28'],
    ['2028-02-29T12:31:00+08:00', '2028-02-29T08:30:00+08:00', ['2028-02-29'], '2028-02-28', '2028-02-01~2028-02-29'],
    ['2026-12-31T23:59:00+08:00', '2026-12-31T08:30:00+08:00', ['2026-12-31'], '2026-12-28', '2026-12-01~2026-12-31'],
    ['2027-01-01T00:01:00+08:00', '2026-12-31T08:30:00+08:00', ['2026-12-31'], '2026-12-28', '2026-12-01~2026-12-31'],
  ];
  it.each(cases)('%s', (instant, onDuty, closable, monday, month) => {
    const now = at(instant);
    const cur = slotAt(['08:30'], now);
    expect(iso(cur.start)).toBe(iso(at(onDuty)));
    expect(closableSlots(['08:30'], now, none).map((s) => s.date)).toEqual(closable);
    expect(weekRange(cur.date).from).toBe(monday);
    const m = monthRange(cur.date.slice(0, 7));
    expect(`${m.from}~${m.to}`).toBe(month);
    // Exactly 4 h after the change is past the grace: 12:30 closes only the current shift, 12:29 both.
    expect(closableSlots(['08:30'], at(`${cur.date}T12:30:00+08:00`), none)).toHaveLength(1);
    expect(closableSlots(['08:30'], at(`${cur.date}T12:29:00+08:00`), none)).toHaveLength(2);
  });
});
