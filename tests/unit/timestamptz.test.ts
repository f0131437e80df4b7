import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { parseTimestamptz } from '../../db/timestamptz.ts';

const pgParse = pg.types.getTypeParser(1184, 'text') as (s: string) => Date | number | null;
const same = (s: string) => {
  const ours = parseTimestamptz(s);
  const theirs = pgParse(s);
  return [ours instanceof Date ? ours.getTime() : ours, theirs instanceof Date ? theirs.getTime() : theirs];
};

describe('timestamptz text → Date', () => {
  it.each([
    // Postgres's own output in the zones the bureaus run in, and others with minute and second offsets.
    ['2026-12-31 23:59:59.999+08', Date.UTC(2026, 11, 31, 15, 59, 59, 999)],
    ['2027-01-01 00:00:00+08', Date.UTC(2026, 11, 31, 16, 0, 0)], // New Year in UTC+8 is still the old year in UTC
    ['2028-02-29 12:00:00.5+00', Date.UTC(2028, 1, 29, 12, 0, 0, 500)], // a leap day
    ['2026-03-01 00:00:00.000001+08', Date.UTC(2026, 1, 28, 16, 0, 0, 0)],
    ['2026-06-30 10:15:00.123456-03:30', Date.UTC(2026, 5, 30, 13, 45, 0, 123)],
    ['2026-06-30 10:15:00+05:45', Date.UTC(2026, 5, 30, 4, 30, 0)],
    ['1900-01-01 00:00:00+08:05:43', Date.UTC(1899, 11, 31, 15, 54, 17)], // local mean time before zones
    ['0100-03-01 00:00:00+00', Date.UTC(100, 2, 1)],
  ])('%s', (text, utc) => {
    expect(parseTimestamptz(text)).toEqual(new Date(utc));
    expect(same(text)[0]).toBe(same(text)[1]);
  });

  it.each(['infinity', '-infinity', '0001-01-01 00:00:00+00 BC', '0050-05-05 05:05:05+00', '10000-01-01 00:00:00+00', '2026-12-01 08:00:00Z', '2026-12-01 08:00:00', '2026-12-01'])(
    'hands %s to pg’s parser and answers as it does',
    (text) => {
      const [ours, theirs] = same(text);
      expect(ours).toEqual(theirs);
    },
  );

  it('agrees with pg’s parser on 20,000 random instants and offsets', () => {
    let seed = 7;
    const rnd = () => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648);
    const pad = (n: number, w = 2) => String(n).padStart(w, '0');
    for (let k = 0; k < 20_000; k++) {
      const t = new Date(Date.UTC(1901, 0, 1) + Math.floor(rnd() * 200 * 365.25 * 86400_000));
      const frac = ['', '.1', '.12', '.123', '.1234', '.12345', '.999999'][Math.floor(rnd() * 7)]!;
      const offMin = [0, 480, -180, 330, 345, -570, 840][Math.floor(rnd() * 7)]!;
      const local = new Date(t.getTime() + offMin * 60_000);
      const off = `${offMin < 0 ? '-' : '+'}${pad(Math.floor(Math.abs(offMin) / 60))}${Math.abs(offMin) % 60 ? `:${pad(Math.abs(offMin) % 60)}` : ''}`;
      const text = `${pad(local.getUTCFullYear(), 4)}-${pad(local.getUTCMonth() + 1)}-${pad(local.getUTCDate())} ${pad(local.getUTCHours())}:${pad(local.getUTCMinutes())}:${pad(local.getUTCSeconds())}${frac}${off}`;
      const [ours, theirs] = same(text);
      if (ours !== theirs) expect({ text, ours }).toEqual({ text, ours: theirs });
    }
  });
});
