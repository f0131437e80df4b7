/**
 * The media of one phone call in a meeting (语音接入), through one GStreamer child process:
 *  - phone → meeting: G.711 RTP (forwarded by the call's RTP socket) is decoded, resampled and Opus-encoded
 *    by GStreamer; Node relays the Opus RTP into a PlainTransport producer, adding the RFC 6464 audio level
 *    it measured on the phone's own samples, so speaker detection and the recorder treat it like any mic;
 *  - meeting → phone: up to MIX_SLOTS other unmuted audio producers are consumed over PlainTransports into
 *    GStreamer's audiomixer (never the phone's own producer: no echo), encoded back to the phone's G.711
 *    law and handed to the call, which sends it at a steady 20 ms.
 * Each call decodes the sites it hears itself (one process per call, not one per meeting).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import dgram from 'node:dgram';
import type { types } from 'mediasoup';
import type { MeetingRoom } from './MeetingRoom.ts';

export const MIX_SLOTS = 6;
const AUDIO_LEVEL_URI = 'urn:ietf:params:rtp-hdrext:ssrc-audio-level';
const AUDIO_LEVEL_ID = 1;
const PHONE_OPUS_PT = 100;

export interface PhoneLegOptions {
  room: MeetingRoom;
  peerId: string;
  law: 'PCMU' | 'PCMA';
  /** Start with the phone's producer paused (its unit is muted). */
  paused: boolean;
  /** G.711 bytes of the mix, as GStreamer produces them. */
  onMix: (g711: Buffer) => void;
  onExit?: (code: number | null) => void;
  gstPath?: string;
}

async function bound(): Promise<dgram.Socket> {
  const s = dgram.createSocket('udp4');
  await new Promise<void>((resolve, reject) => {
    s.once('error', reject);
    s.bind(0, '127.0.0.1', () => resolve());
  });
  return s;
}

/** A free loopback UDP port for GStreamer's udpsrc (bound, read, released). */
async function freePort(): Promise<number> {
  const s = await bound();
  const port = s.address().port;
  await new Promise<void>((r) => s.close(() => r()));
  return port;
}

interface Slot {
  port: number;
  transport: types.PlainTransport;
  consumer: types.Consumer | null;
}

export class PhoneLeg {
  #gst: ChildProcess | null = null;
  #closed = false;
  #level = 127;
  #voice = false;
  #sync: ReturnType<typeof setInterval> | null = null;
  readonly #listeners: (() => void)[] = [];
  /** Bytes GStreamer wrote to stderr (the last few KiB, for the log). */
  stderr = '';
  producer!: types.Producer;

  private constructor(
    readonly opts: PhoneLegOptions,
    readonly toGst: dgram.Socket,
    readonly gstInPort: number,
    readonly opusRelay: dgram.Socket,
    readonly mixIn: dgram.Socket,
    readonly sendTransport: types.PlainTransport,
    readonly slots: Slot[],
  ) {}

  static async start(opts: PhoneLegOptions): Promise<PhoneLeg> {
    const router = opts.room.router;
    const [toGst, opusRelay, mixIn, gstInPort] = await Promise.all([bound(), bound(), bound(), freePort()]);
    const sendTransport = await router.createPlainTransport({ listenInfo: { protocol: 'udp', ip: '127.0.0.1' }, rtcpMux: true, comedia: false });
    await sendTransport.connect({ ip: '127.0.0.1', port: opusRelay.address().port });
    const slots: Slot[] = [];
    for (let i = 0; i < MIX_SLOTS; i++) {
      const port = await freePort();
      const transport = await router.createPlainTransport({ listenInfo: { protocol: 'udp', ip: '127.0.0.1' }, rtcpMux: true, comedia: false });
      await transport.connect({ ip: '127.0.0.1', port });
      slots.push({ port, transport, consumer: null });
    }
    const leg = new PhoneLeg(opts, toGst, gstInPort, opusRelay, mixIn, sendTransport, slots);
    try {
      await leg.#startGst();
      await leg.#produce();
      leg.#wire();
    } catch (e) {
      leg.close();
      throw e;
    }
    return leg;
  }

  /** The phone's RTP packet (G.711), with the level of its samples (RFC 6464) measured by the caller. */
  fromPhone(packet: Buffer, level: number): void {
    if (this.#closed) return;
    this.#level = level;
    this.#voice = level < 60;
    this.toGst.send(packet, this.gstInPort, '127.0.0.1');
  }

  get closed(): boolean {
    return this.#closed;
  }

  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    if (this.#sync) clearInterval(this.#sync);
    for (const off of this.#listeners) off();
    this.#gst?.kill('SIGKILL');
    for (const s of this.slots) s.transport.close();
    this.sendTransport.close();
    for (const s of [this.toGst, this.opusRelay, this.mixIn]) s.close();
  }

  #pipeline(): string[] {
    const law = this.opts.law;
    const [dec, depay, enc, pay, pt] = law === 'PCMU' ? ['mulawdec', 'rtppcmudepay', 'mulawenc', 'rtppcmupay', 0] : ['alawdec', 'rtppcmadepay', 'alawenc', 'rtppcmapay', 8];
    const opusPt = (this.opts.room.rtpCapabilities.codecs ?? []).find((c) => c.mimeType === 'audio/opus')?.preferredPayloadType ?? 100;
    const ssrc = this.#ssrc;
    const p = [
      `udpsrc address=127.0.0.1 port=${this.gstInPort} caps="application/x-rtp,media=audio,clock-rate=8000,encoding-name=${law},payload=${pt}"`,
      '! rtpjitterbuffer latency=60 drop-on-latency=true ! ' + depay + ' ! ' + dec,
      '! audioconvert ! audioresample ! audio/x-raw,rate=48000,channels=2',
      `! opusenc bitrate=32000 frame-size=20 ! rtpopuspay pt=${PHONE_OPUS_PT} ssrc=${ssrc}`,
      `! udpsink host=127.0.0.1 port=${this.opusRelay.address().port} sync=false async=false`,
      'audiomixer name=mix latency=40000000 ! audioconvert ! audioresample ! audio/x-raw,rate=8000,channels=1',
      `! ${enc} ! ${pay} pt=${pt} min-ptime=20000000 max-ptime=20000000 ! udpsink host=127.0.0.1 port=${this.mixIn.address().port} sync=false async=false`,
      // A silent live source keeps the mixer running (and the phone's 20 ms packets steady) while nobody speaks.
      'audiotestsrc is-live=true wave=silence samplesperbuffer=960 ! audio/x-raw,rate=48000,channels=2 ! mix.',
      ...this.slots.map(
        (s) =>
          `udpsrc address=127.0.0.1 port=${s.port} caps="application/x-rtp,media=audio,clock-rate=48000,encoding-name=OPUS,payload=${opusPt}" ! rtpjitterbuffer latency=60 drop-on-latency=true ! rtpopusdepay ! opusdec plc=true ! audioconvert ! audioresample ! audio/x-raw,rate=48000,channels=2 ! mix.`,
      ),
    ];
    return p.join(' ').match(/"[^"]*"|\S+/g)!.map((t) => t.replace(/^"(.*)"$/, '$1'));
  }

  readonly #ssrc = (Math.random() * 0xffffffff) >>> 0 || 1;

  async #startGst(): Promise<void> {
    const gst = spawn(this.opts.gstPath ?? 'gst-launch-1.0', ['-q', ...this.#pipeline()], { stdio: ['ignore', 'ignore', 'pipe'] });
    this.#gst = gst;
    gst.stderr!.on('data', (d: Buffer) => (this.stderr = (this.stderr + d.toString()).slice(-4096)));
    gst.on('exit', (code) => {
      if (!this.#closed) this.opts.onExit?.(code);
    });
    await new Promise<void>((resolve, reject) => {
      gst.once('error', reject);
      gst.once('spawn', () => resolve());
    });
  }

  async #produce(): Promise<void> {
    const room = this.opts.room;
    const producer = await this.sendTransport.produce({
      kind: 'audio',
      paused: this.opts.paused,
      rtpParameters: {
        codecs: [{ mimeType: 'audio/opus', payloadType: PHONE_OPUS_PT, clockRate: 48000, channels: 2, parameters: { useinbandfec: 1 } }],
        encodings: [{ ssrc: this.#ssrc }],
        headerExtensions: [{ uri: AUDIO_LEVEL_URI, id: AUDIO_LEVEL_ID }],
      },
      appData: { source: 'mic', peerId: this.opts.peerId, phone: true },
    });
    this.producer = producer;
    const target = this.sendTransport.tuple.localPort;
    this.opusRelay.on('message', (pkt) => {
      if (this.#closed || pkt.length < 12) return;
      this.opusRelay.send(withLevel(pkt, this.#level, this.#voice), target, '127.0.0.1');
    });
    await room.addExternalProducer(this.opts.peerId, producer);
  }

  #wire(): void {
    this.mixIn.on('message', (pkt) => {
      if (this.#closed || pkt.length <= 12) return;
      const cc = pkt[0] & 0x0f;
      this.opts.onMix(pkt.subarray(12 + cc * 4));
    });
    const room = this.opts.room;
    // Two listeners per phone leg: a meeting with dozens of phones is expected, not a leak.
    if (room.getMaxListeners() < 200) room.setMaxListeners(200);
    const sync = () => void this.#syncSlots().catch(() => undefined);
    room.on('producerAdded', sync);
    room.on('producerPaused', sync);
    this.#listeners.push(() => room.off('producerAdded', sync), () => room.off('producerPaused', sync));
    this.#sync = setInterval(sync, 1000);
    this.#sync.unref?.();
    sync();
  }

  #syncing: Promise<void> = Promise.resolve();

  /** Give the mixer's slots to the other sites' unmuted mics (first come); free the slots of the rest. */
  #syncSlots(): Promise<void> {
    this.#syncing = this.#syncing.then(async () => {
      if (this.#closed) return;
      const room = this.opts.room;
      const wanted = room
        .producers()
        .filter((p) => p.kind === 'audio' && p.peerId !== this.opts.peerId && !p.paused)
        .map((p) => p.producerId);
      for (const s of this.slots) {
        if (s.consumer && (s.consumer.closed || !wanted.includes(s.consumer.producerId))) {
          s.consumer.close();
          s.consumer = null;
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

/** The Opus packet with a one-byte RFC 8285 audio-level extension (id 1) unless it already has extensions. */
function withLevel(pkt: Buffer, level: number, voice: boolean): Buffer {
  if (pkt[0] & 0x10) return pkt;
  const cc = pkt[0] & 0x0f;
  const at = 12 + cc * 4;
  const ext = Buffer.from([0xbe, 0xde, 0x00, 0x01, AUDIO_LEVEL_ID << 4, (voice ? 0x80 : 0) | (level & 0x7f), 0, 0]);
  const out = Buffer.concat([pkt.subarray(0, at), ext, pkt.subarray(at)]);
  out[0] |= 0x10;
  return out;
}
