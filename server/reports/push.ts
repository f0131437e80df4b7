/** Live pushes of the report workflow, filtered per socket: no one receives what they may not read. */
import type { AppContext } from '../context.ts';
import { unitRoom, upChain as chainOf } from '../realtime/rooms.ts';
import type { SessionUser } from '../auth/sessions.ts';
import { reportDtos, reportRows } from './repo.ts';

/** The unit and every unit above it: who may see a sent report. */
export const upChain = (ctx: AppContext, unitCode: string) => chainOf(ctx.tree, unitCode);

/** Emits `event` with the report as each connected reader may see it (dropped if unreadable, redacted if classified). */
export async function pushReport(ctx: AppContext, event: string, reportId: string, units: string[], extra: Record<string, unknown> = {}): Promise<void> {
  const rows = await reportRows(ctx.db, { ids: [reportId] });
  if (!rows.length) return;
  for (const code of new Set(units)) {
    const sockets = await ctx.io.in(unitRoom(code)).fetchSockets();
    for (const s of sockets) {
      const user = s.data.user as SessionUser | undefined;
      if (!user) continue;
      const [dto] = await reportDtos(ctx.db, ctx.tree, user, rows);
      if (dto) s.emit(event, Object.keys(extra).length ? { ...extra, report: dto } : dto);
    }
  }
}

/** Content-free notices (ids, units, times): safe for every socket in the rooms. */
export function pushNotice(ctx: AppContext, event: string, units: string[], payload: unknown): void {
  for (const code of new Set(units)) ctx.io.to(unitRoom(code)).emit(event, payload);
}
