/** Wire types of the emergency-platform link (应急平台): push, delivery state, inbound alerts, convene. */
import { z } from 'zod';

export const OUTBOX_STATES = ['pending', 'retrying', 'sent', 'acked', 'parked'] as const;
export type OutboxState = (typeof OUTBOX_STATES)[number];

export const pushRequestSchema = z.object({ note: z.string().trim().max(2000).optional() });
export const redriveSchema = z.object({ xml: z.string().max(256 * 1024).optional() });
export const autoRulesSchema = z.object({
  rules: z.array(z.object({ grade: z.union([z.literal(1), z.literal(2), z.literal(3), z.literal(4)]), autoPush: z.boolean() })).length(4),
});
export const withdrawSchema = z.object({ incidentId: z.uuid() });
export const conveneSchema = z.union([z.object({ alertId: z.uuid() }), z.object({ incidentId: z.uuid() })]);
export const demandSchema = z.object({ note: z.string().trim().max(2000).optional() });

export type AutoRules = z.infer<typeof autoRulesSchema>['rules'];

/** One CAP message in the outbox and where it stands (times are the server's). */
export interface OutboxDto {
  id: number;
  identifier: string;
  incidentId: string;
  reportId: string | null;
  pushKind: 'first' | 'followup' | 'final' | 'cancel';
  msgType: 'Alert' | 'Update' | 'Cancel';
  state: OutboxState;
  attempts: number;
  auto: boolean;
  lastError: string | null;
  createdAt: string;
  nextAttemptAt: string | null;
  sentAt: string | null;
  ackedAt: string | null;
  parkedAt: string | null;
  ackIdentifier: string | null;
  decidedBy: string | null;
  signedBy: string | null;
  /** The message and the platform's answer: only for the region's own staff. */
  xml?: string;
  answerXml?: string | null;
}

/** A report's standing with the platform: waiting for sign-off, and/or its message. */
export interface ReportDeliveryDto {
  reportId: string;
  /** The report reached the region, so the region may push it. */
  atRegion: boolean;
  request: { requestedBy: string; requestedAt: string; note: string } | null;
  message: OutboxDto | null;
}

export interface InboundAlertDto {
  id: string;
  status: 'rejected' | 'accepted';
  identifier: string | null;
  sender: string | null;
  sent: string | null;
  msgType: string | null;
  headline: string;
  event: string;
  severity: string;
  areaDesc: string;
  description: string;
  geocodes: string[];
  units: { code: string; name: string }[];
  matchedBy: 'geocode' | 'description' | 'none';
  error: string | null;
  receivedAt: string;
  /** Acknowledged by my unit (时间, 人). */
  acknowledgedAt: string | null;
  acknowledgedBy: string | null;
  incidentId: string | null;
  meetingId: string | null;
  /** The earlier alert this Update or Cancel replaces. */
  supersedes: string | null;
  /** Replaced by a later Update or Cancel: no longer alarms. */
  supersededBy: string | null;
  /** Lifted by the agency's Cancel (预警解除). */
  cancelledAt: string | null;
}

/** socket.io push to the units an accepted alert covers (and the offices above them). */
export interface PlatformAlertPush {
  alert: InboundAlertDto;
}

/** socket.io push to the invited units of a meeting convened from an alert or incident: play a sound. */
export interface PlatformConvenedPush {
  meetingId: string;
  title: string;
  hostUnitName: string;
}

export interface ConveneResult {
  meetingId: string;
  units: string[];
  hostUnitCode: string;
}
