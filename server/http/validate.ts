/**
 * The one place input is validated. Every HTTP body/query and every socket payload goes through `parse`
 * (or `check`), whose schema is wrapped in one text refinement: no string anywhere in the input (keys
 * included) may hold U+0000 or a lone UTF-16 surrogate — Postgres cannot store the first, and the second is
 * not text. Shared building blocks for plausible ids, numbers and times live here too.
 */
import { z } from 'zod';
import { errors } from './errors.ts';
import { clock } from '../clock.ts';

// eslint-disable-next-line no-control-regex
const BAD_TEXT = /\u0000|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
export const BAD_TEXT_MESSAGE = '含有不允许的字符（空字符或不完整的 Unicode 字符），请删除后重试';

/** True when `s` is text Postgres can store and a person can read. */
export const isCleanText = (s: string) => !BAD_TEXT.test(s);

/** Path of the first string (or key) in `input` that is not clean text, or null. */
export function badTextPath(input: unknown, path: (string | number)[] = [], depth = 0): (string | number)[] | null {
  if (typeof input === 'string') return isCleanText(input) ? null : path;
  if (depth > 32 || input === null || typeof input !== 'object') return null;
  if (Array.isArray(input)) {
    for (let i = 0; i < input.length; i++) {
      const p = badTextPath(input[i], [...path, i], depth + 1);
      if (p) return p;
    }
    return null;
  }
  for (const [k, v] of Object.entries(input)) {
    if (!isCleanText(k)) return [...path, k];
    const p = badTextPath(v, [...path, k], depth + 1);
    if (p) return p;
  }
  return null;
}

/** The text refinement every schema gets through `parse`/`check`. */
const cleanText = z.unknown().superRefine((v, ctx) => {
  const p = badTextPath(v);
  if (p) ctx.addIssue({ code: 'custom', path: p, message: BAD_TEXT_MESSAGE, abort: true });
});

/** Validates input; returns the parsed data or a 400 VALIDATION ApiError listing every problem. */
export function check<S extends z.ZodType>(schema: S, input: unknown): { ok: true; data: z.infer<S> } | { ok: false; error: ReturnType<typeof errors.validation> } {
  const r = cleanText.pipe(schema).safeParse(input);
  if (r.success) return { ok: true, data: r.data as z.infer<S> };
  return { ok: false, error: errors.validation(r.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message }))) };
}

/** Parses input with a zod schema; bad input becomes a 400 VALIDATION error listing every problem. */
export function parse<S extends z.ZodType>(schema: S, input: unknown): z.infer<S> {
  const r = check(schema, input);
  if (!r.ok) throw r.error;
  return r.data;
}

/** A path id that must be a UUID: anything else is simply not found (never a database error). */
export function uuidParam(id: unknown, what: string): string {
  if (typeof id !== 'string' || !z.uuid().safeParse(id).success) throw errors.notFound(what);
  return id;
}

/** A path id that must be a positive integer (a serial): anything else is simply not found. */
export function idParam(id: unknown, what = '记录'): number {
  const n = typeof id === 'string' && /^\d{1,9}$/.test(id) ? Number(id) : NaN;
  if (!Number.isInteger(n) || n < 1) throw errors.notFound(what);
  return n;
}

export { int32, plausibleDate, plausibleInstant, plausibleMonth } from '../../contract/fields.ts';

/** How far back an event or a call may lie when it is first recorded: older is a typo, not a late report. */
export const PAST_LIMIT_DAYS = 366;

/**
 * When something happened (事发时间, 来电时间), as entered by an officer: not in the future (5 min of clock
 * skew allowed) and not more than a year ago — 0001-01-01 or 1900 would otherwise write 迟报 records at once.
 */
export function checkPastTime(iso: string, path: string, label: string): Date {
  const t = new Date(iso);
  const now = clock.now().getTime();
  if (Number.isNaN(t.getTime())) throw errors.validation([{ path, message: `${label}格式不正确` }]);
  if (t.getTime() > now + 5 * 60_000) throw errors.validation([{ path, message: `${label}不能晚于当前时间` }]);
  if (t.getTime() < now - PAST_LIMIT_DAYS * 86_400_000) throw errors.validation([{ path, message: `${label}早于一年前，请核对年份和日期` }]);
  return t;
}
