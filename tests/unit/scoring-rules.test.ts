/** Scoring as tables: rules × events → points, effective-dated versions, the zeroing rule, periods in UTC+8. */
import { describe, expect, it } from 'vitest';
import { DEFAULT_RULES, monthKeyOf, periodRange, schemeRules, type SchemeRules } from '../../contract/scoring.ts';
import { bulletinTitle } from '../../server/scoring/facts.ts';
import { adoptionPoints, answerState, instructionPoints, quotaOf, quotaReminderMonth, rankGroups, rankPeople, rankScores, requestReminderDue, schemeAt, scorePeriod, type AdoptionFact, type ScoreInput } from '../../server/scoring/rules.ts';

const R = DEFAULT_RULES;
const at = (iso: string) => new Date(iso);

describe('adoption points (常山县 defaults)', () => {
  const cases: [string, AdoptionFact['distance'], 1 | 2 | 3 | null, boolean, string, number, string][] = [
    // what, distance, tier, single-item issue, kind → points, rule
    ['own 政务信息', 0, 1, false, 'dynamic', 5, 'own.1'],
    ['own 信息专报', 0, 2, false, 'dynamic', 10, 'own.2'],
    ['own 要情快报', 0, 3, false, 'dynamic', 30, 'own.3'],
    ['one level higher', 1, 1, false, 'dynamic', 20, 'up1.1'],
    ['one level higher, single-item issue', 1, 1, true, 'dynamic', 50, 'up1SingleItem'],
    ['one level higher, tier 3 beats single item', 1, 3, true, 'dynamic', 80, 'up1.3'],
    ['two levels higher (forwarded twice)', 2, 1, false, 'dynamic', 80, 'higher.1'],
    ['external body (民政部)', 'external', null, false, 'dynamic', 80, 'external'],
    ['analysis counts double at own level', 0, 2, false, 'analysis', 20, 'own.2×kindMultiplier.analysis'],
    ['analysis counts double one higher', 1, 1, true, 'analysis', 100, 'up1SingleItem×kindMultiplier.analysis'],
  ];
  it.each(cases)('%s', (_w, distance, tier, singleItemIssue, kind, points, rule) => {
    expect(adoptionPoints(R, { distance, tier, singleItemIssue, kind })).toMatchObject({ points, rule });
  });
  it('an adoption below the ranking office is not part of its ranking', () => {
    expect(adoptionPoints(R, { distance: -1, tier: 1, singleItemIssue: false, kind: 'dynamic' })).toBeNull();
  });
  it.each([
    [0, 5, 'instruction.own'],
    [1, 50, 'instruction.up1'],
    [2, 100, 'instruction.higher'],
  ])('instruction by a leader %i levels above: +%i', (d, points, rule) => {
    expect(instructionPoints(R, d)).toMatchObject({ points, rule });
  });
});

describe('effective-dated schemes', () => {
  const v2026: SchemeRules = { ...R, monthlyBase: 12 };
  const v2027: SchemeRules = { ...R, monthlyBase: 15, own: { '1': 6, '2': 10, '3': 30 } };
  const versions = [
    { effectiveFrom: '2026-12-01', rules: v2026 },
    { effectiveFrom: '2027-01-01', rules: v2027 },
  ];
  it.each([
    ['2026-11-30T23:59:59+08:00', '1970-01-01'],
    ['2026-11-30T16:00:00Z', '2026-12-01'], // 00:00 on 1 Dec in UTC+8 (still 30 Nov in UTC)
    ['2026-12-31T15:59:59Z', '2026-12-01'],
    ['2026-12-31T16:00:00Z', '2027-01-01'], // New Year in UTC+8
  ])('at %s the version from %s applies', (iso, from) => {
    expect(schemeAt(versions, at(iso)).effectiveFrom).toBe(from);
  });
  it('a change applies from its date on, never to earlier facts of the same period', () => {
    const period = periodRange('2026-Q4')!;
    const adoption = (id: string, iso: string): AdoptionFact => ({ id, itemId: id, itemTitle: id, unitCode: '150102', kind: 'dynamic', authorId: 1, at: at(iso), distance: 0, where: '呼和浩特市《政务信息》', publication: '政务信息', tier: 1, singleItemIssue: false });
    const v = [{ effectiveFrom: '2026-12-15', rules: { ...R, own: { '1': 7, '2': 10, '3': 30 } } }];
    const { lines } = scorePeriod({ ...empty(period), versions: v, adoptions: [adoption('before', '2026-12-14T23:00:00+08:00'), adoption('after', '2026-12-15T00:00:00+08:00')] });
    expect(lines.map((l) => [l.itemId, l.points, l.schemeFrom])).toEqual([
      ['before', 5, '1970-01-01'],
      ['after', 7, '2026-12-15'],
    ]);
  });
  it('the contract refuses a scheme without quotas or with absurd points', () => {
    expect(schemeRules.safeParse({ ...R, quotas: [] }).success).toBe(false);
    expect(schemeRules.safeParse({ ...R, monthlyBase: 5000 }).success).toBe(false);
    expect(schemeRules.safeParse({ ...R, quotas: [{ unitClass: 'county', minItems: 5, minAnalysis: 1 }] }).success).toBe(false); // no fallback for other units
    expect(schemeRules.safeParse(R).success).toBe(true);
  });
});

function empty(period = periodRange('2026-11')!): ScoreInput {
  return { period, units: [{ code: '150102', name: '新城区', unitClass: 'county' }, { code: '150103', name: '回民区', unitClass: 'county' }], versions: [], submissions: [], adoptions: [], instructions: [], requests: [], missedInYear: {}, now: at('2026-12-05T10:00:00+08:00') };
}
const subs = (unit: string, n: number, analysis: number, iso = '2026-11-10T10:00:00+08:00') =>
  Array.from({ length: n }, (_, i) => ({ itemId: `${unit}-${i}`, unitCode: unit, kind: i < analysis ? 'analysis' : 'dynamic', receivedAt: at(iso) }));

describe('a month: quota, adoptions at two levels, an instruction, a request late and one missed', () => {
  const input: ScoreInput = {
    ...empty(),
    submissions: [...subs('150102', 5, 1), ...subs('150103', 6, 0)],
    adoptions: [
      { id: 'a1', itemId: '150102-0', itemTitle: '调研报告', unitCode: '150102', kind: 'analysis', authorId: 7, at: at('2026-11-12T09:00:00+08:00'), distance: 0, where: '呼和浩特市《信息专报》', publication: '信息专报', tier: 2, singleItemIssue: false },
      { id: 'a2', itemId: '150102-0', itemTitle: '调研报告', unitCode: '150102', kind: 'analysis', authorId: 7, at: at('2026-11-20T09:00:00+08:00'), distance: 1, where: '自治区民政厅《政务信息》', publication: '政务信息', tier: 1, singleItemIssue: false },
      { id: 'a3', itemId: '150103-1', itemTitle: '动态', unitCode: '150103', kind: 'dynamic', authorId: 8, at: at('2026-11-20T09:00:00+08:00'), distance: 0, where: '呼和浩特市《政务信息》', publication: '政务信息', tier: 1, singleItemIssue: false },
    ],
    instructions: [{ id: 'i1', itemId: '150103-1', itemTitle: '动态', unitCode: '150103', authorId: 8, at: at('2026-11-21T09:00:00+08:00'), distance: 0, who: '呼和浩特市领导' }],
    requests: [
      {
        id: 'r1',
        topic: '冬季救助',
        deadline: at('2026-11-25T18:00:00+08:00'),
        targets: [
          { unitCode: '150102', answeredAt: at('2026-11-25T19:00:00+08:00') },
          { unitCode: '150103', answeredAt: null },
        ],
      },
    ],
  };
  const { scores, lines } = scorePeriod(input);
  const of = (u: string) => scores.find((s) => s.unitCode === u)!;
  it('新城区: base 10 + own 信息专报 10×2 + one higher 20×2 + late 0 = 70', () => {
    expect(of('150102').points).toBe(70);
    expect(lines.filter((l) => l.unitCode === '150102').map((l) => [l.rule, l.points])).toEqual([
      ['monthlyBase', 10],
      ['own.2×kindMultiplier.analysis', 20],
      ['up1.1×kindMultiplier.analysis', 40],
      ['request.late', 0],
    ]);
    expect(of('150102')).toMatchObject({ submitted: 5, adopted: 2, adoptedItems: 1, adoptedOwn: 1, adoptedUp: 1, requests: { asked: 1, late: 1, missing: 0 }, quotaMonthsMet: 1 });
  });
  it('回民区: 6 items but no analysis (no base) + own 5 + instruction 5 − missed 10 = 0', () => {
    expect(of('150103').points).toBe(0);
    expect(of('150103').quotaMonthsMet).toBe(0);
    expect(lines.filter((l) => l.unitCode === '150103').map((l) => l.rule)).toEqual(['own.1', 'instruction.own', 'request.missed']);
  });
  it('every line names its item and rule in words', () => {
    const l = lines.find((x) => x.refId === 'a2')!;
    expect(l.text).toBe('《调研报告》被自治区民政厅《政务信息》采用（上一级采用·一类 20×2）+40');
    expect(lines.find((x) => x.rule === 'request.missed')!.text).toBe('约稿《冬季救助》未报送 −10');
    expect(lines.find((x) => x.rule === 'monthlyBase')!.text).toContain('2026年11月完成任务量');
  });
  it('ranks and individual ranking', () => {
    expect(rankScores(scores).map((r) => [r.unitCode, r.rank])).toEqual([
      ['150102', 1],
      ['150103', 2],
    ]);
    expect(rankPeople(lines)).toEqual([
      { userId: 7, points: 60, adopted: 2, rank: 1 },
      { userId: 8, points: 10, adopted: 1, rank: 2 },
    ]);
  });
  it('equal points share a rank (1, 1, 3)', () => {
    const rows = [
      { unitCode: 'a', points: 10, adopted: 1 },
      { unitCode: 'b', points: 10, adopted: 2 },
      { unitCode: 'c', points: 3, adopted: 0 },
    ];
    expect(rankScores(rows).map((r) => [r.unitCode, r.rank])).toEqual([
      ['b', 1],
      ['a', 1],
      ['c', 3],
    ]);
  });
});

describe('the zeroing rule', () => {
  const year = periodRange('2026')!;
  const base: ScoreInput = { ...empty(year), submissions: subs('150102', 5, 1), now: at('2027-01-05T00:00:00+08:00') };
  it.each([
    [1, false, 10],
    [2, true, 0],
    [3, true, 0],
  ])('%i missed requests in the year → zeroed %s, %i points', (missed, zeroed, points) => {
    const { scores, lines } = scorePeriod({ ...base, missedInYear: { '150102': missed } });
    expect(scores[0]).toMatchObject({ zeroed, points });
    if (zeroed) expect(lines.at(-1)!.text).toContain('年度得分清零');
  });
  it('only the yearly score is zeroed, a month keeps its points', () => {
    const { scores } = scorePeriod({ ...base, period: periodRange('2026-11')!, missedInYear: { '150102': 2 } });
    expect(scores[0]!.points).toBe(10);
  });
  it('0 switches the rule off', () => {
    const { scores } = scorePeriod({ ...base, versions: [{ effectiveFrom: '2026-01-01', rules: { ...R, zeroAfterMissed: 0 } }], missedInYear: { '150102': 5 } });
    expect(scores[0]).toMatchObject({ zeroed: false, points: 10 });
  });
});

describe('commissioned requests', () => {
  const d = at('2028-02-29T18:00:00+08:00');
  it.each([
    ['2028-02-29T17:59:59+08:00', null, 'on_time'],
    ['2028-02-29T18:00:00+08:00', null, 'on_time'],
    ['2028-02-29T18:00:01+08:00', null, 'late'],
    [null, '2028-02-29T18:00:00+08:00', 'pending'],
    [null, '2028-02-29T18:00:01+08:00', 'missing'],
  ])('answered %s, now %s → %s', (answered, now, state) => {
    expect(answerState(d, answered ? at(answered) : null, at(now ?? '2028-03-01T00:00:00+08:00'))).toBe(state);
  });
  it.each([
    ['2028-02-28T17:59:59+08:00', false],
    ['2028-02-28T18:00:00+08:00', true],
    ['2028-02-29T17:59:59+08:00', true],
    ['2028-02-29T18:00:00+08:00', false],
  ])('reminder at %s: %s', (now, due) => {
    expect(requestReminderDue(d, at(now))).toBe(due);
  });
});

describe('periods and the quota reminder in UTC+8', () => {
  it.each([
    ['2028-02', '2028-01-31T16:00:00.000Z', '2028-02-29T16:00:00.000Z', '2028-01', 1],
    ['2027-01', '2026-12-31T16:00:00.000Z', '2027-01-31T16:00:00.000Z', '2026-12', 1],
    ['2026-Q1', '2025-12-31T16:00:00.000Z', '2026-03-31T16:00:00.000Z', '2025-Q4', 3],
    ['2026-H2', '2026-06-30T16:00:00.000Z', '2026-12-31T16:00:00.000Z', '2026-H1', 6],
    ['2028', '2027-12-31T16:00:00.000Z', '2028-12-31T16:00:00.000Z', '2027', 12],
  ])('%s = [%s, %s), previous %s, %i months', (key, start, end, previous, months) => {
    const p = periodRange(key)!;
    expect([p.start.toISOString(), p.end.toISOString(), p.previous, p.months.length]).toEqual([start, end, previous, months]);
  });
  it('refuses malformed keys', () => {
    expect(periodRange('2026-13')).toBeNull();
    expect(periodRange('2026-Q5')).toBeNull();
  });
  it.each([
    ['2028-02-26T23:59:59+08:00', null], // leap February: 29 days, reminder from the 27th
    ['2028-02-27T00:00:00+08:00', '2028-02'],
    ['2028-02-29T23:59:59+08:00', '2028-02'],
    ['2027-02-25T23:59:59+08:00', null],
    ['2027-02-26T00:00:00+08:00', '2027-02'],
    ['2026-12-29T00:00:00+08:00', '2026-12'],
    ['2026-12-31T23:59:00+08:00', '2026-12'], // New Year's Eve in UTC+8 (15:59 UTC)
    ['2026-11-27T23:59:59+08:00', null],
    ['2026-11-28T00:00:00+08:00', '2026-11'],
  ])('reminder at %s → %s', (iso, month) => {
    const now = at(iso);
    expect(quotaReminderMonth(periodRange(monthKeyOf(now)), now)).toBe(month);
  });
});

describe('bulletins go to every unit below the office', () => {
  it.each([
    [0, '冬季救助'],
    [1, '冬季救助'],
    [2, '【涉密信息】'],
    [3, '【涉密信息】'],
  ])('密级 %i: the line names %s', (cls, title) => {
    expect(bulletinTitle('冬季救助', cls)).toBe(title);
  });
});

describe('departments (内设机构): their own quota class and their own table', () => {
  const unitsQ4: ScoreInput['units'] = [
    { code: '150100', name: '呼和浩特市', unitClass: 'city' },
    { code: '150000-01', name: '社会救助处', unitClass: 'department' },
  ];
  it.each([
    // rules' quotas, class → the quota that applies
    ['the shipped defaults: departments 3 items, no analysis', R.quotas, 'department', { minItems: 3, minAnalysis: 0 }],
    ['the shipped defaults: a city the general 5 and 1', R.quotas, 'city', { minItems: 5, minAnalysis: 1 }],
    ['no department class: the general quota', [{ unitClass: 'any', minItems: 4, minAnalysis: 1 }], 'department', { minItems: 4, minAnalysis: 1 }],
    ['a county class does not reach a department', [{ unitClass: 'any', minItems: 4, minAnalysis: 1 }, { unitClass: 'county', minItems: 2, minAnalysis: 0 }], 'department', { minItems: 4, minAnalysis: 1 }],
  ] as const)('%s', (_w, quotas, unitClass, q) => {
    expect(quotaOf({ ...R, quotas: [...quotas] }, unitClass)).toMatchObject(q);
  });
  it('the contract refuses two quotas for one class', () => {
    expect(schemeRules.safeParse({ ...R, quotas: [...R.quotas, { unitClass: 'department', minItems: 1, minAnalysis: 0 }] }).success).toBe(false);
  });
  it.each([
    // department submissions in the month, analyses → base points, quota words
    [3, 0, 10, '报送3条≥3条，综合分析0条≥0条'],
    [2, 2, 0, null],
  ])('a department with %i items (%i analysis) under the defaults: base %i', (n, analysis, points, words) => {
    const { scores, lines } = scorePeriod({ ...empty(), units: unitsQ4, submissions: subs('150000-01', n, analysis) });
    expect(scores.find((s) => s.unitCode === '150000-01')!.points).toBe(points);
    expect(lines.find((l) => l.unitCode === '150000-01')?.text ?? null).toEqual(words && expect.stringContaining(words));
  });
  it('the quota of each month is the version in force on its first day (UTC+8), also for departments', () => {
    // From 1 December (00:00 UTC+8 = 30 Nov 16:00 UTC) departments owe 4; a version dated 15 November moves nothing in November.
    const versions = [
      { effectiveFrom: '2026-11-15', rules: { ...R, quotas: [R.quotas[0]!, { unitClass: 'department' as const, minItems: 9, minAnalysis: 0 }] } },
      { effectiveFrom: '2026-12-01', rules: { ...R, quotas: [R.quotas[0]!, { unitClass: 'department' as const, minItems: 4, minAnalysis: 0 }] } },
    ];
    const q4 = periodRange('2026-Q4')!;
    const submissions = [...subs('150000-01', 3, 0, '2026-11-10T10:00:00+08:00'), ...subs('150000-01', 3, 0, '2026-11-30T16:30:00Z')];
    const { lines } = scorePeriod({ ...empty(q4), units: unitsQ4, versions, submissions, now: at('2027-01-05T10:00:00+08:00') });
    // November: 3 items (≥3 by the default in force on 1 Nov) → base; December: 3 items of 4 → none.
    expect(lines.map((l) => [l.refId, l.schemeFrom, l.points])).toEqual([['2026-11', '1970-01-01', 10]]);
  });
  it('ranks divisions and departments each from 1, divisions first', () => {
    const rows = [
      { unitCode: '150000-01', points: 40, adopted: 2, dept: true },
      { unitCode: '150100', points: 30, adopted: 1, dept: false },
      { unitCode: '150200', points: 30, adopted: 1, dept: false },
      { unitCode: '150000-02', points: -5, adopted: 0, dept: true },
      { unitCode: '150300', points: 50, adopted: 3, dept: false },
    ];
    expect(rankGroups(rows, (r) => (r.dept ? 'department' : 'division'), ['division', 'department'] as const).map((r) => [r.group, r.unitCode, r.rank])).toEqual([
      ['division', '150300', 1],
      ['division', '150100', 2],
      ['division', '150200', 2],
      ['department', '150000-01', 1],
      ['department', '150000-02', 2],
    ]);
  });
});
