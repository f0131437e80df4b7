/**
 * Scoring (计分), pure: facts of a period (what reached the ranking office, adoptions at every level,
 * instructions, commissioned requests) × the office's effective-dated scheme → points per unit, each point
 * explained by one line (which item, which adoption, which rule of which version, how many points).
 * A fact is scored by the version in force on its date (UTC+8): a change applies from its date on, never back.
 */
import { DEFAULT_RULES, localDateOf, type AnswerState, type PeriodRange, type SchemeRules, type ScoreLine, type UnitClass } from '../../contract/scoring.ts';

export interface SchemeVersion {
  effectiveFrom: string;
  rules: SchemeRules;
}
export const DEFAULT_VERSION: SchemeVersion = { effectiveFrom: '1970-01-01', rules: DEFAULT_RULES };

/** The version in force at `at`: the latest whose date (UTC+8) is not after it; the shipped default before any. */
export function schemeAt(versions: readonly SchemeVersion[], at: Date): SchemeVersion {
  const day = localDateOf(at);
  let best = DEFAULT_VERSION;
  for (const v of versions) if (v.effectiveFrom <= day && v.effectiveFrom >= best.effectiveFrom) best = v;
  return best;
}

export function quotaOf(rules: SchemeRules, unitClass: UnitClass): { minItems: number; minAnalysis: number } {
  return rules.quotas.find((q) => q.unitClass === unitClass) ?? rules.quotas.find((q) => q.unitClass === 'any') ?? { minItems: 0, minAnalysis: 0 };
}

export interface RankedUnit {
  code: string;
  name: string;
  unitClass: UnitClass;
}
/** An item that reached the ranking office (its first receipt), counted for the ranked unit containing its unit. */
export interface SubmissionFact {
  itemId: string;
  unitCode: string;
  kind: string;
  receivedAt: Date;
}
/** Levels above the ranking office (0 = its own publications), or 'external'. */
export type Distance = number | 'external';
export interface AdoptionFact {
  id: string;
  itemId: string;
  itemTitle: string;
  unitCode: string;
  kind: string;
  authorId: number | null;
  at: Date;
  distance: Distance;
  /** Who adopted, for the text: 呼和浩特市《政务信息》, 民政部《民政信息》. */
  where: string;
  publication: string;
  tier: 1 | 2 | 3 | null;
  singleItemIssue: boolean;
}
export interface InstructionFact {
  id: string;
  itemId: string;
  itemTitle: string;
  unitCode: string;
  authorId: number | null;
  at: Date;
  /** Levels of the instructing leader's unit above the ranking office (0 = the office's own leader). */
  distance: number;
  who: string;
}
export interface RequestFact {
  id: string;
  topic: string;
  deadline: Date;
  targets: { unitCode: string; answeredAt: Date | null }[];
}

export function answerState(deadline: Date, answeredAt: Date | null, now: Date): AnswerState {
  if (answeredAt) return answeredAt.getTime() <= deadline.getTime() ? 'on_time' : 'late';
  return now.getTime() > deadline.getTime() ? 'missing' : 'pending';
}

const TIER_NAME = { 1: '一类', 2: '二类', 3: '三类' } as const;
const sign = (n: number) => (n >= 0 ? `+${n}` : `−${-n}`);

/** Points of one adoption under `rules`, with the rule path and the words explaining it. */
export function adoptionPoints(rules: SchemeRules, a: Pick<AdoptionFact, 'distance' | 'tier' | 'singleItemIssue' | 'kind'>): { points: number; rule: string; basis: string } | null {
  if (a.distance !== 'external' && a.distance < 0) return null; // adopted below the ranking office: not its ranking
  let base: number, rule: string, basis: string;
  const t = String(a.tier ?? 1) as '1' | '2' | '3';
  if (a.distance === 'external') [base, rule, basis] = [rules.external, 'external', '外部上级机关采用'];
  else if (a.distance === 0) [base, rule, basis] = [rules.own[t], `own.${t}`, `本级刊物·${TIER_NAME[t]}`];
  else if (a.distance === 1) {
    [base, rule, basis] = [rules.up1[t], `up1.${t}`, `上一级采用·${TIER_NAME[t]}`];
    if (a.singleItemIssue && rules.up1SingleItem > base) [base, rule, basis] = [rules.up1SingleItem, 'up1SingleItem', '上一级单条成期'];
  } else [base, rule, basis] = [rules.higher[t], `higher.${t}`, `更高层级采用·${TIER_NAME[t]}`];
  const mult = rules.kindMultiplier[a.kind] ?? 1;
  if (mult !== 1) return { points: Math.round(base * mult), rule: `${rule}×kindMultiplier.${a.kind}`, basis: `${basis} ${base}×${mult}` };
  return { points: base, rule, basis: `${basis}` };
}

export function instructionPoints(rules: SchemeRules, distance: number): { points: number; rule: string; basis: string } | null {
  if (distance < 0) return null;
  if (distance === 0) return { points: rules.instruction.own, rule: 'instruction.own', basis: '本级领导批示' };
  if (distance === 1) return { points: rules.instruction.up1, rule: 'instruction.up1', basis: '上一级领导批示' };
  return { points: rules.instruction.higher, rule: 'instruction.higher', basis: '更高层级领导批示' };
}

export interface UnitScore {
  unitCode: string;
  points: number;
  submitted: number;
  adopted: number;
  /** Distinct items adopted anywhere (the adoption rate's numerator: several levels count once). */
  adoptedItems: number;
  adoptedOwn: number;
  adoptedUp: number;
  adoptedExternal: number;
  byPublication: Record<string, number>;
  requests: { asked: number; onTime: number; late: number; missing: number };
  quotaMonthsMet: number;
  zeroed: boolean;
  monthly: Record<string, number>;
}

export interface ScoreInput {
  period: PeriodRange;
  units: readonly RankedUnit[];
  versions: readonly SchemeVersion[];
  submissions: readonly SubmissionFact[];
  adoptions: readonly AdoptionFact[];
  instructions: readonly InstructionFact[];
  requests: readonly RequestFact[];
  /** Requests missed in the period's calendar year, per unit (the zeroing rule, yearly bulletins). */
  missedInYear: Readonly<Record<string, number>>;
  now: Date;
}

const inRange = (at: Date, start: Date, end: Date) => at.getTime() >= start.getTime() && at.getTime() < end.getTime();
const monthOf = (p: PeriodRange, at: Date) => p.months.find((m) => inRange(at, m.start, m.end))?.key ?? null;

export function scorePeriod(input: ScoreInput): { scores: UnitScore[]; lines: ScoreLine[] } {
  const { period: p } = input;
  const lines: ScoreLine[] = [];
  const scores = new Map<string, UnitScore>(
    input.units.map((u) => [u.code, { unitCode: u.code, points: 0, submitted: 0, adopted: 0, adoptedItems: 0, adoptedOwn: 0, adoptedUp: 0, adoptedExternal: 0, byPublication: {}, requests: { asked: 0, onTime: 0, late: 0, missing: 0 }, quotaMonthsMet: 0, zeroed: false, monthly: Object.fromEntries(p.months.map((m) => [m.key, 0])) }]),
  );
  const add = (l: Omit<ScoreLine, 'at'> & { at: Date }) => {
    const s = scores.get(l.unitCode);
    if (!s) return;
    s.points += l.points;
    const mk = monthOf(p, l.at) ?? p.months[p.months.length - 1]!.key;
    s.monthly[mk] = (s.monthly[mk] ?? 0) + l.points;
    lines.push({ ...l, at: l.at.toISOString() });
  };

  // 任务量 and the monthly base, by the version in force on the month's first day.
  for (const m of p.months) {
    const v = schemeAt(input.versions, m.start);
    for (const u of input.units) {
      const mine = input.submissions.filter((s) => s.unitCode === u.code && inRange(s.receivedAt, m.start, m.end));
      const analysis = mine.filter((s) => s.kind === 'analysis').length;
      const q = quotaOf(v.rules, u.unitClass);
      const met = mine.length >= q.minItems && analysis >= q.minAnalysis;
      if (!met) continue;
      scores.get(u.code)!.quotaMonthsMet++;
      add({ unitCode: u.code, kind: 'base', rule: 'monthlyBase', schemeFrom: v.effectiveFrom, points: v.rules.monthlyBase, itemId: null, itemTitle: null, refId: m.key, authorId: null, at: m.start, text: `${m.key.slice(0, 4)}年${Number(m.key.slice(5, 7))}月完成任务量（报送${mine.length}条≥${q.minItems}条，综合分析${analysis}条≥${q.minAnalysis}条）：月度基础分 ${sign(v.rules.monthlyBase)}` });
    }
  }
  for (const s of input.submissions) if (inRange(s.receivedAt, p.start, p.end) && scores.has(s.unitCode)) scores.get(s.unitCode)!.submitted++;

  // 采用: every level adds up (own, one higher, higher, external), each by its rule.
  const adoptedItems = new Map<string, Set<string>>();
  for (const a of input.adoptions) {
    if (!inRange(a.at, p.start, p.end) || !scores.has(a.unitCode)) continue;
    const v = schemeAt(input.versions, a.at);
    const pts = adoptionPoints(v.rules, a);
    if (!pts) continue;
    const s = scores.get(a.unitCode)!;
    s.adopted++;
    const items = adoptedItems.get(a.unitCode) ?? new Set<string>();
    items.add(a.itemId);
    adoptedItems.set(a.unitCode, items);
    s.adoptedItems = items.size;
    if (a.distance === 'external') s.adoptedExternal++;
    else if (a.distance === 0) s.adoptedOwn++;
    else s.adoptedUp++;
    s.byPublication[a.publication] = (s.byPublication[a.publication] ?? 0) + 1;
    add({ unitCode: a.unitCode, kind: 'adoption', rule: pts.rule, schemeFrom: v.effectiveFrom, points: pts.points, itemId: a.itemId, itemTitle: a.itemTitle, refId: a.id, authorId: a.authorId, at: a.at, text: `《${a.itemTitle}》被${a.where}采用（${pts.basis}）${sign(pts.points)}` });
  }
  for (const i of input.instructions) {
    if (!inRange(i.at, p.start, p.end) || !scores.has(i.unitCode)) continue;
    const v = schemeAt(input.versions, i.at);
    const pts = instructionPoints(v.rules, i.distance);
    if (!pts) continue;
    add({ unitCode: i.unitCode, kind: 'instruction', rule: pts.rule, schemeFrom: v.effectiveFrom, points: pts.points, itemId: i.itemId, itemTitle: i.itemTitle, refId: i.id, authorId: i.authorId, at: i.at, text: `《${i.itemTitle}》获${i.who}批示（${pts.basis}）${sign(pts.points)}` });
  }

  // 约稿: counted in the period of their deadline; pending ones score nothing yet.
  for (const r of input.requests) {
    if (!inRange(r.deadline, p.start, p.end)) continue;
    const v = schemeAt(input.versions, r.deadline);
    for (const t of r.targets) {
      const s = scores.get(t.unitCode);
      if (!s) continue;
      const st = answerState(r.deadline, t.answeredAt, input.now);
      s.requests.asked++;
      if (st === 'pending') continue;
      const [pts, rule, word] = st === 'on_time' ? [v.rules.request.onTime, 'request.onTime', '按时报送'] : st === 'late' ? [v.rules.request.late, 'request.late', '逾期报送'] : [v.rules.request.missed, 'request.missed', '未报送'];
      if (st === 'on_time') s.requests.onTime++;
      else if (st === 'late') s.requests.late++;
      else s.requests.missing++;
      add({ unitCode: t.unitCode, kind: 'request', rule, schemeFrom: v.effectiveFrom, points: pts, itemId: null, itemTitle: null, refId: r.id, authorId: null, at: r.deadline, text: `约稿《${r.topic}》${word} ${sign(pts)}` });
    }
  }

  // The zeroing rule: a year with N or more missed requests scores nothing.
  if (p.kind === 'year') {
    const v = schemeAt(input.versions, new Date(p.end.getTime() - 1));
    const n = v.rules.zeroAfterMissed;
    for (const s of scores.values()) {
      const missed = input.missedInYear[s.unitCode] ?? 0;
      if (n > 0 && missed >= n && s.points !== 0) {
        s.zeroed = true;
        add({ unitCode: s.unitCode, kind: 'zeroed', rule: 'zeroAfterMissed', schemeFrom: v.effectiveFrom, points: -s.points, itemId: null, itemTitle: null, refId: null, authorId: null, at: new Date(p.end.getTime() - 1), text: `全年约稿未报送${missed}次（≥${n}次），年度得分清零 ${sign(-s.points)}` });
        for (const k of Object.keys(s.monthly)) s.monthly[k] = 0;
        s.points = 0;
      } else if (n > 0 && missed >= n) s.zeroed = true;
    }
  }
  return { scores: [...scores.values()], lines };
}

/** Competition ranking (1, 1, 3): equal points share a rank; the order breaks ties by adoptions, then code. */
export function rankScores<T extends { unitCode: string; points: number; adopted: number }>(rows: readonly T[]): (T & { rank: number })[] {
  const sorted = [...rows].sort((a, b) => b.points - a.points || b.adopted - a.adopted || a.unitCode.localeCompare(b.unitCode));
  return sorted.map((r) => ({ ...r, rank: 1 + rows.filter((o) => o.points > r.points).length }));
}

/** Ranks each group on its own (divisions among divisions, departments among departments), groups in the given order. */
export function rankGroups<T extends { unitCode: string; points: number; adopted: number }, G extends string>(rows: readonly T[], groupOf: (r: T) => G, order: readonly G[]): (T & { rank: number; group: G })[] {
  return order.flatMap((g) => rankScores(rows.filter((r) => groupOf(r) === g)).map((r) => ({ ...r, group: g })));
}

/** Information officers by points of the items they wrote (adoptions and instructions). */
export function rankPeople(lines: readonly ScoreLine[]): { userId: number; points: number; adopted: number; rank: number }[] {
  const by = new Map<number, { userId: number; points: number; adopted: number }>();
  for (const l of lines) {
    if (l.authorId === null || (l.kind !== 'adoption' && l.kind !== 'instruction')) continue;
    const r = by.get(l.authorId) ?? { userId: l.authorId, points: 0, adopted: 0 };
    r.points += l.points;
    if (l.kind === 'adoption') r.adopted++;
    by.set(l.authorId, r);
  }
  const rows = [...by.values()];
  return rows.sort((a, b) => b.points - a.points || a.userId - b.userId).map((r) => ({ ...r, rank: 1 + rows.filter((o) => o.points > r.points).length }));
}

/** The reminder's month when `now` lies in the last three days of its month (UTC+8), else null. */
export function quotaReminderMonth(period: PeriodRange | null, now: Date): string | null {
  if (!period) return null;
  const m = period.months[0]!;
  const from = m.end.getTime() - 3 * 86_400_000;
  return now.getTime() >= from && now.getTime() < m.end.getTime() ? m.key : null;
}

/** A request reminder is due in the last 24 hours before its deadline. */
export const requestReminderDue = (deadline: Date, now: Date) => now.getTime() < deadline.getTime() && deadline.getTime() - now.getTime() <= 24 * 3600_000;
