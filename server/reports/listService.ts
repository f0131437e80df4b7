/** The reports list as a reader sees it: one page, what waits for the reader (its own answer), and today's count. */
import type { AppContext } from '../context.ts';
import type { SessionUser } from '../auth/sessions.ts';
import type { z } from 'zod';
import type { ReportListQuery, ReportPage, ReportSummaryDto, WaitingList, WaitingReportDto } from '../../contract/reports.ts';
import { reportListQuery } from '../../contract/reports.ts';
import { hasAnyRole } from '../auth/sessions.ts';
import { errors } from '../http/errors.ts';
import { mayReadReport, readerCleared } from './repo.ts';
import { REDACTED_TITLE } from './workflow.ts';
import { pagedReports, submittedBetween, waitingReports, type ListScope, type SummaryRow } from './listRepo.ts';

const TZ_MS = 8 * 3600_000;

function scopeOf(ctx: AppContext, user: SessionUser, unit?: string): ListScope {
  const base = unit ?? user.unitCode;
  // A unit outside my subtree is refused, not silently answered with nothing (the picker never offers one).
  if (unit && !ctx.tree.isWithin(unit, user.unitCode)) throw errors.scopeForbidden();
  return { ownUnit: user.unitCode, units: ctx.tree.subtree(base).map((u) => u.code), userId: user.id, leader: hasAnyRole(user, ['leader']) };
}

/** A report as the lists show it, redacted as the full report would be (title replaced, place blanked). */
const summaryDto = (ctx: AppContext, user: SessionUser, r: SummaryRow): ReportSummaryDto => {
  const cleared = readerCleared(r, user);
  // Fields written out, not spread from a helper's object (V8 builds a spread-into literal slowly): this runs for
  // every row of every page of every desk.
  return {
    id: r.id,
    incidentId: r.incident_id,
    kind: r.kind,
    seq: r.seq,
    state: r.state,
    unitCode: r.unit_code,
    unitName: ctx.tree.get(r.unit_code)?.name ?? r.unit_code,
    title: cleared ? r.title : REDACTED_TITLE,
    place: cleared ? r.place : '',
    grade: r.grade,
    classification: r.classification,
    eventTime: r.event_time.toISOString(),
    createdAt: r.created_at.toISOString(),
    createdByName: r.created_by_name,
    submittedAt: r.submitted_at ? r.submitted_at.toISOString() : null,
    signedAt: r.signed_at ? r.signed_at.toISOString() : null,
    redacted: !cleared,
    hops: r.hops.map(([id, unitCode, state]) => ({ id, unitCode, state })),
  };
};

/** A report waiting for the reader: the list's row without the times, and only the reader's unit's hops. */
const waitingDto = (ctx: AppContext, user: SessionUser, r: SummaryRow): WaitingReportDto => {
  const { eventTime: _e, submittedAt: _s, signedAt: _g, ...rest } = summaryDto(ctx, user, r);
  return { ...rest, hops: rest.hops.filter((h) => h.unitCode === user.unitCode) };
};

/** The rows the reader may read (the SQL already keeps to that), as the lists show them, in their order. */
const summaryDtos = (ctx: AppContext, user: SessionUser, rows: SummaryRow[]): ReportSummaryDto[] =>
  rows.filter((r) => mayReadReport(ctx.tree, user, r)).map((r) => summaryDto(ctx, user, r));

export async function reportPage(ctx: AppContext, user: SessionUser, query: z.output<typeof reportListQuery>): Promise<ReportPage> {
  const { page, pageSize } = query;
  const { rows, total } = await pagedReports(ctx.db, scopeOf(ctx, user, query.unit), { ...query, limit: pageSize, offset: (page - 1) * pageSize });
  return { reports: summaryDtos(ctx, user, rows), total, page, pageSize };
}

/** What waits for me; it does not depend on the list's filter: alarms must not go quiet because of a search. */
export async function waitingList(ctx: AppContext, user: SessionUser): Promise<WaitingList> {
  const rows = await waitingReports(ctx.db, scopeOf(ctx, user));
  return { waiting: rows.filter((r) => mayReadReport(ctx.tree, user, r)).map((r) => waitingDto(ctx, user, r)) };
}

/** Reports submitted on the Beijing calendar day of `now` that the reader may list. */
export async function todayReports(ctx: AppContext, user: SessionUser, now: Date): Promise<number> {
  const local = new Date(now.getTime() + TZ_MS);
  const start = new Date(Date.UTC(local.getUTCFullYear(), local.getUTCMonth(), local.getUTCDate()) - TZ_MS);
  return submittedBetween(ctx.db, scopeOf(ctx, user), start, new Date(start.getTime() + 24 * 3600_000));
}

export type { ReportListQuery };
