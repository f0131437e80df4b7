/**
 * Live meetings: one MeetingRoom (router) per meeting, created when the first site joins, and the
 * socket.io signalling that drives it. Every event checks that the socket's unit is in the meeting.
 */
import type { Kysely } from 'kysely';
import type { Logger } from 'pino';
import type { Server as IoServer, Socket } from 'socket.io';
import { z } from 'zod';
import type { Database } from '../../db/schema.ts';
import { MeetingRoom } from '../../sfu/MeetingRoom.ts';
import type { WorkerPool } from '../../sfu/WorkerPool.ts';
import type { SessionUser } from '../auth/sessions.ts';
import { ApiError, errors } from '../http/errors.ts';
import type { OrgTree } from '../org/tree.ts';
import { findMeeting, isUnitInvited, markLive, recordJoin, recordLeave } from './repo.ts';

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
}

type Ack = (res: { ok: true; data: unknown } | { ok: false; error: { code: string; message: string } }) => void;

const meetingChannel = (id: string) => `meeting:${id}`;
const anyObject = z.record(z.string(), z.unknown());
const schemas = {
  join: z.object({ meetingId: z.uuid() }),
  createTransport: z.object({ direction: z.enum(['send', 'recv']) }),
  connect: z.object({ transportId: z.string().min(1), dtlsParameters: anyObject }),
  produce: z.object({
    transportId: z.string().min(1),
    kind: z.enum(['audio', 'video']),
    rtpParameters: anyObject,
    appData: anyObject.optional(),
  }),
  consume: z.object({ producerId: z.string().min(1), rtpCapabilities: anyObject }),
  resume: z.object({ consumerId: z.string().min(1) }),
  empty: z.object({}).passthrough().optional(),
};

export class MeetingHub {
  readonly #rooms = new Map<string, Promise<MeetingRoom>>();
  readonly #joined = new Map<string, Joined>(); // socket id → meeting

  constructor(private readonly deps: Deps) {
    deps.pool.on('workerReplaced', (slot, error) =>
      deps.log.error({ worker: slot.index, err: error.message }, 'mediasoup worker died and was replaced; its meetings restart'),
    );
  }

  get liveRooms(): number {
    return this.#rooms.size;
  }

  attach(socket: Socket): void {
    const user = socket.data.user as SessionUser;
    const on = <S extends z.ZodType>(event: string, schema: S, fn: (input: z.infer<S>) => Promise<unknown>) => {
      socket.on(event, async (payload: unknown, ack?: Ack) => {
        try {
          const parsed = schema.safeParse(payload ?? {});
          if (!parsed.success) throw errors.validation(parsed.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message })));
          const data = await fn(parsed.data);
          ack?.({ ok: true, data: data ?? {} });
        } catch (e) {
          const err = e instanceof ApiError ? e : errors.mediaFailed((e as Error).message);
          if (!(e instanceof ApiError)) this.deps.log.warn({ event, err: (e as Error).message, user: user.username }, 'signalling failed');
          ack?.({ ok: false, error: err.toJSON() });
        }
      });
    };
    const joined = () => {
      const j = this.#joined.get(socket.id);
      if (!j || j.room.closed) throw errors.notInMeeting();
      return j;
    };

    on('meeting:join', schemas.join, async ({ meetingId }) => {
      const meeting = await findMeeting(this.deps.db, this.deps.tree, meetingId);
      if (!meeting) throw errors.notFound('会议');
      if (meeting.status === 'ended') throw errors.meetingEnded();
      if (!(await isUnitInvited(this.deps.db, meetingId, user.unitCode))) throw errors.meetingNotInvited();
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
      this.#joined.set(socket.id, { meetingId, room, attendanceId });
      await socket.join(meetingChannel(meetingId));
      const me = room.peers.get(socket.id)!.info;
      socket.to(meetingChannel(meetingId)).emit('peer:joined', me);
      this.deps.log.info({ meetingId, unit: user.unitCode, peers: room.peers.size }, 'site joined meeting');
      return {
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

    on('produce', schemas.produce, async ({ transportId, kind, rtpParameters, appData }) => {
      const { room } = joined();
      const info = await room.produce(socket.id, transportId, kind, rtpParameters as never, appData);
      return { id: info.producerId };
    });

    on('consume', schemas.consume, async ({ producerId, rtpCapabilities }) => {
      const { room } = joined();
      return room.consume(socket.id, producerId, rtpCapabilities as never);
    });

    on('consumer:resume', schemas.resume, async ({ consumerId }) => {
      const { room } = joined();
      await room.resumeConsumer(socket.id, consumerId);
    });

    socket.on('disconnect', () => void this.#leave(socket));
  }

  async close(): Promise<void> {
    for (const p of this.#rooms.values()) (await p.catch(() => null))?.close();
    this.#rooms.clear();
  }

  async #leave(socket: Socket): Promise<void> {
    const j = this.#joined.get(socket.id);
    if (!j) return;
    this.#joined.delete(socket.id);
    void socket.leave(meetingChannel(j.meetingId));
    if (j.room.removePeer(socket.id)) socket.to(meetingChannel(j.meetingId)).emit('peer:left', { peerId: socket.id });
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
    room.on('producerAdded', (info) => this.deps.io.to(channel).except(info.peerId).emit('producer:new', info));
    room.on('consumerClosed', (peerId, producerId) => this.deps.io.to(peerId).emit('producer:closed', { producerId }));
    room.on('closed', () => {
      this.#rooms.delete(room.meetingId);
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
