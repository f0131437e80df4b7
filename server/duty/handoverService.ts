/**
 * Handover (交接班): the rostered officer closes the shift, carrying open log entries and open report items;
 * the next shift's officer acknowledges each carried item and then takes over. Outside the unit, its unsent
 * work shows as a fact (an unsent report exists), never its title.
 */
import { z } from 'zod';
import type { SessionUser } from '../auth/sessions.ts';
import { clock } from '../clock.ts';
import type { AppContext } from '../context.ts';
import { ApiError, errors } from '../http/errors.ts';
import { unitRoom } from '../realtime/rooms.ts';
import { itemsForReader, openReportItems, UNSENT_KINDS } from '../reports/openItems.ts';
import type { HandoverBody } from '../../contract/dutyRequests.ts';
import type { HandoverDto } from '../../contract/duty.ts';
import { DUTY_ROLES, readUnit, writeUnit } from './access.ts';
import { acceptHandover, acknowledgeItems, closedSlotStarts, insertHandover, loadHandovers, openLogEntries } from './handoverRepo.ts';
import { currentRoster, settingsFor } from './repo.ts';
import { closableSlots, officerNames, rosteredOfficer } from './rules.ts';

/** Shifts closed in the last three days count when deciding which shifts may still be closed. */
const CLOSABLE_LOOKBACK_MS = 3 * 86400_000;

/** The roster entry of the shift starting at `start` (none when that shift is not rostered). */
const rosterAt = (ctx: AppContext, unit: string, start: Date) => currentRoster(ctx.db, unit, start, new Date(start.getTime() + 1));

/** What would be carried over if the shift were closed now: open log entries + open report items. */
async function openItems(ctx: AppContext, unit: string) {
  const logs = await openLogEntries(ctx.db, unit);
  const reports = await openReportItems(ctx.db, ctx.tree, unit);
  return [
    ...logs.map((l) => ({ kind: 'log' as const, refId: l.id, title: (l.caller_unit ? `${l.caller_unit}：` : '') + l.summary.slice(0, 200), dueAt: null as string | null })),
    ...reports.map((it) => ({ kind: it.kind, refId: it.id, title: it.title, dueAt: it.dueAt })),
  ];
}

/** A handover as `reader` may see it. */
const viewFor = async (ctx: AppContext, h: HandoverDto, reader: string): Promise<HandoverDto> => ({ ...h, items: await itemsForReader(ctx.db, h.unitCode, reader, h.items) });

async function pushHandover(ctx: AppContext, h: HandoverDto): Promise<void> {
  ctx.io.to(unitRoom(h.unitCode)).emit('duty:handover', await viewFor(ctx, h, h.unitCode));
  const above = ctx.tree.ancestors(h.unitCode).map((u) => u.code);
  if (above.length) ctx.io.to(above.map(unitRoom)).emit('duty:handover', await viewFor(ctx, h, above[0]!));
}

export async function handoverState(ctx: AppContext, user: SessionUser, unitQuery: unknown) {
  const unit = readUnit(ctx, user, unitQuery);
  const settings = await settingsFor(ctx.db, unit);
  const now = clock.now();
  const recent = await loadHandovers(ctx.db, { unitCode: unit }, 10);
  const closed = new Set(recent.map((h) => Date.parse(h.slotStart)));
  if (recent.length === 10) (await closedSlotStarts(ctx.db, unit, new Date(now.getTime() - CLOSABLE_LOOKBACK_MS))).forEach((t) => closed.add(t));
  const slots = closableSlots(settings.shiftStarts, now, (s) => closed.has(s.getTime()));
  // Each closable shift with its rostered officers: only they may close it.
  const closable = await Promise.all(
    slots.map(async (s) => {
      const [entry] = await rosterAt(ctx, unit, s.start);
      return { start: s.start.toISOString(), end: s.end.toISOString(), date: s.date, startTime: s.startTime, officers: entry ? entry.officers.map((o) => o.name) : null };
    }),
  );
  return {
    now: now.toISOString(),
    closable,
    openItems: await itemsForReader(ctx.db, unit, user.unitCode, await openItems(ctx, unit)),
    pending: await Promise.all(recent.filter((h) => h.acceptedAt === null).map((h) => viewFor(ctx, h, user.unitCode))),
    recent: await Promise.all(recent.map((h) => viewFor(ctx, h, user.unitCode))),
  };
}

async function findHandover(ctx: AppContext, user: SessionUser, id: string): Promise<HandoverDto> {
  if (!z.uuid().safeParse(id).success) throw errors.notFound('交接班记录');
  const [h] = await loadHandovers(ctx.db, { id });
  if (!h || !ctx.tree.isWithin(h.unitCode, user.unitCode)) throw errors.notFound('交接班记录');
  return h;
}

export async function handoverById(ctx: AppContext, user: SessionUser, id: string): Promise<HandoverDto> {
  return viewFor(ctx, await findHandover(ctx, user, id), user.unitCode);
}

/** Close a shift (交班). Idempotent by requestId (created: false for a repeat). */
export async function closeShift(ctx: AppContext, user: SessionUser, body: HandoverBody): Promise<{ handover: HandoverDto; created: boolean }> {
  const unit = writeUnit(user, undefined, DUTY_ROLES);
  const [prior] = await loadHandovers(ctx.db, { requestId: body.requestId });
  if (prior) {
    if (prior.outgoingUserId !== user.id) throw errors.requestIdConflict();
    return { handover: await viewFor(ctx, prior, user.unitCode), created: false };
  }
  const settings = await settingsFor(ctx.db, unit);
  const now = clock.now();
  const closed = await closedSlotStarts(ctx.db, unit, new Date(now.getTime() - CLOSABLE_LOOKBACK_MS));
  const slot = closableSlots(settings.shiftStarts, now, (s) => closed.has(s.getTime())).find((s) => s.start.getTime() === Date.parse(body.slotStart));
  if (!slot) throw errors.dutyConflict('HANDOVER_NOT_CLOSABLE', '该班次已交班，或不是可交班的班次');
  // Only the officer rostered on the shift closes it.
  const [entry] = await rosterAt(ctx, unit, slot.start);
  if (rosteredOfficer(entry, user.id) === false) {
    throw new ApiError(403, 'HANDOVER_NOT_ROSTERED', `该班次的值班员是${officerNames(entry!)}，只有本班值班员可以交班`);
  }
  const items = await openItems(ctx, unit);
  const id = await ctx.db.transaction().execute(async (trx) => {
    const id = await insertHandover(trx, {
      requestId: body.requestId,
      unitCode: unit,
      slotStart: slot.start,
      slotEnd: slot.end,
      by: user.id,
      summary: body.summary,
      at: now,
      // The unit's unsent work is stored without its title: the handover is read above the unit too.
      items: items.map((it) => ({ kind: it.kind, refId: it.refId, title: UNSENT_KINDS.has(it.kind) ? '' : it.title, dueAt: it.dueAt ? new Date(it.dueAt) : null })),
    });
    if (!id) throw errors.dutyConflict('HANDOVER_NOT_CLOSABLE', '该班次已交班，或不是可交班的班次');
    return id;
  });
  const [h] = await loadHandovers(ctx.db, { id });
  await pushHandover(ctx, h!);
  ctx.log.info({ unit, handover: id, items: items.length }, 'duty shift closed');
  return { handover: await viewFor(ctx, h!, unit), created: true };
}

/** The handover as its incoming officer acts on it: the next shift's rostered officer, not the one who closed it. */
async function handoverForIncoming(ctx: AppContext, user: SessionUser, id: string): Promise<HandoverDto> {
  const h = await findHandover(ctx, user, id);
  writeUnit(user, h.unitCode, DUTY_ROLES);
  if (h.acceptedAt) throw errors.dutyConflict('HANDOVER_ACCEPTED', '该班次已完成接班');
  if (h.outgoingUserId === user.id) throw errors.dutyConflict('HANDOVER_SELF', '交班人不能自己接班，请由接班人登录确认');
  const [next] = await rosterAt(ctx, h.unitCode, new Date(h.slotEnd));
  if (rosteredOfficer(next, user.id) === false) {
    throw new ApiError(403, 'HANDOVER_NOT_NEXT_ON_DUTY', `下一班的值班员是${officerNames(next!)}，只有下一班值班员可以接班`);
  }
  return h;
}

/** The incoming officer acknowledges carried items, one by one or all at once. */
export async function acknowledgeCarried(ctx: AppContext, user: SessionUser, id: string, body: { itemIds?: number[]; all?: boolean }): Promise<HandoverDto> {
  const h = await handoverForIncoming(ctx, user, id);
  const ids = body.all ? h.items.map((i) => i.id) : (body.itemIds ?? []);
  const unknown = ids.filter((i) => !h.items.some((it) => it.id === i));
  if (unknown.length) throw errors.validation([{ path: 'itemIds', message: '交接事项不属于该交接班记录' }]);
  if (ids.length) await acknowledgeItems(ctx.db, h.id, ids, user.id, clock.now());
  const [updated] = await loadHandovers(ctx.db, { id: h.id });
  const view = await viewFor(ctx, updated!, h.unitCode);
  ctx.io.to(unitRoom(h.unitCode)).emit('duty:handover', view);
  return view;
}

/** Taking over the shift (接班) is refused while any carried item is unacknowledged. */
export async function takeOver(ctx: AppContext, user: SessionUser, id: string): Promise<HandoverDto> {
  const h = await handoverForIncoming(ctx, user, id);
  const open = h.items.filter((i) => !i.acknowledgedAt);
  if (open.length) {
    throw errors.dutyConflict('HANDOVER_UNACKNOWLEDGED', `还有 ${open.length} 项交接事项未确认，确认后才能接班`, { itemIds: open.map((i) => i.id) });
  }
  if (!(await acceptHandover(ctx.db, h.id, user.id, clock.now()))) throw errors.dutyConflict('HANDOVER_ACCEPTED', '该班次已完成接班');
  const [updated] = await loadHandovers(ctx.db, { id: h.id });
  await pushHandover(ctx, updated!);
  return viewFor(ctx, updated!, h.unitCode);
}
