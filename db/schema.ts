/** The database schema as Kysely types: the one source of truth the migrations implement. */
import type { ColumnType, Generated, Insertable, Selectable } from 'kysely';

type ServerTime = ColumnType<Date, never, never>; // set by Postgres (now()), never by clients

export const ROLES = ['duty_officer', 'leader', 'venue_operator', 'admin'] as const;
export type Role = (typeof ROLES)[number];

export interface UnitTable {
  code: string; // GB/T 2260 six-digit division code
  name: string;
  name_en: string;
  level: 1 | 2 | 3;
  parent_code: string | null;
  sort_order: number;
}

export interface UserTable {
  id: Generated<number>;
  username: string;
  display_name: string;
  password_hash: string;
  unit_code: string;
  roles: Role[];
  phone: string | null;
  created_at: ServerTime;
}

export interface SessionTable {
  token_hash: string;
  user_id: number;
  created_at: ServerTime;
  expires_at: Date;
}

export type MeetingStatus = 'scheduled' | 'live' | 'ended';

export interface MeetingTable {
  id: Generated<string>;
  title: string;
  host_unit_code: string;
  created_by: number;
  starts_at: Date;
  duration_min: number;
  status: Generated<MeetingStatus>;
  created_at: ServerTime;
}

export interface MeetingUnitTable {
  meeting_id: string;
  unit_code: string;
  role: 'main' | 'sub';
}

export interface MeetingAttendanceTable {
  id: Generated<number>;
  meeting_id: string;
  unit_code: string;
  user_id: number;
  joined_at: ServerTime;
  left_at: Date | null;
}

export interface UrgentReportTable {
  id: Generated<string>;
  request_id: string; // client-generated, makes submits idempotent
  unit_code: string;
  title: string;
  event_time: Date;
  place: string;
  grade: 1 | 2 | 3 | 4; // 特别重大 I … 一般 IV
  summary: string;
  created_by: number;
  created_at: ServerTime;
}

export interface Database {
  units: UnitTable;
  users: UserTable;
  sessions: SessionTable;
  meetings: MeetingTable;
  meeting_units: MeetingUnitTable;
  meeting_attendance: MeetingAttendanceTable;
  urgent_reports: UrgentReportTable;
}

export type Unit = Selectable<UnitTable>;
export type User = Selectable<UserTable>;
export type NewUser = Insertable<UserTable>;
export type Meeting = Selectable<MeetingTable>;
export type UrgentReport = Selectable<UrgentReportTable>;
