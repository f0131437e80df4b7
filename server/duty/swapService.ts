/**
 * Swap requests (换班 / 替班): an officer asks, a leader of the unit approves or rejects, the asker may
 * cancel. Approval re-checks the roster inside the transaction (the row locked) and writes the new versions.
 */
import { z } from 'zod';
import type { Database } from '../../db/schema.ts';
import type { Kysely, Transaction } from 'kysely';
import type { SessionUser } from '../auth/sessions.ts';
import { clock } from '../clock.ts';
import type { AppContext } from '../context.ts';
import { errors } from '../http/errors.ts';
import { unitRoom } from '../realtime/rooms.ts';
import type { SwapBody } from '../../contract/dutyRequests.ts';
import type { SwapDto } from '../../contract/duty.ts';
import { DUTY_ROLES, MANAGER_ROLES, pushRosterChanged, writeUnit } from './access.ts';
import { currentRoster, writeSlot } from './repo.ts';
import { checkSwap } from './rules.ts';
import { resolvePeople } from './rosterService.ts';
import { getSwap, insertSwap, lockSwapStatus, setSwapDecision, swapByRequestId } from './swapRepo.ts';

async function rosterAround(q: Kysely<Database> | Transaction<Database>, unit: string, times: Date[]) {
  const min = Math.min(...times.map((t) => t.getTime()));
  const max = Math.max(...times.map((t) => t.getTime()));
  const entries = await currentRoster(q, unit, new Date(min), new Date(max + 1));
  return entries.map((e) => ({ start: new Date(e.start), end: new Date(e.end), officers: e.officers, leader: e.leader }));
}

/** Idempotent by requestId: the same request again answers with the stored one (created: false). */
export async function requestSwap(ctx: AppContext, user: SessionUser, body: SwapBody): Promise<{ swap: SwapDto | null; created: boolean }> {
  const unit = writeUnit(user, body.unitCode, DUTY_ROLES);
  const prior = await swapByRequestId(ctx.db, body.requestId);
  if (prior) {
    if (prior.requestedBy !== user.id) throw errors.requestIdConflict();
    return { swap: prior, created: false };
  }
  const [from] = await resolvePeople(ctx, unit, [body.from], 'from');
  const [to] = await resolvePeople(ctx, unit, [body.to], 'to');
  const slotStart = new Date(body.slotStart);
  const otherSlotStart = body.otherSlotStart ? new Date(body.otherSlotStart) : null;
  const roster = await rosterAround(ctx.db, unit, otherSlotStart ? [slotStart, otherSlotStart] : [slotStart]);
  const check = checkSwap(roster, { kind: body.kind, role: body.role, slotStart, otherSlotStart, from: from!, to: to! }, clock.now());
  if (!check.ok) throw errors.dutyConflict(check.code, check.message);
  const id = await insertSwap(ctx.db, { body, unitCode: unit, slotStart, otherSlotStart, from: from!, to: to!, by: user.id, at: clock.now() });
  const swap = id ? await getSwap(ctx.db, id) : await swapByRequestId(ctx.db, body.requestId);
  if (swap) ctx.io.to(unitRoom(unit)).emit('duty:swap', swap);
  return { swap, created: id !== null };
}

export async function decideSwap(ctx: AppContext, user: SessionUser, id: string, action: 'approve' | 'reject' | 'cancel', note: string): Promise<SwapDto | null> {
  if (!z.uuid().safeParse(id).success) throw errors.notFound('换班申请');
  const swap = await getSwap(ctx.db, id);
  if (!swap || !ctx.tree.isWithin(swap.unitCode, user.unitCode)) throw errors.notFound('换班申请');
  if (action === 'cancel') {
    if (swap.requestedBy !== user.id) throw errors.roleForbidden();
  } else {
    writeUnit(user, swap.unitCode, MANAGER_ROLES);
  }
  const status = action === 'approve' ? 'approved' : action === 'reject' ? 'rejected' : 'cancelled';
  await ctx.db.transaction().execute(async (trx) => {
    if ((await lockSwapStatus(trx, id)) !== 'pending') throw errors.dutyConflict('SWAP_DECIDED', '该换班申请已处理');
    if (action === 'approve') {
      const slotStart = new Date(swap.slotStart);
      const other = swap.otherSlotStart ? new Date(swap.otherSlotStart) : null;
      const roster = await rosterAround(trx, swap.unitCode, other ? [slotStart, other] : [slotStart]);
      const check = checkSwap(roster, { kind: swap.kind, role: swap.role, slotStart, otherSlotStart: other, from: swap.from, to: swap.to }, clock.now());
      if (!check.ok) throw errors.dutyConflict(check.code, `${check.message}，无法批准`);
      for (const c of check.changes) {
        const e = roster.find((x) => x.start.getTime() === c.start.getTime())!;
        const cur = (await currentRoster(trx, swap.unitCode, e.start, new Date(e.start.getTime() + 1)))[0]!;
        await writeSlot(trx, { unitCode: swap.unitCode, start: e.start, end: e.end, officers: c.officers, leader: c.leader, note: cur.note, source: 'swap', swapId: id, by: user.id });
      }
    }
    await setSwapDecision(trx, id, { status, by: user.id, at: clock.now(), note: note || null });
  });
  const updated = await getSwap(ctx.db, id);
  if (updated) ctx.io.to(unitRoom(swap.unitCode)).emit('duty:swap', updated);
  if (action === 'approve') pushRosterChanged(ctx, swap.unitCode);
  return updated;
}
