/**
 * The reports list, paged and filtered in SQL (SQL only). What a reader may list is the same rule as
 * `mayReadReport`: the reader's own unit in every state, and the sent reports of the units below.
 */
import { sql, type ExpressionBuilder, type Kysely } from 'kysely';
import type { Database } from '../../db/schema.ts';
import type { ReportSort } from '../../contract/reports.ts';
import { CLASSIFIED_FROM } from './workflow.ts';
import type { HopState } from '../../contract/reports.ts';

export interface ListScope {
  ownUnit: string;
  /** The units whose sent reports are listed (the reader's subtree, or a part of it). */
  units: string[];
  userId: number;
  /** Leaders read classified content; the search may look into it for them. */
  leader: boolean;
}

export interface ListFilter {
  grade?: number;
  state?: string;
  kind?: string;
  q?: string;
  sort: ReportSort;
  order: 'asc' | 'desc';
  limit: number;
  offset: number;
}

type Db = Kysely<Database>;
type Eb = ExpressionBuilder<Database & { r: Database['urgent_reports'] }, 'r'>;

/**
 * A report as the lists show it (ReportSummaryDto's columns, no long fields) with its hops' id, unit and state
 * as one JSON array in receipt order: one row per report, one statement for a page.
 */
const summaryBase = (db: Db) =>
  db
    .selectFrom('urgent_reports as r')
    .innerJoin('users as cu', 'cu.id', 'r.created_by')
    .select(['r.id', 'r.incident_id', 'r.kind', 'r.seq', 'r.state', 'r.unit_code', 'r.title', 'r.place', 'r.grade', 'r.classification'])
    .select(['r.event_time', 'r.created_at', 'r.created_by', 'r.submitted_at', 'r.signed_at', 'cu.display_name as created_by_name'])
    .select(sql<[string, string, HopState][]>`(select coalesce(json_agg(json_build_array(h.id, h.unit_code, h.state) order by h.received_at, h.id), '[]'::json)
      from report_hops h where h.report_id = r.id)`.as('hops'));
export type SummaryRow = Awaited<ReturnType<ReturnType<typeof summaryBase>['executeTakeFirstOrThrow']>>;

/** `%` and `_` typed by a user are letters, not wildcards. */
const likePattern = (q: string) => `%${q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

const SORT_COLUMN = { createdAt: 'r.created_at', eventTime: 'r.event_time', grade: 'r.grade' } as const;

/** What the reader may list (see the top), narrowed by the filter. */
const listed = (scope: ListScope, f: Partial<ListFilter> = {}) => (eb: Eb) => {
  const and = [eb('r.unit_code', 'in', scope.units), eb.or([eb('r.unit_code', '=', scope.ownUnit), eb('r.state', '=', 'sent')])];
  if (f.grade !== undefined) and.push(eb('r.grade', '=', f.grade as 1));
  if (f.state) and.push(eb('r.state', '=', f.state as 'sent'));
  if (f.kind) and.push(eb('r.kind', '=', f.kind as 'initial'));
  if (f.q) {
    const pattern = likePattern(f.q);
    // A classified report's title is not searchable by someone who may not read it (no oracle on its words).
    and.push(eb.or([eb('r.title', 'ilike', pattern), eb('r.place', 'ilike', pattern)]));
    if (!scope.leader) and.push(eb.or([eb('r.classification', '<', CLASSIFIED_FROM as 2), eb('r.created_by', '=', scope.userId)]));
  }
  return eb.and(and);
};

/** One page of the reports (rows to build DTOs from) and how many there are in all. */
export async function pagedReports(db: Db, scope: ListScope, f: ListFilter): Promise<{ rows: SummaryRow[]; total: number }> {
  if (!scope.units.length) return { rows: [], total: 0 };
  // Grade 1 is the most severe: "grade descending" in the table means the most severe first.
  const column = SORT_COLUMN[f.sort];
  const dir = f.sort === 'grade' ? (f.order === 'desc' ? 'asc' : 'desc') : f.order;
  // The page's reports and the total in one statement (a window count); a page past the end has no row to carry it.
  const rows = await summaryBase(db)
    .select(sql<string>`count(*) over ()`.as('total'))
    .where(listed(scope, f))
    .orderBy(column, dir)
    .orderBy('r.created_at', 'desc')
    .orderBy('r.id')
    .limit(f.limit)
    .offset(f.offset)
    .execute();
  const total = Number(rows[0]?.total ?? 0);
  if (rows.length || f.offset === 0) return { rows: rows.map(({ total: _, ...r }) => r), total };
  const count = await db.selectFrom('urgent_reports as r').select(sql<string>`count(*)`.as('n')).where(listed(scope, f)).executeTakeFirst();
  return { rows: [], total: Number(count?.n ?? 0) };
}

/** Reports waiting for the reader's office or for the reader (as `ReportPage.waiting` describes), newest first. */
export async function waitingReports(db: Db, scope: ListScope, limit = 200): Promise<SummaryRow[]> {
  if (!scope.units.length) return [];
  const ids = db
    .selectFrom('urgent_reports as r')
    .select('r.id')
    .where('r.unit_code', 'in', scope.units)
    .where((eb) => {
      // `in (subquery)`, not a correlated `exists`: Postgres hashes the office's hops once (report_hops_unit_idx)
      // instead of probing them for every report of the subtree.
      const hopHere = (states: ('received' | 'relay_pending')[]) =>
        eb('r.id', 'in', eb.selectFrom('report_hops as h').select('h.report_id').where('h.unit_code', '=', scope.ownUnit).where('h.state', 'in', states));
      const ors = [eb.and([eb('r.state', '=', 'sent'), hopHere(scope.leader ? ['received', 'relay_pending'] : ['received'])])];
      if (scope.leader) ors.push(eb.and([eb('r.unit_code', '=', scope.ownUnit), eb('r.state', '=', 'pending_signoff')]));
      return eb.or(ors);
    })
    .orderBy('r.created_at', 'desc')
    .limit(limit);
  return summaryBase(db).where('r.id', 'in', ids).orderBy('r.created_at', 'desc').orderBy('r.id').execute();
}

/** How many listable reports were submitted in [start, end). */
export async function submittedBetween(db: Db, scope: ListScope, start: Date, end: Date): Promise<number> {
  if (!scope.units.length) return 0;
  const row = await db
    .selectFrom('urgent_reports as r')
    .select(sql<string>`count(*)`.as('n'))
    .where(listed(scope))
    .where('r.submitted_at', '>=', start)
    .where('r.submitted_at', '<', end)
    .executeTakeFirst();
  return Number(row?.n ?? 0);
}
