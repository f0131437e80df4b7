/**
 * The reports list, paged and filtered in SQL (SQL only). What a reader may list is the same rule as
 * `mayReadReport`: the reader's own unit in every state, and the sent reports of the units below.
 */
import { sql, type ExpressionBuilder, type Kysely } from 'kysely';
import type { Database } from '../../db/schema.ts';
import type { ReportSort } from '../../contract/reports.ts';
import { CLASSIFIED_FROM } from './workflow.ts';

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
type Eb = ExpressionBuilder<Database, 'urgent_reports'>;

const listable = (scope: ListScope) => (eb: Eb) =>
  eb.and([eb('unit_code', 'in', scope.units), eb.or([eb('unit_code', '=', scope.ownUnit), eb('state', '=', 'sent')])]);

/** `%` and `_` typed by a user are letters, not wildcards. */
const likePattern = (q: string) => `%${q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

const SORT_COLUMN = { createdAt: 'created_at', eventTime: 'event_time', grade: 'grade' } as const;

export async function pagedReportIds(db: Db, scope: ListScope, f: ListFilter): Promise<{ ids: string[]; total: number }> {
  if (!scope.units.length) return { ids: [], total: 0 };
  let q = db.selectFrom('urgent_reports').where(listable(scope));
  if (f.grade !== undefined) q = q.where('grade', '=', f.grade as 1);
  if (f.state) q = q.where('state', '=', f.state as 'sent');
  if (f.kind) q = q.where('kind', '=', f.kind as 'initial');
  if (f.q) {
    const pattern = likePattern(f.q);
    // A classified report's title is not searchable by someone who may not read it (no oracle on its words).
    q = q.where((eb) =>
      eb.and([
        eb.or([eb('title', 'ilike', pattern), eb('place', 'ilike', pattern)]),
        scope.leader ? eb.lit(true) : eb.or([eb('classification', '<', CLASSIFIED_FROM as 2), eb('created_by', '=', scope.userId)]),
      ]),
    );
  }
  // Grade 1 is the most severe: "grade descending" in the table means the most severe first.
  const column = SORT_COLUMN[f.sort];
  const dir = f.sort === 'grade' ? (f.order === 'desc' ? 'asc' : 'desc') : f.order;
  // The total rides along with the page (a window count: one statement); a page past the end has no row to carry it.
  const rows = await q.select(['id', sql<string>`count(*) over ()`.as('total')]).orderBy(column, dir).orderBy('created_at', 'desc').orderBy('id').limit(f.limit).offset(f.offset).execute();
  if (rows.length || f.offset === 0) return { ids: rows.map((r) => r.id), total: Number(rows[0]?.total ?? 0) };
  const count = await q.select(sql<string>`count(*)`.as('n')).executeTakeFirst();
  return { ids: [], total: Number(count?.n ?? 0) };
}

/** Reports waiting for the reader's office or for the reader (as `ReportPage.waiting` describes), newest first. */
export async function waitingReportIds(db: Db, scope: ListScope, limit = 200): Promise<string[]> {
  if (!scope.units.length) return [];
  const rows = await db
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
    .limit(limit)
    .execute();
  return rows.map((r) => r.id);
}

/** How many listable reports were submitted in [start, end). */
export async function submittedBetween(db: Db, scope: ListScope, start: Date, end: Date): Promise<number> {
  if (!scope.units.length) return 0;
  const row = await db
    .selectFrom('urgent_reports')
    .select(sql<string>`count(*)`.as('n'))
    .where(listable(scope))
    .where('submitted_at', '>=', start)
    .where('submitted_at', '<', end)
    .executeTakeFirst();
  return Number(row?.n ?? 0);
}
