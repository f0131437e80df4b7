/**
 * Wire types of video meetings: the meeting DTO and its create body, the signalling payloads (zod), who is
 * in the room (peers, producers), site health, recordings, chat. The chair's control is meetingControl.ts.
 */
import { z } from 'zod';
import { plausibleInstant, unitCode } from './fields.ts';
import { clientCommand } from './meetingControl.ts';

export const MEETING_STATUSES = ['scheduled', 'live', 'ended'] as const;
export type MeetingStatus = (typeof MEETING_STATUSES)[number];

export interface MeetingDto {
  id: string;
  title: string;
  hostUnitCode: string;
  hostUnitName: string;
  startsAt: string;
  durationMin: number;
  status: MeetingStatus;
  units: { code: string; name: string; role: 'main' | 'sub' }[];
  createdAt: string;
  /** Sites must type an entry PIN (the PIN itself never leaves the server). */
  hasPin: boolean;
  /** What a phone dials (the SIP request-URI user) to join by voice (语音接入). */
  accessNumber?: number;
}

/** Which units a meeting invites (三级灵活组织). */
export const scopeSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('region') }),
  z.object({ kind: z.literal('cityWithCounties'), cityCode: unitCode() }),
  z.object({ kind: z.literal('level'), level: z.union([z.literal(2), z.literal(3)]) }),
  z.object({ kind: z.literal('units'), unitCodes: z.array(unitCode()).min(1).max(500) }),
]);
/** POST /api/meetings */
export const createMeetingBody = z.object({
  title: z.string().trim().min(1).max(200),
  startsAt: plausibleInstant().optional(),
  durationMin: z.number().int().min(1).max(1440).default(60),
  scope: scopeSchema,
  /** Optional entry PIN (入会密码): 4–8 digits, stored hashed. */
  pin: z.string().regex(/^\d{4,8}$/).optional(),
});
export type MeetingScope = z.infer<typeof scopeSchema>;
export type CreateMeetingBody = z.input<typeof createMeetingBody>;

const anyObject = z.record(z.string(), z.unknown());
const unit = unitCode();
/** Chat messages a site may send per minute. */
export const CHAT_PER_MINUTE = 30;

/** Payloads of the client→server meeting events (each answered by an ack, contract/socket.ts). */
export const signallingSchemas = {
  join: z.object({ meetingId: z.uuid(), pin: z.string().max(16).optional() }),
  createTransport: z.object({ direction: z.enum(['send', 'recv']) }),
  connect: z.object({ transportId: z.string().min(1), dtlsParameters: anyObject }),
  produce: z.object({
    transportId: z.string().min(1),
    kind: z.enum(['audio', 'video']),
    rtpParameters: anyObject,
    appData: anyObject.optional(),
  }),
  /** spatialLayer: the simulcast layer the tile needs (contract/subscription.ts), from the first packet. */
  consume: z.object({ producerId: z.string().min(1), rtpCapabilities: anyObject, spatialLayer: z.number().int().min(0).max(2).optional() }),
  resume: z.object({ consumerId: z.string().min(1) }),
  layers: z.object({ consumerId: z.string().min(1), spatialLayer: z.number().int().min(0).max(2), temporalLayer: z.number().int().min(0).max(2).optional() }),
  restartIce: z.object({ transportId: z.string().min(1) }),
  producerClose: z.object({ producerId: z.string().min(1) }),
  control: z.object({ command: clientCommand }),
  stats: z.object({
    width: z.number().int().min(0).max(8192),
    height: z.number().int().min(0).max(8192),
    fps: z.number().min(0).max(240),
    rttMs: z.number().min(0).max(60_000).nullable(),
  }),
  chat: z.object({ text: z.string().trim().min(1).max(500), toUnitCode: unit.optional() }),
  empty: z.object({}).passthrough().optional(),
};

/** A site in the room (peer:joined, meeting:join's answer). */
export interface PeerInfo {
  peerId: string;
  userId: number;
  displayName: string;
  unitCode: string;
  unitName: string;
  /** A phone site (语音接入): the caller's number (shown with a telephone mark). */
  phone?: string;
}

/** A stream sent to the SFU (producer:new, meeting:join's answer). */
export interface ProducerInfo {
  producerId: string;
  peerId: string;
  kind: 'audio' | 'video';
  unitCode: string;
  unitName: string;
  /** mic, camera or screen (content sharing, 双流). */
  source: 'mic' | 'camera' | 'screen';
  /** Paused at the SFU (muted / camera off). */
  paused: boolean;
}

/** A chat line (chat push). */
export interface ChatMessage {
  meetingId: string;
  fromUnitCode: string;
  fromUnitName: string;
  fromName: string;
  toUnitCode: string | null;
  text: string;
  at: string;
}

/** One join of one site (签到): joins and leaves, oldest first; an open row counts up to now. */
export interface AttendanceRow {
  unitCode: string;
  unitName: string;
  userName: string;
  joinedAt: string;
  leftAt: string | null;
  seconds: number;
}

export interface RecordingDto {
  id: number;
  meetingId: string;
  fileName: string;
  startedByUnit: string;
  startedAt: string;
  endedAt: string;
  bytes: number;
  durationSec: number;
}

export interface SiteHealth {
  peerId: string;
  unitCode: string;
  unitName: string;
  /** ICE+DTLS state of the send and receive transports. */
  connected: boolean;
  sendKbps: number;
  recvKbps: number;
  /** Fraction 0..1 of the site's uplink video lost on the way to the SFU. */
  loss: number;
  rttMs: number | null;
  /** mediasoup producer score 0..10 (10: perfect) of the camera: its best simulcast stream. */
  score: number | null;
  resolution: string | null;
  trouble: boolean;
}
