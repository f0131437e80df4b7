/** Field schemas every domain's bodies share (plausible dates, months, instants, Postgres integers). */
import { z } from 'zod';

/** Integers as Postgres `integer` holds them. */
export const int32 = () => z.number().int().min(-2147483648).max(2147483647);

const YEAR_MIN = 2000;
const YEAR_MAX = 2099;
/** A calendar date 'YYYY-MM-DD' in a plausible year (2000–2099). */
export const plausibleDate = () =>
  z.string().regex(/^\d{4}-\d{2}-\d{2}$/, '日期格式应为 YYYY-MM-DD').refine((d) => {
    if (!/^\d{4}-\d{2}-\d{2}$/.test(d)) return true; // already reported by the format check
    const y = Number(d.slice(0, 4));
    return y >= YEAR_MIN && y <= YEAR_MAX && !Number.isNaN(Date.parse(`${d}T00:00:00Z`)) && new Date(`${d}T00:00:00Z`).toISOString().startsWith(d);
  }, `日期不存在或年份不在 ${YEAR_MIN}–${YEAR_MAX} 年之间`);
/** A month 'YYYY-MM' in a plausible year. */
export const plausibleMonth = () =>
  z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/, '月份格式应为 YYYY-MM').refine((m) => {
    if (!/^\d{4}-/.test(m)) return true;
    const y = Number(m.slice(0, 4));
    return y >= YEAR_MIN && y <= YEAR_MAX;
  }, `年份应在 ${YEAR_MIN}–${YEAR_MAX} 年之间`);
/** An ISO instant with offset, in a plausible year. */
export const plausibleInstant = () =>
  z.iso.datetime({ offset: true }).refine((s) => {
    const t = new Date(s);
    if (Number.isNaN(t.getTime())) return true; // already reported by the format check
    const y = t.getUTCFullYear();
    return y >= YEAR_MIN && y <= YEAR_MAX;
  }, `时间的年份应在 ${YEAR_MIN}–${YEAR_MAX} 年之间，请核对`);

/** A GB/T 2260 unit code. */
export const unitCode = () => z.string().regex(/^\d{6}$/);
