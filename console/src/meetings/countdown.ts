/** Pure time rules of the meeting list: the countdown line and when to remind (table-tested in tests/unit). */

export type CountdownState = 'upcoming' | 'inProgress' | 'overdue' | 'ended';

export interface Countdown {
  state: CountdownState;
  /** hh:mm:ss until the start (hours may exceed 24), only for 'upcoming'. */
  clock: string | null;
  /** Whole seconds until the start (negative once started). */
  seconds: number;
}

const pad = (n: number) => String(n).padStart(2, '0');

/** Seconds as hh:mm:ss, rounded up (a meeting 0.2 s away is still "00:00:01" away, never "00:00:00" early). */
export function formatHms(seconds: number): string {
  const s = Math.max(0, Math.ceil(seconds));
  return `${pad(Math.floor(s / 3600))}:${pad(Math.floor((s % 3600) / 60))}:${pad(s % 60)}`;
}

/**
 * Before the start: a countdown; from the start to the planned end (or while live): in progress;
 * past the planned end and not ended: overdue (the chair has not closed it).
 */
export function meetingCountdown(
  m: { startsAt: string; durationMin: number; status: 'scheduled' | 'live' | 'ended'; endsAt?: string | null },
  nowMs: number,
): Countdown {
  const start = Date.parse(m.startsAt);
  const end = m.endsAt ? Date.parse(m.endsAt) : start + m.durationMin * 60_000;
  const seconds = Math.ceil((start - nowMs) / 1000);
  if (m.status === 'ended') return { state: 'ended', clock: null, seconds };
  if (nowMs >= end) return { state: 'overdue', clock: null, seconds };
  if (nowMs >= start || m.status === 'live') return { state: 'inProgress', clock: null, seconds };
  return { state: 'upcoming', clock: formatHms((start - nowMs) / 1000), seconds };
}

export type ReminderKind = 'soon' | 'start';
/** The early reminder, before the start. */
export const REMIND_BEFORE_MS = 10 * 60_000;
/** A start reminder is still worth giving this long after the start (the console was opened late). */
export const START_GRACE_MS = 5 * 60_000;

/** Which reminder is due now for a meeting, if any, given the ones already given. */
export function dueReminder(
  m: { startsAt: string; status: 'scheduled' | 'live' | 'ended' },
  nowMs: number,
  given: ReadonlySet<ReminderKind>,
): ReminderKind | null {
  if (m.status === 'ended') return null;
  const start = Date.parse(m.startsAt);
  if (nowMs >= start) return nowMs < start + START_GRACE_MS && !given.has('start') ? 'start' : null;
  if (nowMs >= start - REMIND_BEFORE_MS && !given.has('soon')) return 'soon';
  return null;
}
