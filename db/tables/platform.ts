/** Link to the region's emergency platform (应急平台): CAP outbox, push requests, auto-push rules, inbound alerts. */
import type { ColumnType, Generated } from 'kysely';
import type { ServerTime } from './common.ts';

/**
 * pending 待推送 → sent 已推送 (HTTP accepted) → acked 已确认 (the platform's Ack names ours);
 * retrying 失败重试中 after a failed attempt; parked after a CAP Error answer (an operator re-drives it).
 */
export type OutboxState = 'pending' | 'retrying' | 'sent' | 'acked' | 'parked';
export type PushKind = 'first' | 'followup' | 'final' | 'cancel';

export interface PlatformOutboxTable {
  id: Generated<number>;
  identifier: string;
  incident_id: string;
  report_id: string | null;
  push_kind: PushKind;
  msg_type: 'Alert' | 'Update' | 'Cancel';
  sent_stamp: string; // the CAP <sent> value (+08:00), as referenced by later messages
  xml: string;
  state: Generated<OutboxState>;
  attempts: Generated<number>;
  next_attempt_at: Date;
  last_error: string | null;
  /** Who decided the push (null: automatic on 签收 by rule) and who signed it off. */
  decided_by: number | null;
  signed_by: number | null;
  auto: Generated<boolean>;
  created_at: ServerTime;
  sent_at: Date | null;
  acked_at: Date | null;
  ack_identifier: string | null;
  answer_xml: string | null;
  parked_at: Date | null;
}

/** A duty officer's request to push a report, waiting for the leader on duty's sign-off. */
export interface PlatformPushRequestTable {
  report_id: string;
  requested_by: number;
  requested_at: ServerTime;
  note: Generated<string>;
}

/** Grades whose reports are pushed automatically when the region acknowledges (签收) them. */
export interface PlatformAutoRuleTable {
  grade: 1 | 2 | 3 | 4;
  auto_push: boolean;
}

export type InboundStatus = 'rejected' | 'accepted';

/** Every CAP message the platform sent us; rejected ones are kept for the operator too. */
export interface PlatformInboundTable {
  id: Generated<string>;
  status: InboundStatus;
  identifier: string | null;
  sender: string | null;
  sent: string | null;
  msg_type: string | null;
  headline: Generated<string>;
  event: Generated<string>;
  severity: Generated<string>;
  area_desc: Generated<string>;
  description: Generated<string>;
  geocodes: ColumnType<string[], string[] | undefined, string[]>;
  /** Units whose area the alert covers (by geocode, else by description). */
  unit_codes: ColumnType<string[], string[] | undefined, string[]>;
  matched_by: Generated<string>; // 'geocode' | 'description' | 'none'
  error: string | null;
  xml: string;
  received_at: ServerTime;
  incident_id: string | null;
  meeting_id: string | null;
  /** The earlier alert this Update or Cancel replaces (migration 014). */
  supersedes: ColumnType<string | null, string | null | undefined, string | null>;
  /** On an earlier alert: the Update or Cancel that replaced it. */
  superseded_by: ColumnType<string | null, string | null | undefined, string | null>;
  /** On an earlier alert: when a Cancel lifted it. */
  cancelled_at: ColumnType<Date | null, Date | null | undefined, Date | null>;
}

export interface PlatformInboundAckTable {
  inbound_id: string;
  unit_code: string;
  acknowledged_by: number;
  acknowledged_at: Date;
}

export interface PlatformTables {
  platform_inbound_acks: PlatformInboundAckTable;
  platform_outbox: PlatformOutboxTable;
  platform_push_requests: PlatformPushRequestTable;
  platform_auto_rules: PlatformAutoRuleTable;
  platform_inbound: PlatformInboundTable;
}
