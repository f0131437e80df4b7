import { sql, type Kysely } from 'kysely';

/**
 * Access control that must hold across restarts and processes: the entry-PIN guess counter and the units
 * that passed a meeting's PIN, the login throttle (per account and per address), and a scrub of unsent
 * report titles that handovers used to store (they are resolved at read time for readers who may see them).
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('meeting_pin_attempts')
    .addColumn('meeting_id', 'uuid', (c) => c.notNull().references('meetings.id').onDelete('cascade'))
    .addColumn('unit_code', 'text', (c) => c.notNull())
    .addColumn('wrong', 'integer', (c) => c.notNull().check(sql`wrong >= 0`))
    .addColumn('window_start', 'timestamptz', (c) => c.notNull())
    .addPrimaryKeyConstraint('meeting_pin_attempts_pk', ['meeting_id', 'unit_code'])
    .execute();
  await db.schema
    .createTable('meeting_pin_passes')
    .addColumn('meeting_id', 'uuid', (c) => c.notNull().references('meetings.id').onDelete('cascade'))
    .addColumn('unit_code', 'text', (c) => c.notNull())
    .addColumn('passed_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addPrimaryKeyConstraint('meeting_pin_passes_pk', ['meeting_id', 'unit_code'])
    .execute();
  // key: 'user:<username>' or 'ip:<address>'.
  await db.schema
    .createTable('login_throttle')
    .addColumn('key', 'text', (c) => c.primaryKey())
    .addColumn('failures', 'integer', (c) => c.notNull().check(sql`failures >= 0`))
    .addColumn('window_start', 'timestamptz', (c) => c.notNull())
    .addColumn('locked_until', 'timestamptz')
    .execute();
  await db.schema.alterTable('users').addColumn('password_changed_at', 'timestamptz').execute();
  // Titles of drafts / reports awaiting sign-off (and of incidents nothing was sent for) must not be kept
  // where units above read them; the live title is looked up for readers allowed to see it.
  await sql`update duty_handover_items set title = '' where kind in ('report_signoff', 'report_followup')`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('users').dropColumn('password_changed_at').execute();
  await db.schema.dropTable('login_throttle').ifExists().execute();
  await db.schema.dropTable('meeting_pin_passes').ifExists().execute();
  await db.schema.dropTable('meeting_pin_attempts').ifExists().execute();
}
