/** Access-control tables (migration 006): entry-PIN guesses and passes, login throttle. */
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

export interface AccessTables {
  meeting_pin_attempts: MeetingPinAttemptTable;
  meeting_pin_passes: MeetingPinPassTable;
  login_throttle: LoginThrottleTable;
}
