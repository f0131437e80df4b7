/**
 * Writes of the urgent-report workflow (reports, incidents, hops, instructions, attachments): SQL only.
 * The decisions are in service.ts and workflow.ts; reads are in repo.ts.
 */
import type { Insertable, Kysely, Transaction } from 'kysely';
import type { Database } from '../../db/schema.ts';
import type { DeadlineKind, Grade, IncidentTable, UrgentReportTable } from '../../db/tables/reports.ts';

type Trx = Transaction<Database>;
type Db = Kysely<Database> | Trx;

// ---------------------------------------------------------------- deadline rules

/** Replaces the deadline table and the follow-up cadence (one transaction: never half a table). */
export async function saveRules(
  trx: Trx,
  b: { rules: { grade: Grade; level: 1 | 2 | 3; kind: DeadlineKind; minutes: number }[]; followupTimes: string[]; directCopyMaxGrade: number; warnMinutes: number },
): Promise<void> {
  await trx.deleteFrom('deadline_rules').execute();
  if (b.rules.length) await trx.insertInto('deadline_rules').values(b.rules).execute();
  await trx
    .updateTable('report_settings')
    .set({ followup_times: b.followupTimes, direct_copy_max_grade: b.directCopyMaxGrade, warn_minutes: b.warnMinutes })
    .where('id', '=', 1)
    .execute();
}

// ---------------------------------------------------------------- incidents

export const incidentById = (db: Db, id: string) => db.selectFrom('incidents').selectAll().where('id', '=', id).executeTakeFirst();

export async function insertIncident(trx: Trx, values: Insertable<IncidentTable>): Promise<string> {
  const inc = await trx.insertInto('incidents').values(values).returning('id').executeTakeFirstOrThrow();
  return inc.id;
}

export async function updateIncident(trx: Trx, id: string, set: Record<string, unknown>): Promise<void> {
  await trx.updateTable('incidents').set(set).where('id', '=', id).execute();
}

// ---------------------------------------------------------------- reports

export function insertReport(trx: Trx, values: Insertable<UrgentReportTable>) {
  return trx.insertInto('urgent_reports').values(values).returning(['id', 'incident_id', 'unit_code', 'grade']).executeTakeFirstOrThrow();
}

/** The next 续报 number of an incident. */
export async function nextFollowupSeq(trx: Trx, incidentId: string): Promise<number> {
  const m = await trx
    .selectFrom('urgent_reports')
    .select((eb) => eb.fn.max('seq').as('m'))
    .where('incident_id', '=', incidentId)
    .where('kind', '=', 'followup')
    .executeTakeFirst();
  return Number(m?.m ?? 0) + 1;
}

/** Changes a report only while it is in one of `states` (someone else acting first makes it false). */
export async function updateReportIn(trx: Trx, id: string, states: string[], set: Record<string, unknown>): Promise<boolean> {
  const done = await trx
    .updateTable('urgent_reports')
    .set(set)
    .where('id', '=', id)
    .where('state', 'in', states as never)
    .returning('id')
    .executeTakeFirst();
  return done !== undefined;
}

// ---------------------------------------------------------------- hops (one per office the report reached)

export const hopAt = (db: Db, reportId: string, unitCode: string) =>
  db.selectFrom('report_hops').selectAll().where('report_id', '=', reportId).where('unit_code', '=', unitCode).executeTakeFirst();

/** The regular receipt one level up; a direct copy already there becomes it (the first receipt time stays). */
export async function upsertReceipt(trx: Trx, reportId: string, unitCode: string, fromUnit: string, at: Date): Promise<void> {
  await trx
    .insertInto('report_hops')
    .values({ report_id: reportId, unit_code: unitCode, from_unit_code: fromUnit, received_at: at })
    .onConflict((oc) => oc.columns(['report_id', 'unit_code']).doUpdateSet({ is_copy: false, from_unit_code: fromUnit }))
    .execute();
}

/** A direct copy to the top office; false when the report is already there. */
export async function insertCopy(trx: Trx, reportId: string, unitCode: string, fromUnit: string, at: Date): Promise<boolean> {
  const copy = await trx
    .insertInto('report_hops')
    .values({ report_id: reportId, unit_code: unitCode, from_unit_code: fromUnit, received_at: at, is_copy: true })
    .onConflict((oc) => oc.columns(['report_id', 'unit_code']).doNothing())
    .returning('id')
    .executeTakeFirst();
  return copy !== undefined;
}

/** Changes a hop only while it is still in `state`. */
export async function updateHopIn(trx: Trx, hopId: string, state: string, set: Record<string, unknown>): Promise<boolean> {
  const done = await trx
    .updateTable('report_hops')
    .set(set)
    .where('id', '=', hopId)
    .where('state', '=', state as never)
    .returning('id')
    .executeTakeFirst();
  return done !== undefined;
}

// ---------------------------------------------------------------- instructions (批示) and feedback

export async function insertInstruction(
  trx: Trx,
  i: { incidentId: string; reportId: string | null; unitCode: string; authorId: number; text: string; dueAt: Date | null; at: Date; targets: string[] },
): Promise<string> {
  const ins = await trx
    .insertInto('report_instructions')
    .values({ incident_id: i.incidentId, report_id: i.reportId, unit_code: i.unitCode, author_id: i.authorId, text: i.text, due_at: i.dueAt, created_at: i.at })
    .returning('id')
    .executeTakeFirstOrThrow();
  await trx.insertInto('instruction_targets').values(i.targets.map((u) => ({ instruction_id: ins.id, unit_code: u, done_at: null }))).execute();
  return ins.id;
}

/** A unit's task under an instruction on an incident (instructions on information items are answered elsewhere). */
export const incidentTaskOf = (db: Db, instructionId: string, unitCode: string) =>
  db
    .selectFrom('instruction_targets as t')
    .innerJoin('report_instructions as i', 'i.id', 't.instruction_id')
    .innerJoin('incidents as inc', 'inc.id', 'i.incident_id')
    .select(['t.done_at', 'i.incident_id', 'i.unit_code as issuer', 'i.report_id', 'inc.classification'])
    .where('t.instruction_id', '=', instructionId)
    .where('t.unit_code', '=', unitCode)
    .where('i.incident_id', 'is not', null)
    .$narrowType<{ incident_id: string }>()
    .executeTakeFirst();

/** Feedback (反馈); `done` closes the unit's task. */
export async function insertFeedback(trx: Trx, f: { instructionId: string; unitCode: string; authorId: number; text: string; done: boolean; at: Date }): Promise<string> {
  const fb = await trx
    .insertInto('instruction_feedback')
    .values({ instruction_id: f.instructionId, unit_code: f.unitCode, author_id: f.authorId, text: f.text, done: f.done, created_at: f.at })
    .returning('id')
    .executeTakeFirstOrThrow();
  if (f.done) {
    await trx.updateTable('instruction_targets').set({ done_at: f.at }).where('instruction_id', '=', f.instructionId).where('unit_code', '=', f.unitCode).execute();
  }
  return fb.id;
}

// ---------------------------------------------------------------- attachments

export async function insertAttachment(trx: Trx, a: { reportId: string; filename: string; mime: string; data: Buffer; by: number; at: Date }): Promise<void> {
  await trx
    .insertInto('report_attachments')
    .values({ report_id: a.reportId, filename: a.filename, mime: a.mime, size: a.data.length, data: a.data, uploaded_by: a.by, created_at: a.at })
    .execute();
}

export const attachmentById = (db: Db, id: string) => db.selectFrom('report_attachments').selectAll().where('id', '=', id).executeTakeFirst();
