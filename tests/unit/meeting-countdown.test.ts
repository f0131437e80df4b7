import { describe, expect, it } from 'vitest';
import { dueReminder, formatHms, meetingCountdown, type ReminderKind } from '../../console/src/meetings/countdown.ts';

const START = '2026-11-22T02:00:00.000Z';
const at = (iso: string) => Date.parse(iso);

describe('formatHms', () => {
  it.each([
    [0, '00:00:00'],
    [0.2, '00:00:01'],
    [59, '00:00:59'],
    [60, '00:01:00'],
    [3599, '00:59:59'],
    [3600, '01:00:00'],
    [90061, '25:01:01'],
    [-5, '00:00:00'],
  ])('%s s → %s', (s, text) => expect(formatHms(s)).toBe(text));
});

describe('meetingCountdown', () => {
  const m = { startsAt: START, durationMin: 60, status: 'scheduled' as const };
  it.each([
    ['a day before', '2026-11-21T01:59:59.000Z', 'upcoming', '24:00:01'],
    ['ten minutes before', '2026-11-22T01:50:00.000Z', 'upcoming', '00:10:00'],
    ['half a second before', '2026-11-22T01:59:59.500Z', 'upcoming', '00:00:01'],
    ['at the start', START, 'inProgress', null],
    ['during', '2026-11-22T02:30:00.000Z', 'inProgress', null],
    ['at the planned end', '2026-11-22T03:00:00.000Z', 'overdue', null],
    ['long after', '2026-11-23T03:00:00.000Z', 'overdue', null],
  ])('%s', (_, now, state, clock) => {
    const c = meetingCountdown(m, at(now));
    expect(c.state).toBe(state);
    expect(c.clock).toBe(clock);
  });

  it('a live meeting is in progress even before its planned start', () => {
    expect(meetingCountdown({ ...m, status: 'live' }, at('2026-11-22T01:55:00.000Z')).state).toBe('inProgress');
  });
  it('an extended meeting (endsAt moved) is not overdue at the old end', () => {
    expect(meetingCountdown({ ...m, endsAt: '2026-11-22T03:30:00.000Z' }, at('2026-11-22T03:10:00.000Z')).state).toBe('inProgress');
  });
  it('an ended meeting says so', () => {
    expect(meetingCountdown({ ...m, status: 'ended' }, at('2026-11-22T01:00:00.000Z')).state).toBe('ended');
  });
});

describe('dueReminder', () => {
  const m = { startsAt: START, status: 'scheduled' as const };
  const none = new Set<ReminderKind>();
  it.each<[string, string, ReminderKind[], ReminderKind | null]>([
    ['11 min before', '2026-11-22T01:49:00.000Z', [], null],
    ['10 min before', '2026-11-22T01:50:00.000Z', [], 'soon'],
    ['5 min before, soon given', '2026-11-22T01:55:00.000Z', ['soon'], null],
    ['at start', START, ['soon'], 'start'],
    ['at start, never reminded before', START, [], 'start'],
    ['at start, start given', START, ['soon', 'start'], null],
    ['4 min after start', '2026-11-22T02:04:00.000Z', ['soon'], 'start'],
    ['6 min after start: too late', '2026-11-22T02:06:00.000Z', [], null],
  ])('%s', (_, now, given, due) => expect(dueReminder(m, at(now), new Set(given))).toBe(due));
  it('no reminder for an ended meeting', () => {
    expect(dueReminder({ ...m, status: 'ended' }, at(START), none)).toBeNull();
  });
});
