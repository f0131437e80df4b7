/** The reports list as a reader sees it: one page, what waits for the reader, and today's count. */
import type { AppContext } from '../context.ts';
import type { SessionUser } from '../auth/sessions.ts';
import type { z } from 'zod';
import type { ReportDto, ReportListQuery, ReportPage, WaitingReportDto } from '../../contract/reports.ts';
import { reportListQuery } from '../../contract/reports.ts';
import { hasAnyRole } from '../auth/sessions.ts';
import { errors } from '../http/errors.ts';
import { reportDtos, reportRows } from './repo.ts';
import { pagedReportIds, submittedBetween, waitingReportIds, type ListScope } from './listRepo.ts';

const TZ_MS = 8 * 3600_000;

function scopeOf(ctx: AppContext, user: SessionUser, unit?: string): ListScope {
  const base = unit ?? user.unitCode;
  // A unit outside my subtree is refused, not silently answered with nothing (the picker never offers one).
  if (unit && !ctx.tree.isWithin(unit, user.unitCode)) throw errors.scopeForbidden();
  return { ownUnit: user.unitCode, units: ctx.tree.subtree(base).map((u) => u.code), userId: user.id, leader: hasAnyRole(user, ['leader']) };
}

/** Loads DTOs for ids and keeps the ids' order (the SQL's sort). */
async function dtosInOrder(ctx: AppContext, user: SessionUser, ids: string[]): Promise<ReportDto[]> {
  const dtos = await reportDtos(ctx.db, ctx.tree, user, await reportRows(ctx.db, { ids }));
  const byId = new Map(dtos.map((d) => [d.id, d]));
  return ids.map((id) => byId.get(id)).filter((d): d is ReportDto => !!d);
}

/** A waiting report without its long fields: a city with a hundred unsigned reports gets ~250 B each, not 1.4 KiB. */
const slim = (r: ReportDto): WaitingReportDto => ({
  id: r.id,
  incidentId: r.incidentId,
  kind: r.kind,
  seq: r.seq,
  state: r.state,
  unitCode: r.unitCode,
  unitName: r.unitName,
  title: r.title,
  place: r.place,
  grade: r.grade,
  classification: r.classification,
  createdAt: r.createdAt,
  createdByName: r.createdByName,
  redacted: r.redacted,
  hops: r.hops.map((h) => ({ id: h.id, unitCode: h.unitCode, state: h.state })),
});

export async function reportPage(ctx: AppContext, user: SessionUser, query: z.output<typeof reportListQuery>): Promise<ReportPage> {
  const scope = scopeOf(ctx, user, query.unit);
  const { page, pageSize } = query;
  const [{ ids, total }, waitingIds] = await Promise.all([
    pagedReportIds(ctx.db, scope, { ...query, limit: pageSize, offset: (page - 1) * pageSize }),
    // What waits for me does not depend on the filter: alarms must not go quiet because of a search.
    waitingReportIds(ctx.db, scopeOf(ctx, user)),
  ]);
  // Both lists' reports in one load (a report often is in both).
  const all = await dtosInOrder(ctx, user, [...new Set([...ids, ...waitingIds])]);
  const byId = new Map(all.map((d) => [d.id, d]));
  const pick = (xs: string[]) => xs.map((id) => byId.get(id)).filter((d): d is ReportDto => !!d);
  return { reports: pick(ids), total, page, pageSize, waiting: pick(waitingIds).map(slim) };
}

/** Reports submitted on the Beijing calendar day of `now` that the reader may list. */
export async function todayReports(ctx: AppContext, user: SessionUser, now: Date): Promise<number> {
  const local = new Date(now.getTime() + TZ_MS);
  const start = new Date(Date.UTC(local.getUTCFullYear(), local.getUTCMonth(), local.getUTCDate()) - TZ_MS);
  return submittedBetween(ctx.db, scopeOf(ctx, user), start, new Date(start.getTime() + 24 * 3600_000));
}

export type { ReportListQuery };
