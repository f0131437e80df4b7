/**
 * The incidents list, one page at a time. Every visible incident's deadlines are evaluated (the default order
 * puts the most pressing first, and that needs them all); only the page is built and sent — a city with a
 * hundred open incidents sends twenty (~18 KiB), not a hundred (~90 KiB), on every refresh of every desk.
 */
import type { z } from 'zod';
import type { AppContext } from '../context.ts';
import type { SessionUser } from '../auth/sessions.ts';
import type { IncidentPage, incidentListQuery } from '../../contract/reports.ts';
import { visibleIncidentRows } from './repo.ts';
import { incidentFacts, toIncidentDto } from './incidentFacts.ts';
import { compareIncidents } from './incidentOrder.ts';

export async function incidentPage(ctx: AppContext, user: SessionUser, q: z.output<typeof incidentListQuery>, now: Date): Promise<IncidentPage> {
  const rows = await visibleIncidentRows(ctx.db, ctx.tree, user, { status: q.status === 'all' ? undefined : q.status, ids: q.ids });
  const facts = await incidentFacts(ctx.db, ctx.tree, rows, now);
  const cmp = compareIncidents(q.sort, q.order);
  const ordered = rows
    .map((inc) => ({ inc, status: inc.status, grade: inc.grade, eventTime: inc.event_time, deadlineStatuses: facts.get(inc.id)!.deadlines.map((d) => d.status) }))
    .sort(cmp);
  const start = (q.page - 1) * q.pageSize;
  const incidents = ordered.slice(start, start + q.pageSize).map(({ inc }) => toIncidentDto(ctx.tree, user, inc, facts.get(inc.id)!));
  return { incidents, total: rows.length, page: q.page, pageSize: q.pageSize, now: now.toISOString() };
}
