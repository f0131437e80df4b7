/** Urgent report (紧急信息) tables: incidents, their reports, the relay chain, deadlines, instructions. */
import type { ColumnType, Generated } from 'kysely';
import type { ServerTime } from './common.ts';

export type Grade = 1 | 2 | 3 | 4; // 特别重大 I … 一般 IV
/** 密级: 0 公开, 1 内部, 2 秘密, 3 机密. 秘密 and above are for cleared roles only. */
export type Classification = 0 | 1 | 2 | 3;
export type ReportKind = 'phone' | 'initial' | 'followup' | 'final';
export type ReportState = 'draft' | 'pending_signoff' | 'returned' | 'sent';
export type HopState = 'received' | 'acknowledged' | 'relay_pending' | 'relayed';
export type DeadlineKind = 'phone' | 'written';

/** A fact stamped by the server (clock.now()) on insert: required on insert, never updated. */
type FactTime = ColumnType<Date, Date, never>;

export interface IncidentTable {
  id: Generated<string>;
  /** The unit where it happened and which must report it. */
  unit_code: string;
  title: string;
  event_time: Date;
  place: string;
  category: string;
  grade: Grade;
  classification: Classification;
  status: 'open' | 'closed';
  /** Set when a higher level learned first and demanded a report (漏报). */
  demanded_by_unit: string | null;
  demand_note: string | null;
  opened_by: number;
  created_at: FactTime;
  closed_at: Date | null;
  /** Converted from the first slice's stand-alone reports: no deadlines are evaluated. */
  legacy: Generated<boolean>;
}

export interface UrgentReportTable {
  id: Generated<string>;
  request_id: string; // client-generated, makes submits idempotent
  /** Filled by the database with a new incident when omitted (a stand-alone report). */
  incident_id: Generated<string>;
  kind: Generated<ReportKind>;
  /** 续报 number (1, 2, …) for follow-ups, else 0. */
  seq: Generated<number>;
  state: Generated<ReportState>;
  unit_code: string;
  title: string;
  event_time: Date;
  place: string;
  address: Generated<string>;
  category: Generated<string>;
  grade: Grade;
  classification: Generated<Classification>;
  summary: string;
  casualties: Generated<string>;
  losses: Generated<string>;
  cause: Generated<string>;
  measures: Generated<string>;
  next_steps: Generated<string>;
  /** Phone report: who called whom. */
  caller: Generated<string>;
  callee: Generated<string>;
  created_by: number;
  created_at: ServerTime;
  submitted_at: Date | null;
  signed_by: number | null;
  signed_at: Date | null;
  sign_comment: string | null;
}

/** One receiving office in the chain above the reporting unit (签收 → 研判 → 签发 → 上报). */
export interface ReportHopTable {
  id: Generated<string>;
  report_id: string;
  unit_code: string;
  from_unit_code: string;
  state: Generated<HopState>;
  /** A direct copy to the top for the gravest grades (not part of the level-by-level chain). */
  is_copy: Generated<boolean>;
  received_at: FactTime;
  acknowledged_at: Date | null;
  acknowledged_by: number | null;
  assessment: Generated<string>;
  relay_by: number | null;
  relay_signed_by: number | null;
  relayed_at: Date | null;
  /** The office leader's comment on signing the relay (签发上报意见). */
  relay_sign_comment: Generated<string | null>;
}

/** Append-only timeline of every step across all levels. */
export interface ReportEventTable {
  id: Generated<string>;
  incident_id: string;
  report_id: string | null;
  unit_code: string;
  actor_id: number | null;
  action: string;
  detail: ColumnType<Record<string, unknown>, string, never>;
  at: FactTime;
}

export interface DeadlineRuleTable {
  id: Generated<number>;
  grade: Grade;
  level: 1 | 2 | 3;
  kind: DeadlineKind;
  minutes: number;
}

/** 迟报: one row per (incident, unit, kind) the moment the deadline passed unmet. Never updated or deleted. */
export interface DeadlineMissTable {
  id: Generated<string>;
  incident_id: string;
  unit_code: string;
  kind: DeadlineKind;
  due_at: Date;
  recorded_at: FactTime;
}

export interface ReportAttachmentTable {
  id: Generated<string>;
  report_id: string;
  filename: string;
  mime: string;
  size: number;
  data: Buffer;
  uploaded_by: number;
  created_at: FactTime;
}

export interface ReportInstructionTable {
  id: Generated<string>;
  /** Exactly one of incident_id / info_item_id is set (an instruction on an incident or on an information item). */
  incident_id: string | null;
  info_item_id: Generated<string | null>;
  report_id: string | null;
  unit_code: string;
  author_id: number;
  text: string;
  due_at: Date | null;
  created_at: FactTime;
}

export interface InstructionTargetTable {
  instruction_id: string;
  unit_code: string;
  done_at: Date | null;
}

export interface InstructionFeedbackTable {
  id: Generated<string>;
  instruction_id: string;
  unit_code: string;
  author_id: number;
  text: string;
  done: boolean;
  created_at: FactTime;
}

/** Single-row settings of the workflow (configurable by an admin). */
export interface ReportSettingsTable {
  id: number;
  /** Daily follow-up reminder times, local (UTC+8) 'HH:MM'. */
  followup_times: string[];
  /** Grades at or above this (numerically ≤) are copied straight to the top on sign-off; 0 = never. */
  direct_copy_max_grade: number;
  /** Minutes before a deadline when the duty officer and leader are warned. */
  warn_minutes: number;
}

export interface ReportTables {
  incidents: IncidentTable;
  urgent_reports: UrgentReportTable;
  report_hops: ReportHopTable;
  report_events: ReportEventTable;
  deadline_rules: DeadlineRuleTable;
  deadline_misses: DeadlineMissTable;
  report_attachments: ReportAttachmentTable;
  report_instructions: ReportInstructionTable;
  instruction_targets: InstructionTargetTable;
  instruction_feedback: InstructionFeedbackTable;
  report_settings: ReportSettingsTable;
}
