/** Data access of the urgent-report workflow: incidents, reports, hops, the timeline (deadline facts: incidentFacts.ts). */
import { sql, type Kysely, type Transaction } from 'kysely';
import type { Database } from '../../db/schema.ts';
import type { Selectable } from 'kysely';
import type { DeadlineKind, IncidentTable, Grade, ReportState } from '../../db/tables/reports.ts';
import type { SessionUser } from '../auth/sessions.ts';
import type { OrgTree } from '../org/tree.ts';
import { clearedFor, REDACTED_TITLE } from './workflow.ts';
import { errors } from '../http/errors.ts';
import type { Category, EventDto, HopDto, ReportDto } from '../../contract/reports.ts';
import { clock } from '../clock.ts';

type Db = Kysely<Database> | Transaction<Database>;

export { loadRules, loadSettings, rulesChanged, type Settings } from './rulesRepo.ts';
export type { AttachmentDto, EventDto, HopDto, IncidentDto, ObligationDto, ReportDto } from '../../contract/reports.ts';

const iso = (d: Date | null | undefined) => (d ? d.toISOString() : null);

// ---------- settings and rules: rulesRepo.ts ----------

// ---------- timeline ----------

export async function addEvent(
  db: Db,
  e: { incidentId: string; reportId?: string | null; unitCode: string; actorId: number | null; action: string; detail?: Record<string, unknown>; at: Date },
): Promise<void> {
  await db
    .insertInto('report_events')
    .values({
      incident_id: e.incidentId,
      report_id: e.reportId ?? null,
      unit_code: e.unitCode,
      actor_id: e.actorId,
      action: e.action,
      detail: JSON.stringify(e.detail ?? {}),
      at: e.at,
    })
    .execute();
}

// ---------- reports ----------

/** A report with its author's and signer's names (what a ReportDto is built from), and whether it has attachments. */
export const reportBase = (db: Db) =>
  db
    .selectFrom('urgent_reports as r')
    .innerJoin('users as cu', 'cu.id', 'r.created_by')
    .leftJoin('users as su', 'su.id', 'r.signed_by')
    .selectAll('r')
    .select(['cu.display_name as created_by_name', 'su.display_name as signed_by_name'])
    // Most reports have none: their attachments are then not asked for (report_attachments_report_idx).
    .select(sql<boolean>`exists (select 1 from report_attachments ra where ra.report_id = r.id)`.as('has_attachments'));

type ReportRow = Awaited<ReturnType<ReturnType<typeof reportBase>['executeTakeFirstOrThrow']>>;

export async function reportRows(db: Db, where: { ids?: string[]; incidentIds?: string[]; requestId?: string }): Promise<ReportRow[]> {
  let q = reportBase(db);
  if (where.ids) {
    if (!where.ids.length) return [];
    q = q.where('r.id', 'in', where.ids);
  }
  if (where.incidentIds) {
    if (!where.incidentIds.length) return [];
    q = q.where('r.incident_id', 'in', where.incidentIds);
  }
  if (where.requestId) q = q.where('r.request_id', '=', where.requestId);
  return q.orderBy('r.created_at', 'asc').execute();
}

export async function hopRows(db: Db, reportIds: string[]) {
  if (!reportIds.length) return [];
  return db
    .selectFrom('report_hops as h')
    .leftJoin('users as a', 'a.id', 'h.acknowledged_by')
    .leftJoin('users as rb', 'rb.id', 'h.relay_by')
    .leftJoin('users as rs', 'rs.id', 'h.relay_signed_by')
    .selectAll('h')
    .select(['a.display_name as ack_name', 'rb.display_name as relay_by_name', 'rs.display_name as relay_signed_name'])
    .where('h.report_id', 'in', reportIds)
    .orderBy('h.received_at')
    .execute();
}
type HopRow = Awaited<ReturnType<typeof hopRows>>[number];

async function attachmentRows(db: Db, reportIds: string[]) {
  if (!reportIds.length) return [];
  return db
    .selectFrom('report_attachments')
    .select(['id', 'report_id', 'filename', 'mime', 'size', 'created_at'])
    .where('report_id', 'in', reportIds)
    .orderBy('created_at')
    .execute();
}

/** A user may read a report: its own unit (any state), or a unit above it once it was sent. */
export function mayReadReport(tree: OrgTree, user: Pick<SessionUser, 'unitCode'>, r: { unit_code: string; state: ReportState }): boolean {
  if (r.unit_code === user.unitCode) return true;
  return r.state === 'sent' && tree.isWithin(r.unit_code, user.unitCode);
}

export function hopToDto(h: HopRow, tree: OrgTree): HopDto {
  return {
    id: h.id,
    unitCode: h.unit_code,
    unitName: tree.get(h.unit_code)?.name ?? h.unit_code,
    fromUnitCode: h.from_unit_code,
    state: h.state,
    isCopy: h.is_copy,
    receivedAt: h.received_at.toISOString(),
    acknowledgedAt: iso(h.acknowledged_at),
    acknowledgedByName: h.ack_name,
    assessment: h.assessment,
    relayByName: h.relay_by_name,
    relaySignedByName: h.relay_signed_name,
    relaySignComment: h.relay_sign_comment,
    relayedAt: iso(h.relayed_at),
  };
}

/** Builds report DTOs for one reader: unreadable reports are dropped, classified ones redacted. */
export async function reportDtos(db: Db, tree: OrgTree, user: SessionUser | null, rows: ReportRow[]): Promise<ReportDto[]> {
  const visible = user ? rows.filter((r) => mayReadReport(tree, user, r)) : rows;
  const ids = visible.map((r) => r.id);
  const [hops, atts] = await Promise.all([hopRows(db, ids), attachmentRows(db, visible.filter((r) => r.has_attachments).map((r) => r.id))]);
  return visible.map((r) => toReportDto(r, tree, user, hops.filter((h) => h.report_id === r.id), atts.filter((a) => a.report_id === r.id)));
}

type AttachmentRow = { id: string; filename: string; mime: string; size: number; created_at: Date };

/** Whether a reader sees a report's content: the report's clearance class (no reader: the server itself). */
export const readerCleared = (r: Pick<ReportRow, 'classification' | 'created_by'>, user: SessionUser | null) =>
  !user || clearedFor(r.classification, user.roles, r.created_by === user.id);

export function toReportDto(r: ReportRow, tree: OrgTree, user: SessionUser | null, hops: HopRow[], atts: AttachmentRow[]): ReportDto {
  return reportDtoAs(r, tree, readerCleared(r, user), hops, atts);
}

/** The two ways one report reads (content, or redacted): live pushes build each once, whatever the number of sockets. */
export async function reportByClearance(db: Db, tree: OrgTree, r: ReportRow): Promise<{ cleared: ReportDto; redacted: ReportDto }> {
  const [hops, atts] = await Promise.all([hopRows(db, [r.id]), attachmentRows(db, r.has_attachments ? [r.id] : [])]);
  return { cleared: reportDtoAs(r, tree, true, hops, atts), redacted: reportDtoAs(r, tree, false, hops, atts) };
}

function reportDtoAs(r: ReportRow, tree: OrgTree, cleared: boolean, hops: HopRow[], atts: AttachmentRow[]): ReportDto {
  const hide = (s: string) => (cleared ? s : '');
  // Fields written out, not spread from a helper's object: V8 builds a spread-into literal slowly (the same
  // spread in the list's short rows cost 13 % of the server's CPU on the reports list).
  return {
    id: r.id,
    incidentId: r.incident_id,
    kind: r.kind,
    seq: r.seq,
    state: r.state,
    unitCode: r.unit_code,
    unitName: tree.get(r.unit_code)?.name ?? r.unit_code,
    title: cleared ? r.title : REDACTED_TITLE,
    eventTime: r.event_time.toISOString(),
    place: hide(r.place),
    address: hide(r.address),
    category: r.category as Category,
    grade: r.grade,
    classification: r.classification,
    summary: hide(r.summary),
    casualties: hide(r.casualties),
    losses: hide(r.losses),
    cause: hide(r.cause),
    measures: hide(r.measures),
    nextSteps: hide(r.next_steps),
    caller: hide(r.caller),
    callee: hide(r.callee),
    createdBy: r.created_by,
    createdByName: r.created_by_name,
    createdAt: r.created_at.toISOString(),
    submittedAt: iso(r.submitted_at),
    signedByName: r.signed_by_name,
    signedAt: iso(r.signed_at),
    signComment: cleared ? r.sign_comment : null,
    redacted: !cleared,
    hops: hops.map((h) => ({ ...hopToDto(h, tree), assessment: cleared ? h.assessment : '', relaySignComment: cleared ? h.relay_sign_comment : null })),
    attachments: cleared ? atts.map((a) => ({ id: a.id, filename: a.filename, mime: a.mime, size: a.size, createdAt: a.created_at.toISOString() })) : [],
  };
}

// ---------- incidents ----------

type IncidentRow = Selectable<IncidentTable>;

/** The incidents a user may see: own unit's, or below it once something was sent or a report was demanded. */
export async function visibleIncidentRows(
  db: Db,
  tree: OrgTree,
  user: SessionUser,
  opts: { ids?: string[]; status?: 'open' | 'closed'; since?: Date; until?: Date; limit?: number } = {},
): Promise<IncidentRow[]> {
  const below = tree.subtree(user.unitCode).map((u) => u.code).filter((c) => c !== user.unitCode);
  let q = db
    .selectFrom('incidents as i')
    .selectAll('i')
    .where((eb) =>
      eb.or([
        eb('i.unit_code', '=', user.unitCode),
        ...(below.length
          ? [
              eb.and([
                eb('i.unit_code', 'in', below),
                eb.or([
                  eb('i.demanded_by_unit', 'is not', null),
                  eb.exists(
                    eb.selectFrom('urgent_reports as r').select(sql`1`.as('one')).whereRef('r.incident_id', '=', 'i.id').where('r.state', '=', 'sent'),
                  ),
                ]),
              ]),
            ]
          : []),
      ]),
    );
  if (opts.ids) {
    if (!opts.ids.length) return [];
    q = q.where('i.id', 'in', opts.ids);
  }
  if (opts.status) q = q.where('i.status', '=', opts.status);
  if (opts.since) q = q.where('i.event_time', '>=', opts.since);
  if (opts.until) q = q.where('i.event_time', '<', opts.until);
  return q.orderBy('i.event_time', 'desc').limit(opts.limit ?? 500).execute();
}

/** The incident's timeline for one reader: steps on reports they cannot read are left out, details of classified ones blanked. */
export async function eventDtos(
  db: Db,
  tree: OrgTree,
  incidentId: string,
  readableReportIds: Set<string>,
  cleared: Set<string>,
  incidentCleared: boolean,
): Promise<EventDto[]> {
  const rows = await db
    .selectFrom('report_events as e')
    .leftJoin('users as u', 'u.id', 'e.actor_id')
    .selectAll('e')
    .select('u.display_name as actor_name')
    .where('e.incident_id', '=', incidentId)
    .orderBy('e.id')
    .execute();
  return rows
    .filter((e) => !e.report_id || readableReportIds.has(e.report_id))
    .map((e) => ({
      id: String(e.id),
      reportId: e.report_id,
      unitCode: e.unit_code,
      unitName: tree.get(e.unit_code)?.name ?? e.unit_code,
      actorName: e.actor_name,
      action: e.action,
      detail: (e.report_id ? cleared.has(e.report_id) : incidentCleared) ? e.detail : {},
      at: e.at.toISOString(),
    }));
}

// ---------- 迟报 ----------

/** Records each missed deadline exactly once; returns the ones recorded now. */
export async function recordMisses(
  db: Db,
  misses: { incidentId: string; unitCode: string; kind: DeadlineKind; dueAt: Date }[],
  now: Date,
): Promise<{ incidentId: string; unitCode: string; kind: DeadlineKind; dueAt: Date }[]> {
  const recorded = [];
  for (const m of misses) {
    const row = await db
      .insertInto('deadline_misses')
      .values({ incident_id: m.incidentId, unit_code: m.unitCode, kind: m.kind, due_at: m.dueAt, recorded_at: now })
      .onConflict((oc) => oc.columns(['incident_id', 'unit_code', 'kind']).doNothing())
      .returning('id')
      .executeTakeFirst();
    if (row) {
      recorded.push(m);
      await addEvent(db, { incidentId: m.incidentId, unitCode: m.unitCode, actorId: null, action: 'deadline_missed', detail: { kind: m.kind, dueAt: m.dueAt.toISOString() }, at: now });
    }
  }
  return recorded;
}

export { type IncidentRow, type ReportRow, type HopRow };

// ---------- stand-alone reports (the first slice's contract, kept for callers and tests) ----------

export interface NewReport {
  requestId: string;
  unitCode: string;
  title: string;
  eventTime: Date;
  place: string;
  grade: Grade;
  summary: string;
  createdBy: number;
}

/** Stores a signed 首报 opening its own incident. Idempotent on requestId. */
export async function insertReport(db: Kysely<Database>, tree: OrgTree, r: NewReport): Promise<{ report: ReportDto; created: boolean }> {
  const now = clock.now();
  const inserted = await db
    .insertInto('urgent_reports')
    .values({
      request_id: r.requestId,
      unit_code: r.unitCode,
      title: r.title,
      event_time: r.eventTime,
      place: r.place,
      grade: r.grade,
      summary: r.summary,
      created_by: r.createdBy,
      state: 'sent',
      submitted_at: now,
      signed_at: now,
      signed_by: r.createdBy,
    })
    .onConflict((oc) => oc.column('request_id').doNothing())
    .returning('id')
    .executeTakeFirst();
  let id = inserted?.id;
  if (!id) {
    const prior = await db.selectFrom('urgent_reports').select(['id', 'created_by']).where('request_id', '=', r.requestId).executeTakeFirstOrThrow();
    if (prior.created_by !== r.createdBy) throw errors.requestIdConflict();
    id = prior.id;
  }
  const [report] = await reportDtos(db, tree, null, await reportRows(db, { ids: [id] }));
  return { report: report!, created: inserted !== undefined };
}

/** Reports of the given units, newest first. */
export async function listReportsOfUnits(db: Kysely<Database>, tree: OrgTree, unitCodes: string[]): Promise<ReportDto[]> {
  if (unitCodes.length === 0) return [];
  const rows = await reportBase(db).where('r.unit_code', 'in', unitCodes).orderBy('r.created_at', 'desc').limit(500).execute();
  return reportDtos(db, tree, null, rows);
}
