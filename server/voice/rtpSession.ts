/**
 * The RTP socket of one call: packets only from the address the phone's SDP named; RFC 4733 keys out;
 * and toward the phone one G.711 packet every 20 ms (a prompt, else the meeting's mix, else silence),
 * paced on the monotonic clock so packets stay steady however the mix arrives (up to 120 ms buffered).
 */
import dgram from 'node:dgram';
import { EventEmitter } from 'node:events';
import { audioLevel, buildRtp, decodeG711, DtmfDetector, parseRtp, SILENCE, type G711 } from './rtp.ts';

const FRAME = 160; // 20 ms at 8 kHz
const MAX_MIX_BUFFER = FRAME * 6;

interface RtpSessionEvents {
  key: [key: string];
  /** A G.711 packet from the phone, with its RFC 6464 level. */
  audio: [packet: Buffer, level: number];
}

export class RtpSession extends EventEmitter<RtpSessionEvents> {
  readonly #dtmf = new DtmfDetector();
  #remote: { address: string; port: number } | null = null;
  #timer: ReturnType<typeof setTimeout> | null = null;
  #prompt: { data: Buffer; at: number; done: () => void } | null = null;
  #mix = Buffer.alloc(0);
  #seq = Math.floor(Math.random() * 0xffff);
  #ts = Math.floor(Math.random() * 0xffffffff);
  readonly #ssrc = (Math.random() * 0xffffffff) >>> 0;
  /** Counters for tests and the bench. */
  readonly stats = { sent: 0, received: 0, rejected: 0 };

  private constructor(
    readonly socket: dgram.Socket,
    public law: G711,
    public dtmfPayloadType: number | null,
  ) {
    super();
    socket.on('message', (buf, rinfo) => this.#onPacket(buf, rinfo));
  }

  static async open(host: string, law: G711, dtmfPayloadType: number | null): Promise<RtpSession> {
    const socket = dgram.createSocket('udp4');
    await new Promise<void>((resolve, reject) => {
      socket.once('error', reject);
      socket.bind(0, host, () => resolve());
    });
    socket.on('error', () => undefined);
    return new RtpSession(socket, law, dtmfPayloadType);
  }

  get port(): number {
    return this.socket.address().port;
  }

  /** Dial-out: the codec and key payload type are known only from the callee's answer. */
  negotiate(law: G711, dtmfPayloadType: number | null): void {
    this.law = law;
    this.dtmfPayloadType = dtmfPayloadType;
  }

  /** Where the phone's SDP says it sends from and listens: the only address we accept RTP from. */
  setRemote(remote: { address: string; port: number }): void {
    this.#remote = remote;
  }

  /** Start sending to the phone (after its ACK). */
  start(): void {
    if (this.#timer || !this.#remote) return;
    let t0 = performance.now();
    let n = 0;
    const tick = () => {
      const late = performance.now() - (t0 + n * 20);
      if (late > 100) {
        // The event loop stalled: skip the missed frames (the RTP clock moves on) rather than burst them.
        const missed = Math.floor(late / 20);
        this.#ts = (this.#ts + missed * FRAME) >>> 0;
        t0 += missed * 20;
      }
      this.#sendFrame();
      n++;
      this.#timer = setTimeout(tick, Math.max(0, t0 + n * 20 - performance.now()));
    };
    tick();
  }

  /** Play a prompt (raw G.711 of this call's law); resolves when it has been sent (or was cut off). */
  play(data: Buffer): Promise<void> {
    this.#prompt?.done();
    return new Promise((resolve) => (this.#prompt = { data, at: 0, done: resolve }));
  }

  /** A prompt is being sent now. */
  get playing(): boolean {
    return this.#prompt !== null;
  }

  stopPrompt(): void {
    this.#prompt?.done();
    this.#prompt = null;
  }

  /** The meeting's mix, as it comes. */
  pushMix(g711: Buffer): void {
    this.#mix = Buffer.concat([this.#mix, g711]);
    if (this.#mix.length > MAX_MIX_BUFFER) this.#mix = this.#mix.subarray(this.#mix.length - MAX_MIX_BUFFER);
  }

  close(): void {
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = null;
    this.stopPrompt();
    this.socket.close();
  }

  #sendFrame(): void {
    if (!this.#remote) return;
    let frame: Buffer;
    if (this.#prompt) {
      const p = this.#prompt;
      frame = Buffer.alloc(FRAME, SILENCE[this.law]);
      p.data.copy(frame, 0, p.at, p.at + FRAME);
      p.at += FRAME;
      if (p.at >= p.data.length) {
        this.#prompt = null;
        p.done();
      }
      this.#mix = Buffer.alloc(0); // the meeting is not heard over a prompt
    } else if (this.#mix.length >= FRAME) {
      frame = this.#mix.subarray(0, FRAME);
      this.#mix = this.#mix.subarray(FRAME);
    } else frame = Buffer.alloc(FRAME, SILENCE[this.law]);
    const pkt = buildRtp({ payloadType: this.law === 'PCMU' ? 0 : 8, marker: this.stats.sent === 0, sequence: this.#seq, timestamp: this.#ts, ssrc: this.#ssrc, payload: frame });
    this.#seq = (this.#seq + 1) & 0xffff;
    this.#ts = (this.#ts + FRAME) >>> 0;
    this.stats.sent++;
    this.socket.send(pkt, this.#remote.port, this.#remote.address);
  }

  #onPacket(buf: Buffer, rinfo: dgram.RemoteInfo): void {
    // Only the negotiated address: RTP from anywhere else is dropped (no injection into the meeting).
    if (!this.#remote || rinfo.address !== this.#remote.address || rinfo.port !== this.#remote.port) {
      this.stats.rejected++;
      return;
    }
    const pkt = parseRtp(buf);
    if (!pkt) return;
    this.stats.received++;
    if (this.dtmfPayloadType !== null && pkt.payloadType === this.dtmfPayloadType) {
      const key = this.#dtmf.push(pkt);
      if (key) this.emit('key', key);
      return;
    }
    if (pkt.payloadType !== (this.law === 'PCMU' ? 0 : 8)) return;
    this.emit('audio', buf, audioLevel(decodeG711(this.law, pkt.payload)));
  }
}
