/** Duty data access: settings, roster versions, swaps, handovers, duty log. */
import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../../db/schema.ts';
import type { DutyPerson, RosterSource } from '../../db/tables/duty.ts';
import { DEFAULT_SHIFT_STARTS } from './rules.ts';
import { clock } from '../clock.ts';
import type { DutySettings, HandoverDto, LogEntryDto, RosterEntryDto, SwapDto } from '../../contract/duty.ts';

export type { DutySettings, HandoverDto, HandoverItemDto, LogEntryDto, RosterEntryDto, SwapDto } from '../../contract/duty.ts';

type Db = Kysely<Database> | Transaction<Database>;

export async function settingsOf(db: Db, unitCodes: string[]): Promise<Map<string, DutySettings>> {
  const out = new Map<string, DutySettings>();
  for (const c of unitCodes) out.set(c, { shiftStarts: [...DEFAULT_SHIFT_STARTS], dutyPhone: null });
  if (unitCodes.length === 0) return out;
  const rows = await db.selectFrom('duty_settings').selectAll().where('unit_code', 'in', unitCodes).execute();
  for (const r of rows) out.set(r.unit_code, { shiftStarts: r.shift_starts, dutyPhone: r.duty_phone });
  return out;
}

export const settingsFor = async (db: Db, unitCode: string) => (await settingsOf(db, [unitCode])).get(unitCode)!;

export async function saveSettings(db: Db, unitCode: string, s: DutySettings, by: number): Promise<void> {
  await db
    .insertInto('duty_settings')
    .values({ unit_code: unitCode, shift_starts: s.shiftStarts, duty_phone: s.dutyPhone, updated_by: by, updated_at: clock.now() })
    .onConflict((oc) =>
      oc.column('unit_code').doUpdateSet({ shift_starts: s.shiftStarts, duty_phone: s.dutyPhone, updated_by: by, updated_at: clock.now() }),
    )
    .execute();
}

/** Accounts of a unit that can stand on a roster. */
export async function unitPeople(db: Db, unitCode: string) {
  const rows = await db
    .selectFrom('users')
    .select(['id', 'username', 'display_name', 'phone', 'roles'])
    .where('unit_code', '=', unitCode)
    .orderBy('id')
    .execute();
  return rows
    .filter((r) => r.roles.includes('duty_officer') || r.roles.includes('leader'))
    .map((r) => ({ id: r.id, username: r.username, name: r.display_name, phone: r.phone, roles: r.roles }));
}
export type UnitPerson = Awaited<ReturnType<typeof unitPeople>>[number];

// ---------------------------------------------------------------- roster

const rosterQuery = (db: Db) =>
  db
    .selectFrom('duty_roster')
    .innerJoin('users', 'users.id', 'duty_roster.created_by')
    .selectAll('duty_roster')
    .select('users.display_name as created_by_name');

type RosterRow = Awaited<ReturnType<ReturnType<typeof rosterQuery>['executeTakeFirstOrThrow']>>;

const rosterDto = (r: RosterRow): RosterEntryDto => ({
  id: r.id,
  unitCode: r.unit_code,
  start: r.slot_start.toISOString(),
  end: r.slot_end.toISOString(),
  officers: r.officers,
  leader: r.leader,
  note: r.note,
  version: r.version,
  source: r.source,
  swapId: r.swap_id,
  createdBy: r.created_by,
  createdByName: r.created_by_name,
  createdAt: r.created_at.toISOString(),
  supersededAt: r.superseded_at ? r.superseded_at.toISOString() : null,
});

/** Current roster entries of a unit whose slot starts in [from, to). */
export async function currentRoster(db: Db, unitCode: string, from: Date, to: Date): Promise<RosterEntryDto[]> {
  const rows = await rosterQuery(db)
    .where('duty_roster.unit_code', '=', unitCode)
    .where('duty_roster.superseded_at', 'is', null)
    .where('duty_roster.slot_start', '>=', from)
    .where('duty_roster.slot_start', '<', to)
    .orderBy('duty_roster.slot_start')
    .execute();
  return rows.map(rosterDto);
}

/** Every version of one slot, newest first. */
export async function slotHistory(db: Db, unitCode: string, start: Date): Promise<RosterEntryDto[]> {
  const rows = await rosterQuery(db)
    .where('duty_roster.unit_code', '=', unitCode)
    .where('duty_roster.slot_start', '=', start)
    .orderBy('duty_roster.version', 'desc')
    .execute();
  return rows.map(rosterDto);
}

/** The current entries covering `now` for the given units. */
export async function onDutyEntries(db: Db, unitCodes: string[], now: Date): Promise<RosterEntryDto[]> {
  if (unitCodes.length === 0) return [];
  const rows = await rosterQuery(db)
    .where('duty_roster.unit_code', 'in', unitCodes)
    .where('duty_roster.superseded_at', 'is', null)
    .where('duty_roster.slot_start', '<=', now)
    .where('duty_roster.slot_end', '>', now)
    .execute();
  return rows.map(rosterDto);
}

/** jsonb reorders object keys: compare people by their fields, not their serialisation. */
const canon = (p: DutyPerson | null) => (p ? [p.userId ?? null, p.name, p.phone ?? null] : null);
const samePeople = (a: DutyPerson[] | DutyPerson | null, b: DutyPerson[] | DutyPerson | null) =>
  JSON.stringify(Array.isArray(a) ? a.map(canon) : canon(a)) === JSON.stringify(Array.isArray(b) ? b.map(canon) : canon(b as DutyPerson | null));

/** Same people and note (a re-import of an unchanged row). */
export const sameSlot = (a: { officers: DutyPerson[]; leader: DutyPerson | null; note: string }, b: { officers: DutyPerson[]; leader: DutyPerson | null; note: string }) =>
  samePeople(a.officers, b.officers) && samePeople(a.leader, b.leader) && a.note === b.note;

export interface SlotWrite {
  unitCode: string;
  start: Date;
  end: Date;
  officers: DutyPerson[];
  leader: DutyPerson | null;
  note: string;
  source: RosterSource;
  swapId?: string | null;
  by: number;
}

/**
 * Writes a slot as a new version, superseding the current one (kept as history).
 * Returns null when nothing would change (an unchanged re-import adds no version).
 */
export async function writeSlot(trx: Transaction<Database>, w: SlotWrite): Promise<RosterEntryDto | null> {
  const cur = await trx
    .selectFrom('duty_roster')
    .select(['id', 'version', 'officers', 'leader', 'note', 'slot_end'])
    .where('unit_code', '=', w.unitCode)
    .where('slot_start', '=', w.start)
    .where('superseded_at', 'is', null)
    .forUpdate()
    .executeTakeFirst();
  if (cur && samePeople(cur.officers, w.officers) && samePeople(cur.leader, w.leader) && cur.note === w.note && cur.slot_end.getTime() === w.end.getTime()) {
    return null;
  }
  let version = 1;
  const now = clock.now();
  if (cur) {
    await trx.updateTable('duty_roster').set({ superseded_at: now }).where('id', '=', cur.id).execute();
    version = cur.version + 1;
  } else {
    const last = await trx
      .selectFrom('duty_roster')
      .select((eb) => eb.fn.max('version').as('v'))
      .where('unit_code', '=', w.unitCode)
      .where('slot_start', '=', w.start)
      .executeTakeFirst();
    version = Number(last?.v ?? 0) + 1;
  }
  const ins = await trx
    .insertInto('duty_roster')
    .values({
      unit_code: w.unitCode,
      slot_start: w.start,
      slot_end: w.end,
      officers: JSON.stringify(w.officers),
      leader: JSON.stringify(w.leader),
      note: w.note,
      version,
      source: w.source,
      swap_id: w.swapId ?? null,
      created_by: w.by,
      created_at: now,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  const row = await rosterQuery(trx).where('duty_roster.id', '=', ins.id).executeTakeFirstOrThrow();
  return rosterDto(row);
}

// ---------------------------------------------------------------- swaps

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

// ---------------------------------------------------------------- handovers

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

// ---------------------------------------------------------------- duty log

export const LOG_FIELDS = [
  'kind',
  'call_time',
  'caller_unit',
  'caller_name',
  'caller_title',
  'caller_phone',
  'summary',
  'place',
  'cause',
  'measures',
  'notified',
  'status',
] as const;

export const logQuery = (db: Db) =>
  db
    .selectFrom('duty_log as l')
    .innerJoin('users as c', 'c.id', 'l.created_by')
    .innerJoin('users as u', 'u.id', 'l.updated_by')
    .selectAll('l')
    .select(['c.display_name as created_by_name', 'u.display_name as updated_by_name']);
type LogRow = Awaited<ReturnType<ReturnType<typeof logQuery>['executeTakeFirstOrThrow']>>;

export const logDto = (r: LogRow): LogEntryDto => ({
  id: r.id,
  unitCode: r.unit_code,
  kind: r.kind,
  receivedAt: r.received_at.toISOString(),
  callTime: r.call_time.toISOString(),
  callerUnit: r.caller_unit,
  callerName: r.caller_name,
  callerTitle: r.caller_title,
  callerPhone: r.caller_phone,
  summary: r.summary,
  place: r.place,
  cause: r.cause,
  measures: r.measures,
  notified: r.notified,
  status: r.status,
  revision: r.revision,
  createdBy: r.created_by,
  createdByName: r.created_by_name,
  updatedBy: r.updated_by,
  updatedByName: r.updated_by_name,
  updatedAt: r.updated_at.toISOString(),
});

export async function getLogEntry(db: Db, id: string): Promise<LogEntryDto | null> {
  const r = await logQuery(db).where('l.id', '=', id).executeTakeFirst();
  return r ? logDto(r) : null;
}

/** The snapshot stored per revision: the editable fields. */
export function logSnapshot(e: LogEntryDto): Record<string, unknown> {
  return {
    kind: e.kind,
    callTime: e.callTime,
    callerUnit: e.callerUnit,
    callerName: e.callerName,
    callerTitle: e.callerTitle,
    callerPhone: e.callerPhone,
    summary: e.summary,
    place: e.place,
    cause: e.cause,
    measures: e.measures,
    notified: e.notified,
    status: e.status,
  };
}
