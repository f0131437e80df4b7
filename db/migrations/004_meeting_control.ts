import { sql, type Kysely } from 'kysely';

/**
 * The chair's decisions that must survive a server restart: meeting locked, when it ends (extend moves it),
 * when it was ended, and the rest of the control state (layout, mute-locks, banner, caption, removed sites).
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .alterTable('meetings')
    .addColumn('locked', 'boolean', (c) => c.notNull().defaultTo(false))
    .addColumn('ends_at', 'timestamptz')
    .addColumn('ended_at', 'timestamptz')
    .addColumn('control', 'jsonb')
    .execute();
  await sql`update meetings set ends_at = starts_at + make_interval(mins => duration_min)`.execute(db);
  // Once ended, a meeting stays ended: the end time is a fact.
  await sql`
    create or replace function forbid_meeting_ended_at_change() returns trigger language plpgsql as $$
    begin
      if old.ended_at is not null and new.ended_at is distinct from old.ended_at then
        raise exception 'meetings.ended_at is immutable once set';
      end if;
      return new;
    end $$`.execute(db);
  await sql`create trigger meetings_ended_at_immutable before update on meetings
    for each row execute function forbid_meeting_ended_at_change()`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop trigger if exists meetings_ended_at_immutable on meetings`.execute(db);
  await sql`drop function if exists forbid_meeting_ended_at_change()`.execute(db);
  await db.schema.alterTable('meetings').dropColumn('locked').dropColumn('ends_at').dropColumn('ended_at').dropColumn('control').execute();
}
