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
  // Optional entry PIN (入会密码), stored scrypt-hashed only.
  await db.schema.alterTable('meetings').addColumn('pin_hash', 'text').execute();
  // Server-side recordings: one row per finished file (written when the recorder has finalised it).
  await db.schema
    .createTable('meeting_recordings')
    .addColumn('id', 'integer', (c) => c.primaryKey().generatedAlwaysAsIdentity())
    .addColumn('meeting_id', 'uuid', (c) => c.notNull().references('meetings.id').onDelete('cascade'))
    .addColumn('file_name', 'text', (c) => c.notNull())
    .addColumn('started_by_unit', 'text', (c) => c.notNull())
    .addColumn('started_at', 'timestamptz', (c) => c.notNull())
    .addColumn('ended_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('bytes', 'bigint', (c) => c.notNull().check(sql`bytes >= 0`))
    .addColumn('duration_sec', 'double precision', (c) => c.notNull())
    .execute();
  await sql`create index meeting_recordings_meeting on meeting_recordings (meeting_id)`.execute(db);
  // A recording is a fact: its row is not edited afterwards.
  await sql`
    create or replace function forbid_meeting_recording_update() returns trigger language plpgsql as $$
    begin
      raise exception 'meeting_recordings rows are immutable';
    end $$`.execute(db);
  await sql`create trigger meeting_recordings_immutable before update on meeting_recordings
    for each row execute function forbid_meeting_recording_update()`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('meeting_recordings').ifExists().execute();
  await sql`drop function if exists forbid_meeting_recording_update()`.execute(db);
  await db.schema.alterTable('meetings').dropColumn('pin_hash').execute();
  await sql`drop trigger if exists meetings_ended_at_immutable on meetings`.execute(db);
  await sql`drop function if exists forbid_meeting_ended_at_change()`.execute(db);
  await db.schema.alterTable('meetings').dropColumn('locked').dropColumn('ends_at').dropColumn('ended_at').dropColumn('control').execute();
}
