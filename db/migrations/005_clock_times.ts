/**
 * Duty times come from the server's one clock (server/clock.ts), passed in by the code: no now() defaults,
 * so a test clock set to 29 February or 23:59 on 31 December sees consistent shifts, handovers and log times,
 * and an insert that forgets the time fails instead of silently using Postgres' clock.
 */
import { sql, type Kysely } from 'kysely';

const COLUMNS: [string, string][] = [
  ['duty_settings', 'updated_at'],
  ['duty_roster', 'created_at'],
  ['duty_swaps', 'requested_at'],
  ['duty_handovers', 'closed_at'],
  ['duty_log', 'received_at'],
  ['duty_log', 'updated_at'],
  ['duty_log_revisions', 'edited_at'],
];

export async function up(db: Kysely<any>): Promise<void> {
  for (const [table, column] of COLUMNS) await db.schema.alterTable(table).alterColumn(column, (c) => c.dropDefault()).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const [table, column] of COLUMNS) await db.schema.alterTable(table).alterColumn(column, (c) => c.setDefault(sql`now()`)).execute();
}
