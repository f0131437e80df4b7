/** Duty swap requests (换班 / 替班): SQL only. */
import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../../db/schema.ts';
import type { DutyPerson } from '../../db/tables/duty.ts';
import type { SwapDto } from '../../contract/duty.ts';
import type { SwapBody } from '../../contract/dutyRequests.ts';

type Db = Kysely<Database> | Transaction<Database>;


const swapQuery = (db: Db) =>
  db
    .selectFrom('duty_swaps')
    .innerJoin('users as rq', 'rq.id', 'duty_swaps.requested_by')
    .leftJoin('users as dc', 'dc.id', 'duty_swaps.decided_by')
    .selectAll('duty_swaps')
    .select(['rq.display_name as requested_by_name', 'dc.display_name as decided_by_name']);
type SwapRow = Awaited<ReturnType<ReturnType<typeof swapQuery>['executeTakeFirstOrThrow']>>;

const swapDto = (r: SwapRow): SwapDto => ({
  id: r.id,
  unitCode: r.unit_code,
  kind: r.kind,
  role: r.role,
  slotStart: r.slot_start.toISOString(),
  otherSlotStart: r.other_slot_start ? r.other_slot_start.toISOString() : null,
  from: r.from_person,
  to: r.to_person,
  reason: r.reason,
  status: r.status,
  requestedBy: r.requested_by,
  requestedByName: r.requested_by_name,
  requestedAt: r.requested_at.toISOString(),
  decidedBy: r.decided_by,
  decidedByName: r.decided_by_name,
  decidedAt: r.decided_at ? r.decided_at.toISOString() : null,
  decisionNote: r.decision_note,
});

export async function listSwaps(db: Db, unitCode: string): Promise<SwapDto[]> {
  const rows = await swapQuery(db).where('duty_swaps.unit_code', '=', unitCode).orderBy('duty_swaps.requested_at', 'desc').limit(200).execute();
  return rows.map(swapDto);
}

export async function getSwap(db: Db, id: string): Promise<SwapDto | null> {
  const row = await swapQuery(db).where('duty_swaps.id', '=', id).executeTakeFirst();
  return row ? swapDto(row) : null;
}

export async function swapByRequestId(db: Db, requestId: string): Promise<SwapDto | null> {
  const row = await swapQuery(db).where('duty_swaps.request_id', '=', requestId).executeTakeFirst();
  return row ? swapDto(row) : null;
}

/** A new pending request; null when its requestId was already used (the earlier one stands). */
export async function insertSwap(
  db: Db,
  s: { body: SwapBody; unitCode: string; slotStart: Date; otherSlotStart: Date | null; from: DutyPerson; to: DutyPerson; by: number; at: Date },
): Promise<string | null> {
  const ins = await db
    .insertInto('duty_swaps')
    .values({
      request_id: s.body.requestId,
      unit_code: s.unitCode,
      kind: s.body.kind,
      role: s.body.role,
      slot_start: s.slotStart,
      other_slot_start: s.otherSlotStart,
      from_person: JSON.stringify(s.from),
      to_person: JSON.stringify(s.to),
      reason: s.body.reason,
      status: 'pending',
      requested_by: s.by,
      requested_at: s.at,
    })
    .onConflict((oc) => oc.column('request_id').doNothing())
    .returning('id')
    .executeTakeFirst();
  return ins?.id ?? null;
}

/** The request's status, row locked until the transaction ends (two leaders deciding at once). */
export async function lockSwapStatus(trx: Transaction<Database>, id: string): Promise<string> {
  const row = await trx.selectFrom('duty_swaps').select('status').where('id', '=', id).forUpdate().executeTakeFirstOrThrow();
  return row.status;
}

export async function setSwapDecision(trx: Transaction<Database>, id: string, d: { status: 'approved' | 'rejected' | 'cancelled'; by: number; at: Date; note: string | null }): Promise<void> {
  await trx.updateTable('duty_swaps').set({ status: d.status, decided_by: d.by, decided_at: d.at, decision_note: d.note }).where('id', '=', id).execute();
}
