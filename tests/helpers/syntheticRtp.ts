/**
 * Synthetic sites for a real mediasoup worker (integration tests, the region bench): RTP built by hand in
 * Node and sent to a PlainTransport — Opus with the ssrc-audio-level header extension (what a browser sends,
 * so the AudioLevelObserver ranks it) and VP8 in three simulcast layers that answer PLI with a keyframe.
 */
import dgram from 'node:dgram';
import type { types } from 'mediasoup';

export const AUDIO_LEVEL_URI = 'urn:ietf:params:rtp-hdrext:ssrc-audio-level';
const AUDIO_LEVEL_EXT_ID = 1;

export function opusParameters(ssrc: number): types.RtpParameters {
  return {
    codecs: [{ mimeType: 'audio/opus', payloadType: 100, clockRate: 48000, channels: 2, parameters: {}, rtcpFeedback: [] }],
    headerExtensions: [{ uri: AUDIO_LEVEL_URI, id: AUDIO_LEVEL_EXT_ID }],
    encodings: [{ ssrc }],
    rtcp: { cname: `s${ssrc}` },
  };
}

/** Three simulcast layers (180p / 360p / 720p), one SSRC each, with PLI so a new receiver gets a keyframe. */
export function vp8SimulcastParameters(ssrcs: [number, number, number]): types.RtpParameters {
  return {
    codecs: [{ mimeType: 'video/VP8', payloadType: 101, clockRate: 90000, parameters: {}, rtcpFeedback: [{ type: 'nack', parameter: 'pli' }, { type: 'ccm', parameter: 'fir' }] }],
    headerExtensions: [],
    encodings: ssrcs.map((ssrc, i) => ({ ssrc, scalabilityMode: 'L1T1', maxBitrate: [150_000, 500_000, 1_500_000][i] })),
    rtcp: { cname: `v${ssrcs[0]}` },
  };
}

function rtpHeader(pt: number, seq: number, ts: number, ssrc: number, marker: boolean, ext?: Buffer): Buffer {
  const h = Buffer.alloc(12);
  h[0] = 0x80 | (ext ? 0x10 : 0);
  h[1] = (marker ? 0x80 : 0) | pt;
  h.writeUInt16BE(seq & 0xffff, 2);
  h.writeUInt32BE(ts >>> 0, 4);
  h.writeUInt32BE(ssrc >>> 0, 8);
  return ext ? Buffer.concat([h, ext]) : h;
}

/** An Opus packet whose ssrc-audio-level says `dBov` (0 loud … -127 silence). */
export function opusPacket(ssrc: number, seq: number, dBov: number): Buffer {
  const ext = Buffer.from([0xbe, 0xde, 0x00, 0x01, (AUDIO_LEVEL_EXT_ID << 4) | 0, 0x80 | Math.min(127, Math.max(0, -dBov)), 0, 0]);
  return Buffer.concat([rtpHeader(100, seq, seq * 960, ssrc, false, ext), Buffer.alloc(60, 0xf8)]);
}

/**
 * One VP8 packet (a frame per packet): the payload descriptor with a picture id, then a VP8 payload header
 * whose P bit says keyframe or not (mediasoup reads both to switch layers on keyframes).
 */
export function vp8Packet(ssrc: number, seq: number, pictureId: number, keyframe: boolean, size: number): Buffer {
  const desc = Buffer.from([0x90, 0x80, 0x80 | ((pictureId >> 8) & 0x7f), pictureId & 0xff]); // X, S; I; 15-bit picture id
  const vp8 = Buffer.alloc(Math.max(10, size));
  vp8[0] = keyframe ? 0x10 : 0x11; // P = 0: keyframe; show_frame
  if (keyframe) vp8.set([0x9d, 0x01, 0x2a], 3); // keyframe start code
  return Buffer.concat([rtpHeader(101, seq, pictureId * 3000, ssrc, true, undefined), desc, vp8]);
}

export function isVp8Keyframe(rtp: Buffer): boolean {
  const cc = rtp[0]! & 0x0f;
  let off = 12 + cc * 4;
  if (rtp[0]! & 0x10) off += 4 + rtp.readUInt16BE(off + 2) * 4;
  const b0 = rtp[off]!;
  let p = off + 1;
  if (b0 & 0x80) {
    const x = rtp[p++]!;
    if (x & 0x80) p += rtp[p]! & 0x80 ? 2 : 1;
    if (x & 0x40) p++;
    if (x & 0x30) p++;
  }
  return (b0 & 0x10) !== 0 && (rtp[p]! & 0x01) === 0;
}

export const ssrcOf = (rtp: Buffer) => rtp.readUInt32BE(8);

/** A UDP socket on loopback that counts what arrives by SSRC (a receiving site). */
export class RtpSink {
  readonly packets = new Map<number, number>();
  onPacket: (rtp: Buffer) => void = () => undefined;
  private constructor(readonly socket: dgram.Socket) {
    socket.on('message', (msg) => {
      if (msg.length < 12 || (msg[1]! >= 200 && msg[1]! <= 206)) return; // RTCP (rtcp-mux)
      const ssrc = ssrcOf(msg);
      this.packets.set(ssrc, (this.packets.get(ssrc) ?? 0) + 1);
      this.onPacket(msg);
    });
  }
  static async open(): Promise<RtpSink> {
    const socket = dgram.createSocket('udp4');
    await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', resolve));
    return new RtpSink(socket);
  }
  get port(): number {
    return this.socket.address().port;
  }
  count(ssrc: number | undefined): number {
    return ssrc === undefined ? 0 : (this.packets.get(ssrc) ?? 0);
  }
  close(): void {
    this.socket.close();
  }
}

/** Sends to a PlainTransport (comedia: the worker learns our address from the first packet). */
export class RtpSender {
  private constructor(
    readonly socket: dgram.Socket,
    readonly port: number,
  ) {}
  /** To a transport, or to its port (a process without the mediasoup objects: the region bench's sites). */
  static async open(transport: types.PlainTransport | number): Promise<RtpSender> {
    const socket = dgram.createSocket('udp4');
    await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', resolve));
    return new RtpSender(socket, typeof transport === 'number' ? transport : transport.tuple.localPort);
  }
  send(packet: Buffer): void {
    this.socket.send(packet, this.port, '127.0.0.1');
  }
  /** RTCP from the worker (PLI/FIR): a keyframe request. */
  onRtcp(fn: (rtcp: Buffer) => void): void {
    this.socket.on('message', (msg) => {
      if (msg.length >= 8 && msg[1]! >= 192 && msg[1]! <= 223) fn(msg);
    });
  }
  close(): void {
    this.socket.close();
  }
}

/** A receiver's PLI (PSFB, FMT 1) for `mediaSsrc`. */
export function pliPacket(mediaSsrc: number): Buffer {
  const b = Buffer.alloc(12);
  b[0] = 0x81; // V=2, FMT=1
  b[1] = 206;
  b.writeUInt16BE(2, 2); // length in 32-bit words minus one
  b.writeUInt32BE(1, 4); // sender SSRC
  b.writeUInt32BE(mediaSsrc >>> 0, 8);
  return b;
}

/** PSFB (206) with FMT 1 (PLI) or 4 (FIR), or RTPFB… anywhere in a compound RTCP packet: the media SSRC asked for. */
export function keyframeRequests(rtcp: Buffer): number[] {
  const out: number[] = [];
  let off = 0;
  while (off + 4 <= rtcp.length) {
    const fmt = rtcp[off]! & 0x1f;
    const pt = rtcp[off + 1]!;
    const len = (rtcp.readUInt16BE(off + 2) + 1) * 4;
    if (pt === 206 && fmt === 1 && off + 12 <= rtcp.length) out.push(rtcp.readUInt32BE(off + 8));
    if (pt === 206 && fmt === 4 && off + 16 <= rtcp.length) out.push(rtcp.readUInt32BE(off + 12));
    off += len;
  }
  return out;
}
