/** The reports list as a reader sees it: one page, what waits for the reader, and today's count. */
import type { AppContext } from '../context.ts';
import type { SessionUser } from '../auth/sessions.ts';
import type { z } from 'zod';
import type { ReportListQuery, ReportPage, WaitingReportDto } from '../../contract/reports.ts';
import { reportListQuery } from '../../contract/reports.ts';
import { hasAnyRole } from '../auth/sessions.ts';
import { errors } from '../http/errors.ts';
import { mayReadReport, readerCleared, reportDtos, reportHead } from './repo.ts';
import { REDACTED_TITLE } from './workflow.ts';
import { pagedReports, submittedBetween, waitingReportHops, type ListScope, type WaitingHopRow } from './listRepo.ts';

const TZ_MS = 8 * 3600_000;

function scopeOf(ctx: AppContext, user: SessionUser, unit?: string): ListScope {
  const base = unit ?? user.unitCode;
  // A unit outside my subtree is refused, not silently answered with nothing (the picker never offers one).
  if (unit && !ctx.tree.isWithin(unit, user.unitCode)) throw errors.scopeForbidden();
  return { ownUnit: user.unitCode, units: ctx.tree.subtree(base).map((u) => u.code), userId: user.id, leader: hasAnyRole(user, ['leader']) };
}

/**
 * A waiting report without its long fields: a city with a hundred unsigned reports gets ~250 B each, not 1.4 KiB.
 * Redacted as the full report would be (title replaced, place blanked).
 */
const waitingDto = (ctx: AppContext, user: SessionUser, r: WaitingHopRow): WaitingReportDto => {
  const cleared = readerCleared(r, user);
  return {
    ...reportHead(r, ctx.tree),
    title: cleared ? r.title : REDACTED_TITLE,
    place: cleared ? r.place : '',
    grade: r.grade,
    classification: r.classification,
    createdAt: r.created_at.toISOString(),
    createdByName: r.created_by_name,
    redacted: !cleared,
    hops: [],
  };
};

/** One DTO per report of the rows (a row per hop, a report's rows together), in their order. */
function waitingDtos(ctx: AppContext, user: SessionUser, rows: WaitingHopRow[]): WaitingReportDto[] {
  const out: WaitingReportDto[] = [];
  let cur: WaitingReportDto | undefined;
  for (const r of rows) {
    if (cur?.id !== r.id) {
      cur = mayReadReport(ctx.tree, user, r) ? waitingDto(ctx, user, r) : undefined;
      if (cur) out.push(cur);
    }
    if (cur && r.hop_id !== null && r.hop_unit_code !== null && r.hop_state !== null) cur.hops.push({ id: r.hop_id, unitCode: r.hop_unit_code, state: r.hop_state });
  }
  return out;
}

export async function reportPage(ctx: AppContext, user: SessionUser, query: z.output<typeof reportListQuery>): Promise<ReportPage> {
  const scope = scopeOf(ctx, user, query.unit);
  const { page, pageSize } = query;
  const [{ rows, total }, waiting] = await Promise.all([
    pagedReports(ctx.db, scope, { ...query, limit: pageSize, offset: (page - 1) * pageSize }),
    // What waits for me does not depend on the filter: alarms must not go quiet because of a search.
    waitingReportHops(ctx.db, scopeOf(ctx, user)),
  ]);
  // reportDtos keeps the rows' order (the SQL's sort).
  const reports = await reportDtos(ctx.db, ctx.tree, user, rows);
  return { reports, total, page, pageSize, waiting: waitingDtos(ctx, user, waiting) };
}

/** Reports submitted on the Beijing calendar day of `now` that the reader may list. */
export async function todayReports(ctx: AppContext, user: SessionUser, now: Date): Promise<number> {
  const local = new Date(now.getTime() + TZ_MS);
  const start = new Date(Date.UTC(local.getUTCFullYear(), local.getUTCMonth(), local.getUTCDate()) - TZ_MS);
  return submittedBetween(ctx.db, scopeOf(ctx, user), start, new Date(start.getTime() + 24 * 3600_000));
}

export type { ReportListQuery };
