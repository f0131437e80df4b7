/** Duty handovers (交接班) and their carried items: SQL only. */
import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../../db/schema.ts';
import type { HandoverDto } from '../../contract/duty.ts';

type Db = Kysely<Database> | Transaction<Database>;


export async function loadHandovers(db: Db, where: { id?: string; unitCode?: string; requestId?: string }, limit = 20): Promise<HandoverDto[]> {
  let q = db
    .selectFrom('duty_handovers as h')
    .innerJoin('users as o', 'o.id', 'h.outgoing_user_id')
    .leftJoin('users as i', 'i.id', 'h.incoming_user_id')
    .selectAll('h')
    .select(['o.display_name as outgoing_name', 'i.display_name as incoming_name']);
  if (where.id) q = q.where('h.id', '=', where.id);
  if (where.unitCode) q = q.where('h.unit_code', '=', where.unitCode);
  if (where.requestId) q = q.where('h.request_id', '=', where.requestId);
  const rows = await q.orderBy('h.slot_start', 'desc').limit(limit).execute();
  if (rows.length === 0) return [];
  const items = await db
    .selectFrom('duty_handover_items as it')
    .leftJoin('users as a', 'a.id', 'it.acknowledged_by')
    .selectAll('it')
    .select('a.display_name as ack_name')
    .where(
      'it.handover_id',
      'in',
      rows.map((r) => r.id),
    )
    .orderBy('it.id')
    .execute();
  return rows.map((r) => ({
    id: r.id,
    unitCode: r.unit_code,
    slotStart: r.slot_start.toISOString(),
    slotEnd: r.slot_end.toISOString(),
    outgoingUserId: r.outgoing_user_id,
    outgoingName: r.outgoing_name,
    summary: r.summary,
    closedAt: r.closed_at.toISOString(),
    incomingUserId: r.incoming_user_id,
    incomingName: r.incoming_name,
    acceptedAt: r.accepted_at ? r.accepted_at.toISOString() : null,
    items: items
      .filter((i) => i.handover_id === r.id)
      .map((i) => ({
        id: i.id,
        kind: i.kind,
        refId: i.ref_id,
        title: i.title,
        dueAt: i.due_at ? i.due_at.toISOString() : null,
        acknowledgedBy: i.acknowledged_by,
        acknowledgedByName: i.ack_name,
        acknowledgedAt: i.acknowledged_at ? i.acknowledged_at.toISOString() : null,
      })),
  }));
}

/** Start times of the unit's shifts closed since `since`. */
export async function closedSlotStarts(db: Db, unitCode: string, since: Date): Promise<Set<number>> {
  const rows = await db.selectFrom('duty_handovers').select('slot_start').where('unit_code', '=', unitCode).where('slot_start', '>=', since).execute();
  return new Set(rows.map((r) => r.slot_start.getTime()));
}

/** The unit's open duty-log entries, oldest call first (they are carried over at a handover). */
export function openLogEntries(db: Db, unitCode: string) {
  return db.selectFrom('duty_log').select(['id', 'summary', 'caller_unit', 'call_time']).where('unit_code', '=', unitCode).where('status', '=', 'open').orderBy('call_time').execute();
}

export interface HandoverItemWrite {
  kind: string;
  refId: string;
  title: string;
  dueAt: Date | null;
}

/** Close a shift with its carried items; null when that shift was closed meanwhile. */
export async function insertHandover(
  trx: Transaction<Database>,
  h: { requestId: string; unitCode: string; slotStart: Date; slotEnd: Date; by: number; summary: string; at: Date; items: HandoverItemWrite[] },
): Promise<string | null> {
  const ins = await trx
    .insertInto('duty_handovers')
    .values({ request_id: h.requestId, unit_code: h.unitCode, slot_start: h.slotStart, slot_end: h.slotEnd, outgoing_user_id: h.by, summary: h.summary, closed_at: h.at })
    .onConflict((oc) => oc.doNothing())
    .returning('id')
    .executeTakeFirst();
  if (!ins) return null;
  if (h.items.length) {
    await trx
      .insertInto('duty_handover_items')
      .values(h.items.map((it) => ({ handover_id: ins.id, kind: it.kind as never, ref_id: it.refId, title: it.title, due_at: it.dueAt })))
      .execute();
  }
  return ins.id;
}

export async function acknowledgeItems(db: Db, handoverId: string, itemIds: number[], by: number, at: Date): Promise<void> {
  await db
    .updateTable('duty_handover_items')
    .set({ acknowledged_by: by, acknowledged_at: at })
    .where('handover_id', '=', handoverId)
    .where('id', 'in', itemIds)
    .where('acknowledged_at', 'is', null)
    .execute();
}

/** Take over the shift; false when someone took it over first. */
export async function acceptHandover(db: Db, handoverId: string, by: number, at: Date): Promise<boolean> {
  const upd = await db
    .updateTable('duty_handovers')
    .set({ incoming_user_id: by, accepted_at: at })
    .where('id', '=', handoverId)
    .where('accepted_at', 'is', null)
    .executeTakeFirst();
  return Number(upd.numUpdatedRows) > 0;
}
