/**
 * What the phones of one meeting hear (语音接入), decoded once per meeting however many phones listen: one
 * GStreamer child process per meeting decodes each heard site's Opus (up to MIX_SLOTS unmuted mics, consumed over
 * PlainTransports) to 8 kHz PCM, and Node mixes per phone every 20 ms — the sum of every slot but the phone's own
 * producer (mix-minus: no echo). The process starts with the meeting's first phone and ends with its last.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import dgram from 'node:dgram';
import type { types } from 'mediasoup';
import type { MeetingRoom } from './MeetingRoom.ts';
import { bound, freePort } from './loopbackUdp.ts';

export const MIX_SLOTS = 8;
const FRAME = 160; // 20 ms at 8 kHz
/** A slot starts playing once this much is queued (absorbs the decoder's burstiness), and never holds more. */
const START_SAMPLES = FRAME * 2;
const MAX_SAMPLES = FRAME * 8;

export interface MixListener {
  /** The phone's own producer (left out of its mix); null until it produces. */
  producerId: () => string | null;
  /** 20 ms of 8 kHz mono PCM for this phone. */
  onMix: (pcm: Int16Array) => void;
  /** The meeting's decoder died: the phone's call cannot hear the meeting any more. */
  onExit: (code: number | null) => void;
}

interface Slot {
  port: number;
  pcmIn: dgram.Socket;
  transport: types.PlainTransport;
  consumer: types.Consumer | null;
  queue: Int16Array;
  playing: boolean;
}

/** The meeting's mixer being started or running (one per room). */
const mixers = new Map<MeetingRoom, Promise<MeetingMixer>>();

export class MeetingMixer {
  readonly listeners = new Set<MixListener>();
  #gst: ChildProcess | null = null;
  #closed = false;
  #timer: ReturnType<typeof setTimeout> | null = null;
  #sync: ReturnType<typeof setInterval> | null = null;
  #syncing: Promise<void> = Promise.resolve();
  readonly #off: (() => void)[] = [];
  stderr = '';

  private constructor(
    readonly room: MeetingRoom,
    readonly slots: Slot[],
    readonly gstPath: string,
  ) {}

  /** The meeting's mixer (started on first use), with `listener` added. */
  static async join(room: MeetingRoom, listener: MixListener, gstPath = 'gst-launch-1.0'): Promise<MeetingMixer> {
    let p = mixers.get(room);
    if (!p) {
      p = MeetingMixer.#start(room, gstPath);
      mixers.set(room, p);
      p.catch(() => mixers.delete(room));
    }
    const mixer = await p;
    if (mixer.#closed) {
      if (mixers.get(room) === p) mixers.delete(room);
      return MeetingMixer.join(room, listener, gstPath); // it stopped meanwhile (its last phone left): a new one
    }
    mixer.listeners.add(listener);
    return mixer;
  }

  /** A phone leaves; the last one stops the process. */
  leave(listener: MixListener): void {
    this.listeners.delete(listener);
    if (this.listeners.size === 0) this.close();
  }

  get pid(): number | undefined {
    return this.#gst?.pid;
  }

  static async #start(room: MeetingRoom, gstPath: string): Promise<MeetingMixer> {
    const slots: Slot[] = [];
    for (let i = 0; i < MIX_SLOTS; i++) {
      const [port, pcmIn] = await Promise.all([freePort(), bound()]);
      const transport = await room.router.createPlainTransport({ listenInfo: { protocol: 'udp', ip: '127.0.0.1' }, rtcpMux: true, comedia: false });
      await transport.connect({ ip: '127.0.0.1', port });
      slots.push({ port, pcmIn, transport, consumer: null, queue: new Int16Array(0), playing: false });
    }
    const mixer = new MeetingMixer(room, slots, gstPath);
    try {
      await mixer.#spawn();
      mixer.#wire();
    } catch (e) {
      mixer.close();
      throw e;
    }
    return mixer;
  }

  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    if (this.#timer) clearTimeout(this.#timer);
    if (this.#sync) clearInterval(this.#sync);
    for (const off of this.#off) off();
    this.#gst?.kill('SIGKILL');
    for (const s of this.slots) {
      s.transport.close();
      s.pcmIn.close();
    }
  }

  #pipeline(): string[] {
    const opusPt = (this.room.rtpCapabilities.codecs ?? []).find((c) => c.mimeType === 'audio/opus')?.preferredPayloadType ?? 100;
    const p = this.slots.map(
      (s) =>
        `udpsrc address=127.0.0.1 port=${s.port} caps="application/x-rtp,media=audio,clock-rate=48000,encoding-name=OPUS,payload=${opusPt}" ! rtpjitterbuffer latency=60 drop-on-latency=true ! rtpopusdepay ! opusdec plc=true ! audioconvert ! audioresample ! audio/x-raw,format=S16LE,rate=8000,channels=1 ! udpsink host=127.0.0.1 port=${s.pcmIn.address().port} sync=false async=false`,
    );
    return p.join(' ').match(/"[^"]*"|\S+/g)!.map((t) => t.replace(/^"(.*)"$/, '$1'));
  }

  async #spawn(): Promise<void> {
    const gst = spawn(this.gstPath, ['-q', ...this.#pipeline()], { stdio: ['ignore', 'ignore', 'pipe'] });
    this.#gst = gst;
    gst.stderr!.on('data', (d: Buffer) => (this.stderr = (this.stderr + d.toString()).slice(-4096)));
    gst.on('exit', (code) => {
      if (this.#closed) return;
      for (const l of [...this.listeners]) l.onExit(code);
      this.close();
    });
    await new Promise<void>((resolve, reject) => {
      gst.once('error', reject);
      gst.once('spawn', () => resolve());
    });
  }

  #wire(): void {
    for (const s of this.slots) {
      s.pcmIn.on('message', (buf) => {
        if (this.#closed || !s.consumer || buf.length < 2) return;
        const pcm = new Int16Array(buf.buffer.slice(buf.byteOffset, buf.byteOffset + (buf.length & ~1)));
        const joined = concat(s.queue, pcm);
        s.queue = joined.length > MAX_SAMPLES ? joined.slice(-MAX_SAMPLES) : joined; // a late consumer loses the oldest
        if (s.queue.length >= START_SAMPLES) s.playing = true;
      });
    }
    // One 20 ms clock for the meeting, on the monotonic clock; a stalled loop skips frames rather than bursting them.
    let t0 = performance.now();
    let n = 0;
    const tick = () => {
      const late = performance.now() - (t0 + n * 20);
      if (late > 100) t0 += Math.floor(late / 20) * 20;
      this.#mixFrame();
      n++;
      this.#timer = setTimeout(tick, Math.max(0, t0 + n * 20 - performance.now()));
    };
    this.#timer = setTimeout(tick, 20);
    const room = this.room;
    if (room.getMaxListeners() < 200) room.setMaxListeners(200);
    const sync = () => void this.#syncSlots().catch(() => undefined);
    room.on('producerAdded', sync);
    room.on('producerPaused', sync);
    this.#off.push(() => room.off('producerAdded', sync), () => room.off('producerPaused', sync));
    this.#sync = setInterval(sync, 1000);
    this.#sync.unref?.();
    sync();
  }

  /** Every listener's 20 ms: the sum of the slots holding another site's voice, clipped to 16 bits. */
  #mixFrame(): void {
    const frames: { producerId: string; pcm: Int16Array }[] = [];
    for (const s of this.slots) {
      if (!s.consumer || !s.playing) continue;
      if (s.queue.length < FRAME) {
        s.playing = false; // ran dry: wait for START_SAMPLES again
        s.queue = new Int16Array(0);
        continue;
      }
      frames.push({ producerId: s.consumer.producerId, pcm: s.queue.subarray(0, FRAME) });
      s.queue = s.queue.subarray(FRAME);
    }
    const sum = new Int32Array(FRAME);
    for (const f of frames) for (let i = 0; i < FRAME; i++) sum[i] += f.pcm[i];
    for (const l of this.listeners) {
      const own = frames.find((f) => f.producerId === l.producerId());
      const out = new Int16Array(FRAME);
      for (let i = 0; i < FRAME; i++) {
        const v = sum[i] - (own ? own.pcm[i] : 0);
        out[i] = v > 32767 ? 32767 : v < -32768 ? -32768 : v;
      }
      l.onMix(out);
    }
  }

  /** Give the slots to the unmuted mics of the meeting (first come), phones' own included: others hear them. */
  #syncSlots(): Promise<void> {
    this.#syncing = this.#syncing.then(async () => {
      if (this.#closed) return;
      const room = this.room;
      const wanted = room.producers().filter((p) => p.kind === 'audio' && !p.paused).map((p) => p.producerId);
      for (const s of this.slots) {
        if (s.consumer && (s.consumer.closed || !wanted.includes(s.consumer.producerId))) {
          s.consumer.close();
          s.consumer = null;
          s.queue = new Int16Array(0);
          s.playing = false;
        }
      }
      const held = new Set(this.slots.map((s) => s.consumer?.producerId).filter(Boolean));
      const caps: types.RtpCapabilities = { codecs: (room.rtpCapabilities.codecs ?? []).filter((c) => c.mimeType === 'audio/opus'), headerExtensions: [] };
      for (const producerId of wanted.filter((id) => !held.has(id))) {
        const free = this.slots.find((s) => !s.consumer);
        if (!free || this.#closed) break;
        free.consumer = await free.transport.consume({ producerId, rtpCapabilities: caps, paused: false });
      }
    });
    return this.#syncing;
  }
}

function concat(a: Int16Array, b: Int16Array): Int16Array {
  const out = new Int16Array(a.length + b.length);
  out.set(a);
  out.set(b, a.length);
  return out;
}
