/** How loud each alert is, by its grade and kind: the duty room's alarms in proportion (console/src/shared/alarm/level.ts). */
import { describe, expect, it } from 'vitest';
import { alarmLevel, loudest, needsAck, REPEAT_MS } from '../../console/src/shared/alarm/level.ts';

describe('alarmLevel', () => {
  it.each([
    ['特别重大 received', 1, 'received', 'siren'],
    ['重大 waiting for sign-off', 2, 'signoff', 'siren'],
    ['较大 received', 3, 'received', 'chime'],
    ['一般 received', 4, 'received', 'notice'],
    ['一般, deadline near', 4, 'warning', 'chime'],
    ['较大, deadline near', 3, 'warning', 'chime'],
    ['重大, deadline near', 2, 'warning', 'siren'],
    ['一般, deadline passed (漏报)', 4, 'missed', 'siren'],
    ['a superior demands the report (催报)', null, 'demanded', 'siren'],
    ['a leader instruction, no grade', null, 'instruction', 'chime'],
    ['a swap request, no grade', null, 'swap', 'chime'],
    ['feedback (news), no grade', null, 'feedback', 'notice'],
    ['a follow-up reminder (news), no grade', null, 'followup', 'notice'],
  ])('%s → %s', (_what, grade, kind, level) => {
    expect(alarmLevel({ grade: grade as number | null, kind: kind as string })).toBe(level);
  });
});

describe('repeats and acknowledgement', () => {
  it('sirens repeat within seconds, chimes every minute, notices once; only the loud ones wait for 确认收到', () => {
    expect(REPEAT_MS.siren).toBeLessThanOrEqual(10_000);
    expect(REPEAT_MS.chime).toBe(60_000);
    expect(REPEAT_MS.notice).toBeNull();
    expect([needsAck('siren'), needsAck('chime'), needsAck('notice')]).toEqual([true, true, false]);
  });
  it.each([
    [[], null],
    [['notice'], 'notice'],
    [['notice', 'chime'], 'chime'],
    [['chime', 'siren', 'notice'], 'siren'],
  ] as const)('loudest of %j is %s', (levels, l) => expect(loudest(levels)).toBe(l));
});
