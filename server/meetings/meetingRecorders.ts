/**
 * Server-side recording per meeting (sfu/Recorder.ts), driven by the chair's record command: one ffmpeg per
 * meeting that follows the main picture, finalised and listed in meeting_recordings when it stops.
 */
import path from 'node:path';
import type { Kysely } from 'kysely';
import type { Logger } from 'pino';
import type { Database } from '../../db/schema.ts';
import { producerSource, type MeetingRoom } from '../../sfu/MeetingRoom.ts';
import { Recorder } from '../../sfu/Recorder.ts';
import { clock } from '../clock.ts';
import { mainPictureFor, type Actor, type Command, type ControlState } from '../../contract/meetingControl.ts';
import { insertRecording, recordingsRoot } from './recordingsRepo.ts';

/** What the recorders need from the hub: the live room, the control state and a way to send it commands. */
export interface RecorderHost {
  db: Kysely<Database>;
  log: Logger;
  liveRoom(meetingId: string): Promise<MeetingRoom | null>;
  controlState(meetingId: string): Promise<ControlState | null>;
  command(meetingId: string, cmd: Command, actor: Actor): Promise<ControlState>;
}

const SYSTEM: Actor = { unitCode: '', chair: false, system: true };

export class MeetingRecorders {
  readonly #recorders = new Map<string, { rec: Recorder; by: string; at: string }>();
  /** Where recordings go: <root>/<meetingId>/<timestamp>.webm. */
  readonly dir = recordingsRoot();

  constructor(private readonly host: RecorderHost) {}

  has(meetingId: string): boolean {
    return this.#recorders.has(meetingId);
  }

  async start(state: ControlState, room: MeetingRoom | null): Promise<void> {
    const id = state.meetingId;
    try {
      if (!room) throw new Error('no live room to record');
      if (this.#recorders.has(id)) return;
      const rec = await Recorder.start({ router: room.router, dir: path.join(this.dir, id) });
      this.#recorders.set(id, { rec, by: state.recording?.by ?? state.hostUnitCode, at: state.recording?.startedAt ?? clock.now().toISOString() });
      rec.on('lost', () => void this.follow(id));
      // ffmpeg ended by itself (time limit, crash): keep what it wrote and show everyone it stopped.
      rec.on('exited', (code) => {
        this.host.log.warn({ meetingId: id, code, ffmpeg: rec.log.slice(-500) }, 'recording ffmpeg exited');
        void this.host.command(id, { type: 'recordStop' }, SYSTEM).catch(() => undefined);
      });
      await this.follow(id);
      this.host.log.info({ meetingId: id, file: rec.fileName }, 'recording started');
    } catch (e) {
      // Nothing records, so nothing may claim to: the REC indicator goes off again.
      void this.host.command(id, { type: 'recordStop' }, SYSTEM).catch(() => undefined);
      throw e;
    }
  }

  /** Finalise the file and list it. */
  async stop(meetingId: string): Promise<void> {
    const entry = this.#recorders.get(meetingId);
    if (!entry) return;
    this.#recorders.delete(meetingId);
    const { rec } = entry;
    const file = await rec.stop();
    if (!file) {
      this.host.log.warn({ meetingId, ffmpeg: rec.log.slice(-500) }, 'recording produced no file');
      return;
    }
    await insertRecording(this.host.db, {
      meetingId,
      fileName: file.fileName,
      startedByUnit: entry.by,
      startedAt: new Date(entry.at),
      bytes: file.bytes,
      durationSec: file.durationSec,
    });
    this.host.log.info({ meetingId, file: file.fileName, bytes: file.bytes, seconds: file.durationSec }, 'recording finished');
  }

  async stopAll(): Promise<void> {
    await Promise.all([...this.#recorders.keys()].map((id) => this.stop(id)));
  }

  /**
   * The recording follows the meeting: video = everyone's main picture (roll call, broadcast, patrol to all,
   * voice activation; else the current speaker, else the main venue); audio = the current speaker's
   * microphone, else that of the site in the picture, else the main venue's.
   */
  async follow(meetingId: string): Promise<void> {
    const rec = this.#recorders.get(meetingId)?.rec;
    if (!rec) return;
    const room = await this.host.liveRoom(meetingId);
    const state = await this.host.controlState(meetingId);
    if (!room || !state) return;
    const live = (unitCode: string | null, source: 'mic' | 'camera') =>
      unitCode ? room.unitProducers(unitCode, source).find((p) => !p.closed) ?? null : null;
    const anyCamera = [...room.peers.values()].flatMap((p) => [...p.producers.values()]).find((p) => !p.closed && producerSource(p) === 'camera') ?? null;
    const picture = mainPictureFor(state, '', false) ?? state.speaker ?? state.hostUnitCode;
    const video = live(picture, 'camera') ?? live(state.hostUnitCode, 'camera') ?? anyCamera;
    const audio = live(state.speaker, 'mic') ?? live(picture, 'mic') ?? live(state.hostUnitCode, 'mic');
    try {
      // The recorder sits on the home router: a camera of a site placed on another router is piped there first.
      if (video) await room.pipeHome(video.id);
      await rec.follow('video', video?.id ?? null);
      await rec.follow('audio', audio?.id ?? null);
    } catch (e) {
      this.host.log.warn({ meetingId, err: (e as Error).message }, 'recording could not follow the main picture');
    }
  }
}
