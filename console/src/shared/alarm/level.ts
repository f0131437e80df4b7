/**
 * How loud an alert is, in proportion to its grade (Chinese incident grades I–IV), so that a duty officer at
 * 3 a.m. cannot miss 特别重大 and is not deafened by 一般:
 * - siren: 特别重大(I)/重大(II), and a deadline that has passed (漏报/迟报) — full-width red banner, a siren
 *   repeating until someone acknowledges, a desktop notification, the tab title flashing;
 * - chime: 较大(III), and a deadline drawing near — a banner and a chime every minute until acknowledged;
 * - notice: 一般(IV) and news — a desktop notification and a row in the tray.
 * Pure: table-tested in tests/unit/alarm-level.test.ts.
 */
export type AlarmLevel = 'siren' | 'chime' | 'notice';

/** The alert kinds that ask for an action (they stay until handled); see alertStore's STICKY. */
const ACTION_KINDS = new Set(['received', 'signoff', 'warning', 'instruction', 'demanded', 'swap']);

const BY_GRADE: Record<number, AlarmLevel> = { 1: 'siren', 2: 'siren', 3: 'chime', 4: 'notice' };

export function alarmLevel(a: { grade: number | null; kind: string }): AlarmLevel {
  if (a.kind === 'missed' || a.kind === 'demanded') return 'siren'; // a deadline has passed, or a superior demands the report
  const byGrade = a.grade ? BY_GRADE[a.grade] : undefined;
  if (a.kind === 'warning') return byGrade === 'siren' ? 'siren' : 'chime'; // nearing a deadline: never quieter than a chime
  if (byGrade) return byGrade;
  return ACTION_KINDS.has(a.kind) ? 'chime' : 'notice';
}

/** How often the sound repeats until acknowledged (null: once). */
export const REPEAT_MS: Record<AlarmLevel, number | null> = { siren: 6_000, chime: 60_000, notice: null };

/** Levels that show the banner and wait for 确认收到. */
export const needsAck = (level: AlarmLevel) => level !== 'notice';

/** The loudest of several levels. */
export function loudest(levels: Iterable<AlarmLevel>): AlarmLevel | null {
  let out: AlarmLevel | null = null;
  for (const l of levels) {
    if (l === 'siren') return 'siren';
    if (l === 'chime') out = 'chime';
    else out ??= 'notice';
  }
  return out;
}
