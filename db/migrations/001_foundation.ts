import { sql, type Kysely } from 'kysely';

// Migrations take Kysely<any>: they must keep working after db/schema.ts moves on.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('units')
    .addColumn('code', 'text', (c) => c.primaryKey().check(sql`code ~ '^[0-9]{6}$'`))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('name_en', 'text', (c) => c.notNull())
    .addColumn('level', 'smallint', (c) => c.notNull().check(sql`level between 1 and 3`))
    .addColumn('parent_code', 'text', (c) => c.references('units.code'))
    .addColumn('sort_order', 'integer', (c) => c.notNull().defaultTo(0))
    .execute();

  await db.schema
    .createTable('users')
    .addColumn('id', 'integer', (c) => c.primaryKey().generatedAlwaysAsIdentity())
    .addColumn('username', 'text', (c) => c.notNull().unique())
    .addColumn('display_name', 'text', (c) => c.notNull())
    .addColumn('password_hash', 'text', (c) => c.notNull())
    .addColumn('unit_code', 'text', (c) => c.notNull().references('units.code'))
    .addColumn('roles', sql`text[]`, (c) => c.notNull().defaultTo(sql`'{}'`))
    .addColumn('phone', 'text')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();

  await db.schema
    .createTable('sessions')
    .addColumn('token_hash', 'text', (c) => c.primaryKey())
    .addColumn('user_id', 'integer', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('expires_at', 'timestamptz', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('meetings')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('host_unit_code', 'text', (c) => c.notNull().references('units.code'))
    .addColumn('created_by', 'integer', (c) => c.notNull().references('users.id'))
    .addColumn('starts_at', 'timestamptz', (c) => c.notNull())
    .addColumn('duration_min', 'integer', (c) => c.notNull().check(sql`duration_min between 1 and 1440`))
    .addColumn('status', 'text', (c) =>
      c.notNull().defaultTo('scheduled').check(sql`status in ('scheduled','live','ended')`),
    )
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();

  await db.schema
    .createTable('meeting_units')
    .addColumn('meeting_id', 'uuid', (c) => c.notNull().references('meetings.id').onDelete('cascade'))
    .addColumn('unit_code', 'text', (c) => c.notNull().references('units.code'))
    .addColumn('role', 'text', (c) => c.notNull().check(sql`role in ('main','sub')`))
    .addPrimaryKeyConstraint('meeting_units_pk', ['meeting_id', 'unit_code'])
    .execute();
  await db.schema.createIndex('meeting_units_unit_idx').on('meeting_units').column('unit_code').execute();

  await db.schema
    .createTable('meeting_attendance')
    .addColumn('id', 'integer', (c) => c.primaryKey().generatedAlwaysAsIdentity())
    .addColumn('meeting_id', 'uuid', (c) => c.notNull().references('meetings.id').onDelete('cascade'))
    .addColumn('unit_code', 'text', (c) => c.notNull().references('units.code'))
    .addColumn('user_id', 'integer', (c) => c.notNull().references('users.id'))
    .addColumn('joined_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('left_at', 'timestamptz')
    .execute();

  await db.schema
    .createTable('urgent_reports')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('request_id', 'uuid', (c) => c.notNull().unique())
    .addColumn('unit_code', 'text', (c) => c.notNull().references('units.code'))
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('event_time', 'timestamptz', (c) => c.notNull())
    .addColumn('place', 'text', (c) => c.notNull())
    .addColumn('grade', 'smallint', (c) => c.notNull().check(sql`grade between 1 and 4`))
    .addColumn('summary', 'text', (c) => c.notNull())
    .addColumn('created_by', 'integer', (c) => c.notNull().references('users.id'))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await db.schema
    .createIndex('urgent_reports_unit_created_idx')
    .on('urgent_reports')
    .columns(['unit_code', 'created_at'])
    .execute();

  // Server timestamps are facts: no one may rewrite when a report arrived.
  await sql`
    create function forbid_created_at_change() returns trigger language plpgsql as $$
    begin
      if new.created_at is distinct from old.created_at then
        raise exception 'created_at is immutable' using errcode = 'check_violation';
      end if;
      return new;
    end $$`.execute(db);
  await sql`
    create trigger urgent_reports_created_at_immutable before update on urgent_reports
    for each row execute function forbid_created_at_change()`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const t of ['urgent_reports', 'meeting_attendance', 'meeting_units', 'meetings', 'sessions', 'users', 'units']) {
    await db.schema.dropTable(t).ifExists().execute();
  }
  await sql`drop function if exists forbid_created_at_change()`.execute(db);
}
