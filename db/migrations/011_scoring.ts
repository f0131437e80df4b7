import { sql, type Kysely } from 'kysely';

/**
 * Information scoring (part 2 of 政务信息): effective-dated scoring schemes per ranking office (the rules as
 * JSON checked by the contract), commissioned requests (约稿) with their target units and linked answers,
 * reminders sent (once each), and published bulletins (一月一通报 …) frozen as they were published.
 */
export async function up(db: Kysely<any>): Promise<void> {
  // A version applies from its date (UTC+8) on; versions are never edited, a new one supersedes.
  await sql`
    create table info_score_schemes (
      id uuid primary key default gen_random_uuid(),
      office_code text not null references units(code),
      effective_from text not null check (effective_from ~ '^[0-9]{4}-[0-9]{2}-[0-9]{2}$'),
      rules jsonb not null,
      note text not null default '',
      created_by integer not null references users(id),
      created_at timestamptz not null,
      unique (office_code, effective_from)
    )`.execute(db);

  await sql`
    create table info_requests (
      id uuid primary key,
      office_code text not null references units(code),
      topic text not null,
      requirements text not null,
      deadline timestamptz not null,
      created_by integer not null references users(id),
      created_at timestamptz not null
    )`.execute(db);
  await sql`create index info_requests_office_idx on info_requests (office_code, deadline desc)`.execute(db);
  await sql`
    create table info_request_targets (
      request_id uuid not null references info_requests(id),
      unit_code text not null references units(code),
      primary key (request_id, unit_code)
    )`.execute(db);
  await sql`create index info_request_targets_unit_idx on info_request_targets (unit_code)`.execute(db);
  // An answer is an item of the target unit linked to the request; it counts once the item was signed off.
  await sql`
    create table info_request_answers (
      request_id uuid not null references info_requests(id),
      unit_code text not null references units(code),
      item_id uuid not null references info_items(id),
      linked_by integer not null references users(id),
      linked_at timestamptz not null,
      primary key (request_id, item_id)
    )`.execute(db);

  await sql`
    create table info_reminders (
      unit_code text not null references units(code),
      kind text not null,
      ref text not null,
      text text not null,
      at timestamptz not null,
      primary key (unit_code, kind, ref)
    )`.execute(db);
  await sql`create index info_reminders_unit_idx on info_reminders (unit_code, at desc)`.execute(db);

  await sql`
    create table info_bulletins (
      id uuid primary key default gen_random_uuid(),
      office_code text not null references units(code),
      period text not null,
      period_kind text not null check (period_kind in ('month','quarter','half','year')),
      data jsonb not null,
      published_by integer not null references users(id),
      published_at timestamptz not null,
      unique (office_code, period)
    )`.execute(db);
  for (const t of ['info_score_schemes', 'info_bulletins', 'info_request_answers']) {
    await sql`create trigger ${sql.raw(`${t}_append_only`)} before update or delete on ${sql.raw(t)} for each row execute function forbid_change()`.execute(db);
  }
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const t of ['info_bulletins', 'info_reminders', 'info_request_answers', 'info_request_targets', 'info_requests', 'info_score_schemes']) {
    await sql`drop table if exists ${sql.raw(t)}`.execute(db);
  }
}
