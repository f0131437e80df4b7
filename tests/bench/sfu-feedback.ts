/**
 * Transport-cc feedback from bench:sfu's plain receivers, as a browser sends it: every 100 ms one RTCP
 * transport-wide feedback message (RTPFB FMT 15, draft-holmer-rmcat-transport-wide-cc-extensions-01) with the
 * arrival time of every packet since the last one, protected as SRTCP (AES_CM_128_HMAC_SHA1_80, RFC 3711, or
 * AEAD_AES_256_GCM / AEAD_AES_128_GCM, RFC 7714) with the key the bench gave the SFU's PlainTransport in connect(). Without it the SFU's transport-cc send history
 * is never acknowledged and holds every packet of the last 60 s per receiver (libwebrtc's SendTimeHistory), a
 * working set no real receiver leaves behind; with it the SFU also pays for the feedback, as it does in use.
 *
 * The receivers read the transport-wide sequence number from the one-byte header extension (RFC 8285; SRTP
 * leaves the header in the clear) and take the arrival time when Node hands them the datagram.
 */
import { createCipheriv, createHmac } from 'node:crypto';
import type { Socket } from 'node:dgram';

export interface FeedbackConfig {
  /** Where the SFU's transport listens (rtcp-mux: RTP and RTCP on one port). */
  sfuIp: string;
  sfuPort: number;
  /** The consumer's transport-wide-cc header extension id and SSRC. */
  extId: number;
  mediaSsrc: number;
  /** The SRTP crypto suite and master key + salt (base64) given to the SFU's transport.connect(). */
  suite: SrtpSuite;
  keyBase64: string;
}

export type SrtpSuite = 'AES_CM_128_HMAC_SHA1_80' | 'AEAD_AES_256_GCM' | 'AEAD_AES_128_GCM';
/** Master key and salt lengths per suite (RFC 3711, RFC 7714 §12). */
export const SRTP_KEY_LENGTHS: Record<SrtpSuite, { key: number; salt: number }> = {
  AES_CM_128_HMAC_SHA1_80: { key: 16, salt: 14 },
  AEAD_AES_256_GCM: { key: 32, salt: 12 },
  AEAD_AES_128_GCM: { key: 16, salt: 12 },
};

/**
 * RFC 3711 §4.3.1 key derivation (AES-CM PRF, key derivation rate 0). An AEAD suite's 96-bit master salt is
 * zero-padded to 112 bits, as libsrtp does, so the label lands on the same byte.
 */
export function deriveKey(masterKey: Buffer, masterSalt: Buffer, label: number, length: number): Buffer {
  const iv = Buffer.alloc(16);
  masterSalt.copy(iv, 0);
  iv[7]! ^= label;
  return createCipheriv(`aes-${masterKey.length * 8}-ctr`, masterKey, iv).update(Buffer.alloc(length));
}

/** SRTCP protection of one compound packet, counting its own SRTCP index. */
export function srtcpProtector(suite: SrtpSuite, keyBase64: string): (rtcp: Buffer) => Buffer {
  const master = Buffer.from(keyBase64, 'base64');
  const sizes = SRTP_KEY_LENGTHS[suite];
  if (master.length !== sizes.key + sizes.salt) throw new Error(`${suite} needs a ${sizes.key + sizes.salt}-byte master key + salt`);
  const masterKey = master.subarray(0, sizes.key);
  const masterSalt = master.subarray(sizes.key);
  const encKey = deriveKey(masterKey, masterSalt, 0x03, sizes.key);
  const salt = deriveKey(masterKey, masterSalt, 0x05, sizes.salt);
  let index = 0;
  if (suite !== 'AES_CM_128_HMAC_SHA1_80') {
    // RFC 7714 §9: IV = salt XOR (00 00 || SSRC || 00 00 || index); AAD = the first 8 octets || E + index;
    // the packet is header || ciphertext || 16-octet tag || E + index.
    return (rtcp) => {
      index = (index + 1) & 0x7fffffff;
      const iv = Buffer.from(salt);
      iv.writeUInt32BE((iv.readUInt32BE(2) ^ rtcp.readUInt32BE(4)) >>> 0, 2);
      iv.writeUInt32BE((iv.readUInt32BE(8) ^ index) >>> 0, 8);
      const eIndex = Buffer.alloc(4);
      eIndex.writeUInt32BE((0x80000000 | index) >>> 0, 0);
      const gcm = createCipheriv(sizes.key === 32 ? 'aes-256-gcm' : 'aes-128-gcm', encKey, iv);
      gcm.setAAD(Buffer.concat([rtcp.subarray(0, 8), eIndex]));
      const body = Buffer.concat([gcm.update(rtcp.subarray(8)), gcm.final()]);
      return Buffer.concat([rtcp.subarray(0, 8), body, gcm.getAuthTag(), eIndex]);
    };
  }
  const authKey = deriveKey(masterKey, masterSalt, 0x04, 20);
  return (rtcp) => {
    index = (index + 1) & 0x7fffffff;
    const iv = Buffer.alloc(16);
    salt.copy(iv, 0);
    const ssrc = rtcp.readUInt32BE(4);
    iv.writeUInt32BE((iv.readUInt32BE(4) ^ ssrc) >>> 0, 4);
    iv.writeUInt32BE((iv.readUInt32BE(10) ^ index) >>> 0, 10);
    const body = createCipheriv('aes-128-ctr', encKey, iv).update(rtcp.subarray(8));
    const eIndex = Buffer.alloc(4);
    eIndex.writeUInt32BE((0x80000000 | index) >>> 0, 0);
    const authenticated = Buffer.concat([rtcp.subarray(0, 8), body, eIndex]);
    const tag = createHmac('sha1', authKey).update(authenticated).digest().subarray(0, 10);
    return Buffer.concat([authenticated, tag]);
  };
}

/** The transport-wide sequence number of an RTP packet, or undefined (RTCP, no such extension). */
export function transportSeq(packet: Buffer, extId: number): number | undefined {
  if (packet.length < 12 || packet[1]! >= 192 && packet[1]! <= 223) return undefined; // RTCP (RFC 5761)
  if (!(packet[0]! & 0x10)) return undefined;
  let off = 12 + 4 * (packet[0]! & 0x0f);
  if (packet.length < off + 4 || packet.readUInt16BE(off) !== 0xbede) return undefined;
  const end = off + 4 + 4 * packet.readUInt16BE(off + 2);
  off += 4;
  while (off < end && off < packet.length) {
    const b = packet[off]!;
    if (b === 0) { off++; continue; } // padding
    const id = b >> 4;
    const len = (b & 0x0f) + 1;
    if (id === 15) return undefined;
    if (id === extId && len === 2) return packet.readUInt16BE(off + 1);
    off += 1 + len;
  }
  return undefined;
}

const SENDER_SSRC = 0xfeedbacc;

/** One receiver's feedback: packets in with their arrival times, one RTCP message out per flush. */
export class TransportCcFeedback {
  private readonly protect: (rtcp: Buffer) => Buffer;
  private arrivals = new Map<number, number>(); // unwrapped sequence number → arrival, µs
  private nextBase: number | undefined; // the first sequence number the next message reports
  private lastUnwrapped: number | undefined;
  private fbCount = 0;

  constructor(readonly config: FeedbackConfig) {
    this.protect = srtcpProtector(config.suite, config.keyBase64);
  }

  onPacket(packet: Buffer, arrivalUs: number): void {
    const seq = transportSeq(packet, this.config.extId);
    if (seq === undefined) return;
    // Unwrap against the last one seen (the nearest of seq + k·65536).
    const last = this.lastUnwrapped;
    const unwrapped = last === undefined ? seq : last + ((((seq - last) % 65536) + 98304) % 65536) - 32768;
    if (last === undefined || unwrapped > last) this.lastUnwrapped = unwrapped;
    if (this.nextBase !== undefined && unwrapped < this.nextBase) return; // already reported as lost
    this.arrivals.set(unwrapped, arrivalUs);
  }

  /** The SRTCP-protected feedback for what arrived since the last call, or undefined if nothing did. */
  flush(): Buffer | undefined {
    if (!this.arrivals.size) return undefined;
    const seqs = [...this.arrivals.keys()].sort((a, b) => a - b);
    const base = this.nextBase ?? seqs[0]!;
    const last = Math.min(seqs[seqs.length - 1]!, base + 8190);
    const firstArrival = Math.min(...seqs.filter((s) => s <= last).map((s) => this.arrivals.get(s)!));
    const refTime = Math.floor(firstArrival / 64_000) & 0x7fffff;
    let prev = refTime * 64_000;
    const symbols: number[] = [];
    const deltas: number[] = [];
    for (let s = base; s <= last; s++) {
      const at = this.arrivals.get(s);
      if (at === undefined) { symbols.push(0); continue; }
      const delta = Math.max(-32768, Math.min(32767, Math.round((at - prev) / 250)));
      symbols.push(delta >= 0 && delta <= 255 ? 1 : 2);
      deltas.push(delta);
      prev += delta * 250;
    }
    const chunks: number[] = [];
    for (let i = 0; i < symbols.length;) {
      let run = 1;
      while (i + run < symbols.length && symbols[i + run] === symbols[i] && run < 8191) run++;
      chunks.push((symbols[i]! << 13) | run); // run-length chunk: T = 0, S, run length
      i += run;
    }
    const deltaBytes = deltas.reduce((n, d) => n + (d >= 0 && d <= 255 ? 1 : 2), 0);
    const fci = 8 + 2 * chunks.length + deltaBytes;
    const size = 12 + fci + ((4 - (fci % 4)) % 4);
    const p = Buffer.alloc(size);
    p[0] = 0x80 | 15; // V = 2, FMT = 15
    p[1] = 205; // RTPFB
    p.writeUInt16BE(size / 4 - 1, 2);
    p.writeUInt32BE(SENDER_SSRC, 4);
    p.writeUInt32BE(this.config.mediaSsrc >>> 0, 8);
    p.writeUInt16BE(base & 0xffff, 12);
    p.writeUInt16BE(symbols.length, 14);
    p.writeUIntBE(refTime, 16, 3);
    p[19] = this.fbCount++ & 0xff;
    let off = 20;
    for (const c of chunks) { p.writeUInt16BE(c, off); off += 2; }
    for (const d of deltas) {
      if (d >= 0 && d <= 255) p[off++] = d;
      else { p.writeInt16BE(d, off); off += 2; }
    }
    for (const s of seqs) if (s <= last) this.arrivals.delete(s);
    this.nextBase = last + 1;
    return this.protect(p);
  }
}

/** The feedback of a set of receiver sockets, flushed every 100 ms (libwebrtc's default feedback interval). */
export class FeedbackSenders {
  private readonly bySocket = new Map<Socket, TransportCcFeedback>();
  private readonly timer = setInterval(() => this.flushAll(), 100);

  constructor() { this.timer.unref(); }

  /** Start (or, with null, stop) sending feedback from this socket. */
  set(socket: Socket, config: FeedbackConfig | null): void {
    if (config) this.bySocket.set(socket, new TransportCcFeedback(config));
    else this.bySocket.delete(socket);
  }

  onPacket(socket: Socket, packet: Buffer): void {
    this.bySocket.get(socket)?.onPacket(packet, performance.now() * 1000);
  }

  private flushAll(): void {
    for (const [socket, fb] of this.bySocket) {
      const rtcp = fb.flush();
      if (rtcp) socket.send(rtcp, fb.config.sfuPort, fb.config.sfuIp);
    }
  }

  clear(): void { this.bySocket.clear(); }

  close(): void { clearInterval(this.timer); this.bySocket.clear(); }
}
