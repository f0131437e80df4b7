import type { Kysely } from 'kysely';
import type { Database, UrgentReport } from '../../db/schema.ts';
import type { OrgTree } from '../org/tree.ts';
import { errors } from '../http/errors.ts';

export interface ReportDto {
  id: string;
  unitCode: string;
  unitName: string;
  title: string;
  eventTime: string;
  place: string;
  grade: 1 | 2 | 3 | 4;
  summary: string;
  createdBy: number;
  createdByName: string;
  createdAt: string;
}

export interface NewReport {
  requestId: string;
  unitCode: string;
  title: string;
  eventTime: Date;
  place: string;
  grade: 1 | 2 | 3 | 4;
  summary: string;
  createdBy: number;
}

/** Idempotent on requestId: a retried submit returns the report the first one stored. */
export async function insertReport(
  db: Kysely<Database>,
  tree: OrgTree,
  r: NewReport,
): Promise<{ report: ReportDto; created: boolean }> {
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
    })
    .onConflict((oc) => oc.column('request_id').doNothing())
    .returning('id')
    .executeTakeFirst();
  let id = inserted?.id;
  if (!id) {
    const prior = await db
      .selectFrom('urgent_reports')
      .select(['id', 'created_by'])
      .where('request_id', '=', r.requestId)
      .executeTakeFirstOrThrow();
    // Another user's request id must not reveal their report.
    if (prior.created_by !== r.createdBy) throw errors.requestIdConflict();
    id = prior.id;
  }
  const [report] = await loadReports(db, tree, (q) => q.where('urgent_reports.id', '=', id));
  return { report: report!, created: inserted !== undefined };
}

/** Reports of the given units, newest first. */
export async function listReportsOfUnits(db: Kysely<Database>, tree: OrgTree, unitCodes: string[]): Promise<ReportDto[]> {
  if (unitCodes.length === 0) return [];
  return loadReports(db, tree, (q) => q.where('urgent_reports.unit_code', 'in', unitCodes).orderBy('urgent_reports.created_at', 'desc').limit(500));
}

type ReportQuery = ReturnType<typeof baseQuery>;
const baseQuery = (db: Kysely<Database>) =>
  db
    .selectFrom('urgent_reports')
    .innerJoin('users', 'users.id', 'urgent_reports.created_by')
    .selectAll('urgent_reports')
    .select('users.display_name as created_by_name');

async function loadReports(db: Kysely<Database>, tree: OrgTree, refine: (q: ReportQuery) => ReportQuery): Promise<ReportDto[]> {
  const rows = await refine(baseQuery(db)).execute();
  return rows.map((row) => toDto(row, tree));
}

function toDto(row: UrgentReport & { created_by_name: string }, tree: OrgTree): ReportDto {
  return {
    id: row.id,
    unitCode: row.unit_code,
    unitName: tree.get(row.unit_code)?.name ?? row.unit_code,
    title: row.title,
    eventTime: row.event_time.toISOString(),
    place: row.place,
    grade: row.grade,
    summary: row.summary,
    createdBy: row.created_by,
    createdByName: row.created_by_name,
    createdAt: row.created_at.toISOString(),
  };
}
