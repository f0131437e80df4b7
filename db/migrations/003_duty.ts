import { sql, type Kysely } from 'kysely';

// 24-hour duty: settings, roster (append-only versions), swaps, handovers, duty log with revisions.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('duty_settings')
    .addColumn('unit_code', 'text', (c) => c.primaryKey().references('units.code'))
    .addColumn('shift_starts', sql`text[]`, (c) =>
      c.notNull().check(sql`cardinality(shift_starts) between 1 and 6`),
    )
    .addColumn('duty_phone', 'text')
    .addColumn('updated_by', 'integer', (c) => c.notNull().references('users.id'))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();

  await db.schema
    .createTable('duty_roster')
    .addColumn('id', 'integer', (c) => c.primaryKey().generatedAlwaysAsIdentity())
    .addColumn('unit_code', 'text', (c) => c.notNull().references('units.code'))
    .addColumn('slot_start', 'timestamptz', (c) => c.notNull())
    .addColumn('slot_end', 'timestamptz', (c) => c.notNull())
    .addColumn('officers', 'jsonb', (c) => c.notNull().check(sql`jsonb_typeof(officers) = 'array'`))
    .addColumn('leader', 'jsonb')
    .addColumn('note', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('version', 'integer', (c) => c.notNull())
    .addColumn('source', 'text', (c) => c.notNull().check(sql`source in ('manual','import','swap','seed')`))
    .addColumn('swap_id', 'uuid')
    .addColumn('created_by', 'integer', (c) => c.notNull().references('users.id'))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('superseded_at', 'timestamptz')
    .addCheckConstraint('duty_roster_slot_order', sql`slot_end > slot_start`)
    .execute();
  await sql`create unique index duty_roster_current_uq on duty_roster (unit_code, slot_start) where superseded_at is null`.execute(db);
  await sql`create unique index duty_roster_version_uq on duty_roster (unit_code, slot_start, version)`.execute(db);
  await sql`create index duty_roster_now_idx on duty_roster (slot_start, slot_end) where superseded_at is null`.execute(db);

  // History is never overwritten: a roster version may only be marked superseded, once.
  await sql`
    create function duty_roster_append_only() returns trigger language plpgsql as $$
    begin
      if tg_op = 'DELETE' then
        raise exception 'duty roster history cannot be deleted' using errcode = 'check_violation';
      end if;
      if old.superseded_at is not null
         or (to_jsonb(new) - 'superseded_at') is distinct from (to_jsonb(old) - 'superseded_at') then
        raise exception 'duty roster versions are append-only' using errcode = 'check_violation';
      end if;
      return new;
    end $$`.execute(db);
  await sql`
    create trigger duty_roster_append_only before update or delete on duty_roster
    for each row execute function duty_roster_append_only()`.execute(db);

  await db.schema
    .createTable('duty_swaps')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('request_id', 'uuid', (c) => c.notNull().unique())
    .addColumn('unit_code', 'text', (c) => c.notNull().references('units.code'))
    .addColumn('kind', 'text', (c) => c.notNull().check(sql`kind in ('swap','replace')`))
    .addColumn('role', 'text', (c) => c.notNull().check(sql`role in ('officer','leader')`))
    .addColumn('slot_start', 'timestamptz', (c) => c.notNull())
    .addColumn('from_person', 'jsonb', (c) => c.notNull())
    .addColumn('to_person', 'jsonb', (c) => c.notNull())
    .addColumn('other_slot_start', 'timestamptz')
    .addColumn('reason', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('status', 'text', (c) =>
      c.notNull().defaultTo('pending').check(sql`status in ('pending','approved','rejected','cancelled')`),
    )
    .addColumn('requested_by', 'integer', (c) => c.notNull().references('users.id'))
    .addColumn('requested_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('decided_by', 'integer', (c) => c.references('users.id'))
    .addColumn('decided_at', 'timestamptz')
    .addColumn('decision_note', 'text')
    .addCheckConstraint('duty_swaps_other_slot', sql`(kind = 'swap') = (other_slot_start is not null)`)
    .execute();
  await db.schema.createIndex('duty_swaps_unit_idx').on('duty_swaps').columns(['unit_code', 'requested_at']).execute();
  await sql`
    create function duty_swaps_immutable() returns trigger language plpgsql as $$
    begin
      if old.status <> 'pending' then
        raise exception 'a decided swap request cannot change' using errcode = 'check_violation';
      end if;
      if new.requested_at is distinct from old.requested_at or new.requested_by is distinct from old.requested_by
         or new.from_person is distinct from old.from_person or new.to_person is distinct from old.to_person
         or new.slot_start is distinct from old.slot_start then
        raise exception 'a swap request cannot be rewritten' using errcode = 'check_violation';
      end if;
      return new;
    end $$`.execute(db);
  await sql`
    create trigger duty_swaps_immutable before update on duty_swaps
    for each row execute function duty_swaps_immutable()`.execute(db);

  await db.schema
    .createTable('duty_handovers')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('request_id', 'uuid', (c) => c.notNull().unique())
    .addColumn('unit_code', 'text', (c) => c.notNull().references('units.code'))
    .addColumn('slot_start', 'timestamptz', (c) => c.notNull())
    .addColumn('slot_end', 'timestamptz', (c) => c.notNull())
    .addColumn('outgoing_user_id', 'integer', (c) => c.notNull().references('users.id'))
    .addColumn('summary', 'text', (c) => c.notNull())
    .addColumn('closed_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('incoming_user_id', 'integer', (c) => c.references('users.id'))
    .addColumn('accepted_at', 'timestamptz')
    .addUniqueConstraint('duty_handovers_slot_uq', ['unit_code', 'slot_start'])
    .execute();
  await sql`
    create function duty_handovers_immutable() returns trigger language plpgsql as $$
    begin
      if old.accepted_at is not null
         or (to_jsonb(new) - 'incoming_user_id' - 'accepted_at') is distinct from (to_jsonb(old) - 'incoming_user_id' - 'accepted_at') then
        raise exception 'a closed shift cannot be rewritten' using errcode = 'check_violation';
      end if;
      return new;
    end $$`.execute(db);
  await sql`
    create trigger duty_handovers_immutable before update on duty_handovers
    for each row execute function duty_handovers_immutable()`.execute(db);

  await db.schema
    .createTable('duty_handover_items')
    .addColumn('id', 'integer', (c) => c.primaryKey().generatedAlwaysAsIdentity())
    .addColumn('handover_id', 'uuid', (c) => c.notNull().references('duty_handovers.id'))
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('ref_id', 'text', (c) => c.notNull())
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('due_at', 'timestamptz')
    .addColumn('acknowledged_by', 'integer', (c) => c.references('users.id'))
    .addColumn('acknowledged_at', 'timestamptz')
    .execute();
  await db.schema.createIndex('duty_handover_items_handover_idx').on('duty_handover_items').column('handover_id').execute();

  await db.schema
    .createTable('duty_log')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('request_id', 'uuid', (c) => c.notNull().unique())
    .addColumn('unit_code', 'text', (c) => c.notNull().references('units.code'))
    .addColumn('kind', 'text', (c) => c.notNull().check(sql`kind in ('call','document','event','other')`))
    .addColumn('received_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('call_time', 'timestamptz', (c) => c.notNull())
    .addColumn('caller_unit', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('caller_name', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('caller_title', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('caller_phone', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('summary', 'text', (c) => c.notNull())
    .addColumn('place', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('cause', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('measures', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('notified', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('status', 'text', (c) => c.notNull().defaultTo('open').check(sql`status in ('open','closed')`))
    .addColumn('revision', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('created_by', 'integer', (c) => c.notNull().references('users.id'))
    .addColumn('updated_by', 'integer', (c) => c.notNull().references('users.id'))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await db.schema.createIndex('duty_log_unit_time_idx').on('duty_log').columns(['unit_code', 'call_time']).execute();
  await sql`
    create function duty_log_facts() returns trigger language plpgsql as $$
    begin
      if new.received_at is distinct from old.received_at or new.created_by is distinct from old.created_by
         or new.unit_code is distinct from old.unit_code or new.request_id is distinct from old.request_id then
        raise exception 'when and where a call was received cannot change' using errcode = 'check_violation';
      end if;
      if new.revision <> old.revision + 1 then
        raise exception 'each edit of a duty log entry is a new revision' using errcode = 'check_violation';
      end if;
      return new;
    end $$`.execute(db);
  await sql`
    create trigger duty_log_facts before update on duty_log
    for each row execute function duty_log_facts()`.execute(db);

  await db.schema
    .createTable('duty_log_revisions')
    .addColumn('id', 'integer', (c) => c.primaryKey().generatedAlwaysAsIdentity())
    .addColumn('entry_id', 'uuid', (c) => c.notNull().references('duty_log.id'))
    .addColumn('revision', 'integer', (c) => c.notNull())
    .addColumn('data', 'jsonb', (c) => c.notNull())
    .addColumn('edited_by', 'integer', (c) => c.notNull().references('users.id'))
    .addColumn('edited_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addUniqueConstraint('duty_log_revisions_uq', ['entry_id', 'revision'])
    .execute();
  await sql`
    create function duty_forbid_change() returns trigger language plpgsql as $$
    begin
      raise exception '% is append-only', tg_table_name using errcode = 'check_violation';
    end $$`.execute(db);
  await sql`
    create trigger duty_log_revisions_append_only before update or delete on duty_log_revisions
    for each row execute function duty_forbid_change()`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const t of ['duty_log_revisions', 'duty_log', 'duty_handover_items', 'duty_handovers', 'duty_swaps', 'duty_roster', 'duty_settings']) {
    await db.schema.dropTable(t).ifExists().execute();
  }
  for (const f of ['duty_forbid_change', 'duty_log_facts', 'duty_handovers_immutable', 'duty_swaps_immutable', 'duty_roster_append_only']) {
    await sql.raw(`drop function if exists ${f}()`).execute(db);
  }
}
