import { sql, type Kysely, type Selectable } from 'kysely';
import type { Database } from '../../db/schema.ts';
import type { MeetingTable, MeetingUnitTable } from '../../db/tables/meetings.ts';
import type { OrgTree } from '../org/tree.ts';
import type { AttendanceRow, MeetingDto } from '../../contract/meetings.ts';

export type { MeetingDto } from '../../contract/meetings.ts';


export interface NewMeeting {
  title: string;
  hostUnitCode: string;
  createdBy: number;
  startsAt: Date;
  durationMin: number;
  unitCodes: string[]; // host first
  /** scrypt hash of the entry PIN, or null. */
  pinHash?: string | null;
}

export async function insertMeeting(db: Kysely<Database>, tree: OrgTree, m: NewMeeting): Promise<MeetingDto> {
  const id = await db.transaction().execute(async (trx) => {
    const row = await trx
      .insertInto('meetings')
      .values({
        title: m.title,
        host_unit_code: m.hostUnitCode,
        created_by: m.createdBy,
        starts_at: m.startsAt,
        duration_min: m.durationMin,
        ends_at: new Date(m.startsAt.getTime() + m.durationMin * 60_000),
        pin_hash: m.pinHash ?? null,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    await trx
      .insertInto('meeting_units')
      .values(m.unitCodes.map((code) => ({ meeting_id: row.id, unit_code: code, role: code === m.hostUnitCode ? 'main' : 'sub' })))
      .execute();
    return row.id;
  });
  const dto = await findMeeting(db, tree, id);
  if (!dto) throw new Error('meeting vanished after insert');
  return dto;
}

export async function findMeeting(db: Kysely<Database>, tree: OrgTree, id: string): Promise<MeetingDto | null> {
  const [dto] = await loadMeetings(db, tree, [id]);
  return dto ?? null;
}

/** Meetings that include `unitCode` and have not ended, newest start first. */
export async function listMeetingsForUnit(db: Kysely<Database>, tree: OrgTree, unitCode: string): Promise<MeetingDto[]> {
  // The meetings and their units in the same statement that finds them: one statement, not three.
  const rows = await db
    .selectFrom('meeting_units')
    .innerJoin('meetings', 'meetings.id', 'meeting_units.meeting_id')
    .selectAll('meetings')
    .select(sql<[string, MeetingUnitTable['role']][]>`(select coalesce(json_agg(json_build_array(mu.unit_code, mu.role)), '[]'::json) from meeting_units mu where mu.meeting_id = meetings.id)`.as('unit_list'))
    .where('meeting_units.unit_code', '=', unitCode)
    .where('meetings.status', '!=', 'ended')
    .orderBy('meetings.starts_at', 'desc')
    .limit(200)
    .execute();
  const units = rows.flatMap((m) => m.unit_list.map(([unit_code, role]) => ({ meeting_id: m.id, unit_code, role })));
  return meetingDtos(db, tree, rows, undefined, units);
}

async function loadMeetings(db: Kysely<Database>, tree: OrgTree, ids: string[]): Promise<MeetingDto[]> {
  if (ids.length === 0) return [];
  return meetingDtos(db, tree, await db.selectFrom('meetings').selectAll().where('id', 'in', ids).execute(), ids);
}

/** DTOs of meeting rows, in `ids`' order (default: the rows'). */
async function meetingDtos(
  db: Kysely<Database>,
  tree: OrgTree,
  meetings: Selectable<MeetingTable>[],
  ids = meetings.map((m) => m.id),
  known?: { meeting_id: string; unit_code: string; role: MeetingUnitTable['role'] }[],
): Promise<MeetingDto[]> {
  if (ids.length === 0) return [];
  const units = known ?? (await db.selectFrom('meeting_units').select(['meeting_id', 'unit_code', 'role']).where('meeting_id', 'in', ids).execute());
  const byId = new Map(meetings.map((m) => [m.id, m]));
  return ids.flatMap((id) => {
    const m = byId.get(id);
    if (!m) return [];
    const mine = units.filter((u) => u.meeting_id === id);
    const order = (code: string) => (code === m.host_unit_code ? '' : code);
    mine.sort((a, b) => order(a.unit_code).localeCompare(order(b.unit_code)));
    return [
      {
        id: m.id,
        title: m.title,
        hostUnitCode: m.host_unit_code,
        hostUnitName: tree.get(m.host_unit_code)?.name ?? m.host_unit_code,
        startsAt: m.starts_at.toISOString(),
        durationMin: m.duration_min,
        status: m.status,
        units: mine.map((u) => ({ code: u.unit_code, name: tree.get(u.unit_code)?.name ?? u.unit_code, role: u.role })),
        createdAt: m.created_at.toISOString(),
        hasPin: m.pin_hash !== null,
        accessNumber: m.access_number,
      },
    ];
  });
}

/** The meeting's entry PIN hash, null when it has none. */
export async function meetingPinHash(db: Kysely<Database>, meetingId: string): Promise<string | null> {
  const row = await db.selectFrom('meetings').select('pin_hash').where('id', '=', meetingId).executeTakeFirst();
  return row?.pin_hash ?? null;
}

export async function isUnitInvited(db: Kysely<Database>, meetingId: string, unitCode: string): Promise<boolean> {
  const row = await db
    .selectFrom('meeting_units')
    .select('unit_code')
    .where('meeting_id', '=', meetingId)
    .where('unit_code', '=', unitCode)
    .executeTakeFirst();
  return row !== undefined;
}

export async function markLive(db: Kysely<Database>, meetingId: string): Promise<void> {
  await db.updateTable('meetings').set({ status: 'live' }).where('id', '=', meetingId).where('status', '=', 'scheduled').execute();
}

/** Whether a unit was ever in the meeting (a locked meeting lets such a site back in). */
export async function hasAttended(db: Kysely<Database>, meetingId: string, unitCode: string): Promise<boolean> {
  const row = await db.selectFrom('meeting_attendance').select('id').where('meeting_id', '=', meetingId).where('unit_code', '=', unitCode).executeTakeFirst();
  return row !== undefined;
}

export async function recordJoin(db: Kysely<Database>, meetingId: string, unitCode: string, userId: number): Promise<number> {
  const row = await db
    .insertInto('meeting_attendance')
    .values({ meeting_id: meetingId, unit_code: unitCode, user_id: userId })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

/** A phone site joined (语音接入): attendance of its unit, with the caller's number instead of a user. */
export async function recordPhoneJoin(db: Kysely<Database>, meetingId: string, unitCode: string, phone: string): Promise<number> {
  const row = await db
    .insertInto('meeting_attendance')
    .values({ meeting_id: meetingId, unit_code: unitCode, user_id: null, phone })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

export async function recordLeave(db: Kysely<Database>, attendanceId: number): Promise<void> {
  await db.updateTable('meeting_attendance').set({ left_at: sql<Date>`now()` }).where('id', '=', attendanceId).where('left_at', 'is', null).execute();
}

export interface StoredControl {
  locked: boolean;
  endsAt: string;
  ended: boolean;
  saved: Record<string, unknown> | null;
}

/** The chair's decisions that survive a restart (migration 004). */
export async function loadControl(db: Kysely<Database>, meetingId: string): Promise<StoredControl | null> {
  const m = await db
    .selectFrom('meetings')
    .select(['locked', 'ends_at', 'ended_at', 'status', 'control', 'starts_at', 'duration_min'])
    .where('id', '=', meetingId)
    .executeTakeFirst();
  if (!m) return null;
  const endsAt = m.ends_at ?? new Date(m.starts_at.getTime() + m.duration_min * 60_000);
  const saved = typeof m.control === 'string' ? JSON.parse(m.control) : (m.control as Record<string, unknown> | null);
  return { locked: m.locked, endsAt: endsAt.toISOString(), ended: m.status === 'ended' || m.ended_at !== null, saved };
}

export async function saveControl(
  db: Kysely<Database>,
  meetingId: string,
  c: { locked: boolean; endsAt: string; saved: Record<string, unknown> },
): Promise<void> {
  await db
    .updateTable('meetings')
    .set({ locked: c.locked, ends_at: new Date(c.endsAt), control: JSON.stringify(c.saved) })
    .where('id', '=', meetingId)
    .execute();
}

/** Ends the meeting: the end time is the database's clock, and every site still inside is signed out. */
export async function endMeeting(db: Kysely<Database>, meetingId: string): Promise<void> {
  await db.transaction().execute(async (trx) => {
    await trx
      .updateTable('meetings')
      .set({ status: 'ended', ended_at: sql<Date>`now()` })
      .where('id', '=', meetingId)
      .where('ended_at', 'is', null)
      .execute();
    await trx.updateTable('meeting_attendance').set({ left_at: sql<Date>`now()` }).where('meeting_id', '=', meetingId).where('left_at', 'is', null).execute();
  });
}

export type { AttendanceRow } from '../../contract/meetings.ts';

/** Check-in (签到): every join and leave of every site, oldest first; open rows count up to now. */
export async function listAttendance(db: Kysely<Database>, tree: OrgTree, meetingId: string): Promise<AttendanceRow[]> {
  const rows = await db
    .selectFrom('meeting_attendance')
    .leftJoin('users', 'users.id', 'meeting_attendance.user_id')
    .select([
      'meeting_attendance.unit_code',
      'users.display_name',
      'meeting_attendance.phone',
      'meeting_attendance.joined_at',
      'meeting_attendance.left_at',
      sql<number>`extract(epoch from coalesce(meeting_attendance.left_at, now()) - meeting_attendance.joined_at)`.as('seconds'),
    ])
    .where('meeting_attendance.meeting_id', '=', meetingId)
    .orderBy('meeting_attendance.joined_at')
    .orderBy('meeting_attendance.id')
    .execute();
  return rows.map((r) => ({
    unitCode: r.unit_code,
    unitName: tree.get(r.unit_code)?.name ?? r.unit_code,
    userName: r.display_name ?? `电话 ${r.phone ?? ''}`,
    joinedAt: r.joined_at.toISOString(),
    leftAt: r.left_at ? r.left_at.toISOString() : null,
    seconds: Math.max(0, Math.round(Number(r.seconds))),
  }));
}
