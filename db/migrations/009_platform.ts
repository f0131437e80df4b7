import { sql, type Kysely } from 'kysely';

// The emergency platform link: CAP outbox (in order per incident), push requests, auto-push rules, inbound alerts.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('platform_outbox')
    .addColumn('id', 'bigint', (c) => c.primaryKey().generatedAlwaysAsIdentity())
    .addColumn('identifier', 'text', (c) => c.notNull().unique())
    .addColumn('incident_id', 'uuid', (c) => c.notNull().references('incidents.id'))
    .addColumn('report_id', 'uuid', (c) => c.references('urgent_reports.id'))
    .addColumn('push_kind', 'text', (c) => c.notNull().check(sql`push_kind in ('first','followup','final','cancel')`))
    .addColumn('msg_type', 'text', (c) => c.notNull().check(sql`msg_type in ('Alert','Update','Cancel')`))
    .addColumn('sent_stamp', 'text', (c) => c.notNull())
    .addColumn('xml', 'text', (c) => c.notNull())
    .addColumn('state', 'text', (c) => c.notNull().defaultTo('pending').check(sql`state in ('pending','retrying','sent','acked','parked')`))
    .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('next_attempt_at', 'timestamptz', (c) => c.notNull())
    .addColumn('last_error', 'text')
    .addColumn('decided_by', 'integer', (c) => c.references('users.id'))
    .addColumn('signed_by', 'integer', (c) => c.references('users.id'))
    .addColumn('auto', 'boolean', (c) => c.notNull().defaultTo(false))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('sent_at', 'timestamptz')
    .addColumn('acked_at', 'timestamptz')
    .addColumn('ack_identifier', 'text')
    .addColumn('answer_xml', 'text')
    .addColumn('parked_at', 'timestamptz')
    .execute();
  await sql`create index platform_outbox_open_idx on platform_outbox (incident_id, id) where state in ('pending','retrying','parked')`.execute(db);
  // A report is pushed once (a Cancel has no report).
  await sql`create unique index platform_outbox_report_uq on platform_outbox (report_id) where push_kind <> 'cancel'`.execute(db);

  await db.schema
    .createTable('platform_push_requests')
    .addColumn('report_id', 'uuid', (c) => c.primaryKey().references('urgent_reports.id'))
    .addColumn('requested_by', 'integer', (c) => c.notNull().references('users.id'))
    .addColumn('requested_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('note', 'text', (c) => c.notNull().defaultTo(''))
    .execute();

  await db.schema
    .createTable('platform_auto_rules')
    .addColumn('grade', 'integer', (c) => c.primaryKey().check(sql`grade between 1 and 4`))
    .addColumn('auto_push', 'boolean', (c) => c.notNull())
    .execute();
  // 特别重大 and 重大 go to the platform the moment the region acknowledges them.
  await sql`insert into platform_auto_rules (grade, auto_push) values (1, true), (2, true), (3, false), (4, false)`.execute(db);

  await db.schema
    .createTable('platform_inbound')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('status', 'text', (c) => c.notNull().check(sql`status in ('rejected','accepted')`))
    .addColumn('identifier', 'text')
    .addColumn('sender', 'text')
    .addColumn('sent', 'text')
    .addColumn('msg_type', 'text')
    .addColumn('headline', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('event', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('severity', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('area_desc', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('description', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('geocodes', sql`text[]`, (c) => c.notNull().defaultTo(sql`'{}'`))
    .addColumn('unit_codes', sql`text[]`, (c) => c.notNull().defaultTo(sql`'{}'`))
    .addColumn('matched_by', 'text', (c) => c.notNull().defaultTo('none'))
    .addColumn('error', 'text')
    .addColumn('xml', 'text', (c) => c.notNull())
    .addColumn('received_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('incident_id', 'uuid', (c) => c.references('incidents.id'))
    .addColumn('meeting_id', 'uuid', (c) => c.references('meetings.id'))
    .execute();
  // The same alert sent twice is one alert.
  await sql`create unique index platform_inbound_uq on platform_inbound (sender, identifier) where status <> 'rejected'`.execute(db);
  // Each unit's duty officer acknowledges for the unit: its alarm stops there, not elsewhere.
  await db.schema
    .createTable('platform_inbound_acks')
    .addColumn('inbound_id', 'uuid', (c) => c.notNull().references('platform_inbound.id'))
    .addColumn('unit_code', 'text', (c) => c.notNull().references('units.code'))
    .addColumn('acknowledged_by', 'integer', (c) => c.notNull().references('users.id'))
    .addColumn('acknowledged_at', 'timestamptz', (c) => c.notNull())
    .addPrimaryKeyConstraint('platform_inbound_acks_pk', ['inbound_id', 'unit_code'])
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const t of ['platform_inbound_acks', 'platform_inbound', 'platform_auto_rules', 'platform_push_requests', 'platform_outbox']) await db.schema.dropTable(t).execute();
}
