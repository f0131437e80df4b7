/** Duty data access: settings, people, roster versions (swaps, handovers and the log have their own repos). */
import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../../db/schema.ts';
import type { DutyPerson, RosterSource } from '../../db/tables/duty.ts';
import { DEFAULT_SHIFT_STARTS } from './rules.ts';
import { clock } from '../clock.ts';
import { ReadCache, invalidatingAfter } from '../../db/readCache.ts';
import type { DutySettings, RosterEntryDto } from '../../contract/duty.ts';

export type { DutySettings, HandoverDto, HandoverItemDto, LogEntryDto, RosterEntryDto, SwapDto } from '../../contract/duty.ts';

type Db = Kysely<Database> | Transaction<Database>;

/**
 * Shift starts and duty phones, read by every "who is on duty" answer and changed only by saveSettings: kept in
 * memory per database and list of units (db/readCache.ts: one server process per database; a change from
 * elsewhere is seen within a minute). A transaction reads the table itself.
 */
type SettingsRow = { unit_code: string; shift_starts: string[]; duty_phone: string | null };
const SETTINGS_TTL_MS = 60_000;
const settingsCache = new WeakMap<object, ReadCache<string, SettingsRow[]>>();

export async function settingsOf(db: Db, unitCodes: string[]): Promise<Map<string, DutySettings>> {
  const out = new Map<string, DutySettings>();
  for (const c of unitCodes) out.set(c, { shiftStarts: [...DEFAULT_SHIFT_STARTS], dutyPhone: null });
  if (unitCodes.length === 0) return out;
  const read = () => db.selectFrom('duty_settings').select(['unit_code', 'shift_starts', 'duty_phone']).where('unit_code', 'in', unitCodes).execute();
  let rows: SettingsRow[];
  if (db.isTransaction) rows = await read();
  else {
    let c = settingsCache.get(db);
    if (!c) settingsCache.set(db, (c = new ReadCache<string, SettingsRow[]>(SETTINGS_TTL_MS, 1_000)));
    rows = await c.get(unitCodes.join(','), read);
  }
  for (const r of rows) out.set(r.unit_code, { shiftStarts: [...r.shift_starts], dutyPhone: r.duty_phone });
  return out;
}

export const settingsFor = async (db: Db, unitCode: string) => (await settingsOf(db, [unitCode])).get(unitCode)!;

/** Outside a transaction (what is kept in memory is forgotten after the write, success or not). */
export async function saveSettings(db: Db, unitCode: string, s: DutySettings, by: number): Promise<void> {
  const write = () =>
    db
      .insertInto('duty_settings')
      .values({ unit_code: unitCode, shift_starts: s.shiftStarts, duty_phone: s.dutyPhone, updated_by: by, updated_at: clock.now() })
      .onConflict((oc) =>
        oc.column('unit_code').doUpdateSet({ shift_starts: s.shiftStarts, duty_phone: s.dutyPhone, updated_by: by, updated_at: clock.now() }),
      )
      .execute();
  await invalidatingAfter(write, () => settingsCache.get(db)?.invalidate());
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
