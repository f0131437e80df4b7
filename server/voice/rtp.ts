/**
 * RTP packets (RFC 3550), G.711 (PCMU/PCMA) samples, RFC 4733 telephone-events and the RFC 6464 audio-level
 * header extension — pure functions, no sockets.
 */

export interface RtpPacket {
  payloadType: number;
  marker: boolean;
  sequence: number;
  timestamp: number;
  ssrc: number;
  payload: Buffer;
}

/** Parse an RTP packet (header extensions and CSRCs skipped, padding removed); null if it is not one. */
export function parseRtp(buf: Buffer): RtpPacket | null {
  if (buf.length < 12 || buf[0] >> 6 !== 2) return null;
  const cc = buf[0] & 0x0f;
  let off = 12 + cc * 4;
  if (buf[0] & 0x10) {
    if (buf.length < off + 4) return null;
    off += 4 + buf.readUInt16BE(off + 2) * 4;
  }
  let end = buf.length;
  if (buf[0] & 0x20) end -= buf[buf.length - 1];
  if (off > end) return null;
  return { payloadType: buf[1] & 0x7f, marker: (buf[1] & 0x80) !== 0, sequence: buf.readUInt16BE(2), timestamp: buf.readUInt32BE(4), ssrc: buf.readUInt32BE(8), payload: buf.subarray(off, end) };
}

export function buildRtp(p: RtpPacket): Buffer {
  const h = Buffer.alloc(12);
  h[0] = 0x80;
  h[1] = (p.marker ? 0x80 : 0) | (p.payloadType & 0x7f);
  h.writeUInt16BE(p.sequence & 0xffff, 2);
  h.writeUInt32BE(p.timestamp >>> 0, 4);
  h.writeUInt32BE(p.ssrc >>> 0, 8);
  return Buffer.concat([h, p.payload]);
}

/**
 * Put a one-byte RFC 8285 header extension `id` carrying the RFC 6464 audio level (0 = loudest,
 * 127 = silence, V bit set when voice) into an RTP packet that has none; returns a new buffer.
 */
export function withAudioLevel(buf: Buffer, id: number, level: number, voice: boolean): Buffer {
  if (buf.length < 12 || buf[0] & 0x10) return buf;
  const cc = buf[0] & 0x0f;
  const head = buf.subarray(0, 12 + cc * 4);
  const ext = Buffer.from([0xbe, 0xde, 0x00, 0x01, (id << 4) | 0, (voice ? 0x80 : 0) | (level & 0x7f), 0, 0]);
  const out = Buffer.concat([head, ext, buf.subarray(12 + cc * 4)]);
  out[0] |= 0x10;
  return out;
}

// ---- G.711 ----------------------------------------------------------------------------------------

export function muLawDecode(u: number): number {
  u = ~u & 0xff;
  const t = (((u & 0x0f) << 3) + 0x84) << ((u & 0x70) >> 4);
  return u & 0x80 ? 0x84 - t : t - 0x84;
}

export function muLawEncode(sample: number): number {
  const BIAS = 0x84;
  let s = Math.max(-32635, Math.min(32635, Math.round(sample)));
  const sign = s < 0 ? 0x80 : 0;
  if (s < 0) s = -s;
  s += BIAS;
  let exp = 7;
  for (let mask = 0x4000; (s & mask) === 0 && exp > 0; mask >>= 1) exp--;
  const mant = (s >> (exp + 3)) & 0x0f;
  return ~(sign | (exp << 4) | mant) & 0xff;
}

export function aLawDecode(a: number): number {
  a ^= 0x55;
  let t = (a & 0x0f) << 4;
  const seg = (a & 0x70) >> 4;
  if (seg === 0) t += 8;
  else if (seg === 1) t += 0x108;
  else t = (t + 0x108) << (seg - 1);
  return a & 0x80 ? t : -t;
}

export function aLawEncode(sample: number): number {
  let s = Math.max(-32767, Math.min(32767, Math.round(sample)));
  const sign = s >= 0 ? 0x80 : 0;
  if (s < 0) s = -s - 1;
  let seg = 0;
  for (let v = s >> 8; v > 0 && seg < 7; v >>= 1) seg++;
  const mant = seg === 0 ? (s >> 4) & 0x0f : (s >> (seg + 3)) & 0x0f;
  return ((sign | (seg << 4) | mant) ^ 0x55) & 0xff;
}

export type G711 = 'PCMU' | 'PCMA';

export function decodeG711(codec: G711, payload: Buffer): Int16Array {
  const out = new Int16Array(payload.length);
  const dec = codec === 'PCMU' ? muLawDecode : aLawDecode;
  for (let i = 0; i < payload.length; i++) out[i] = dec(payload[i]);
  return out;
}

export function encodeG711(codec: G711, pcm: Int16Array): Buffer {
  const out = Buffer.alloc(pcm.length);
  const enc = codec === 'PCMU' ? muLawEncode : aLawEncode;
  for (let i = 0; i < pcm.length; i++) out[i] = enc(pcm[i]);
  return out;
}

/** G.711 silence byte of each law. */
export const SILENCE: Record<G711, number> = { PCMU: 0xff, PCMA: 0xd5 };

/** RFC 6464 level of PCM samples: -dBov, 0 (full scale) … 127 (digital silence). */
export function audioLevel(pcm: Int16Array): number {
  if (pcm.length === 0) return 127;
  let sum = 0;
  for (const s of pcm) sum += s * s;
  const rms = Math.sqrt(sum / pcm.length) / 32768;
  if (rms <= 0) return 127;
  return Math.max(0, Math.min(127, Math.round(-20 * Math.log10(rms))));
}

// ---- RFC 4733 ---------------------------------------------------------------------------------------

const EVENT_KEYS = '0123456789*#ABCD';

export interface TelephoneEvent {
  key: string;
  end: boolean;
  duration: number;
}

/** A DTMF telephone-event payload (events 0–15 only; other events are ignored). */
export function parseTelephoneEvent(payload: Buffer): TelephoneEvent | null {
  if (payload.length < 4) return null;
  const event = payload[0];
  if (event > 15) return null;
  return { key: EVENT_KEYS[event], end: (payload[1] & 0x80) !== 0, duration: payload.readUInt16BE(2) };
}

export function telephoneEventPayload(key: string, end: boolean, duration: number): Buffer {
  const b = Buffer.alloc(4);
  b[0] = EVENT_KEYS.indexOf(key);
  b[1] = (end ? 0x80 : 0) | 10;
  b.writeUInt16BE(duration & 0xffff, 2);
  return b;
}

/**
 * One key press per event: an RFC 4733 sender repeats the same event (same RTP timestamp) several times
 * and its end packet three times; a new timestamp is a new press, and so is a fresh start after an end
 * with the same timestamp (replayed recordings of one key reuse it).
 */
export class DtmfDetector {
  #lastTimestamp: number | null = null;
  #ended = false;

  push(pkt: RtpPacket): string | null {
    const ev = parseTelephoneEvent(pkt.payload);
    if (!ev) return null;
    const fresh = pkt.timestamp !== this.#lastTimestamp || (this.#ended && !ev.end);
    this.#lastTimestamp = pkt.timestamp;
    this.#ended = ev.end;
    return fresh ? ev.key : null;
  }
}

/** SIP INFO DTMF bodies: application/dtmf-relay (`Signal=5`) or application/dtmf (`5`). */
export function infoDigit(contentType: string, body: string): string | null {
  const ct = contentType.toLowerCase().split(';')[0].trim();
  if (ct === 'application/dtmf-relay') {
    const m = /^\s*signal\s*=\s*([0-9*#A-D])\s*$/im.exec(body);
    return m ? m[1].toUpperCase() : null;
  }
  if (ct === 'application/dtmf') {
    const m = /^\s*([0-9*#A-D]|1[0-5])\s*$/i.exec(body);
    if (!m) return null;
    return /^\d\d$/.test(m[1]) ? EVENT_KEYS[Number(m[1])] : m[1].toUpperCase();
  }
  return null;
}
