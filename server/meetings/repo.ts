import { sql, type Kysely } from 'kysely';
import type { Database, MeetingStatus } from '../../db/schema.ts';
import type { OrgTree } from '../org/tree.ts';

export interface MeetingDto {
  id: string;
  title: string;
  hostUnitCode: string;
  hostUnitName: string;
  startsAt: string;
  durationMin: number;
  status: MeetingStatus;
  units: { code: string; name: string; role: 'main' | 'sub' }[];
  createdAt: string;
}

export interface NewMeeting {
  title: string;
  hostUnitCode: string;
  createdBy: number;
  startsAt: Date;
  durationMin: number;
  unitCodes: string[]; // host first
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
  const rows = await db
    .selectFrom('meeting_units')
    .innerJoin('meetings', 'meetings.id', 'meeting_units.meeting_id')
    .select('meetings.id')
    .where('meeting_units.unit_code', '=', unitCode)
    .where('meetings.status', '!=', 'ended')
    .orderBy('meetings.starts_at', 'desc')
    .limit(200)
    .execute();
  return loadMeetings(db, tree, rows.map((r) => r.id));
}

async function loadMeetings(db: Kysely<Database>, tree: OrgTree, ids: string[]): Promise<MeetingDto[]> {
  if (ids.length === 0) return [];
  const meetings = await db.selectFrom('meetings').selectAll().where('id', 'in', ids).execute();
  const units = await db.selectFrom('meeting_units').selectAll().where('meeting_id', 'in', ids).execute();
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
      },
    ];
  });
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

export async function recordJoin(db: Kysely<Database>, meetingId: string, unitCode: string, userId: number): Promise<number> {
  const row = await db
    .insertInto('meeting_attendance')
    .values({ meeting_id: meetingId, unit_code: unitCode, user_id: userId })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

export async function recordLeave(db: Kysely<Database>, attendanceId: number): Promise<void> {
  await db.updateTable('meeting_attendance').set({ left_at: sql<Date>`now()` }).where('id', '=', attendanceId).where('left_at', 'is', null).execute();
}
