/** Meeting tables: scheduling, scope, attendance (and the chair's state as it grows). */
import type { ColumnType, Generated } from 'kysely';
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
  /** Chair locked the meeting: no further site may join (migration 004). */
  locked: Generated<boolean>;
  /** Planned end; extend moves it. Null for rows from before migration 004 until first use. */
  ends_at: Date | null;
  /** When the chair ended it (immutable once set). */
  ended_at: Date | null;
  /** Persisted part of the chair's control state (layout, mute-locks, banner, caption, removed sites). */
  control: ColumnType<unknown, never, string>;
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
