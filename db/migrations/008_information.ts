import { sql, type Kysely } from 'kysely';

/**
 * Routine government information (政务信息): information officers, items with sign-off and secrecy review,
 * deliveries to receiving offices (签收 → 采用 / 不采用 / 退回), adoptions into publications, numbered issues,
 * direct reporting points with history, an append-only event log (history and notices), and leaders'
 * instructions on items through the existing instruction tables (one model for incidents and items).
 * Room is left for part 2 (scores read adoptions + publication tier) and part 3 (near-duplicates per item).
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    create table info_kinds (
      code text primary key,
      name text not null,
      name_en text not null,
      sort_order integer not null default 0
    )`.execute(db);
  await sql`
    insert into info_kinds (code, name, name_en, sort_order) values
      ('dynamic', '动态信息', 'News', 1),
      ('key_event', '要情', 'Key event', 2),
      ('practice', '经验做法', 'Good practice', 3),
      ('suggestion', '问题建议', 'Problem and suggestion', 4),
      ('analysis', '综合分析/调研', 'Analysis / research', 5)`.execute(db);

  // 信息员 (实名制): each unit names one or two; the phone is the officer's work number.
  await sql`
    create table info_officers (
      unit_code text not null references units(code),
      user_id integer not null references users(id),
      phone text not null,
      named_at timestamptz not null,
      primary key (unit_code, user_id)
    )`.execute(db);
  // The unit's 分管领导: when set, only this user signs items off (else any leader of the unit).
  await sql`
    create table info_unit_settings (
      unit_code text primary key references units(code),
      signoff_user_id integer references users(id),
      updated_at timestamptz not null
    )`.execute(db);

  // 直报点: added and dropped with a history; at most one open row per unit.
  await sql`
    create table info_direct_points (
      id uuid primary key default gen_random_uuid(),
      unit_code text not null references units(code),
      office_code text not null references units(code),
      added_at timestamptz not null,
      added_by integer not null references users(id),
      dropped_at timestamptz,
      dropped_by integer references users(id),
      note text not null default ''
    )`.execute(db);
  await sql`create unique index info_direct_points_open on info_direct_points (unit_code, office_code) where dropped_at is null`.execute(db);

  await sql`
    create table info_publications (
      id uuid primary key default gen_random_uuid(),
      office_code text not null references units(code),
      name text not null,
      tier smallint not null check (tier between 1 and 3),
      max_classification smallint not null check (max_classification between 0 and 3),
      distribution text[] not null default '{}',
      cc text[] not null default '{}',
      sort_order integer not null default 0,
      unique (office_code, name)
    )`.execute(db);

  await sql`
    create table info_items (
      id uuid primary key,
      unit_code text not null references units(code),
      kind text not null references info_kinds(code),
      title text not null,
      body text not null,
      classification smallint not null default 0 check (classification between 0 and 3),
      state text not null default 'draft' check (state in ('draft','pending_signoff','returned','submitted')),
      version integer not null default 1,
      created_by integer not null references users(id),
      created_at timestamptz not null,
      updated_at timestamptz not null,
      signed_by integer references users(id),
      signed_at timestamptz,
      signed_version integer,
      sign_comment text not null default '',
      review_contains_secrets boolean,
      review_fit_to_publish boolean,
      review_figures_checked boolean,
      submitted_at timestamptz,
      check (state <> 'submitted' or (signed_at is not null and review_figures_checked is not null))
    )`.execute(db);
  await sql`create index info_items_unit_idx on info_items (unit_code, updated_at desc)`.execute(db);
  await sql`create index info_items_state_idx on info_items (state, submitted_at desc)`.execute(db);

  // Every saved text of an item (draft saves, edits for publication): the original is never overwritten.
  await sql`
    create table info_item_revisions (
      id bigint generated always as identity primary key,
      item_id uuid not null references info_items(id),
      version integer not null,
      title text not null,
      body text not null,
      edited_by integer not null references users(id),
      edited_at timestamptz not null,
      note text not null default ''
    )`.execute(db);
  await sql`create index info_item_revisions_item_idx on info_item_revisions (item_id, id)`.execute(db);

  // One row per receiving office of an item: the parent office, the region for a 直报点, or a forward (转报).
  await sql`
    create table info_deliveries (
      id uuid primary key default gen_random_uuid(),
      item_id uuid not null references info_items(id),
      office_code text not null references units(code),
      route text not null check (route in ('parent','direct','forward')),
      from_office_code text references units(code),
      state text not null default 'received' check (state in ('received','acknowledged','adopted','not_adopted','returned')),
      received_at timestamptz not null,
      acknowledged_at timestamptz,
      acknowledged_by integer references users(id),
      decided_at timestamptz,
      decided_by integer references users(id),
      reason text not null default '',
      forwarded_at timestamptz,
      unique (item_id, office_code)
    )`.execute(db);
  await sql`create index info_deliveries_office_idx on info_deliveries (office_code, state, received_at desc)`.execute(db);

  await sql`
    create table info_issues (
      id uuid primary key default gen_random_uuid(),
      publication_id uuid not null references info_publications(id),
      year integer not null,
      number integer not null check (number > 0),
      state text not null default 'compiling' check (state in ('compiling','pending_signoff','signed','published')),
      created_by integer not null references users(id),
      created_at timestamptz not null,
      signed_by integer references users(id),
      signed_at timestamptz,
      published_by integer references users(id),
      published_at timestamptz,
      unique (publication_id, year, number)
    )`.execute(db);

  // 采用: by an office into one of its publications (counted for the item's own unit), or external
  // (民政部, 国办 …) recorded by an editor. The published text may be edited; the item keeps the original.
  await sql`
    create table info_adoptions (
      id uuid primary key default gen_random_uuid(),
      item_id uuid not null references info_items(id),
      office_code text references units(code),
      publication_id uuid references info_publications(id),
      external_body text,
      external_publication text,
      title text not null,
      body text not null,
      adopted_by integer not null references users(id),
      adopted_at timestamptz not null,
      issue_id uuid references info_issues(id),
      issue_position integer,
      check ((publication_id is not null and office_code is not null) or external_body is not null)
    )`.execute(db);
  await sql`create unique index info_adoptions_once on info_adoptions (item_id, office_code) where office_code is not null`.execute(db);
  await sql`create index info_adoptions_issue_idx on info_adoptions (issue_id, issue_position)`.execute(db);
  await sql`create index info_adoptions_pub_idx on info_adoptions (publication_id, adopted_at desc)`.execute(db);

  // History and notices: append-only, like the report timeline.
  await sql`
    create table info_events (
      id bigint generated always as identity primary key,
      item_id uuid references info_items(id),
      issue_id uuid references info_issues(id),
      unit_code text not null references units(code),
      actor_id integer references users(id),
      action text not null,
      detail jsonb not null default '{}',
      at timestamptz not null
    )`.execute(db);
  await sql`create index info_events_item_idx on info_events (item_id, id)`.execute(db);
  await sql`create index info_events_unit_idx on info_events (unit_code, id desc)`.execute(db);
  await sql`create trigger info_events_append_only before update or delete on info_events for each row execute function forbid_change()`.execute(db);
  await sql`create trigger info_item_revisions_append_only before update or delete on info_item_revisions for each row execute function forbid_change()`.execute(db);

  // 领导批示 on an item uses the incident instructions' tables: exactly one of incident / item is named.
  await sql`alter table report_instructions alter column incident_id drop not null`.execute(db);
  await sql`alter table report_instructions add column info_item_id uuid references info_items(id)`.execute(db);
  await sql`alter table report_instructions add constraint report_instructions_one_target check (num_nonnulls(incident_id, info_item_id) = 1)`.execute(db);
  await sql`create index report_instructions_item_idx on report_instructions (info_item_id) where info_item_id is not null`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`alter table report_instructions drop constraint if exists report_instructions_one_target`.execute(db);
  await sql`alter table report_instructions drop column if exists info_item_id`.execute(db);
  for (const t of ['info_events', 'info_adoptions', 'info_issues', 'info_deliveries', 'info_item_revisions', 'info_items', 'info_publications', 'info_direct_points', 'info_unit_settings', 'info_officers', 'info_kinds']) {
    await sql`drop table if exists ${sql.raw(t)}`.execute(db);
  }
}
