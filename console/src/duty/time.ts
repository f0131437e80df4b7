/**
 * China time (UTC+8, no DST) for the duty pages, whatever the workstation's time zone: the roster is
 * China time by definition. Mirrors server/duty/rules.ts.
 */
const OFFSET = 8 * 3600_000;
const DAY = 86400_000;
const pad = (n: number) => String(n).padStart(2, '0');
const shifted = (iso: string | Date) => new Date(new Date(iso).getTime() + OFFSET);

export const cnDate = (iso: string | Date) => shifted(iso).toISOString().slice(0, 10);
export const cnTime = (iso: string | Date) => shifted(iso).toISOString().slice(11, 16);
/**
 * 'MM-DD HH:mm', or 'YYYY-MM-DD HH:mm' when the instant falls in another (China-time) year than now: last year's
 * call must not read as this year's, nor next January's shift as this January's on New Year's Eve.
 */
export function cnShort(iso: string | Date, nowMs: number = Date.now()): string {
  const s = shifted(iso).toISOString();
  return (s.slice(0, 4) === shifted(new Date(nowMs)).toISOString().slice(0, 4) ? s.slice(5, 16) : s.slice(0, 16)).replace('T', ' ');
}

export function addDays(date: string, n: number): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + n * DAY).toISOString().slice(0, 10);
}

export function weekday(date: string): number {
  return new Date(`${date}T00:00:00Z`).getUTCDay();
}

export function weekRange(date: string): { from: string; to: string } {
  const from = addDays(date, -((weekday(date) + 6) % 7));
  return { from, to: addDays(from, 6) };
}

export function monthRange(date: string): { from: string; to: string } {
  const [y, m] = date.split('-').map(Number) as [number, number];
  const last = new Date(Date.UTC(y, m, 0)).getUTCDate();
  return { from: `${y}-${pad(m)}-01`, to: `${y}-${pad(m)}-${pad(last)}` };
}

export function addMonths(date: string, n: number): string {
  const [y, m] = date.split('-').map(Number) as [number, number];
  const d = new Date(Date.UTC(y, m - 1 + n, 1));
  return d.toISOString().slice(0, 10);
}

/** datetime-local value (China time) ⇄ ISO. */
export const toCnInput = (d: Date = new Date()) => shifted(d).toISOString().slice(0, 16);
export function fromCnInput(v: string): string | null {
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/.test(v)) return null;
  const ms = Date.parse(`${v.slice(0, 16)}:00+08:00`);
  return Number.isNaN(ms) ? null : new Date(ms).toISOString();
}
