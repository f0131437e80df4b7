import { sql, type Kysely } from 'kysely';

/**
 * The urgent-report workflow: incidents own a sequence of reports (电话报, 首报, 续报N, 终报); each report is
 * signed off in its unit, then travels up hop by hop (签收, 研判, 签发, 上报). Every step is an append-only event;
 * deadline misses (迟报) are facts no one can edit. Existing reports of the first slice become sent 首报 of
 * one incident each.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    create table incidents (
      id uuid primary key default gen_random_uuid(),
      unit_code text not null references units(code),
      title text not null,
      event_time timestamptz not null,
      place text not null,
      category text not null default '',
      grade smallint not null check (grade between 1 and 4),
      classification smallint not null default 0 check (classification between 0 and 3),
      status text not null default 'open' check (status in ('open','closed')),
      demanded_by_unit text references units(code),
      demand_note text,
      opened_by integer not null references users(id),
      created_at timestamptz not null default now(),
      closed_at timestamptz,
      legacy boolean not null default false
    )`.execute(db);
  await sql`create index incidents_unit_idx on incidents (unit_code, event_time)`.execute(db);
  await sql`create index incidents_open_idx on incidents (status) where status = 'open'`.execute(db);

  await sql`
    alter table urgent_reports
      add column incident_id uuid references incidents(id),
      add column kind text not null default 'initial' check (kind in ('phone','initial','followup','final')),
      add column seq integer not null default 0,
      add column state text not null default 'sent' check (state in ('draft','pending_signoff','returned','sent')),
      add column address text not null default '',
      add column category text not null default '',
      add column classification smallint not null default 0 check (classification between 0 and 3),
      add column casualties text not null default '',
      add column losses text not null default '',
      add column cause text not null default '',
      add column measures text not null default '',
      add column next_steps text not null default '',
      add column caller text not null default '',
      add column callee text not null default '',
      add column submitted_at timestamptz,
      add column signed_by integer references users(id),
      add column signed_at timestamptz,
      add column sign_comment text`.execute(db);
  // Reports of the first slice went out on submit: each becomes the sent 首报 of its own incident, closed and
  // marked legacy (it predates sign-off and relay, so no deadlines are evaluated for it).
  await sql`
    with src as materialized (
      select id as report_id, gen_random_uuid() as incident_id, unit_code, title, event_time, place, grade, created_by, created_at
      from urgent_reports
    ), made as (
      insert into incidents (id, unit_code, title, event_time, place, grade, opened_by, created_at, status, closed_at, legacy)
      select incident_id, unit_code, title, event_time, place, grade, created_by, created_at, 'closed', created_at, true from src
    )
    update urgent_reports r set incident_id = src.incident_id, submitted_at = r.created_at, signed_at = r.created_at
    from src where src.report_id = r.id`.execute(db);
  await sql`alter table urgent_reports alter column incident_id set not null`.execute(db);
  // A report stored without an incident (the first slice's stand-alone report) opens its own.
  await sql`
    create function urgent_report_default_incident() returns trigger language plpgsql as $$
    begin
      if new.incident_id is null then
        insert into incidents (unit_code, title, event_time, place, grade, opened_by)
        values (new.unit_code, new.title, new.event_time, new.place, new.grade, new.created_by)
        returning id into new.incident_id;
      end if;
      return new;
    end $$`.execute(db);
  await sql`
    create trigger urgent_reports_default_incident before insert on urgent_reports
    for each row execute function urgent_report_default_incident()`.execute(db);
  await sql`alter table urgent_reports alter column state set default 'draft'`.execute(db);
  await sql`create index urgent_reports_incident_idx on urgent_reports (incident_id)`.execute(db);
  await sql`create unique index urgent_reports_final_once on urgent_reports (incident_id) where kind = 'final' and state = 'sent'`.execute(db);

  // Once signed, a report's content and its sign-off are facts: corrections go in a new 续报.
  await sql`
    create function urgent_report_sent_immutable() returns trigger language plpgsql as $$
    begin
      if old.state = 'sent' then
        raise exception 'a sent report is immutable' using errcode = 'check_violation';
      end if;
      return new;
    end $$`.execute(db);
  await sql`
    create trigger urgent_reports_sent_immutable before update on urgent_reports
    for each row execute function urgent_report_sent_immutable()`.execute(db);
  await sql`
    create function forbid_delete() returns trigger language plpgsql as $$
    begin
      raise exception '% rows cannot be deleted', tg_table_name using errcode = 'check_violation';
    end $$`.execute(db);
  await sql`
    create trigger urgent_reports_no_delete before delete on urgent_reports
    for each row when (old.state = 'sent') execute function forbid_delete()`.execute(db);

  await sql`
    create table report_hops (
      id uuid primary key default gen_random_uuid(),
      report_id uuid not null references urgent_reports(id),
      unit_code text not null references units(code),
      from_unit_code text not null references units(code),
      state text not null default 'received' check (state in ('received','acknowledged','relay_pending','relayed')),
      is_copy boolean not null default false,
      received_at timestamptz not null,
      acknowledged_at timestamptz,
      acknowledged_by integer references users(id),
      assessment text not null default '',
      relay_by integer references users(id),
      relay_signed_by integer references users(id),
      relayed_at timestamptz,
      unique (report_id, unit_code)
    )`.execute(db);
  await sql`create index report_hops_unit_idx on report_hops (unit_code, state)`.execute(db);
  // Receipt, acknowledgement and relay times are facts once set.
  await sql`
    create function report_hop_facts() returns trigger language plpgsql as $$
    begin
      if new.received_at is distinct from old.received_at
        or (old.acknowledged_at is not null and new.acknowledged_at is distinct from old.acknowledged_at)
        or (old.relayed_at is not null and (new.relayed_at is distinct from old.relayed_at or new.state <> 'relayed')) then
        raise exception 'report hop times are immutable' using errcode = 'check_violation';
      end if;
      return new;
    end $$`.execute(db);
  await sql`create trigger report_hops_facts before update on report_hops for each row execute function report_hop_facts()`.execute(db);
  await sql`create trigger report_hops_no_delete before delete on report_hops for each row execute function forbid_delete()`.execute(db);

  await sql`
    create table report_events (
      id bigint generated always as identity primary key,
      incident_id uuid not null references incidents(id),
      report_id uuid references urgent_reports(id),
      unit_code text not null references units(code),
      actor_id integer references users(id),
      action text not null,
      detail jsonb not null default '{}',
      at timestamptz not null
    )`.execute(db);
  await sql`create index report_events_incident_idx on report_events (incident_id, id)`.execute(db);
  await sql`
    create function forbid_change() returns trigger language plpgsql as $$
    begin
      raise exception '% is append-only', tg_table_name using errcode = 'check_violation';
    end $$`.execute(db);
  await sql`create trigger report_events_append_only before update or delete on report_events for each row execute function forbid_change()`.execute(db);

  await sql`
    create table deadline_rules (
      id integer generated always as identity primary key,
      grade smallint not null check (grade between 1 and 4),
      level smallint not null check (level between 1 and 3),
      kind text not null check (kind in ('phone','written')),
      minutes integer not null check (minutes > 0),
      unique (grade, level, kind)
    )`.execute(db);
  // Defaults from the documents: the county's written report within 2 h of the event, the city's to the
  // region within 4 h; for grades I–II a phone report within 30 min at each level.
  for (const grade of [1, 2, 3, 4]) {
    await sql`insert into deadline_rules (grade, level, kind, minutes) values (${grade}, 3, 'written', 120), (${grade}, 2, 'written', 240)`.execute(db);
    if (grade <= 2) {
      await sql`insert into deadline_rules (grade, level, kind, minutes) values (${grade}, 3, 'phone', 30), (${grade}, 2, 'phone', 30)`.execute(db);
    }
  }

  await sql`
    create table deadline_misses (
      id uuid primary key default gen_random_uuid(),
      incident_id uuid not null references incidents(id),
      unit_code text not null references units(code),
      kind text not null check (kind in ('phone','written')),
      due_at timestamptz not null,
      recorded_at timestamptz not null,
      unique (incident_id, unit_code, kind)
    )`.execute(db);
  await sql`create trigger deadline_misses_append_only before update or delete on deadline_misses for each row execute function forbid_change()`.execute(db);

  await sql`
    create table report_attachments (
      id uuid primary key default gen_random_uuid(),
      report_id uuid not null references urgent_reports(id),
      filename text not null,
      mime text not null,
      size integer not null,
      data bytea not null,
      uploaded_by integer not null references users(id),
      created_at timestamptz not null
    )`.execute(db);
  await sql`create index report_attachments_report_idx on report_attachments (report_id)`.execute(db);
  await sql`create trigger report_attachments_append_only before update on report_attachments for each row execute function forbid_change()`.execute(db);

  await sql`
    create table report_instructions (
      id uuid primary key default gen_random_uuid(),
      incident_id uuid not null references incidents(id),
      report_id uuid references urgent_reports(id),
      unit_code text not null references units(code),
      author_id integer not null references users(id),
      text text not null,
      due_at timestamptz,
      created_at timestamptz not null
    )`.execute(db);
  await sql`create trigger report_instructions_append_only before update or delete on report_instructions for each row execute function forbid_change()`.execute(db);
  await sql`
    create table instruction_targets (
      instruction_id uuid not null references report_instructions(id),
      unit_code text not null references units(code),
      done_at timestamptz,
      primary key (instruction_id, unit_code)
    )`.execute(db);
  await sql`create index instruction_targets_unit_idx on instruction_targets (unit_code)`.execute(db);
  await sql`
    create table instruction_feedback (
      id uuid primary key default gen_random_uuid(),
      instruction_id uuid not null references report_instructions(id),
      unit_code text not null references units(code),
      author_id integer not null references users(id),
      text text not null,
      done boolean not null default false,
      created_at timestamptz not null
    )`.execute(db);
  await sql`create trigger instruction_feedback_append_only before update or delete on instruction_feedback for each row execute function forbid_change()`.execute(db);

  await sql`
    create table report_settings (
      id integer primary key check (id = 1),
      followup_times text[] not null,
      direct_copy_max_grade smallint not null check (direct_copy_max_grade between 0 and 4),
      warn_minutes integer not null check (warn_minutes > 0)
    )`.execute(db);
  await sql`insert into report_settings (id, followup_times, direct_copy_max_grade, warn_minutes) values (1, '{08:00,17:00}', 1, 15)`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const t of [
    'report_settings',
    'instruction_feedback',
    'instruction_targets',
    'report_instructions',
    'report_attachments',
    'deadline_misses',
    'deadline_rules',
    'report_events',
    'report_hops',
  ]) {
    await sql`drop table if exists ${sql.raw(t)}`.execute(db);
  }
  await sql`drop trigger if exists urgent_reports_sent_immutable on urgent_reports`.execute(db);
  await sql`drop trigger if exists urgent_reports_no_delete on urgent_reports`.execute(db);
  await sql`drop trigger if exists urgent_reports_default_incident on urgent_reports`.execute(db);
  await sql`drop index if exists urgent_reports_final_once`.execute(db);
  await sql`drop index if exists urgent_reports_incident_idx`.execute(db);
  await sql`
    alter table urgent_reports
      drop column incident_id, drop column kind, drop column seq, drop column state, drop column address,
      drop column category, drop column classification, drop column casualties, drop column losses,
      drop column cause, drop column measures, drop column next_steps, drop column caller, drop column callee,
      drop column submitted_at, drop column signed_by, drop column signed_at, drop column sign_comment`.execute(db);
  await sql`drop table if exists incidents`.execute(db);
  for (const f of ['urgent_report_sent_immutable', 'report_hop_facts', 'forbid_change', 'forbid_delete']) {
    await sql`drop function if exists ${sql.raw(f)}()`.execute(db);
  }
}
