/**
 * The socket.io event maps, as mediasoup types its observer events: `new Server<ClientToServerEvents,
 * ServerToClientEvents, …>` on the server and `Socket<ServerToClientEvents, ClientToServerEvents>` in the
 * console. Adding, renaming or reshaping an event is a compile error on both sides until both agree.
 */
import type { z } from 'zod';
import type { HandoverDto, LogEntryDto, SwapDto } from './duty.ts';
import type { ChangedPush, IssuePush, NoticePush } from './information.ts';
import type { ControlState } from './meetingControl.ts';
import type { ChatMessage, MeetingDto, PeerInfo, ProducerInfo, signallingSchemas } from './meetings.ts';
import type { PlatformAlertPush, PlatformConvenedPush } from './platform.ts';
import type { Grade, IdNotice, ReportDto, ReportPush } from './reports.ts';
import type { SessionEndReason } from './sessions.ts';
import type { DialPush, voiceSchemas } from './voice.ts';

/** The answer every acked client→server socket event gets (server/realtime/ack.ts sends it). */
export type AckResult<T = unknown> = { ok: true; data: T } | { ok: false; error: { code: string; message: string; details?: unknown } };
export type Ack<T = unknown> = (res: AckResult<T>) => void;

/** A deadline about to pass, passed, or a 续报 due (the title only to the unit itself, unclassified only). */
export interface DeadlinePush {
  incidentId: string;
  unitCode: string;
  unitName: string;
  kind?: 'phone' | 'written';
  grade: Grade;
  dueAt: string;
  title?: string;
  recordedAt?: string;
}

export interface ServerToClientEvents {
  /** The session ended (logout elsewhere, password change, idle, evicted, revoked, disabled); its socket closes. */
  'session:ended': (p: { reason?: SessionEndReason }) => void;
  // urgent reports: report:new / report:update carry the report as this socket may read it
  'report:new': (p: ReportDto) => void;
  'report:update': (p: ReportDto) => void;
  'report:received': (p: ReportPush) => void;
  'incident:changed': (p: IdNotice) => void;
  'incident:demanded': (p: IdNotice & { byUnit: string; byUnitName: string }) => void;
  'instruction:new': (p: IdNotice & { incidentId: string; byUnitName: string }) => void;
  'instruction:feedback': (p: IdNotice & { incidentId: string; feedbackId: string; issuer: string; unitCode: string; unitName: string; [more: string]: unknown }) => void;
  'deadline:warning': (p: DeadlinePush) => void;
  'deadline:missed': (p: DeadlinePush) => void;
  'followup:due': (p: DeadlinePush) => void;
  // duty
  'duty:roster': (p: { unitCode: string }) => void;
  'duty:swap': (p: SwapDto) => void;
  'duty:handover': (p: HandoverDto) => void;
  'duty:log': (p: LogEntryDto) => void;
  // meetings: lists, then the room
  'meeting:new': (p: MeetingDto) => void;
  'meeting:ended': (p: { meetingId: string }) => void;
  'meeting:removed': (p: { meetingId: string }) => void;
  'meeting:restart': (p: { meetingId: string }) => void;
  'peer:joined': (p: PeerInfo) => void;
  'peer:left': (p: { peerId: string }) => void;
  'producer:new': (p: ProducerInfo) => void;
  'producer:closed': (p: { producerId: string }) => void;
  /** A producer paused or resumed at the SFU (the chair muted a site): tests and tools watch it. */
  'producer:paused': (p: ProducerInfo & { paused: boolean }) => void;
  'control:state': (p: ControlState) => void;
  /** The units whose audio the SFU forwards now: the N loudest unmuted (last-N); consoles subscribe to them. */
  'audio:audible': (p: { meetingId: string; units: string[] }) => void;
  chat: (p: ChatMessage) => void;
  /** A site the chair dialled (呼叫会场): ringing → joined / busy / noAnswer / failed / cancelled, then ended. */
  'voice:dial': (p: DialPush) => void;
  'devicetest:closed': (p: { reason: 'timeout' | 'worker' }) => void;
  // routine information
  'information:notice': (p: NoticePush) => void;
  'information:issue': (p: IssuePush) => void;
  'information:changed': (p: ChangedPush) => void;
  // emergency platform
  'platform:alert': (p: PlatformAlertPush) => void;
  'platform:alert-ack': (p: { id: string }) => void;
  'platform:convened': (p: PlatformConvenedPush) => void;
  'platform:outbox': (p: { incidentId?: string }) => void;
}

type Request<S extends z.ZodType, T = unknown> = (payload: z.input<S>, ack: Ack<T>) => void;
type Sig = typeof signallingSchemas;
type Untyped = Request<z.ZodType>;

export interface ClientToServerEvents {
  'meeting:join': Request<Sig['join']>;
  'meeting:leave': Request<Sig['empty']>;
  'transport:create': Request<Sig['createTransport']>;
  'transport:connect': Request<Sig['connect']>;
  'transport:restartIce': Request<Sig['restartIce']>;
  produce: Request<Sig['produce'], { id: string }>;
  'producer:close': Request<Sig['producerClose']>;
  consume: Request<Sig['consume']>;
  'consumer:resume': Request<Sig['resume']>;
  'consumer:pause': Request<Sig['resume']>;
  /** Subscribe on demand: the console no longer shows it (off the page, another layout, no longer heard). */
  'consumer:close': Request<Sig['resume']>;
  'consumer:setPreferredLayers': Request<Sig['layers']>;
  control: Request<Sig['control'], { control: ControlState }>;
  'stats:report': Request<Sig['stats']>;
  chat: Request<Sig['chat']>;
  'voice:dial': Request<(typeof voiceSchemas)['dial'], DialPush>;
  'voice:hangup': Request<(typeof voiceSchemas)['hangup']>;
  'devicetest:start': Untyped;
  'devicetest:connect': Untyped;
  'devicetest:produce': Untyped;
  'devicetest:consume': Untyped;
  'devicetest:resume': Untyped;
  'devicetest:stats': Untyped;
  'devicetest:stop': Untyped;
}

export type ClientEvent = keyof ClientToServerEvents;
export type ServerEvent = keyof ServerToClientEvents;
/** The payload of a server→client event. */
export type PushOf<E extends ServerEvent> = Parameters<ServerToClientEvents[E]>[0];
