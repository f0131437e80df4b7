/**
 * Live pushes of the report workflow, filtered per socket: no one receives what they may not read. The
 * report is loaded once and built once per clearance class (content / redacted); each socket of a unit that
 * may read it gets the one its reader is cleared for.
 */
import type { AppContext } from '../context.ts';
import type { PushOf } from '../../contract/socket.ts';
import type { ReportDto } from '../../contract/reports.ts';
import { unitRoom, unitRooms, upChain as chainOf } from '../realtime/rooms.ts';
import { mayReadReport, readerCleared, reportByClearance, reportRows } from './repo.ts';

/** The unit and every unit above it: who may see a sent report. */
export const upChain = (ctx: AppContext, unitCode: string) => chainOf(ctx.tree, unitCode);

type ReportEvent = 'report:new' | 'report:update' | 'report:received';

/** Emits `event` with the report as each connected reader may see it (dropped if unreadable, redacted if classified). */
export async function pushReport(ctx: AppContext, event: ReportEvent, reportId: string, units: string[], extra: Record<string, unknown> = {}): Promise<void> {
  const [row] = await reportRows(ctx.db, { ids: [reportId] });
  if (!row) return;
  const readers = [...new Set(units)].filter((code) => mayReadReport(ctx.tree, { unitCode: code }, row));
  if (!readers.length) return;
  const views = await reportByClearance(ctx.db, ctx.tree, row);
  const payload = (dto: ReportDto) => (Object.keys(extra).length ? { ...extra, report: dto } : dto);
  for (const code of readers) {
    for (const s of await ctx.io.in(unitRoom(code)).fetchSockets()) {
      const user = s.data.user;
      if (!user) continue;
      const dto = readerCleared(row, user) ? views.cleared : views.redacted;
      // report:received carries { unitCode, report }; report:new / report:update the bare report.
      s.emit(event as 'report:new', payload(dto) as PushOf<'report:new'>);
    }
  }
}

/** Content-free notices (ids, units, times): safe for every socket in the rooms. */
export function pushNotice<E extends keyof NoticeEvents>(ctx: AppContext, event: E, units: string[], payload: PushOf<E>): void {
  ctx.io.to(unitRooms(units)).emit(event, ...([payload] as Parameters<NoticeEvents[E]>));
}

type NoticeEvents = Pick<
  import('../../contract/socket.ts').ServerToClientEvents,
  'incident:changed' | 'incident:demanded' | 'instruction:new' | 'instruction:feedback' | 'deadline:warning' | 'deadline:missed' | 'followup:due'
>;
