/**
 * Deadline rules as data (grade × level × kind → minutes after the event) and a pure evaluator.
 * Each unit in the chain owes its report upward: the reporting unit by signing it off, every office above
 * (except the top) by relaying it. A phone obligation is met by any report or relay (phone or written);
 * a written one only by a written report.
 */
import type { DeadlineKind, Grade } from '../../db/tables/reports.ts';

export interface DeadlineRule {
  grade: Grade;
  level: 1 | 2 | 3;
  kind: DeadlineKind;
  minutes: number;
}

export type DeadlineStatus = 'pending' | 'due_soon' | 'overdue' | 'met_on_time' | 'met_late';

export interface ChainFacts {
  unitCode: string;
  level: 1 | 2 | 3;
  /** First time this unit sent (or relayed) any report of the incident upward. */
  anyAt: Date | null;
  /** First time it sent (or relayed) a written report. */
  writtenAt: Date | null;
}

export interface Obligation {
  unitCode: string;
  level: 1 | 2 | 3;
  kind: DeadlineKind;
  dueAt: Date;
  metAt: Date | null;
  status: DeadlineStatus;
}

export function statusOf(dueAt: Date, metAt: Date | null, now: Date, warnMs: number): DeadlineStatus {
  if (metAt) return metAt.getTime() <= dueAt.getTime() ? 'met_on_time' : 'met_late';
  const left = dueAt.getTime() - now.getTime();
  if (left < 0) return 'overdue';
  return left <= warnMs ? 'due_soon' : 'pending';
}

const byGrade = new WeakMap<readonly DeadlineRule[], Map<Grade, Map<string, DeadlineRule>>>();
/** The rules of one grade by level and kind, indexed once per rules array (the first rule of a key wins, as find did). */
function rulesOfGrade(rules: readonly DeadlineRule[], grade: Grade): Map<string, DeadlineRule> {
  let index = byGrade.get(rules);
  if (!index) {
    index = new Map();
    for (const r of rules) {
      const g = index.get(r.grade) ?? new Map<string, DeadlineRule>();
      if (!g.has(`${r.level}:${r.kind}`)) g.set(`${r.level}:${r.kind}`, r);
      index.set(r.grade, g);
    }
    byGrade.set(rules, index);
  }
  return index.get(grade) ?? new Map();
}

export function evaluateDeadlines(input: {
  eventTime: Date;
  grade: Grade;
  chain: ChainFacts[];
  rules: readonly DeadlineRule[];
  now: Date;
  warnMinutes: number;
}): Obligation[] {
  const out: Obligation[] = [];
  const rules = rulesOfGrade(input.rules, input.grade);
  for (const unit of input.chain) {
    for (const kind of ['phone', 'written'] as const) {
      const rule = rules.get(`${unit.level}:${kind}`);
      if (!rule) continue;
      const dueAt = new Date(input.eventTime.getTime() + rule.minutes * 60_000);
      const metAt = kind === 'phone' ? unit.anyAt : unit.writtenAt;
      out.push({ unitCode: unit.unitCode, level: unit.level, kind, dueAt, metAt, status: statusOf(dueAt, metAt, input.now, input.warnMinutes * 60_000) });
    }
  }
  return out;
}

/** Late = a deadline that passed unmet (whether met later or not): what 迟报 records. */
export const isLate = (s: DeadlineStatus) => s === 'overdue' || s === 'met_late';

const TZ_OFFSET_MS = 8 * 3600_000; // duty cadence times are Beijing time (UTC+8)

const cadences = new WeakMap<readonly string[], readonly number[]>();
/**
 * The cadence's times ('HH:MM', UTC+8) as minutes of the day, sorted, invalid ones dropped: parsed once per array
 * (the settings' array is frozen and cached, and the incidents list asks for every incident).
 */
function cadenceMinutes(times: readonly string[]): readonly number[] {
  let minutes = cadences.get(times);
  if (!minutes) {
    minutes = times
      .map((t) => /^(\d{1,2}):(\d{2})$/.exec(t))
      .filter((m): m is RegExpExecArray => !!m)
      .map((m) => Number(m[1]) * 60 + Number(m[2]))
      .filter((m) => m >= 0 && m < 24 * 60)
      .sort((a, b) => a - b);
    cadences.set(times, minutes);
  }
  return minutes;
}

/**
 * The next follow-up (续报) reminder after `since`: the first of the daily cadence times ('HH:MM', UTC+8)
 * strictly later than `since`. Null without a cadence.
 */
export function nextFollowupDue(since: Date, times: readonly string[]): Date | null {
  const mins = cadenceMinutes(times);
  if (!mins.length) return null;
  const local = since.getTime() + TZ_OFFSET_MS;
  const dayStart = Math.floor(local / 86_400_000) * 86_400_000;
  for (let day = 0; day < 2; day++) {
    for (const m of mins) {
      const at = dayStart + day * 86_400_000 + m * 60_000;
      if (at > local) return new Date(at - TZ_OFFSET_MS);
    }
  }
  return null;
}
