/** 24-hour duty (值班) tables: rosters, swaps, handovers, the duty log. */
import type { ColumnType, Generated } from 'kysely';
import type { ClockTime, ClockUpdatedTime } from './common.ts';

/** A person on a roster slot: an account of the unit, or a free-text name + phone (no account). */
export interface DutyPerson {
  userId: number | null;
  name: string;
  phone: string | null;
}

/** jsonb: read as parsed JSON, written as a JSON string (pg would turn JS arrays into SQL arrays). */
type Json<T> = ColumnType<T, string, string>;

/** Per-unit duty settings: the shift pattern and the duty office phone. No row = defaults. */
export interface DutySettingsTable {
  unit_code: string;
  /** Local (UTC+8) start times of the shifts of a day, 'HH:MM', ascending; ['08:30'] = one 24-hour shift. */
  shift_starts: string[];
  duty_phone: string | null;
  updated_by: number;
  updated_at: ClockUpdatedTime;
}

export type RosterSource = 'manual' | 'import' | 'swap' | 'seed';

/**
 * One version of one roster slot. Append-only: a change supersedes the current row (superseded_at set)
 * and inserts the next version; at most one current row per (unit, slot_start).
 */
export interface DutyRosterTable {
  id: Generated<number>;
  unit_code: string;
  slot_start: Date;
  slot_end: Date;
  officers: Json<DutyPerson[]>;
  leader: Json<DutyPerson | null>;
  note: string;
  version: number;
  source: RosterSource;
  swap_id: string | null;
  /** Who made this version (for swaps: the approving leader). */
  created_by: number;
  created_at: ClockTime;
  superseded_at: ColumnType<Date | null, never, Date>;
}

export type SwapStatus = 'pending' | 'approved' | 'rejected' | 'cancelled';
export type SwapKind = 'swap' | 'replace';

/** A request to swap two people's slots, or to have someone replace a person in a slot (换班/替班). */
export interface DutySwapTable {
  id: Generated<string>;
  request_id: string;
  unit_code: string;
  kind: SwapKind;
  /** Role on the roster being changed. */
  role: 'officer' | 'leader';
  slot_start: Date;
  /** The person leaving `slot_start`. */
  from_person: Json<DutyPerson>;
  /** swap: the person taking `slot_start` who leaves `other_slot_start`; replace: the substitute. */
  to_person: Json<DutyPerson>;
  other_slot_start: Date | null;
  reason: string;
  status: SwapStatus;
  requested_by: number;
  requested_at: ClockTime;
  decided_by: number | null;
  decided_at: ColumnType<Date | null, never, Date>;
  decision_note: string | null;
}

export type HandoverItemKind = 'log' | 'report_followup' | 'report_signoff' | 'report_relay' | 'instruction_feedback';

/** A shift closed by its outgoing officer (交班), accepted by the incoming one (接班). */
export interface DutyHandoverTable {
  id: Generated<string>;
  request_id: string;
  unit_code: string;
  slot_start: Date;
  slot_end: Date;
  outgoing_user_id: number;
  summary: string;
  closed_at: ClockTime;
  incoming_user_id: number | null;
  accepted_at: ColumnType<Date | null, never, Date>;
}

/** What the outgoing shift carried over: snapshot at close; each must be acknowledged by the incoming officer. */
export interface DutyHandoverItemTable {
  id: Generated<number>;
  handover_id: string;
  kind: HandoverItemKind;
  ref_id: string;
  title: string;
  due_at: Date | null;
  acknowledged_by: number | null;
  acknowledged_at: ColumnType<Date | null, never, Date>;
}

export type DutyLogKind = 'call' | 'document' | 'event' | 'other';

/** Duty phone register entry (值班电话记录). Current values; every version is in duty_log_revisions. */
export interface DutyLogTable {
  id: Generated<string>;
  request_id: string;
  unit_code: string;
  kind: DutyLogKind;
  /** When the server received it: a fact. */
  received_at: ClockTime;
  /** When the call came in, as entered by the officer. */
  call_time: Date;
  caller_unit: string;
  caller_name: string;
  caller_title: string;
  caller_phone: string;
  summary: string;
  place: string;
  cause: string;
  measures: string;
  notified: string;
  status: 'open' | 'closed';
  revision: number;
  created_by: number;
  updated_by: number;
  updated_at: ClockUpdatedTime;
}

/** Append-only: every version of a duty log entry, the first one included. */
export interface DutyLogRevisionTable {
  id: Generated<number>;
  entry_id: string;
  revision: number;
  data: Json<Record<string, unknown>>;
  edited_by: number;
  edited_at: ClockTime;
}

export interface DutyTables {
  duty_settings: DutySettingsTable;
  duty_roster: DutyRosterTable;
  duty_swaps: DutySwapTable;
  duty_handovers: DutyHandoverTable;
  duty_handover_items: DutyHandoverItemTable;
  duty_log: DutyLogTable;
  duty_log_revisions: DutyLogRevisionTable;
}
