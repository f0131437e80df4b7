/**
 * Server-side recording of one meeting: ONE file per recording with the meeting's main picture (video)
 * and the current speaker's microphone (audio), both following the meeting as it goes (roll call,
 * broadcast, voice activation…). mediasoup sends each through its own PlainTransport (127.0.0.1, no comedia,
 * RTCP on its own port) to Debian's ffmpeg, which reads an SDP file and copies VP8 + Opus into WebM
 * without re-encoding. Switching the followed site closes the old consumer and consumes the new producer
 * on the same transport (same port) and asks it for a keyframe; ffmpeg runs without a reorder queue and
 * with wall-clock timestamps, so a new SSRC / sequence start is taken as it comes.
 * Stopping sends `q` to ffmpeg (SIGINT, then SIGKILL, if it does not finish) so the file is finalised.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import dgram from 'node:dgram';
import { EventEmitter } from 'node:events';
import fs from 'node:fs';
import path from 'node:path';
import type { types } from 'mediasoup';

export interface RecorderOptions {
  router: types.Router;
  /** Folder of this meeting's recordings (created if missing). */
  dir: string;
  /** Upper bound of one file, seconds (ffmpeg's own -t: it ends by itself even if nobody stops it). */
  maxSeconds?: number;
  ffmpegPath?: string;
}

export interface RecordingFile {
  file: string;
  fileName: string;
  startedAt: Date;
  endedAt: Date;
  bytes: number;
  /** Seconds of media in the file (from the container, via ffprobe), 0 if unknown. */
  durationSec: number;
}

interface Leg {
  kind: types.MediaKind;
  transport: types.PlainTransport;
  port: number;
  payloadType: number;
  consumer: types.Consumer | null;
}

interface RecorderEvents {
  /** The followed producer went away (site left, worker closed): the owner should pick another. */
  lost: [kind: types.MediaKind];
  /** ffmpeg ended by itself (time limit reached, crash). */
  exited: [code: number | null];
}

/** Only VP8 video can be copied into WebM; H.264 sites are not recorded (documented). */
const RECORD_CAPS = (router: types.Router): types.RtpCapabilities => ({
  codecs: (router.rtpCapabilities.codecs ?? []).filter((c) => c.mimeType === 'audio/opus' || c.mimeType === 'video/VP8'),
  headerExtensions: [],
});

export class Recorder extends EventEmitter<RecorderEvents> {
  readonly startedAt = new Date();
  readonly #legs: { video: Leg; audio: Leg };
  #ffmpeg: ChildProcess | null = null;
  #exit: Promise<number | null> = Promise.resolve(null);
  #stopped: Promise<RecordingFile | null> | null = null;
  #keyTimers: ReturnType<typeof setTimeout>[] = [];
  #stderr = '';
  #chain: Promise<void> = Promise.resolve();
  #mediaUs = 0;

  private constructor(
    readonly router: types.Router,
    readonly file: string,
    legs: { video: Leg; audio: Leg },
  ) {
    super();
    this.#legs = legs;
  }

  static async start(opts: RecorderOptions): Promise<Recorder> {
    fs.mkdirSync(opts.dir, { recursive: true });
    const caps = RECORD_CAPS(opts.router);
    const vp8 = caps.codecs!.find((c) => c.mimeType === 'video/VP8');
    const opus = caps.codecs!.find((c) => c.mimeType === 'audio/opus');
    if (!vp8?.preferredPayloadType || !opus?.preferredPayloadType) throw new Error('router has no VP8/Opus to record');
    const [vPort, aPort] = [await freePortPair(), await freePortPair()];
    const leg = async (kind: types.MediaKind, port: number, payloadType: number): Promise<Leg> => {
      const transport = await opts.router.createPlainTransport({
        listenInfo: { protocol: 'udp', ip: '127.0.0.1' },
        rtcpMux: false,
        comedia: false,
        appData: { recording: true },
      });
      await transport.connect({ ip: '127.0.0.1', port, rtcpPort: port + 1 });
      return { kind, transport, port, payloadType, consumer: null };
    };
    const video = await leg('video', vPort, vp8.preferredPayloadType);
    const audio = await leg('audio', aPort, opus.preferredPayloadType).catch((e: Error) => {
      video.transport.close();
      throw e;
    });
    const stamp = new Date().toISOString().replace(/[:.]/g, '-');
    const rec = new Recorder(opts.router, path.join(opts.dir, `${stamp}.webm`), { video, audio });
    rec.#spawn(opts, vp8.clockRate, opus.clockRate);
    return rec;
  }

  get fileName(): string {
    return path.basename(this.file);
  }

  /** The producer each leg follows now (null: none). */
  following(kind: types.MediaKind): string | null {
    return this.#legs[kind].consumer?.producerId ?? null;
  }

  /** Follow this producer (or none) with the video or audio leg; a no-op when it already does. Calls run in order. */
  follow(kind: types.MediaKind, producerId: string | null): Promise<void> {
    const run = this.#chain.then(() => this.#follow(kind, producerId));
    this.#chain = run.catch(() => undefined);
    return run;
  }

  async #follow(kind: types.MediaKind, producerId: string | null): Promise<void> {
    if (this.#stopped) return;
    const leg = this.#legs[kind];
    if ((leg.consumer?.producerId ?? null) === producerId) return;
    const old = leg.consumer;
    leg.consumer = null;
    old?.close();
    if (!producerId) return;
    const caps = RECORD_CAPS(this.router);
    if (!this.router.canConsume({ producerId, rtpCapabilities: caps })) return;
    const consumer = await leg.transport.consume({ producerId, rtpCapabilities: caps, paused: false });
    if (this.#stopped || leg.consumer) {
      consumer.close();
      return;
    }
    leg.consumer = consumer;
    consumer.on('producerclose', () => {
      if (leg.consumer !== consumer) return;
      leg.consumer = null;
      this.emit('lost', kind);
    });
    consumer.on('transportclose', () => {
      if (leg.consumer === consumer) leg.consumer = null;
    });
    if (kind === 'video') this.#keyframes(consumer);
  }

  /** Stop and finalise the file; resolves with it (null when nothing was written). Idempotent. */
  stop(): Promise<RecordingFile | null> {
    this.#stopped ??= this.#stop();
    return this.#stopped;
  }

  async #stop(): Promise<RecordingFile | null> {
    for (const t of this.#keyTimers) clearTimeout(t);
    const proc = this.#ffmpeg;
    if (proc && proc.exitCode === null && proc.signalCode === null) {
      proc.stdin?.end('q');
      const bounded = (ms: number) => Promise.race([this.#exit.then(() => true), new Promise<boolean>((r) => setTimeout(() => r(false), ms).unref())]);
      // With no packets coming (router gone, everyone muted) ffmpeg sits in a blocking read and never sees
      // the `q`: nudge it with Opus silence on the audio port until it has written the trailer.
      const nudge = dgram.createSocket('udp4');
      nudge.on('error', () => undefined);
      let seq = 0;
      const silence = () => {
        const pkt = Buffer.alloc(15);
        pkt[0] = 0x80;
        pkt[1] = this.#legs.audio.payloadType & 0x7f;
        pkt.writeUInt16BE(seq++ & 0xffff, 2);
        pkt.writeUInt32BE((seq * 960) >>> 0, 4);
        pkt.writeUInt32BE(0x5eed0001, 8);
        pkt.set([0xf8, 0xff, 0xfe], 12);
        nudge.send(pkt, this.#legs.audio.port, '127.0.0.1');
      };
      const ticker = setInterval(silence, 100);
      if (!(await bounded(2500))) {
        proc.kill('SIGINT'); // also finalises (once: a second one aborts the trailer)
        if (!(await bounded(5000))) {
          proc.kill('SIGKILL');
          await bounded(2000);
        }
      }
      clearInterval(ticker);
      nudge.close();
    }
    for (const leg of Object.values(this.#legs)) if (!leg.transport.closed) leg.transport.close();
    const endedAt = new Date();
    const bytes = fs.existsSync(this.file) ? fs.statSync(this.file).size : 0;
    const durationSec = bytes > 0 ? await probeDuration(this.file) : 0;
    // Nothing usable was written (no media came before the stop, or ffmpeg could not finish the file): no recording.
    if (durationSec <= 0) {
      fs.rmSync(this.file, { force: true });
      return null;
    }
    return { file: this.file, fileName: this.fileName, startedAt: this.startedAt, endedAt, bytes, durationSec };
  }

  /** Seconds of media ffmpeg has written so far (its -progress report): > 0 once the file is really being written. */
  get seconds(): number {
    return this.#mediaUs / 1e6;
  }

  /** ffmpeg's last lines (why it failed). */
  get log(): string {
    return this.#stderr;
  }

  #spawn(opts: RecorderOptions, videoClock: number, audioClock: number): void {
    const { video, audio } = this.#legs;
    const sdp = [
      'v=0',
      'o=- 0 0 IN IP4 127.0.0.1',
      's=meeting recording',
      'c=IN IP4 127.0.0.1',
      't=0 0',
      `m=video ${video.port} RTP/AVP ${video.payloadType}`,
      `a=rtpmap:${video.payloadType} VP8/${videoClock}`,
      'a=recvonly',
      `m=audio ${audio.port} RTP/AVP ${audio.payloadType}`,
      `a=rtpmap:${audio.payloadType} opus/${audioClock}/2`,
      'a=recvonly',
      '',
    ].join('\n');
    const sdpFile = `${this.file}.sdp`;
    fs.writeFileSync(sdpFile, sdp);
    const args = [
      '-hide_banner',
      '-loglevel', process.env.RECORDER_FFMPEG_LOGLEVEL ?? 'warning',
      '-protocol_whitelist', 'file,udp,rtp',
      // Followed sites change: no reordering across a new sequence start, arrival time as timestamps.
      '-reorder_queue_size', '0',
      '-use_wallclock_as_timestamps', '1',
      '-analyzeduration', '3000000',
      '-i', sdpFile,
      '-map', '0:v:0?', '-map', '0:a:0?',
      '-c', 'copy',
      '-progress', 'pipe:1',
      '-stats_period', '1',
      '-t', String(opts.maxSeconds ?? 6 * 3600),
      '-f', 'webm',
      '-y', this.file,
    ];
    const proc = spawn(opts.ffmpegPath ?? 'ffmpeg', args, { stdio: ['pipe', 'pipe', 'pipe'] });
    proc.stdout.on('data', (d: Buffer) => {
      for (const m of d.toString().matchAll(/out_time_us=(\d+)/g)) this.#mediaUs = Math.max(this.#mediaUs, Number(m[1]));
    });
    this.#ffmpeg = proc;
    proc.stdin.on('error', () => undefined);
    proc.stderr.on('data', (d: Buffer) => (this.#stderr = (this.#stderr + d.toString()).slice(-4000)));
    this.#exit = new Promise((resolve) => {
      proc.on('error', (e) => {
        this.#stderr += `\n${e.message}`;
        resolve(null);
      });
      proc.on('exit', (code) => {
        fs.rmSync(sdpFile, { force: true });
        if (!this.#stopped) this.emit('exited', code);
        resolve(code);
      });
    });
  }

  /** ffmpeg needs a keyframe to start (and after every switch): ask a few times while it settles. */
  #keyframes(consumer: types.Consumer): void {
    for (const ms of [300, 1000, 2000, 3500]) {
      const t = setTimeout(() => {
        if (!consumer.closed) void consumer.requestKeyFrame().catch(() => undefined);
      }, ms);
      t.unref?.();
      this.#keyTimers.push(t);
    }
  }
}

/** An even UDP port whose next one is free too (RTP + RTCP for ffmpeg), on loopback; bounded tries. */
async function freePortPair(): Promise<number> {
  for (let i = 0; i < 50; i++) {
    const port = 20000 + 2 * Math.floor(Math.random() * 9000);
    const a = dgram.createSocket('udp4');
    const b = dgram.createSocket('udp4');
    const bind = (s: dgram.Socket, p: number) =>
      new Promise<boolean>((resolve) => {
        s.once('error', () => resolve(false));
        s.bind(p, '127.0.0.1', () => resolve(true));
      });
    const ok = (await bind(a, port)) && (await bind(b, port + 1));
    await Promise.all([a, b].map((s) => new Promise<void>((r) => { try { s.close(() => r()); } catch { r(); } })));
    if (ok) return port;
  }
  throw new Error('no free UDP port pair for the recorder');
}

/** Duration in seconds from the container (ffprobe), 0 if it cannot tell. */
export function probeDuration(file: string, ffprobePath = 'ffprobe'): Promise<number> {
  return new Promise((resolve) => {
    const p = spawn(ffprobePath, ['-v', 'error', '-show_entries', 'format=duration', '-of', 'default=nw=1:nk=1', file], { stdio: ['ignore', 'pipe', 'ignore'] });
    let out = '';
    const timer = setTimeout(() => p.kill('SIGKILL'), 10_000);
    p.stdout.on('data', (d: Buffer) => (out += d.toString()));
    p.on('error', () => resolve(0));
    p.on('close', () => {
      clearTimeout(timer);
      const n = Number.parseFloat(out.trim());
      resolve(Number.isFinite(n) ? n : 0);
    });
  });
}
