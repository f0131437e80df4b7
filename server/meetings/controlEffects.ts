/**
 * What a chair's command does beyond the control state (contract/meetingControl.ts returns it as effects): mutes
 * and camera-off at the SFU, a stopped share, a removed site, the patrol timer, recording, the saved part and the
 * end of the meeting. The hub (hub.ts) runs the commands one after another per meeting and applies these.
 */
import type { Kysely } from 'kysely';
import type { Server as IoServer, Socket } from 'socket.io';
import type { Database } from '../../db/schema.ts';
import type { MeetingRoom } from '../../sfu/MeetingRoom.ts';
import { savedPart, type Actor, type Command, type ControlState, type Effect } from '../../contract/meetingControl.ts';
import { meetingChannel, unitRoom } from '../realtime/rooms.ts';
import type { MeetingRecorders } from './meetingRecorders.ts';
import { endMeeting, saveControl } from './repo.ts';

/** What the effects need of the hub (hub.ts implements it; an interface here keeps the import one-way). */
export interface EffectHost {
  liveRoom(meetingId: string): Promise<MeetingRoom | null>;
  /** The socket ids of a meeting's joined sites (of these units only, if given). */
  socketsOf(meetingId: string, units?: string[]): string[];
  leave(socket: Socket, announce?: boolean): Promise<void>;
  /** Hangs up the meeting's phone sites (of one unit, if given) and lets them leave. */
  hangupPhones(meetingId: string, unitCode: string | undefined, why: 'removed' | 'ended'): Promise<void>;
  command(meetingId: string, cmd: Command, actor: Actor): Promise<ControlState>;
}

export class ControlEffects {
  readonly #patrolTimers = new Map<string, ReturnType<typeof setInterval>>();

  constructor(
    private readonly deps: { db: Kysely<Database>; io: IoServer; log: { warn(obj: object, msg: string): void } },
    private readonly host: EffectHost,
    private readonly recorders: MeetingRecorders,
  ) {}

  async apply(state: ControlState, effect: Effect): Promise<void> {
    const meetingId = state.meetingId;
    const room = await this.host.liveRoom(meetingId);
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
        for (const sid of this.host.socketsOf(meetingId, [effect.unitCode])) {
          this.deps.io.to(sid).emit('meeting:removed', { meetingId });
          const s = this.deps.io.sockets.sockets.get(sid);
          if (s) await this.host.leave(s);
        }
        await this.host.hangupPhones(meetingId, effect.unitCode, 'removed');
        return;
      case 'patrolTimer':
        this.patrol(state, effect.run);
        return;
      case 'record':
        if (effect.run) await this.recorders.start(state, room);
        else await this.recorders.stop(meetingId);
        return;
      case 'persist':
        await saveControl(this.deps.db, meetingId, { locked: state.locked, endsAt: state.endsAt, saved: savedPart(state) });
        return;
      case 'end': {
        await endMeeting(this.deps.db, meetingId);
        this.patrol(state, false);
        // To the sites inside and to every invited unit's consoles (their meeting lists).
        this.deps.io.to([meetingChannel(meetingId), ...state.units.map(unitRoom)]).emit('meeting:ended', { meetingId });
        for (const sid of this.host.socketsOf(meetingId)) {
          const s = this.deps.io.sockets.sockets.get(sid);
          if (s) await this.host.leave(s, false);
        }
        await this.host.hangupPhones(meetingId, undefined, 'ended');
        room?.close();
        return;
      }
    }
  }

  /** The patrol's timer (轮巡): a tick every intervalSec while it runs, through the hub's command queue. */
  patrol(state: ControlState, run: boolean): void {
    const id = state.meetingId;
    clearInterval(this.#patrolTimers.get(id));
    this.#patrolTimers.delete(id);
    if (!run || !state.patrol) return;
    const timer = setInterval(() => {
      void (async () => {
        const room = await this.host.liveRoom(id);
        if (!room) return; // nobody connected (or the worker is being replaced): hold the patrol where it is
        await this.host.command(id, { type: 'patrolTick', withVideo: room.unitsWithVideo() }, { unitCode: '', chair: false, system: true });
      })().catch((e: Error) => this.deps.log.warn({ meetingId: id, err: e.message }, 'patrol tick failed'));
    }, state.patrol.intervalSec * 1000);
    timer.unref?.();
    this.#patrolTimers.set(id, timer);
  }

  stopAll(): void {
    for (const t of this.#patrolTimers.values()) clearInterval(t);
    this.#patrolTimers.clear();
  }
}
