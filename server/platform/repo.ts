/** SQL of the platform link: outbox, push requests, auto-push rules, inbound alerts. */
import { sql, type Kysely, type Selectable, type Transaction } from 'kysely';
import type { Database } from '../../db/schema.ts';
import type { PlatformInboundTable, PlatformOutboxTable, PushKind } from '../../db/tables/platform.ts';
import type { OutboxDto, InboundAlertDto } from '../../contract/platform.ts';
import type { OrgTree } from '../org/tree.ts';

type Db = Kysely<Database> | Transaction<Database>;
export type OutboxRow = Selectable<PlatformOutboxTable>;
export type InboundRow = Selectable<PlatformInboundTable>;

/** The incident's messages decided so far, oldest first: what a new one references. */
export async function priorMessages(db: Db, incidentId: string): Promise<{ identifier: string; sent: string; push_kind: PushKind }[]> {
  const rows = await db.selectFrom('platform_outbox').select(['identifier', 'sent_stamp', 'push_kind']).where('incident_id', '=', incidentId).orderBy('id').execute();
  return rows.map((r) => ({ identifier: r.identifier, sent: r.sent_stamp, push_kind: r.push_kind }));
}

/** Reserves the row (and so the serial of the identifier) before the message is built. */
export async function reserveOutbox(db: Db, v: { incidentId: string; reportId: string | null; kind: PushKind; decidedBy: number | null; signedBy: number | null; auto: boolean; now: Date }): Promise<number> {
  const row = await db
    .insertInto('platform_outbox')
    .values({
      identifier: `reserved-${v.incidentId}-${v.now.getTime()}-${Math.random()}`,
      incident_id: v.incidentId,
      report_id: v.reportId,
      push_kind: v.kind,
      msg_type: 'Alert',
      sent_stamp: '',
      xml: '',
      next_attempt_at: v.now,
      last_error: null,
      decided_by: v.decidedBy,
      signed_by: v.signedBy,
      auto: v.auto,
      sent_at: null,
      acked_at: null,
      ack_identifier: null,
      answer_xml: null,
      parked_at: null,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return Number(row.id);
}

export async function fillOutbox(db: Db, id: number, m: { identifier: string; sent: string; msgType: 'Alert' | 'Update' | 'Cancel'; xml: string }): Promise<void> {
  await db.updateTable('platform_outbox').set({ identifier: m.identifier, sent_stamp: m.sent, msg_type: m.msgType, xml: m.xml }).where('id', '=', id).execute();
}

/**
 * What to send now: per incident only its oldest undelivered message (order per incident), and only if it is
 * due and not parked (a parked head holds back the rest of that incident).
 */
export async function dueHeads(db: Db, now: Date, limit: number): Promise<OutboxRow[]> {
  const heads = db
    .selectFrom('platform_outbox')
    .select((eb) => eb.fn.min('id').as('id'))
    .where('state', 'in', ['pending', 'retrying', 'parked'])
    .groupBy('incident_id');
  const rows = await db
    .selectFrom('platform_outbox')
    .selectAll()
    .where('id', 'in', heads)
    .where('state', '!=', 'parked')
    .where('next_attempt_at', '<=', now)
    .orderBy('id')
    .limit(limit)
    .execute();
  return rows.map((r) => ({ ...r, id: Number(r.id) }));
}

/** When the next undelivered head becomes due (for the sender's timer), or null. */
export async function nextDue(db: Db): Promise<Date | null> {
  const r = await db
    .selectFrom('platform_outbox')
    .select((eb) => eb.fn.min('next_attempt_at').as('at'))
    .where('state', 'in', ['pending', 'retrying'])
    .executeTakeFirst();
  return r?.at ? new Date(r.at as unknown as string) : null;
}

export async function recordAttempt(db: Db, id: number, r: { state: 'sent' | 'acked' | 'retrying' | 'parked'; now: Date; nextAt?: Date; error?: string | null; answerXml?: string | null; ackIdentifier?: string | null }): Promise<void> {
  const set: Record<string, unknown> = { state: r.state, attempts: sql`attempts + 1`, last_error: r.error ?? null };
  if (r.answerXml !== undefined) set.answer_xml = r.answerXml;
  if (r.state === 'sent' || r.state === 'acked') set.sent_at = sql`coalesce(sent_at, ${r.now})`;
  if (r.state === 'acked') Object.assign(set, { acked_at: r.now, ack_identifier: r.ackIdentifier ?? null });
  if (r.state === 'retrying') set.next_attempt_at = r.nextAt ?? r.now;
  if (r.state === 'parked') set.parked_at = r.now;
  // Never step back from a final state (a late duplicate answer must not undo an Ack).
  await db.updateTable('platform_outbox').set(set).where('id', '=', id).where('state', 'in', ['pending', 'retrying', 'sent']).execute();
}

/** An Ack (or Error) that arrived separately, naming our identifier. */
export async function ackByIdentifier(db: Db, identifier: string, a: { ackIdentifier: string; xml: string; now: Date }): Promise<boolean> {
  const r = await db
    .updateTable('platform_outbox')
    .set({ state: 'acked', acked_at: a.now, ack_identifier: a.ackIdentifier, answer_xml: a.xml, sent_at: sql`coalesce(sent_at, ${a.now})` })
    .where('identifier', '=', identifier)
    .where('state', 'in', ['pending', 'retrying', 'sent'])
    .returning('id')
    .executeTakeFirst();
  return !!r;
}

export async function parkByIdentifier(db: Db, identifier: string, a: { error: string; xml: string; now: Date }): Promise<boolean> {
  const r = await db
    .updateTable('platform_outbox')
    .set({ state: 'parked', parked_at: a.now, last_error: a.error, answer_xml: a.xml })
    .where('identifier', '=', identifier)
    .where('state', 'in', ['pending', 'retrying', 'sent'])
    .returning('id')
    .executeTakeFirst();
  return !!r;
}

export async function outboxRow(db: Db, id: number): Promise<OutboxRow | undefined> {
  const r = await db.selectFrom('platform_outbox').selectAll().where('id', '=', id).executeTakeFirst();
  return r ? { ...r, id: Number(r.id) } : undefined;
}

export async function redrive(db: Db, id: number, now: Date, xml?: string): Promise<boolean> {
  const set: Record<string, unknown> = { state: 'pending', next_attempt_at: now, parked_at: null, last_error: null };
  if (xml !== undefined) set.xml = xml;
  const r = await db.updateTable('platform_outbox').set(set).where('id', '=', id).where('state', '=', 'parked').returning('id').executeTakeFirst();
  return !!r;
}

export async function listOutbox(db: Db, f: { reportIds?: string[]; limit?: number }): Promise<OutboxRow[]> {
  let q = db.selectFrom('platform_outbox').selectAll().orderBy('id', 'desc').limit(f.limit ?? 200);
  if (f.reportIds) q = q.where('report_id', 'in', f.reportIds.length ? f.reportIds : ['00000000-0000-0000-0000-000000000000']);
  const rows = await q.execute();
  return rows.map((r) => ({ ...r, id: Number(r.id) }));
}

export async function userNames(db: Db, ids: (number | null)[]): Promise<Map<number, string>> {
  const want = [...new Set(ids.filter((i): i is number => i !== null))];
  if (!want.length) return new Map();
  const rows = await db.selectFrom('users').select(['id', 'display_name']).where('id', 'in', want).execute();
  return new Map(rows.map((r) => [r.id, r.display_name]));
}

const iso = (d: Date | null) => (d ? new Date(d).toISOString() : null);

export function outboxDto(r: OutboxRow, names: Map<number, string>, withXml: boolean): OutboxDto {
  return {
    id: r.id,
    identifier: r.identifier,
    incidentId: r.incident_id,
    reportId: r.report_id,
    pushKind: r.push_kind,
    msgType: r.msg_type,
    state: r.state,
    attempts: r.attempts,
    auto: r.auto,
    lastError: r.last_error,
    createdAt: new Date(r.created_at).toISOString(),
    nextAttemptAt: r.state === 'pending' || r.state === 'retrying' ? iso(r.next_attempt_at) : null,
    sentAt: iso(r.sent_at),
    ackedAt: iso(r.acked_at),
    parkedAt: iso(r.parked_at),
    ackIdentifier: r.ack_identifier,
    decidedBy: r.decided_by === null ? null : (names.get(r.decided_by) ?? null),
    signedBy: r.signed_by === null ? null : (names.get(r.signed_by) ?? null),
    ...(withXml ? { xml: r.xml, answerXml: r.answer_xml } : {}),
  };
}

export async function autoRules(db: Db): Promise<{ grade: 1 | 2 | 3 | 4; autoPush: boolean }[]> {
  const rows = await db.selectFrom('platform_auto_rules').selectAll().orderBy('grade').execute();
  return rows.map((r) => ({ grade: r.grade, autoPush: r.auto_push }));
}

export async function saveAutoRules(db: Db, rules: { grade: 1 | 2 | 3 | 4; autoPush: boolean }[]): Promise<void> {
  for (const r of rules) await db.updateTable('platform_auto_rules').set({ auto_push: r.autoPush }).where('grade', '=', r.grade).execute();
}

// ---- inbound ----

export async function findInbound(db: Db, sender: string, identifier: string): Promise<InboundRow | undefined> {
  return db.selectFrom('platform_inbound').selectAll().where('sender', '=', sender).where('identifier', '=', identifier).where('status', '=', 'accepted').executeTakeFirst();
}

/** The accepted alerts an Update or Cancel names, oldest first (unknown ones are skipped). */
export async function referencedInbound(db: Db, refs: { sender: string; identifier: string }[]): Promise<InboundRow[]> {
  if (!refs.length) return [];
  return db
    .selectFrom('platform_inbound')
    .selectAll()
    .where('status', '=', 'accepted')
    .where((eb) => eb.or(refs.map((r) => eb.and([eb('sender', '=', r.sender), eb('identifier', '=', r.identifier)]))))
    .orderBy('received_at')
    .orderBy('id')
    .execute();
}

/** Earlier alerts replaced by an Update (or lifted by a Cancel, at `cancelledAt`). */
export async function markReplaced(db: Db, ids: string[], byId: string, cancelledAt: Date | null): Promise<void> {
  // The first replacement is the one an alert points to; a Cancel lifts the whole chain it names.
  await db
    .updateTable('platform_inbound')
    .set((eb) => ({ superseded_by: eb.fn.coalesce('superseded_by', eb.val(byId)), cancelled_at: eb.fn.coalesce('cancelled_at', eb.val(cancelledAt)) }))
    .where('id', 'in', ids)
    .execute();
}

export async function inboundById(db: Db, id: string): Promise<InboundRow | undefined> {
  return db.selectFrom('platform_inbound').selectAll().where('id', '=', id).executeTakeFirst();
}

/** Alerts a unit sees: those covering it or a unit below it; the region sees everything, rejected ones too. */
export async function listInbound(db: Db, unitCodes: string[] | 'all', limit = 200): Promise<InboundRow[]> {
  let q = db.selectFrom('platform_inbound').selectAll().orderBy('received_at', 'desc').limit(limit);
  if (unitCodes !== 'all') q = q.where('status', '=', 'accepted').where(sql<boolean>`unit_codes && ${sql.val(unitCodes)}::text[]`);
  return q.execute();
}

export async function acksOf(db: Db, ids: string[], unitCode: string): Promise<Map<string, { at: Date; by: string }>> {
  if (!ids.length) return new Map();
  const rows = await db
    .selectFrom('platform_inbound_acks as a')
    .innerJoin('users as u', 'u.id', 'a.acknowledged_by')
    .select(['a.inbound_id', 'a.acknowledged_at', 'u.display_name'])
    .where('a.inbound_id', 'in', ids)
    .where('a.unit_code', '=', unitCode)
    .execute();
  return new Map(rows.map((r) => [r.inbound_id, { at: r.acknowledged_at, by: r.display_name }]));
}

export function inboundDto(r: InboundRow, tree: OrgTree, ack: { at: Date; by: string } | undefined): InboundAlertDto {
  return {
    id: r.id,
    status: r.status,
    identifier: r.identifier,
    sender: r.sender,
    sent: r.sent,
    msgType: r.msg_type,
    headline: r.headline,
    event: r.event,
    severity: r.severity,
    areaDesc: r.area_desc,
    description: r.description,
    geocodes: r.geocodes,
    units: r.unit_codes.map((code) => ({ code, name: tree.get(code)?.name ?? code })),
    matchedBy: r.matched_by as InboundAlertDto['matchedBy'],
    error: r.error,
    receivedAt: new Date(r.received_at).toISOString(),
    acknowledgedAt: ack ? new Date(ack.at).toISOString() : null,
    acknowledgedBy: ack?.by ?? null,
    incidentId: r.incident_id,
    meetingId: r.meeting_id,
    supersedes: r.supersedes,
    supersededBy: r.superseded_by,
    cancelledAt: r.cancelled_at ? new Date(r.cancelled_at).toISOString() : null,
  };
}

/** What the platform has received from us (for the Atom feed), newest first. */
export async function sentMessages(db: Db, limit = 100): Promise<OutboxRow[]> {
  const rows = await db.selectFrom('platform_outbox').selectAll().where('state', 'in', ['sent', 'acked']).orderBy('sent_at', 'desc').orderBy('id', 'desc').limit(limit).execute();
  return rows.map((r) => ({ ...r, id: Number(r.id) }));
}
