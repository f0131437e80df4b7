/**
 * The intake forms' own checks (console/src/reports/reportChecks.ts), shown under each field, and the duty pages'
 * short times (console/src/duty/time.ts), which carry their year when it is not this year's — at New Year in UTC+8.
 */
import { describe, expect, it } from 'vitest';
import { phoneProblems, writtenProblems } from '../../console/src/reports/reportChecks.ts';
import { cnShort } from '../../console/src/duty/time.ts';

// Local wall-clock values, as the date-time field holds them; "now" is read the same way so the workstation's zone cancels out.
const local = (v: string) => new Date(v).getTime();
const NOW = local('2026-12-31T23:55');
const written = { title: '某煤矿透水', eventTime: '2026-12-31T23:40', place: '新城区某煤矿', summary: '井下3人被困' };
const phone = { ...written, caller: '新城区值班员', callee: '呼和浩特市值班室' };

describe('written report checks', () => {
  it('a complete report has no problem', () => {
    expect(writtenProblems(written, NOW)).toEqual({});
  });

  it('an empty form names every missing field at once, each with its own message', () => {
    expect(writtenProblems({ title: ' ', eventTime: '', place: '', summary: '\n' }, NOW)).toEqual({
      title: 'reports.needTitle',
      eventTime: 'reports.needEventTime',
      place: 'reports.needPlace',
      summary: 'reports.needSummary',
    });
  });

  it.each([
    ['2027-01-01T00:00', undefined], // 5 minutes ahead: a fast workstation clock is forgiven
    ['2027-01-01T00:01', 'reports.futureEventTime'], // 6 minutes ahead, in the new year
    ['2026-12-31T23:55', undefined],
    ['not a time', 'reports.needEventTime'],
  ])('event time %s → %s', (eventTime, problem) => {
    expect(writtenProblems({ ...written, eventTime }, NOW).eventTime).toBe(problem);
  });
});

describe('phone report checks', () => {
  it('asks for the caller and the called party separately, and for what was said', () => {
    expect(phoneProblems({ ...phone, caller: '', callee: ' ', summary: '' }, NOW)).toEqual({
      caller: 'phone.needCaller',
      callee: 'phone.needCallee',
      summary: 'phone.needContent',
    });
  });

  it('refuses an event after now, like the written form', () => {
    expect(phoneProblems({ ...phone, eventTime: '2027-01-01T00:30' }, NOW)).toEqual({ eventTime: 'reports.futureEventTime' });
  });
});

describe('duty short times (China time)', () => {
  const newYearsEve = Date.parse('2026-12-31T23:59:00+08:00');
  it.each([
    ['2026-12-31T08:30:00+08:00', newYearsEve, '12-31 08:30'],
    ['2027-01-01T08:30:00+08:00', newYearsEve, '2027-01-01 08:30'], // next January's shift, seen on New Year's Eve
    ['2027-01-01T00:30:00+08:00', newYearsEve, '2027-01-01 00:30'], // still 2026 in UTC, already 2027 in Beijing
    ['2025-06-01T09:00:00+08:00', newYearsEve, '2025-06-01 09:00'], // last year's call
    ['2028-02-29T12:31:00+08:00', Date.parse('2028-02-29T03:00:00+08:00'), '02-29 12:31'],
  ])('%s seen at %s → %s', (iso, now, text) => {
    expect(cnShort(iso, now)).toBe(text);
  });
});
