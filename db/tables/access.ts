/** Access-control tables (migration 006): entry-PIN guesses and passes, login throttle. */
import type { Generated } from 'kysely';
import type { ServerTime } from './common.ts';

export interface MeetingPinAttemptTable {
  meeting_id: string;
  unit_code: string;
  /** Guesses in the current window not refunded by a right PIN. */
  wrong: number;
  window_start: Date;
}

export interface MeetingPinPassTable {
  meeting_id: string;
  unit_code: string;
  passed_at: ServerTime;
}

export interface LoginThrottleTable {
  /** 'user:<username>' or 'ip:<address>'. */
  key: string;
  failures: number;
  window_start: Date;
  locked_until: Date | null;
}

/** The append-only audit trail (migration 015): inserted by server/audit, never changed. */
export interface AuditLogTable {
  id: Generated<string>;
  at: Date;
  user_id: number | null;
  username: string | null;
  unit_code: string | null;
  remote: string | null;
  action: string;
  target: string | null;
  status: number | null;
  /** Canonical JSON text (hashed as stored). */
  detail: string | null;
  prev_hash: string;
  hash: string;
}

export interface AccessTables {
  audit_log: AuditLogTable;
  meeting_pin_attempts: MeetingPinAttemptTable;
  meeting_pin_passes: MeetingPinPassTable;
  login_throttle: LoginThrottleTable;
}
