/** Date helpers. The wire carries ISO strings; inputs use the local `datetime-local` format. */

const pad = (n: number) => String(n).padStart(2, '0');

/** `YYYY-MM-DDTHH:mm` in local time, the value format of <input type="datetime-local">. */
export function toLocalInput(d: Date = new Date()): string {
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

/** Parses a datetime-local value as local time; null when empty or invalid. */
export function fromLocalInput(value: string): Date | null {
  if (!value) return null;
  const d = new Date(value);
  return Number.isNaN(d.getTime()) ? null : d;
}

/** Month, day and time; the year too when it is not this year (a date in 2020 must not read as this year's). */
export function formatDateTime(iso: string, locale: string, nowMs: number = Date.now()): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  return new Intl.DateTimeFormat(locale, {
    ...(d.getFullYear() !== new Date(nowMs).getFullYear() ? { year: 'numeric' as const } : {}),
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    hour12: false,
  }).format(d);
}

/** Minutes between two ISO instants (b - a), or null if either is invalid. */
export function minutesBetween(a: string, b: string): number | null {
  const ms = new Date(b).getTime() - new Date(a).getTime();
  return Number.isNaN(ms) ? null : Math.round(ms / 60_000);
}
