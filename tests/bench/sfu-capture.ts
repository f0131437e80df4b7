/**
 * The bench's 720p VP8 "camera": a capture encoded once by ffmpeg from a noisy test pattern (so the encoder
 * really spends ~1.5 Mb/s, like a camera does), cached in the temp dir, then packetized the way Chrome does
 * (RFC 7741 descriptor with a 15-bit PictureID, ≤ 1200-byte payloads, abs-send-time and transport-wide-cc
 * header extensions) and sent with Chrome-like pacing: frames every 1/30 s, their packets drained in 5 ms
 * bursts at 2.5 × the target bitrate.
 */
import { execFileSync } from 'node:child_process';
import dgram from 'node:dgram';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export const FPS = 30;
export const TARGET_KBPS = 1500;
const SECONDS = 12;
const GOP = 4 * FPS; // a keyframe every 4 s: new consumers start forwarding within one GOP
const MAX_PAYLOAD = 1200;
export const PAYLOAD_TYPE = 96;
export const EXT_ABS_SEND_TIME = 2;
export const EXT_TRANSPORT_CC = 3;

/** Encodes the capture with ffmpeg (first run only, ~10–30 s) and returns its VP8 frames. */
export function loadCapture(): Buffer[] {
  const dir = path.join(os.tmpdir(), 'threelevel-bench');
  const file = path.join(dir, `vp8-720p-${TARGET_KBPS}k-${SECONDS}s-g${GOP}.ivf`);
  if (!fs.existsSync(file)) {
    fs.mkdirSync(dir, { recursive: true });
    const tmp = `${file}.${process.pid}.tmp`;
    execFileSync('ffmpeg', [
      '-hide_banner', '-loglevel', 'error', '-y',
      '-f', 'lavfi', '-i', `testsrc2=size=1280x720:rate=${FPS},noise=alls=12:allf=t`,
      '-t', String(SECONDS), '-c:v', 'libvpx', '-deadline', 'realtime', '-cpu-used', '8',
      '-b:v', `${TARGET_KBPS}k`, '-minrate', `${TARGET_KBPS}k`, '-maxrate', `${TARGET_KBPS}k`, '-bufsize', `${TARGET_KBPS}k`,
      '-g', String(GOP), '-keyint_min', String(GOP), '-auto-alt-ref', '0', '-lag-in-frames', '0', '-error-resilient', '1',
      '-f', 'ivf', tmp,
    ], { stdio: ['ignore', 'ignore', 'inherit'] });
    fs.renameSync(tmp, file);
  }
  return parseIvf(fs.readFileSync(file));
}

/** IVF: 32-byte file header, then per frame a 12-byte header (LE size, LE pts) and the frame. */
export function parseIvf(buf: Buffer): Buffer[] {
  if (buf.toString('latin1', 0, 4) !== 'DKIF') throw new Error('not an IVF file');
  const frames: Buffer[] = [];
  for (let at = buf.readUInt16LE(6); at + 12 <= buf.length; ) {
    const size = buf.readUInt32LE(at);
    frames.push(buf.subarray(at + 12, at + 12 + size));
    at += 12 + size;
  }
  return frames;
}

/** One frame cut into RTP packets with a Chrome-like VP8 payload descriptor (X, I, M=15-bit PictureID, S). */
export function packetize(frame: Buffer, opts: { ssrc: number; seq: number; timestamp: number; pictureId: number; tccSeq: number }) {
  const packets: Buffer[] = [];
  const count = Math.ceil(frame.length / MAX_PAYLOAD);
  const chunk = Math.ceil(frame.length / count); // equal-sized packets, as libwebrtc's VP8 packetizer aims for
  for (let i = 0; i < count; i++) {
    const body = frame.subarray(i * chunk, Math.min(frame.length, (i + 1) * chunk));
    const pkt = Buffer.alloc(12 + 12 + 4 + body.length);
    pkt[0] = 0x90; // V=2, X=1
    pkt[1] = (i === count - 1 ? 0x80 : 0) | PAYLOAD_TYPE;
    pkt.writeUInt16BE((opts.seq + i) & 0xffff, 2);
    pkt.writeUInt32BE(opts.timestamp >>> 0, 4);
    pkt.writeUInt32BE(opts.ssrc >>> 0, 8);
    // One-byte header extensions (RFC 8285): abs-send-time (3 B) and transport-wide-cc (2 B), padded to 8 B.
    pkt.writeUInt16BE(0xbede, 12);
    pkt.writeUInt16BE(2, 14);
    pkt[16] = (EXT_ABS_SEND_TIME << 4) | 2;
    const ast = Math.round((performance.now() / 1000) * (1 << 18)) & 0xffffff;
    pkt.writeUIntBE(ast, 17, 3);
    pkt[20] = (EXT_TRANSPORT_CC << 4) | 1;
    pkt.writeUInt16BE((opts.tccSeq + i) & 0xffff, 21);
    // VP8 payload descriptor.
    pkt[24] = 0x80 | (i === 0 ? 0x10 : 0);
    pkt[25] = 0x80;
    pkt.writeUInt16BE(0x8000 | (opts.pictureId & 0x7fff), 26);
    body.copy(pkt, 28);
    packets.push(pkt);
  }
  return packets;
}

/** Replays the capture in a loop to one UDP destination at a time, paced like Chrome. */
export class PacedSender {
  readonly socket = dgram.createSocket('udp4');
  sent = 0;
  sentBytes = 0;
  private target: { port: number; ssrc: number } | undefined;
  /** More destinations that get every packet too (sfu-idle.ts's side-by-side media windows). */
  private copies: number[] = [];
  private queue: Buffer[] = [];
  private frame = 0;
  private seq = 1;
  private tccSeq = 1;
  /** Each destination's sequence numbers, kept while the stream is elsewhere (see sendTo). */
  private seqs = new Map<number, { seq: number; tccSeq: number }>();
  private started = performance.now();
  private timer: NodeJS.Timeout | undefined;
  private lastTick = 0;
  private budget = 0;

  constructor(private readonly frames: Buffer[]) {
    this.socket.on('message', () => {}); // RTCP (PLI, transport-cc feedback) from the SFU: not acted upon
  }

  async bind(): Promise<void> {
    await new Promise<void>((resolve) => this.socket.bind(0, '127.0.0.1', resolve));
  }

  /** Packets per second of the capture (what one stream costs the SFU per receiver). */
  get packetRate(): number {
    const total = this.frames.reduce((n, f) => n + Math.ceil(f.length / MAX_PAYLOAD), 0);
    return (total / this.frames.length) * FPS;
  }

  /** Starts (or moves) the stream; the capture restarts at its first keyframe. */
  sendTo(port: number, ssrc: number): void {
    // Each SFU sees one continuous stream: resuming the sequence numbers where its last phase stopped (not
    // where the other SFUs' phases took them) keeps the jump a few packets, not thousands.
    if (this.target) this.seqs.set(this.target.port, { seq: this.seq, tccSeq: this.tccSeq });
    const resume = this.seqs.get(port);
    if (resume) ({ seq: this.seq, tccSeq: this.tccSeq } = resume);
    this.target = { port, ssrc };
    this.queue = [];
    this.frame = 0;
    this.started = performance.now();
    if (this.timer) return;
    this.lastTick = performance.now();
    this.timer = setInterval(() => this.tick(), 5);
  }

  /** Also sends every packet to these ports (SFUs that take the same SSRC), until stop(). */
  copyTo(ports: number[]): void {
    this.copies = ports;
  }

  stop(): void {
    this.copies = [];
    if (this.target) this.seqs.set(this.target.port, { seq: this.seq, tccSeq: this.tccSeq });
    clearInterval(this.timer);
    this.timer = undefined;
    this.target = undefined;
  }

  private tick(): void {
    if (!this.target) return;
    // Pacing budget: 2.5 × the target bitrate, accrued by elapsed time (a late timer on a loaded machine gets
    // more), capped at 10 ms worth, as libwebrtc's pacer does.
    const now = performance.now();
    const bytesPerMs = (TARGET_KBPS * 2.5) / 8;
    this.budget = Math.min(this.budget + (now - this.lastTick) * bytesPerMs, 10 * bytesPerMs);
    this.lastTick = now;
    const due = Math.floor(((performance.now() - this.started) / 1000) * FPS);
    for (; this.frame <= due; this.frame++) {
      const data = this.frames[this.frame % this.frames.length]!;
      const pkts = packetize(data, {
        ssrc: this.target.ssrc, seq: this.seq, timestamp: this.frame * (90000 / FPS), pictureId: this.frame, tccSeq: this.tccSeq,
      });
      this.seq += pkts.length;
      this.tccSeq += pkts.length;
      this.queue.push(...pkts);
    }
    while (this.queue.length && this.budget > 0) {
      const pkt = this.queue.shift()!;
      this.budget -= pkt.length;
      this.socket.send(pkt, this.target.port, '127.0.0.1');
      for (const port of this.copies) this.socket.send(pkt, port, '127.0.0.1');
      this.sent++;
      this.sentBytes += pkt.length;
    }
  }
}
