/** Pure rules behind issue 9's fixes: dates carry their year when not this year; handover follows the roster. */
process.env.TZ = 'Asia/Shanghai'; // the bureaus' time zone: New Year happens at 16:00 UTC
import { describe, expect, it } from 'vitest';
import { formatDateTime } from '../../console/src/shared/format.ts';
import { reportStateLabel } from '../../console/src/reports/grades.ts';
import { officerNames, rosteredOfficer } from '../../server/duty/rules.ts';

describe('formatDateTime shows the year only when it is not this year (Beijing time)', () => {
  it.each([
    ['2026-12-31T15:59:00Z', '2026-12-31T15:00:00Z', '12/31 23:59'],
    ['2026-12-31T16:00:00Z', '2026-12-31T15:00:00Z', '2027/01/01 00:00'], // New Year in UTC+8, seen on New Year's Eve
    ['2026-12-31T15:00:00Z', '2026-12-31T16:30:00Z', '2026/12/31 23:00'], // and the other way round
    ['2020-01-01T01:00:00Z', '2026-06-01T00:00:00Z', '2020/01/01 09:00'],
    ['2028-02-29T02:00:00Z', '2028-03-01T00:00:00Z', '02/29 10:00'], // leap day, same year
  ])('%s seen at %s → %s', (iso, now, text) => {
    expect(formatDateTime(iso, 'zh-CN', Date.parse(now))).toBe(text);
  });
});

describe('report state as read', () => {
  const t = (k: string) => k;
  it.each([
    [{ kind: 'phone', state: 'sent' }, 'states.phoneSent'],
    [{ kind: 'initial', state: 'sent' }, 'states.sent'],
    [{ kind: 'followup', state: 'pending_signoff' }, 'states.pending_signoff'],
  ])('%o → %s', (r, key) => expect(reportStateLabel(t, r)).toBe(key));
});

describe('rosteredOfficer', () => {
  const duty = { userId: 7, name: '新城区值班员', phone: null };
  const duty2 = { userId: 8, name: '新城区值班员乙', phone: null };
  const outside = { userId: null, name: '临时替班 王五', phone: '137' };
  it.each([
    [{ officers: [duty] }, 7, true],
    [{ officers: [duty] }, 8, false],
    [{ officers: [duty2, outside] }, 8, true],
    [{ officers: [outside] }, 7, false],
    [null, 7, null], // no roster entry: nothing to follow
    [undefined, 8, null],
  ])('%o, user %i → %s', (entry, userId, expected) => expect(rosteredOfficer(entry, userId)).toBe(expected));
  it('names the officers for the message', () => {
    expect(officerNames({ officers: [duty, duty2] })).toBe('新城区值班员、新城区值班员乙');
    expect(officerNames({ officers: [] })).toBe('（未排值班员）');
  });
});
