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
  /** Entry PIN (入会密码), scrypt-hashed; null: no PIN (migration 004). */
  pin_hash: ColumnType<string | null, string | null | undefined, string | null>;
  /** What a phone dials to reach this meeting (语音接入, migration 017). */
  access_number: Generated<number>;
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
  /** Null for a phone site (then `phone` is the caller's number, migration 017). */
  user_id: number | null;
  phone: ColumnType<string | null, string | null | undefined, never>;
  joined_at: ServerTime;
  left_at: Date | null;
}

/** One finished server-side recording (a file under DATA_DIR/recordings/<meetingId>/); a fact, never edited. */
export interface MeetingRecordingTable {
  id: Generated<number>;
  meeting_id: string;
  file_name: string;
  started_by_unit: string;
  started_at: Date;
  ended_at: ServerTime;
  bytes: ColumnType<string | number, number, never>;
  duration_sec: ColumnType<number, number, never>;
}

/** A unit's registered phone (a county duty phone): a call from it joins as that unit (migration 017). */
export interface VoiceUnitPhoneTable {
  number: string;
  unit_code: string;
  created_at: ServerTime;
  /** Digest HA1 = H(number:realm:password), MD5 and SHA-256 (migration 020); null: no password set. */
  ha1_md5: string | null;
  ha1_sha256: string | null;
  /** The realm the HA1s were computed for (VOICE_REALM at the time). */
  realm: string | null;
  enabled: Generated<boolean>;
}

export interface MeetingTables {
  voice_unit_phones: VoiceUnitPhoneTable;
  meetings: MeetingTable;
  meeting_units: MeetingUnitTable;
  meeting_attendance: MeetingAttendanceTable;
  meeting_recordings: MeetingRecordingTable;
}
