import type { ColumnType } from 'kysely';

/** Set by Postgres (now()) on insert, never by clients: timestamps are facts, not edits. */
export type ServerTime = ColumnType<Date, never, never>;

/** A business time taken from server/clock.ts and written explicitly on insert (no now() default), never updated. */
export type ClockTime = ColumnType<Date, Date, never>;
/** A business time from server/clock.ts, written on insert and on every change. */
export type ClockUpdatedTime = ColumnType<Date, Date, Date>;
