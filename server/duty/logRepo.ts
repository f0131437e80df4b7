/** The duty log (值班日志) and its revisions: SQL only. */
import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../../db/schema.ts';
import type { LogEntryDto } from '../../contract/duty.ts';
import type { LogBodyFields, LogListQuery } from '../../contract/dutyRequests.ts';

type Db = Kysely<Database> | Transaction<Database>;


export const LOG_FIELDS = [
  'kind',
  'call_time',
  'caller_unit',
  'caller_name',
  'caller_title',
  'caller_phone',
  'summary',
  'place',
  'cause',
  'measures',
  'notified',
  'status',
] as const;

export const logQuery = (db: Db) =>
  db
    .selectFrom('duty_log as l')
    .innerJoin('users as c', 'c.id', 'l.created_by')
    .innerJoin('users as u', 'u.id', 'l.updated_by')
    .selectAll('l')
    .select(['c.display_name as created_by_name', 'u.display_name as updated_by_name']);
type LogRow = Awaited<ReturnType<ReturnType<typeof logQuery>['executeTakeFirstOrThrow']>>;

export const logDto = (r: LogRow): LogEntryDto => ({
  id: r.id,
  unitCode: r.unit_code,
  kind: r.kind,
  receivedAt: r.received_at.toISOString(),
  callTime: r.call_time.toISOString(),
  callerUnit: r.caller_unit,
  callerName: r.caller_name,
  callerTitle: r.caller_title,
  callerPhone: r.caller_phone,
  summary: r.summary,
  place: r.place,
  cause: r.cause,
  measures: r.measures,
  notified: r.notified,
  status: r.status,
  revision: r.revision,
  createdBy: r.created_by,
  createdByName: r.created_by_name,
  updatedBy: r.updated_by,
  updatedByName: r.updated_by_name,
  updatedAt: r.updated_at.toISOString(),
});

export async function getLogEntry(db: Db, id: string): Promise<LogEntryDto | null> {
  const r = await logQuery(db).where('l.id', '=', id).executeTakeFirst();
  return r ? logDto(r) : null;
}

/** The snapshot stored per revision: the editable fields. */
export function logSnapshot(e: LogEntryDto): Record<string, unknown> {
  return {
    kind: e.kind,
    callTime: e.callTime,
    callerUnit: e.callerUnit,
    callerName: e.callerName,
    callerTitle: e.callerTitle,
    callerPhone: e.callerPhone,
    summary: e.summary,
    place: e.place,
    cause: e.cause,
    measures: e.measures,
    notified: e.notified,
    status: e.status,
  };
}

/** The register's columns, shared by create and edit. */
const logColumns = (b: LogBodyFields) => ({
  kind: b.kind,
  call_time: new Date(b.callTime),
  caller_unit: b.callerUnit,
  caller_name: b.callerName,
  caller_title: b.callerTitle,
  caller_phone: b.callerPhone,
  summary: b.summary,
  place: b.place,
  cause: b.cause,
  measures: b.measures,
  notified: b.notified,
  status: b.status,
});

/** A unit's register, newest call first (at most 500), filtered as the officer asks. */
export async function listLog(db: Db, unitCode: string, q: LogListQuery, dayFrom: Date | null): Promise<LogEntryDto[]> {
  let query = logQuery(db).where('l.unit_code', '=', unitCode);
  // The day view is the duty day: the 24 hours from local midnight.
  if (dayFrom) query = query.where('l.call_time', '>=', dayFrom).where('l.call_time', '<', new Date(dayFrom.getTime() + 86400_000));
  if (q.status) query = query.where('l.status', '=', q.status);
  if (q.kind) query = query.where('l.kind', '=', q.kind);
  if (q.q) {
    const like = `%${q.q.replace(/[%_\\]/g, (c) => `\\${c}`)}%`;
    query = query.where((eb) => eb.or([eb('l.summary', 'ilike', like), eb('l.caller_unit', 'ilike', like), eb('l.caller_name', 'ilike', like), eb('l.place', 'ilike', like)]));
  }
  const rows = await query.orderBy('l.call_time', 'desc').limit(500).execute();
  return rows.map(logDto);
}

export async function logByRequestId(db: Db, requestId: string): Promise<{ entry: LogEntryDto; createdBy: number } | null> {
  const r = await logQuery(db).where('l.request_id', '=', requestId).executeTakeFirst();
  return r ? { entry: logDto(r), createdBy: r.created_by } : null;
}

async function addRevision(trx: Transaction<Database>, e: LogEntryDto, by: number, at: Date): Promise<void> {
  await trx.insertInto('duty_log_revisions').values({ entry_id: e.id, revision: e.revision, data: JSON.stringify(logSnapshot(e)), edited_by: by, edited_at: at }).execute();
}

/** A new entry (revision 1, stored as its first revision); null when its requestId was already used. */
export async function insertLog(trx: Transaction<Database>, w: { requestId: string; unitCode: string; fields: LogBodyFields; by: number; at: Date }): Promise<LogEntryDto | null> {
  const ins = await trx
    .insertInto('duty_log')
    .values({
      request_id: w.requestId,
      unit_code: w.unitCode,
      ...logColumns(w.fields),
      revision: 1,
      created_by: w.by,
      updated_by: w.by,
      received_at: w.at,
      updated_at: w.at,
    })
    .onConflict((oc) => oc.column('request_id').doNothing())
    .returning('id')
    .executeTakeFirst();
  if (!ins) return null;
  const entry = (await getLogEntry(trx, ins.id))!;
  await addRevision(trx, entry, w.by, w.at);
  return entry;
}

/** The next revision of an entry; null when `revision` is not the current one (someone saved meanwhile). */
export async function updateLog(trx: Transaction<Database>, w: { id: string; revision: number; fields: LogBodyFields; by: number; at: Date }): Promise<LogEntryDto | null> {
  const upd = await trx
    .updateTable('duty_log')
    .set({ ...logColumns(w.fields), revision: w.revision + 1, updated_by: w.by, updated_at: w.at })
    .where('id', '=', w.id)
    .where('revision', '=', w.revision)
    .executeTakeFirst();
  if (Number(upd.numUpdatedRows) === 0) return null;
  const e = (await getLogEntry(trx, w.id))!;
  await addRevision(trx, e, w.by, w.at);
  return e;
}

export async function logRevisions(db: Db, entryId: string) {
  const rows = await db
    .selectFrom('duty_log_revisions as r')
    .innerJoin('users as u', 'u.id', 'r.edited_by')
    .select(['r.revision', 'r.data', 'r.edited_at', 'u.display_name'])
    .where('r.entry_id', '=', entryId)
    .orderBy('r.revision')
    .execute();
  return rows.map((x) => ({ revision: x.revision, data: x.data, editedAt: x.edited_at.toISOString(), editedByName: x.display_name }));
}
