/**
 * Live meetings: one MeetingRoom (router) per meeting, created when the first site joins; the sites in it
 * (joined sockets) and the socket.io signalling (signalling.ts) that drives it; recording (meetingRecorders.ts).
 * The chair's control state (contract/meetingControl.ts, a pure reducer) lives here per meeting; its effects are
 * applied by controlEffects.ts (a muted site's audio stops at the SFU) and every change is pushed to all sites.
 */
import type { Kysely } from 'kysely';
import type { Logger } from 'pino';
import { randomUUID } from 'node:crypto';
import type { Server as IoServer, Socket } from 'socket.io';
import type { Database } from '../../db/schema.ts';
import { MeetingRoom } from '../../sfu/MeetingRoom.ts';
import type { WorkerPool } from '../../sfu/WorkerPool.ts';
import { hasAnyRole, type SessionUser } from '../auth/sessions.ts';
import { clock } from '../clock.ts';
import { meetingChannel } from '../realtime/rooms.ts';
import { SlidingWindowLimit } from '../realtime/slidingWindowLimit.ts';
import { ApiError, errors } from '../http/errors.ts';
import type { OrgTree } from '../org/tree.ts';
import {
  initialControlState,
  reduce,
  type Actor,
  type Command,
  type ControlErrorCode,
  type ControlState,
} from '../../contract/meetingControl.ts';
import { CHAT_PER_MINUTE, type MeetingDto, type PeerInfo, type ProducerInfo, type SiteHealth } from '../../contract/meetings.ts';
import type { DialPush } from '../../contract/voice.ts';
import { MeetingRecorders } from './meetingRecorders.ts';
import { checkJoinPin } from './pin.ts';
import { findMeeting, hasAttended, isUnitInvited, loadControl, markLive, recordJoin, recordLeave, recordPhoneJoin } from './repo.ts';
import { ControlEffects } from './controlEffects.ts';
import { attachSignalling, type SignallingHub } from './signalling.ts';
import { siteHealth } from './siteHealth.ts';

export { CHAT_PER_MINUTE };

/** Who chairs: a user of the main venue's unit with one of these roles. */
export const CHAIR_ROLES = ['leader', 'venue_operator'] as const;

interface Deps {
  db: Kysely<Database>;
  tree: OrgTree;
  log: Logger;
  io: IoServer;
  pool: WorkerPool;
}

/** meeting:join's answer. */
export interface JoinReply {
  peerId: string;
  chair: boolean;
  control: ControlState;
  routerRtpCapabilities: MeetingRoom['rtpCapabilities'];
  peers: PeerInfo[];
  producers: ProducerInfo[];
  /** The units heard now (last-N); 'audio:audible' pushes the changes. */
  audible: string[];
}

export interface Joined {
  meetingId: string;
  room: MeetingRoom;
  attendanceId: number;
  unitCode: string;
}

/** A phone site in a meeting (语音接入, server/voice/): hung up when its unit is removed or the meeting ends. */
export interface PhoneSite {
  meetingId: string;
  peerId: string;
  unitCode: string;
  room: MeetingRoom;
  attendanceId: number;
  hangup: (why: 'removed' | 'ended' | 'restart') => void;
}

const controlError = (code: ControlErrorCode): ApiError =>
  ({
    CONTROL_FORBIDDEN: errors.controlForbidden,
    MUTE_LOCKED: errors.muteLocked,
    VIDEO_LOCKED: errors.videoLocked,
    UNIT_NOT_IN_MEETING: errors.unitNotInMeeting,
    SHARE_BUSY: errors.shareBusy,
    MEETING_ENDED: errors.meetingEnded,
    BAD_COMMAND: errors.badCommand,
  })[code]();

/** What the hub needs of the voice service for dial-out (an interface here keeps the import one-way). */
export interface PhoneDialer {
  dial(meeting: MeetingDto, unitCode: string, number?: string): Promise<DialPush>;
  hangupDial(meetingId: string, callId: string): Promise<void>;
  /** Until when a number is registered (the registrar's newest binding), if it is. */
  registeredUntil(number: string): Date | null;
}

export class MeetingHub implements SignallingHub {
  readonly #rooms = new Map<string, Promise<MeetingRoom>>();
  readonly #joined = new Map<string, Joined>(); // socket id → meeting
  /** Chat messages per meeting and site in the last minute. */
  readonly #chatLimit = new SlidingWindowLimit(CHAT_PER_MINUTE, 60_000);
  /** Control state per meeting, kept while the server runs (its durable part is in the meetings row). */
  readonly #controls = new Map<string, Promise<ControlState>>();
  /** Commands of one meeting run one after another. */
  readonly #queues = new Map<string, Promise<unknown>>();
  readonly #recorders: MeetingRecorders;
  readonly #effects: ControlEffects;
  readonly #phones = new Map<string, PhoneSite>(); // peer id → phone call
  #dialer: PhoneDialer | null = null;

  constructor(private readonly deps: Deps) {
    this.#recorders = new MeetingRecorders({
      db: deps.db,
      log: deps.log,
      liveRoom: (id) => this.liveRoom(id),
      controlState: (id) => this.controlState(id),
      command: (id, cmd, actor) => this.command(id, cmd, actor),
    });
    this.#effects = new ControlEffects(deps, {
      liveRoom: (id) => this.liveRoom(id),
      socketsOf: (id, units) => this.#socketsOf(id, units),
      leave: (socket, announce) => this.leave(socket, announce),
      hangupPhones: async (id, unitCode, why) => {
        for (const p of this.#phonesOf(id, unitCode)) {
          p.hangup(why);
          await this.leavePhone(p.peerId);
        }
      },
      command: (id, cmd, actor) => this.command(id, cmd, actor),
    }, this.#recorders);
    deps.pool.on('workerReplaced', (slot, error) =>
      deps.log.error({ worker: slot.index, err: error.message }, 'mediasoup worker died and was replaced; its meetings restart'),
    );
  }

  /** The voice service places the chair's calls (main.ts sets it when SIP is on; null: dial-out refused). */
  setDialer(dialer: PhoneDialer | null): void {
    this.#dialer = dialer;
  }

  /** Until when a unit's phone is registered with our registrar (null: not registered, or voice off). */
  registeredUntil(number: string): Date | null {
    return this.#dialer?.registeredUntil(number) ?? null;
  }

  /** A dialled site's progress (ringing → joined / busy / no answer …) to the meeting's consoles. */
  dialPush(p: DialPush): void {
    this.deps.io.to(meetingChannel(p.meetingId)).emit('voice:dial', p);
  }

  /** The chair calls a site into the meeting (呼叫会场): only the meeting's chair. */
  async dial(user: SessionUser, meetingId: string, unitCode: string, number: string | undefined): Promise<DialPush> {
    const meeting = await this.#chairMeeting(user, meetingId);
    const control = await this.#control(meetingId);
    if (!control.units.includes(unitCode)) throw errors.unitNotInMeeting();
    if (control.removed.includes(unitCode)) throw errors.badCommand();
    return this.#dialer!.dial(meeting, unitCode, number);
  }

  async hangupDial(user: SessionUser, meetingId: string, callId: string): Promise<void> {
    await this.#chairMeeting(user, meetingId);
    await this.#dialer!.hangupDial(meetingId, callId);
  }

  async #chairMeeting(user: SessionUser, meetingId: string): Promise<MeetingDto> {
    const meeting = await findMeeting(this.deps.db, this.deps.tree, meetingId);
    if (!meeting || meeting.status === 'ended') throw errors.meetingEnded();
    if (!this.isChair(user, meeting.hostUnitCode)) throw errors.controlForbidden();
    if (!this.#dialer) throw errors.voiceOff();
    return meeting;
  }

  /** Where recordings go: <root>/<meetingId>/<timestamp>.webm. */
  get recordingsDir(): string {
    return this.#recorders.dir;
  }

  get liveRooms(): number {
    return this.#rooms.size;
  }

  /** The current control state of a meeting (loaded from the database on first use). */
  async controlState(meetingId: string): Promise<ControlState | null> {
    return this.#control(meetingId).catch(() => null);
  }

  /** Run a control command as the server (timers, tests) or for a user; resolves with the new state. */
  async command(meetingId: string, cmd: Command, actor: Actor): Promise<ControlState> {
    const prev = this.#queues.get(meetingId) ?? Promise.resolve();
    const run = prev.catch(() => undefined).then(() => this.#apply(meetingId, cmd, actor));
    this.#queues.set(meetingId, run);
    return run;
  }

  /** Live per-site media numbers for the organiser (site health). */
  async health(meetingId: string): Promise<SiteHealth[]> {
    const p = this.#rooms.get(meetingId);
    const room = p ? await p.catch(() => null) : null;
    if (!room || room.closed) return [];
    return Promise.all([...room.peers.values()].map((peer) => siteHealth(peer)));
  }

  isChair(user: SessionUser, hostUnitCode: string): boolean {
    return user.unitCode === hostUnitCode && hasAnyRole(user, CHAIR_ROLES);
  }

  /** Signalling of one console's socket (signalling.ts). */
  attach(socket: Socket): void {
    attachSignalling(socket, this, this.deps);
  }

  /** The meeting this socket's site is in (NOT_IN_MEETING if none, or its router is gone). */
  joinedOf(socket: Socket): Joined {
    const j = this.#joined.get(socket.id);
    if (!j || j.room.closed) throw errors.notInMeeting();
    return j;
  }

  /** The control state of a meeting, loaded on first use; throws NOT_FOUND for an unknown meeting. */
  controlOf(meetingId: string): Promise<ControlState> {
    return this.#control(meetingId);
  }

  async join(socket: Socket, user: SessionUser, meetingId: string, pin: string | undefined): Promise<JoinReply> {
    const meeting = await findMeeting(this.deps.db, this.deps.tree, meetingId);
    if (!meeting) throw errors.notFound('会议');
    if (meeting.status === 'ended') throw errors.meetingEnded();
    if (!(await isUnitInvited(this.deps.db, meetingId, user.unitCode))) throw errors.meetingNotInvited();
    await checkJoinPin(this.deps.db, meeting, user.unitCode, pin); // 入会密码: every invited site but the main venue's
    const control = await this.#control(meetingId);
    if (control.ended) throw errors.meetingEnded();
    if (control.removed.includes(user.unitCode)) throw errors.meetingRemoved();
    // A locked meeting admits no new site; a site that was already in (a network drop) may come back.
    if (control.locked && user.unitCode !== meeting.hostUnitCode && !(await hasAttended(this.deps.db, meetingId, user.unitCode))) {
      throw errors.meetingLocked();
    }
    await this.leave(socket);
    const room = await this.#room(meetingId);
    room.addPeer({
      peerId: socket.id,
      userId: user.id,
      displayName: user.displayName,
      unitCode: user.unitCode,
      unitName: user.unitName,
    });
    const attendanceId = await recordJoin(this.deps.db, meetingId, user.unitCode, user.id);
    await markLive(this.deps.db, meetingId);
    this.#joined.set(socket.id, { meetingId, room, attendanceId, unitCode: user.unitCode });
    await socket.join(meetingChannel(meetingId));
    const me = room.peers.get(socket.id)!.info;
    socket.to(meetingChannel(meetingId)).emit('peer:joined', me);
    this.deps.log.info({ meetingId, unit: user.unitCode, peers: room.peers.size }, 'site joined meeting');
    return {
      peerId: socket.id,
      chair: this.isChair(user, meeting.hostUnitCode),
      control,
      routerRtpCapabilities: room.rtpCapabilities,
      peers: [...room.peers.values()].filter((p) => p.id !== socket.id).map((p) => p.info),
      producers: room.producers().filter((p) => p.peerId !== socket.id),
      audible: room.lastN.audible,
    };
  }

  /**
   * A phone joins as a site of its unit (its PIN already checked by the caller, server/voice/): the same
   * refusals as a browser's join (ended, removed, locked), a peer in the room, attendance with its number.
   */
  async joinPhone(meetingId: string, caller: { unitCode: string; unitName: string; phone: string; hangup: PhoneSite['hangup'] }): Promise<{ peerId: string; room: MeetingRoom; muted: boolean }> {
    const meeting = await findMeeting(this.deps.db, this.deps.tree, meetingId);
    if (!meeting || meeting.status === 'ended') throw errors.meetingEnded();
    if (!(await isUnitInvited(this.deps.db, meetingId, caller.unitCode))) throw errors.meetingNotInvited();
    const control = await this.#control(meetingId);
    if (control.ended) throw errors.meetingEnded();
    if (control.removed.includes(caller.unitCode)) throw errors.meetingRemoved();
    if (control.locked && caller.unitCode !== meeting.hostUnitCode && !(await hasAttended(this.deps.db, meetingId, caller.unitCode))) throw errors.meetingLocked();
    const room = await this.#room(meetingId);
    const peerId = `phone-${randomUUID()}`;
    room.addPeer({ peerId, userId: 0, displayName: `电话 ${caller.phone}`, unitCode: caller.unitCode, unitName: caller.unitName, phone: caller.phone });
    const attendanceId = await recordPhoneJoin(this.deps.db, meetingId, caller.unitCode, caller.phone);
    await markLive(this.deps.db, meetingId);
    this.#phones.set(peerId, { meetingId, peerId, unitCode: caller.unitCode, room, attendanceId, hangup: caller.hangup });
    this.deps.io.to(meetingChannel(meetingId)).emit('peer:joined', room.peers.get(peerId)!.info);
    this.deps.log.info({ meetingId, unit: caller.unitCode, phone: caller.phone }, 'phone site joined meeting');
    return { peerId, room, muted: control.muted.includes(caller.unitCode) };
  }

  /** The phone hung up (or was hung up): peer gone, attendance ended, the router closed when it was the last. */
  async leavePhone(peerId: string): Promise<void> {
    const p = this.#phones.get(peerId);
    if (!p) return;
    this.#phones.delete(peerId);
    if (p.room.removePeer(peerId)) this.deps.io.to(meetingChannel(p.meetingId)).emit('peer:left', { peerId });
    await recordLeave(this.deps.db, p.attendanceId).catch((e: Error) => this.deps.log.error({ err: e.message }, 'attendance leave not recorded'));
    if (p.room.peers.size === 0) p.room.close();
  }

  #phonesOf(meetingId: string, unitCode?: string): PhoneSite[] {
    return [...this.#phones.values()].filter((p) => p.meetingId === meetingId && (!unitCode || p.unitCode === unitCode));
  }

  /** A chat line to the whole meeting or to one site (and back to the sender's own consoles). */
  async chat(user: SessionUser, meetingId: string, text: string, toUnitCode: string | null | undefined): Promise<void> {
    // At most CHAT_PER_MINUTE messages a minute per site: a stuck key or a script cannot flood every screen.
    if (!this.#chatLimit.allow(`${meetingId}:${user.unitCode}`, Date.now())) throw errors.chatRateLimited();
    const control = await this.#control(meetingId);
    if (toUnitCode && !control.units.includes(toUnitCode)) throw errors.unitNotInMeeting();
    const msg = { meetingId, fromUnitCode: user.unitCode, fromUnitName: user.unitName, fromName: user.displayName, toUnitCode: toUnitCode ?? null, text, at: clock.now().toISOString() };
    if (!toUnitCode) this.deps.io.to(meetingChannel(meetingId)).emit('chat', msg);
    else for (const sid of this.#socketsOf(meetingId, [toUnitCode, user.unitCode])) this.deps.io.to(sid).emit('chat', msg);
  }

  async close(): Promise<void> {
    this.#effects.stopAll();
    await this.#recorders.stopAll();
    for (const p of this.#rooms.values()) (await p.catch(() => null))?.close();
    this.#rooms.clear();
  }

  // ---- control --------------------------------------------------------------------

  #control(meetingId: string): Promise<ControlState> {
    let p = this.#controls.get(meetingId);
    if (!p) {
      p = (async () => {
        const meeting = await findMeeting(this.deps.db, this.deps.tree, meetingId);
        const stored = await loadControl(this.deps.db, meetingId);
        if (!meeting || !stored) throw errors.notFound('会议');
        return initialControlState({
          meetingId,
          hostUnitCode: meeting.hostUnitCode,
          units: meeting.units.map((u) => u.code),
          endsAt: stored.endsAt,
          locked: stored.locked,
          ended: stored.ended,
          saved: stored.saved as never,
        });
      })();
      p.catch(() => this.#controls.delete(meetingId));
      this.#controls.set(meetingId, p);
    }
    return p;
  }

  async #apply(meetingId: string, cmd: Command, actor: Actor): Promise<ControlState> {
    const state = await this.#control(meetingId);
    const r = reduce(state, cmd, actor);
    if (!r.ok) throw controlError(r.error);
    if (r.state === state) return state;
    // Saved first: a change that is not stored (a restart would forget it) is not made, and the caller hears so.
    if (r.effects.some((e) => e.type === 'persist')) {
      try {
        await this.#effects.apply(r.state, { type: 'persist' });
      } catch (e) {
        this.deps.log.error({ meetingId, command: cmd.type, err: (e as Error).message }, 'control change not saved');
        throw errors.controlNotSaved();
      }
    }
    this.#controls.set(meetingId, Promise.resolve(r.state));
    for (const effect of r.effects.filter((e) => e.type !== 'persist')) {
      await this.#effects.apply(r.state, effect).catch((e: Error) =>
        this.deps.log.error({ meetingId, effect: effect.type, err: e.message }, 'control effect failed'),
      );
    }
    this.deps.io.to(meetingChannel(meetingId)).emit('control:state', r.state);
    void this.#recorders.follow(meetingId);
    if (cmd.type !== 'speaker' && cmd.type !== 'patrolTick') {
      this.deps.log.info({ meetingId, command: cmd.type, by: actor.unitCode }, 'meeting control');
    }
    return r.state;
  }

  /** The meeting's router if it runs (null while nobody is in or its worker is being replaced). */
  async liveRoom(meetingId: string): Promise<MeetingRoom | null> {
    const p = this.#rooms.get(meetingId);
    const room = p ? await p.catch(() => null) : null;
    return room && !room.closed ? room : null;
  }

  #socketsOf(meetingId: string, units?: string[]): string[] {
    return [...this.#joined].filter(([, j]) => j.meetingId === meetingId && (!units || units.includes(j.unitCode))).map(([sid]) => sid);
  }

  // ---- rooms ------------------------------------------------------------------------

  /** The site leaves its meeting: peer closed, attendance ended, the router closed when it was the last. */
  async leave(socket: Socket, announce = true): Promise<void> {
    const j = this.#joined.get(socket.id);
    if (!j) return;
    this.#joined.delete(socket.id);
    void socket.leave(meetingChannel(j.meetingId));
    if (j.room.removePeer(socket.id) && announce) socket.to(meetingChannel(j.meetingId)).emit('peer:left', { peerId: socket.id });
    await recordLeave(this.deps.db, j.attendanceId).catch((e: Error) => this.deps.log.error({ err: e.message }, 'attendance leave not recorded'));
    if (j.room.peers.size === 0) j.room.close();
  }

  #room(meetingId: string): Promise<MeetingRoom> {
    let p = this.#rooms.get(meetingId);
    if (!p) {
      p = MeetingRoom.create(this.deps.pool, meetingId).then((room) => this.#wire(room));
      p.catch(() => this.#rooms.delete(meetingId));
      this.#rooms.set(meetingId, p);
    }
    return p;
  }

  #wire(room: MeetingRoom): MeetingRoom {
    const channel = meetingChannel(room.meetingId);
    room.on('producerAdded', (info) => {
      this.deps.io.to(channel).except(info.peerId).emit('producer:new', info);
      void this.#recorders.follow(room.meetingId);
    });
    room.on('consumerClosed', (peerId, producerId) => this.deps.io.to(peerId).emit('producer:closed', { producerId }));
    room.on('producerClosed', (info) => this.deps.io.to(channel).except(info.peerId).emit('producer:closed', { producerId: info.producerId }));
    room.on('producerPaused', (info, paused) => this.deps.io.to(channel).emit('producer:paused', { ...info, paused }));
    room.on('audible', (units) => this.deps.io.to(channel).emit('audio:audible', { meetingId: room.meetingId, units }));
    room.on('dominantSpeaker', (peerId) => {
      const unitCode = room.peers.get(peerId)?.info.unitCode;
      if (!unitCode) return;
      void this.command(room.meetingId, { type: 'speaker', unitCode }, { unitCode: '', chair: false, system: true }).catch(() => undefined);
    });
    room.on('closed', () => {
      if (this.#rooms.get(room.meetingId) !== undefined) this.#rooms.delete(room.meetingId);
      this.#chatLimit.forgetPrefix(`${room.meetingId}:`);
      // Everyone left or the worker died: the recording of this router ends here (file finalised, listed).
      if (this.#recorders.has(room.meetingId)) {
        void this.command(room.meetingId, { type: 'recordStop' }, { unitCode: '', chair: false, system: true }).catch(() => undefined);
      }
      // Sites still inside lost their router (a worker died): tell them to rejoin on a fresh one.
      const stranded = [...this.#joined].filter(([, j]) => j.room === room);
      for (const [socketId, j] of stranded) {
        this.#joined.delete(socketId);
        void recordLeave(this.deps.db, j.attendanceId).catch(() => undefined);
      }
      if (stranded.length) this.deps.io.to(channel).emit('meeting:restart', { meetingId: room.meetingId });
      for (const p of [...this.#phones.values()].filter((x) => x.room === room)) {
        this.#phones.delete(p.peerId);
        p.hangup('restart');
        void recordLeave(this.deps.db, p.attendanceId).catch(() => undefined);
      }
      this.deps.io.in(channel).socketsLeave(channel);
    });
    return room;
  }
}
