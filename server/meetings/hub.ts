/**
 * Live meetings: one MeetingRoom (router) per meeting, created when the first site joins, and the
 * socket.io signalling that drives it. Every event checks that the socket's unit is in the meeting.
 * The chair's control state (control.ts, a pure reducer) lives here per meeting; its effects are applied
 * to mediasoup on the server (a muted site's audio stops at the SFU) and every change is pushed to all sites.
 */
import type { Kysely } from 'kysely';
import type { Logger } from 'pino';
import type { Server as IoServer, Socket } from 'socket.io';
import type { Database } from '../../db/schema.ts';
import path from 'node:path';
import { MeetingRoom, producerSource, sourceOf } from '../../sfu/MeetingRoom.ts';
import { Recorder } from '../../sfu/Recorder.ts';
import type { WorkerPool } from '../../sfu/WorkerPool.ts';
import { hasAnyRole, type SessionUser } from '../auth/sessions.ts';
import { clock } from '../clock.ts';
import { meetingChannel, unitRoom } from '../realtime/rooms.ts';
import { ApiError, errors } from '../http/errors.ts';
import type { OrgTree } from '../org/tree.ts';
import {
  initialControlState,
  mainPictureFor,
  reduce,
  savedPart,
  type Actor,
  type Command,
  type ControlErrorCode,
  type ControlState,
  type Effect,
} from '../../contract/meetingControl.ts';
import { attachDeviceTest } from './deviceTest.ts';
import { insertRecording, recordingsRoot } from './recordingsRepo.ts';
import { checkJoinPin } from './pin.ts';
import { endMeeting, findMeeting, isUnitInvited, loadControl, markLive, recordJoin, recordLeave, saveControl } from './repo.ts';
import { acked } from '../realtime/ack.ts';
import { CHAT_PER_MINUTE, signallingSchemas as schemas, type SiteHealth } from '../../contract/meetings.ts';

export { CHAT_PER_MINUTE };

/** Who chairs: a user of the main venue's unit with one of these roles. */
export const CHAIR_ROLES = ['admin', 'leader', 'venue_operator'] as const;

interface Deps {
  db: Kysely<Database>;
  tree: OrgTree;
  log: Logger;
  io: IoServer;
  pool: WorkerPool;
}

interface Joined {
  meetingId: string;
  room: MeetingRoom;
  attendanceId: number;
  unitCode: string;
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

export class MeetingHub {
  readonly #rooms = new Map<string, Promise<MeetingRoom>>();
  readonly #joined = new Map<string, Joined>(); // socket id → meeting
  /** Send times of the last minute's chat messages, per meeting and site. */
  readonly #chatTimes = new Map<string, number[]>();
  /** Control state per meeting, kept while the server runs (its durable part is in the meetings row). */
  readonly #controls = new Map<string, Promise<ControlState>>();
  /** Commands of one meeting run one after another. */
  readonly #queues = new Map<string, Promise<unknown>>();
  readonly #patrolTimers = new Map<string, ReturnType<typeof setInterval>>();
  /** Server-side recording per meeting (sfu/Recorder.ts). */
  readonly #recorders = new Map<string, { rec: Recorder; by: string; at: string }>();
  /** Where recordings go: <root>/<meetingId>/<timestamp>.webm. */
  readonly recordingsDir = recordingsRoot();

  constructor(private readonly deps: Deps) {
    deps.pool.on('workerReplaced', (slot, error) =>
      deps.log.error({ worker: slot.index, err: error.message }, 'mediasoup worker died and was replaced; its meetings restart'),
    );
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

  attach(socket: Socket): void {
    const user = socket.data.user as SessionUser;
    const on = acked(socket, this.deps.log, 'signalling');
    const joined = () => {
      const j = this.#joined.get(socket.id);
      if (!j || j.room.closed) throw errors.notInMeeting();
      return j;
    };
    const actorOf = (hostUnitCode: string): Actor => ({ unitCode: user.unitCode, chair: this.isChair(user, hostUnitCode) });

    attachDeviceTest(socket, this.deps);

    on('meeting:join', schemas.join, async ({ meetingId, pin }) => {
      const meeting = await findMeeting(this.deps.db, this.deps.tree, meetingId);
      if (!meeting) throw errors.notFound('会议');
      if (meeting.status === 'ended') throw errors.meetingEnded();
      if (!(await isUnitInvited(this.deps.db, meetingId, user.unitCode))) throw errors.meetingNotInvited();
      await checkJoinPin(this.deps.db, meeting, user.unitCode, pin); // 入会密码: every invited site but the main venue's
      const control = await this.#control(meetingId);
      if (control.ended) throw errors.meetingEnded();
      if (control.removed.includes(user.unitCode)) throw errors.meetingRemoved();
      // A locked meeting admits no new site; a site that was already in (a network drop) may come back.
      if (control.locked && user.unitCode !== meeting.hostUnitCode && !(await this.#hasAttended(meetingId, user.unitCode))) {
        throw errors.meetingLocked();
      }
      await this.#leave(socket);
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
      };
    });

    on('meeting:leave', schemas.empty, async () => {
      await this.#leave(socket);
    });

    on('transport:create', schemas.createTransport, async ({ direction }) => {
      const { room } = joined();
      return room.createTransport(socket.id, direction);
    });

    on('transport:connect', schemas.connect, async ({ transportId, dtlsParameters }) => {
      const { room } = joined();
      await room.connectTransport(socket.id, transportId, dtlsParameters as never);
    });

    on('transport:restartIce', schemas.restartIce, async ({ transportId }) => {
      const { room } = joined();
      return { iceParameters: await room.restartIce(socket.id, transportId) };
    });

    on('produce', schemas.produce, async ({ transportId, kind, rtpParameters, appData }) => {
      const { room, meetingId } = joined();
      const control = await this.#control(meetingId);
      // By kind, not by the client's label: audio is the microphone, a share is video only (V3).
      const source = sourceOf(kind, appData?.source);
      // Content sharing (双流): claim the one sharing slot first (409 SHARE_BUSY), give it back if producing fails.
      if (source === 'screen') await this.command(meetingId, { type: 'shareStart' }, actorOf(control.hostUnitCode));
      const held = (c: ControlState) => (source === 'mic' && c.muted.includes(user.unitCode)) || (source === 'camera' && c.videoOff.includes(user.unitCode));
      const info = await room.produce(socket.id, transportId, kind, rtpParameters as never, appData, held(await this.#control(meetingId))).catch(async (e: Error) => {
        if (source === 'screen') await this.command(meetingId, { type: 'shareStop' }, actorOf(control.hostUnitCode)).catch(() => undefined);
        throw e;
      });
      // A site muted (or camera-off) by the chair stays so at the SFU, whatever its browser sends.
      const now = await this.#control(meetingId);
      const producer = room.producer(socket.id, info.producerId);
      if (held(now)) await room.setProducerPaused(producer, true);
      if (source === 'screen') {
        producer.observer.once('close', () => {
          void this.command(meetingId, { type: 'shareStop' }, actorOf(now.hostUnitCode)).catch(() => undefined);
        });
      }
      return { id: info.producerId };
    });

    on('producer:close', schemas.producerClose, async ({ producerId }) => {
      const { room } = joined();
      room.closeProducer(socket.id, producerId);
    });

    on('consume', schemas.consume, async ({ producerId, rtpCapabilities }) => {
      const { room } = joined();
      return room.consume(socket.id, producerId, rtpCapabilities as never);
    });

    on('consumer:resume', schemas.resume, async ({ consumerId }) => {
      const { room } = joined();
      await room.resumeConsumer(socket.id, consumerId);
    });

    on('consumer:pause', schemas.resume, async ({ consumerId }) => {
      const { room } = joined();
      await room.pauseConsumer(socket.id, consumerId);
    });

    on('consumer:setPreferredLayers', schemas.layers, async ({ consumerId, spatialLayer, temporalLayer }) => {
      const { room } = joined();
      await room.setPreferredLayers(socket.id, consumerId, spatialLayer, temporalLayer);
    });

    on('control', schemas.control, async ({ command }) => {
      const { meetingId } = joined();
      const control = await this.#control(meetingId);
      const cmd: Command =
        command.type === 'raiseHand' || command.type === 'recordStart'
          ? { type: command.type, at: clock.now().toISOString() }
          : command;
      return { control: await this.command(meetingId, cmd, actorOf(control.hostUnitCode)) };
    });

    /** The site's own view of its sending, for the organiser's health table. */
    on('stats:report', schemas.stats, async (st) => {
      const { room } = joined();
      const peer = room.peers.get(socket.id);
      if (peer) peer.clientStats = { ...st, at: Date.now() };
    });

    on('chat', schemas.chat, async ({ text, toUnitCode }) => {
      const { meetingId } = joined();
      // At most CHAT_PER_MINUTE messages a minute per site: a stuck key or a script cannot flood every screen.
      const key = `${meetingId}:${user.unitCode}`;
      const chatTimes = this.#chatTimes.get(key) ?? [];
      this.#chatTimes.set(key, chatTimes);
      const t = Date.now();
      while (chatTimes.length && chatTimes[0]! <= t - 60_000) chatTimes.shift();
      if (chatTimes.length >= CHAT_PER_MINUTE) throw errors.chatRateLimited();
      chatTimes.push(t);
      const control = await this.#control(meetingId);
      if (toUnitCode && !control.units.includes(toUnitCode)) throw errors.unitNotInMeeting();
      const msg = { meetingId, fromUnitCode: user.unitCode, fromUnitName: user.unitName, fromName: user.displayName, toUnitCode: toUnitCode ?? null, text, at: clock.now().toISOString() };
      if (!toUnitCode) this.deps.io.to(meetingChannel(meetingId)).emit('chat', msg);
      else for (const sid of this.#socketsOf(meetingId, [toUnitCode, user.unitCode])) this.deps.io.to(sid).emit('chat', msg);
    });

    socket.on('disconnect', () => void this.#leave(socket));
  }

  async close(): Promise<void> {
    for (const t of this.#patrolTimers.values()) clearInterval(t);
    this.#patrolTimers.clear();
    await Promise.all([...this.#recorders.keys()].map((id) => this.#stopRecording(id, null)));
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
        await this.#effect(r.state, { type: 'persist' });
      } catch (e) {
        this.deps.log.error({ meetingId, command: cmd.type, err: (e as Error).message }, 'control change not saved');
        throw errors.controlNotSaved();
      }
    }
    this.#controls.set(meetingId, Promise.resolve(r.state));
    for (const effect of r.effects.filter((e) => e.type !== 'persist')) {
      await this.#effect(r.state, effect).catch((e: Error) =>
        this.deps.log.error({ meetingId, effect: effect.type, err: e.message }, 'control effect failed'),
      );
    }
    this.deps.io.to(meetingChannel(meetingId)).emit('control:state', r.state);
    if (this.#recorders.has(meetingId)) void this.#followMain(meetingId);
    if (cmd.type !== 'speaker' && cmd.type !== 'patrolTick') {
      this.deps.log.info({ meetingId, command: cmd.type, by: actor.unitCode }, 'meeting control');
    }
    return r.state;
  }

  async #effect(state: ControlState, effect: Effect): Promise<void> {
    const meetingId = state.meetingId;
    const room = await this.#liveRoom(meetingId);
    switch (effect.type) {
      case 'audio':
        await room?.setUnitPaused(effect.unitCode, 'mic', effect.paused);
        return;
      case 'video':
        await room?.setUnitPaused(effect.unitCode, 'camera', effect.paused);
        return;
      case 'stopShare':
        for (const pr of room?.unitProducers(effect.unitCode, 'screen') ?? []) pr.close();
        return;
      case 'kick':
        for (const sid of this.#socketsOf(meetingId, [effect.unitCode])) {
          this.deps.io.to(sid).emit('meeting:removed', { meetingId });
          const s = this.deps.io.sockets.sockets.get(sid);
          if (s) await this.#leave(s);
        }
        return;
      case 'patrolTimer':
        this.#patrol(state, effect.run);
        return;
      case 'record':
        if (effect.run) await this.#startRecording(state, room);
        else await this.#stopRecording(meetingId, state);
        return;
      case 'persist':
        await saveControl(this.deps.db, meetingId, { locked: state.locked, endsAt: state.endsAt, saved: savedPart(state) });
        return;
      case 'end': {
        await endMeeting(this.deps.db, meetingId);
        this.#patrol(state, false);
        // To the sites inside and to every invited unit's consoles (their meeting lists).
        this.deps.io.to([meetingChannel(meetingId), ...state.units.map(unitRoom)]).emit('meeting:ended', { meetingId });
        for (const sid of this.#socketsOf(meetingId)) {
          const s = this.deps.io.sockets.sockets.get(sid);
          if (s) await this.#leave(s, false);
        }
        room?.close();
        return;
      }
    }
  }

  #patrol(state: ControlState, run: boolean): void {
    const id = state.meetingId;
    clearInterval(this.#patrolTimers.get(id));
    this.#patrolTimers.delete(id);
    if (!run || !state.patrol) return;
    const timer = setInterval(() => {
      void (async () => {
        const room = await this.#liveRoom(id);
        if (!room) return; // nobody connected (or the worker is being replaced): hold the patrol where it is
        await this.command(id, { type: 'patrolTick', withVideo: room.unitsWithVideo() }, { unitCode: '', chair: false, system: true });
      })().catch((e: Error) => this.deps.log.warn({ meetingId: id, err: e.message }, 'patrol tick failed'));
    }, state.patrol.intervalSec * 1000);
    timer.unref?.();
    this.#patrolTimers.set(id, timer);
  }

  // ---- recording --------------------------------------------------------------------

  async #startRecording(state: ControlState, room: MeetingRoom | null): Promise<void> {
    const id = state.meetingId;
    const system: Actor = { unitCode: '', chair: false, system: true };
    try {
      if (!room) throw new Error('no live room to record');
      if (this.#recorders.has(id)) return;
      const rec = await Recorder.start({ router: room.router, dir: path.join(this.recordingsDir, id) });
      this.#recorders.set(id, { rec, by: state.recording?.by ?? state.hostUnitCode, at: state.recording?.startedAt ?? clock.now().toISOString() });
      rec.on('lost', () => void this.#followMain(id));
      // ffmpeg ended by itself (time limit, crash): keep what it wrote and show everyone it stopped.
      rec.on('exited', (code) => {
        this.deps.log.warn({ meetingId: id, code, ffmpeg: rec.log.slice(-500) }, 'recording ffmpeg exited');
        void this.command(id, { type: 'recordStop' }, system).catch(() => undefined);
      });
      await this.#followMain(id);
      this.deps.log.info({ meetingId: id, file: rec.fileName }, 'recording started');
    } catch (e) {
      // Nothing records, so nothing may claim to: the REC indicator goes off again.
      void this.command(id, { type: 'recordStop' }, system).catch(() => undefined);
      throw e;
    }
  }

  /** Finalise the file and list it; `state` is the control state when it stopped (null: server closing). */
  async #stopRecording(meetingId: string, _state: ControlState | null): Promise<void> {
    const entry = this.#recorders.get(meetingId);
    if (!entry) return;
    this.#recorders.delete(meetingId);
    const { rec } = entry;
    const file = await rec.stop();
    if (!file) {
      this.deps.log.warn({ meetingId, ffmpeg: rec.log.slice(-500) }, 'recording produced no file');
      return;
    }
    await insertRecording(this.deps.db, {
      meetingId,
      fileName: file.fileName,
      startedByUnit: entry.by,
      startedAt: new Date(entry.at),
      bytes: file.bytes,
      durationSec: file.durationSec,
    });
    this.deps.log.info({ meetingId, file: file.fileName, bytes: file.bytes, seconds: file.durationSec }, 'recording finished');
  }

  /**
   * The recording follows the meeting: video = everyone's main picture (roll call, broadcast, patrol to all,
   * voice activation; else the current speaker, else the main venue); audio = the current speaker's
   * microphone, else that of the site in the picture, else the main venue's.
   */
  async #followMain(meetingId: string): Promise<void> {
    const rec = this.#recorders.get(meetingId)?.rec;
    const room = await this.#liveRoom(meetingId);
    const state = await this.#control(meetingId).catch(() => null);
    if (!rec || !room || !state) return;
    const live = (unitCode: string | null, source: 'mic' | 'camera') =>
      unitCode ? room.unitProducers(unitCode, source).find((p) => !p.closed) ?? null : null;
    const anyCamera = [...room.peers.values()].flatMap((p) => [...p.producers.values()]).find((p) => !p.closed && producerSource(p) === 'camera') ?? null;
    const picture = mainPictureFor(state, '', false) ?? state.speaker ?? state.hostUnitCode;
    const video = live(picture, 'camera') ?? live(state.hostUnitCode, 'camera') ?? anyCamera;
    const audio = live(state.speaker, 'mic') ?? live(picture, 'mic') ?? live(state.hostUnitCode, 'mic');
    try {
      await rec.follow('video', video?.id ?? null);
      await rec.follow('audio', audio?.id ?? null);
    } catch (e) {
      this.deps.log.warn({ meetingId, err: (e as Error).message }, 'recording could not follow the main picture');
    }
  }

  async #liveRoom(meetingId: string): Promise<MeetingRoom | null> {
    const p = this.#rooms.get(meetingId);
    const room = p ? await p.catch(() => null) : null;
    return room && !room.closed ? room : null;
  }

  #socketsOf(meetingId: string, units?: string[]): string[] {
    return [...this.#joined].filter(([, j]) => j.meetingId === meetingId && (!units || units.includes(j.unitCode))).map(([sid]) => sid);
  }

  async #hasAttended(meetingId: string, unitCode: string): Promise<boolean> {
    const row = await this.deps.db
      .selectFrom('meeting_attendance')
      .select('id')
      .where('meeting_id', '=', meetingId)
      .where('unit_code', '=', unitCode)
      .executeTakeFirst();
    return row !== undefined;
  }

  // ---- rooms ------------------------------------------------------------------------

  async #leave(socket: Socket, announce = true): Promise<void> {
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
      if (this.#recorders.has(room.meetingId)) void this.#followMain(room.meetingId);
    });
    room.on('consumerClosed', (peerId, producerId) => this.deps.io.to(peerId).emit('producer:closed', { producerId }));
    room.on('producerPaused', (info, paused) => this.deps.io.to(channel).emit('producer:paused', { ...info, paused }));
    room.on('dominantSpeaker', (peerId) => {
      const unitCode = room.peers.get(peerId)?.info.unitCode;
      if (!unitCode) return;
      void this.command(room.meetingId, { type: 'speaker', unitCode }, { unitCode: '', chair: false, system: true }).catch(() => undefined);
    });
    room.on('closed', () => {
      if (this.#rooms.get(room.meetingId) !== undefined) this.#rooms.delete(room.meetingId);
      for (const key of this.#chatTimes.keys()) if (key.startsWith(`${room.meetingId}:`)) this.#chatTimes.delete(key);
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
      this.deps.io.in(channel).socketsLeave(channel);
    });
    return room;
  }
}

export type { SiteHealth } from '../../contract/meetings.ts';

/** One site's health from mediasoup's own transport and producer stats (what the SFU sees). */
async function siteHealth(peer: import('../../sfu/Peer.ts').Peer): Promise<SiteHealth> {
  let sendKbps = 0;
  let recvKbps = 0;
  let rttMs: number | null = null;
  let connected = peer.transports.size > 0;
  for (const t of peer.transports.values()) {
    if (t.iceState !== 'connected' && t.iceState !== 'completed') connected = false;
    if (t.dtlsState !== 'connected') connected = false;
    const [st] = await t.getStats().catch(() => []);
    if (!st) continue;
    // recvBitrate: what the SFU receives from the site (its upload); sendBitrate: what it sends down.
    sendKbps += Math.round((st.recvBitrate ?? 0) / 1000);
    recvKbps += Math.round((st.sendBitrate ?? 0) / 1000);
  }
  let score: number | null = null;
  let loss = 0;
  let resolution: string | null = null;
  for (const pr of peer.producers.values()) {
    if (pr.kind !== 'video' || pr.closed) continue;
    // Simulcast: the best stream's score (layers the browser chose not to send score 0 and mean nothing).
    const best = pr.score.length ? Math.max(...pr.score.map((s) => s.score)) : null;
    if (best !== null) score = score === null ? best : Math.min(score, best);
    const stats = await pr.getStats().catch(() => []);
    for (const s of stats) {
      const lost = s.packetsLost ?? 0;
      const total = (s.packetCount ?? 0) + lost;
      if (total > 0) loss = Math.max(loss, lost / total);
      if (s.roundTripTime !== undefined) rttMs = Math.max(rttMs ?? 0, Math.round(s.roundTripTime));
    }
  }
  const own = peer.clientStats && Date.now() - peer.clientStats.at < 15_000 ? peer.clientStats : null;
  if (own) {
    if (own.height) resolution = `${own.width}×${own.height}@${Math.round(own.fps)}`;
    if (rttMs === null && own.rttMs !== null) rttMs = Math.round(own.rttMs);
  }
  const trouble = !connected || (score !== null && score < 5) || loss > 0.05 || (rttMs !== null && rttMs > 400);
  return { peerId: peer.id, unitCode: peer.info.unitCode, unitName: peer.info.unitName, connected, sendKbps, recvKbps, loss, rttMs, score, resolution, trouble };
}
