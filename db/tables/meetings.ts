/** Meeting tables: scheduling, scope, attendance (and the chair's state as it grows). */
import type { Generated } from 'kysely';
import type { ServerTime } from './common.ts';

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

export interface MeetingTables {
  meetings: MeetingTable;
  meeting_units: MeetingUnitTable;
  meeting_attendance: MeetingAttendanceTable;
}
