/** Deadline rules as data, evaluated purely: statuses per unit and kind, and the follow-up cadence. */
import { describe, expect, it } from 'vitest';
import { evaluateDeadlines, isLate, nextFollowupDue, statusOf, type DeadlineRule } from '../../server/reports/deadlines.ts';

const RULES: DeadlineRule[] = [];
for (const grade of [1, 2, 3, 4] as const) {
  RULES.push({ grade, level: 3, kind: 'written', minutes: 120 }, { grade, level: 2, kind: 'written', minutes: 240 });
  if (grade <= 2) RULES.push({ grade, level: 3, kind: 'phone', minutes: 30 }, { grade, level: 2, kind: 'phone', minutes: 30 });
}
const T0 = new Date('2026-07-01T02:00:00Z');
const at = (min: number) => new Date(T0.getTime() + min * 60_000);

describe('statusOf', () => {
  const cases: [string, number, number | null, number, string][] = [
    ['far ahead', 120, null, 10, 'pending'],
    ['inside the warning window', 120, null, 106, 'due_soon'],
    ['exactly at the deadline', 120, null, 120, 'due_soon'],
    ['passed, unmet', 120, null, 121, 'overdue'],
    ['met before', 120, 60, 200, 'met_on_time'],
    ['met exactly at', 120, 120, 200, 'met_on_time'],
    ['met after', 120, 150, 200, 'met_late'],
  ];
  it.each(cases)('%s', (_name, due, met, now, expected) => {
    expect(statusOf(at(due), met === null ? null : at(met), at(now), 15 * 60_000)).toBe(expected);
  });
  it('late means a deadline that passed unmet, met later or not', () => {
    expect(['pending', 'due_soon', 'overdue', 'met_on_time', 'met_late'].filter((s) => isLate(s as never))).toEqual(['overdue', 'met_late']);
  });
});

describe('evaluateDeadlines over the chain county → city → region', () => {
  const chain = (countyAny: number | null, countyWritten: number | null, cityAny: number | null, cityWritten: number | null) => [
    { unitCode: '150102', level: 3 as const, anyAt: countyAny === null ? null : at(countyAny), writtenAt: countyWritten === null ? null : at(countyWritten) },
    { unitCode: '150100', level: 2 as const, anyAt: cityAny === null ? null : at(cityAny), writtenAt: cityWritten === null ? null : at(cityWritten) },
    { unitCode: '150000', level: 1 as const, anyAt: null, writtenAt: null },
  ];
  const run = (grade: 1 | 2 | 3 | 4, c: ReturnType<typeof chain>, now: number) =>
    evaluateDeadlines({ eventTime: T0, grade, chain: c, rules: RULES, now: at(now), warnMinutes: 15 }).map((o) => `${o.unitCode}:${o.kind}:${o.dueAt.getTime() === at(o.kind === 'phone' ? 30 : o.level === 3 ? 120 : 240).getTime() ? 'ok' : 'bad-due'}:${o.status}`);

  it('grade IV has no phone deadline; the county owes 2 h, the city 4 h, the region nothing', () => {
    expect(run(4, chain(null, null, null, null), 10)).toEqual(['150102:written:ok:pending', '150100:written:ok:pending']);
  });
  it('grade II: phone within 30 min at each level; a phone report meets only the phone deadline', () => {
    expect(run(2, chain(20, null, 25, null), 130)).toEqual([
      '150102:phone:ok:met_on_time',
      '150102:written:ok:overdue',
      '150100:phone:ok:met_on_time',
      '150100:written:ok:pending',
    ]);
  });
  it('a written report also meets the phone deadline; the city relaying late is late at the city only', () => {
    expect(run(1, chain(25, 25, 250, 250), 300)).toEqual([
      '150102:phone:ok:met_on_time',
      '150102:written:ok:met_on_time',
      '150100:phone:ok:met_late',
      '150100:written:ok:met_late',
    ]);
  });
  it('grade III at 1 h 50 min: the county is warned (due soon)', () => {
    expect(run(3, chain(null, null, null, null), 110)).toEqual(['150102:written:ok:due_soon', '150100:written:ok:pending']);
  });
  it('rules are data: no rule, no deadline', () => {
    expect(evaluateDeadlines({ eventTime: T0, grade: 4, chain: chain(null, null, null, null), rules: [], now: at(500), warnMinutes: 15 })).toEqual([]);
  });
});

describe('follow-up cadence (08:00 and 17:00 Beijing time)', () => {
  const cases: [string, string, string | null][] = [
    ['sent 07:00 → 08:00 same day', '2026-07-01T07:00:00+08:00', '2026-07-01T00:00:00.000Z'],
    ['sent 08:00 exactly → 17:00', '2026-07-01T08:00:00+08:00', '2026-07-01T09:00:00.000Z'],
    ['sent 12:30 → 17:00', '2026-07-01T12:30:00+08:00', '2026-07-01T09:00:00.000Z'],
    ['sent 23:10 → 08:00 next day', '2026-07-01T23:10:00+08:00', '2026-07-02T00:00:00.000Z'],
  ];
  it.each(cases)('%s', (_n, since, expected) => {
    expect(nextFollowupDue(new Date(since), ['17:00', '08:00'])?.toISOString() ?? null).toBe(expected);
  });
  it.each(['2026-12-31T23:59:00+08:00', '2028-02-29T16:59:00+08:00'])('no cadence, no reminder (sent %s)', (since) => {
    expect(nextFollowupDue(new Date(since), [])).toBeNull();
  });
});

/** Deadlines at the chosen instants (Beijing time): across midnight, month ends, 29 February and New Year. */
describe('deadlines at the chosen instants', () => {
  const cases: [string, number, string, string][] = [
    // event (Beijing), grade, county written due (UTC), next 续报 reminder after the event (UTC)
    ['2028-02-29T03:00:00+08:00', 3, '2028-02-28T21:00:00.000Z', '2028-02-29T00:00:00.000Z'],
    ['2026-11-30T08:29:00+08:00', 2, '2026-11-30T02:29:00.000Z', '2026-11-30T09:00:00.000Z'],
    ['2027-02-28T08:31:00+08:00', 4, '2027-02-28T02:31:00.000Z', '2027-02-28T09:00:00.000Z'],
    ['2028-02-29T12:31:00+08:00', 1, '2028-02-29T06:31:00.000Z', '2028-02-29T09:00:00.000Z'],
    ['2026-12-31T23:59:00+08:00', 3, '2026-12-31T17:59:00.000Z', '2027-01-01T00:00:00.000Z'], // 01:59 on 1 January in Beijing,
  ];
  it.each(cases)('event at %s, grade %i', (event, grade, countyDue, followup) => {
    const eventTime = new Date(event);
    const chain = [{ unitCode: '150102', level: 3 as const, anyAt: null, writtenAt: null }, { unitCode: '150100', level: 2 as const, anyAt: null, writtenAt: null }];
    const justAfter = new Date(new Date(countyDue).getTime() + 60_000);
    const out = evaluateDeadlines({ eventTime, grade: grade as 1 | 2 | 3 | 4, chain, rules: RULES, now: justAfter, warnMinutes: 15 });
    const written = out.find((o) => o.unitCode === '150102' && o.kind === 'written')!;
    expect(written.dueAt.toISOString()).toBe(countyDue);
    expect(written.status).toBe('overdue');
    // The city's 4 h is still ahead one minute after the county's 2 h passed.
    expect(out.find((o) => o.unitCode === '150100' && o.kind === 'written')!.status).toMatch(/pending|due_soon/);
    expect(nextFollowupDue(eventTime, ['08:00', '17:00'])?.toISOString()).toBe(followup);
  });
});
