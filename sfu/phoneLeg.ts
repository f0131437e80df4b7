/**
 * The media of one phone call in a meeting (语音接入):
 *  - phone → meeting, through this call's GStreamer child process: G.711 RTP (forwarded by the call's RTP socket)
 *    is decoded, resampled and Opus-encoded; Node relays the Opus RTP into a PlainTransport producer, adding the
 *    RFC 6464 audio level it measured on the phone's own samples, so speaker detection and the recorder treat it
 *    like any mic;
 *  - meeting → phone, through the meeting's one MeetingMixer (meetingMixer.ts): every heard site is decoded once
 *    per meeting, and this phone gets 20 ms of PCM with every site but itself (no echo), which the call encodes
 *    to its G.711 law and sends at a steady 20 ms.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import dgram from 'node:dgram';
import type { types } from 'mediasoup';
import type { MeetingRoom } from './MeetingRoom.ts';
import { bound, freePort } from './loopbackUdp.ts';
import { MeetingMixer, type MixListener } from './meetingMixer.ts';

export { MIX_SLOTS } from './meetingMixer.ts';
const AUDIO_LEVEL_URI = 'urn:ietf:params:rtp-hdrext:ssrc-audio-level';
const AUDIO_LEVEL_ID = 1;
const PHONE_OPUS_PT = 100;

export interface PhoneLegOptions {
  room: MeetingRoom;
  peerId: string;
  law: 'PCMU' | 'PCMA';
  /** Start with the phone's producer paused (its unit is muted). */
  paused: boolean;
  /** 20 ms of 8 kHz PCM: the meeting without this phone (mix-minus). */
  onMix: (pcm: Int16Array) => void;
  onExit?: (code: number | null) => void;
  gstPath?: string;
}

export class PhoneLeg {
  #gst: ChildProcess | null = null;
  #closed = false;
  #level = 127;
  #voice = false;
  #mixer: MeetingMixer | null = null;
  #listener: MixListener | null = null;
  /** Bytes GStreamer wrote to stderr (the last few KiB, for the log). */
  stderr = '';
  producer!: types.Producer;

  private constructor(
    readonly opts: PhoneLegOptions,
    readonly toGst: dgram.Socket,
    readonly gstInPort: number,
    readonly opusRelay: dgram.Socket,
    readonly sendTransport: types.PlainTransport,
  ) {}

  static async start(opts: PhoneLegOptions): Promise<PhoneLeg> {
    const router = opts.room.router;
    const [toGst, opusRelay, gstInPort] = await Promise.all([bound(), bound(), freePort()]);
    const sendTransport = await router.createPlainTransport({ listenInfo: { protocol: 'udp', ip: '127.0.0.1' }, rtcpMux: true, comedia: false });
    await sendTransport.connect({ ip: '127.0.0.1', port: opusRelay.address().port });
    const leg = new PhoneLeg(opts, toGst, gstInPort, opusRelay, sendTransport);
    try {
      await leg.#startGst();
      await leg.#produce();
      await leg.#hear();
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
    if (this.#listener) this.#mixer?.leave(this.#listener);
    this.#gst?.kill('SIGKILL');
    this.sendTransport.close();
    for (const s of [this.toGst, this.opusRelay]) s.close();
  }

  #pipeline(): string[] {
    const law = this.opts.law;
    const [dec, depay, pt] = law === 'PCMU' ? ['mulawdec', 'rtppcmudepay', 0] : ['alawdec', 'rtppcmadepay', 8];
    const p = [
      `udpsrc address=127.0.0.1 port=${this.gstInPort} caps="application/x-rtp,media=audio,clock-rate=8000,encoding-name=${law},payload=${pt}"`,
      '! rtpjitterbuffer latency=60 drop-on-latency=true ! ' + depay + ' ! ' + dec,
      '! audioconvert ! audioresample ! audio/x-raw,rate=48000,channels=2',
      `! opusenc bitrate=32000 frame-size=20 ! rtpopuspay pt=${PHONE_OPUS_PT} ssrc=${this.#ssrc}`,
      `! udpsink host=127.0.0.1 port=${this.opusRelay.address().port} sync=false async=false`,
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

  /** Join the meeting's mixer: this phone hears every heard site but itself. */
  async #hear(): Promise<void> {
    const listener: MixListener = {
      producerId: () => this.producer?.id ?? null,
      onMix: (pcm) => {
        if (!this.#closed) this.opts.onMix(pcm);
      },
      onExit: (code) => {
        this.stderr = `meeting mixer exited: ${this.#mixer?.stderr ?? ''}`;
        if (!this.#closed) this.opts.onExit?.(code);
      },
    };
    this.#listener = listener;
    this.#mixer = await MeetingMixer.join(this.opts.room, listener, this.opts.gstPath);
    if (this.#closed) this.#mixer.leave(listener);
  }

  /** The meeting's decoder process (the bench counts it once per meeting). */
  get mixerPid(): number | undefined {
    return this.#mixer?.pid;
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
