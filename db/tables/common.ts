import type { ColumnType } from 'kysely';

/** Set by Postgres (now()) on insert, never by clients: timestamps are facts, not edits. */
export type ServerTime = ColumnType<Date, never, never>;
