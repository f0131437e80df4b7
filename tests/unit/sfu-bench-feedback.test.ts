/**
 * bench:sfu's receivers answer the SFU with transport-cc feedback over SRTCP (tests/bench/sfu-feedback.ts).
 * Their figures mean something only if the SFU accepts that feedback, so the pieces are checked here: the key
 * derivation against RFC 3711's own test vectors, the SRTCP framing of both suite families, and the feedback
 * message against what the arrivals were.
 */
import { createDecipheriv } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { deriveKey, srtcpProtector, transportSeq, TransportCcFeedback } from '../bench/sfu-feedback.ts';

const hex = (h: string) => Buffer.from(h.replace(/\s/g, ''), 'hex');

describe('SRTP key derivation', () => {
  // RFC 3711 appendix B.3.
  const key = hex('E1F97A0D3E018BE0D64FA32C06DE4139');
  const salt = hex('0EC675AD498AFEEBB6960B3AABE6');
  it.each([
    [0x00, 16, 'C61E7A93744F39EE10734AFE3FF7A087'],
    [0x02, 14, '30CBBC08863D8C85D49DB34A9AE1'],
    [0x01, 20, 'CEBE321F6FF7716B6FD4AB49AF256A156D38BAA4'],
  ])('label %i gives the RFC\'s session key', (label, length, expected) => {
    expect(deriveKey(key, salt, label, length).toString('hex')).toBe(expected.toLowerCase());
  });
});

/** An RTCP RTPFB message with the given FCI, sender SSRC 0x11223344. */
function rtcp(fci: Buffer): Buffer {
  const head = Buffer.alloc(12);
  head[0] = 0x8f;
  head[1] = 205;
  head.writeUInt16BE((12 + fci.length) / 4 - 1, 2);
  head.writeUInt32BE(0x11223344, 4);
  head.writeUInt32BE(0x55667788, 8);
  return Buffer.concat([head, fci]);
}

describe('SRTCP framing', () => {
  const plain = rtcp(Buffer.alloc(12, 0xab));
  it('AES_CM_128_HMAC_SHA1_80: header in the clear, body encrypted, E flag + index 1, then a 10-byte tag', () => {
    const out = srtcpProtector('AES_CM_128_HMAC_SHA1_80', Buffer.alloc(30, 7).toString('base64'))(plain);
    expect(out.length).toBe(plain.length + 4 + 10);
    expect(out.subarray(0, 8)).toEqual(plain.subarray(0, 8));
    expect(out.subarray(8, plain.length)).not.toEqual(plain.subarray(8));
    expect(out.readUInt32BE(plain.length)).toBe(0x80000001);
  });

  it('AEAD_AES_256_GCM: decrypts back with the derived key and salt, the index counting up', () => {
    const master = Buffer.alloc(44);
    for (let i = 0; i < 44; i++) master[i] = i * 7;
    const protect = srtcpProtector('AEAD_AES_256_GCM', master.toString('base64'));
    protect(plain);
    const out = protect(plain);
    expect(out.length).toBe(plain.length + 16 + 4);
    const eIndex = out.subarray(out.length - 4);
    expect(eIndex.readUInt32BE(0)).toBe(0x80000002);
    const padded = Buffer.concat([master.subarray(32), Buffer.alloc(2)]);
    const encKey = deriveKey(master.subarray(0, 32), padded, 0x03, 32);
    const iv = deriveKey(master.subarray(0, 32), padded, 0x05, 12);
    iv.writeUInt32BE((iv.readUInt32BE(2) ^ 0x11223344) >>> 0, 2);
    iv.writeUInt32BE((iv.readUInt32BE(8) ^ 2) >>> 0, 8);
    const d = createDecipheriv('aes-256-gcm', encKey, iv);
    d.setAAD(Buffer.concat([out.subarray(0, 8), eIndex]));
    d.setAuthTag(out.subarray(out.length - 20, out.length - 4));
    const body = Buffer.concat([d.update(out.subarray(8, out.length - 20)), d.final()]);
    expect(body).toEqual(plain.subarray(8));
  });
});

/** An RTP packet with a one-byte header extension carrying the transport-wide sequence number under id 3. */
function rtp(seq: number, extId = 3): Buffer {
  const p = Buffer.alloc(12 + 8 + 20);
  p[0] = 0x90; // V = 2, X
  p[1] = 101;
  p.writeUInt16BE(0xbede, 12);
  p.writeUInt16BE(1, 14);
  p[16] = (extId << 4) | 1;
  p.writeUInt16BE(seq, 17);
  return p;
}

describe('transport-cc feedback', () => {
  it('reads the sequence number from the header extension, not from RTCP or other ids', () => {
    expect(transportSeq(rtp(4242), 3)).toBe(4242);
    expect(transportSeq(rtp(4242, 5), 3)).toBeUndefined();
    expect(transportSeq(rtcp(Buffer.alloc(4)), 3)).toBeUndefined();
  });

  /** The FCI of an unprotected feedback message (the suite's cipher is replaced by the identity). */
  function feedbackFor(arrivals: [number, number][]): Buffer {
    const fb = new TransportCcFeedback({ sfuIp: '127.0.0.1', sfuPort: 1, extId: 3, mediaSsrc: 9, suite: 'AES_CM_128_HMAC_SHA1_80', keyBase64: Buffer.alloc(30).toString('base64') });
    (fb as unknown as { protect: (b: Buffer) => Buffer }).protect = (b) => b;
    for (const [seq, us] of arrivals) fb.onPacket(rtp(seq), us);
    return fb.flush()!;
  }

  it('reports a gap as lost and every arrival as a 250 µs delta, across the sequence number wrap', () => {
    const base = 640_000; // µs: reference time 10 × 64 ms
    const p = feedbackFor([[65534, base + 1000], [65535, base + 6000], [1, base + 11_000]]);
    expect(p.readUInt16BE(12)).toBe(65534); // base sequence number
    expect(p.readUInt16BE(14)).toBe(4); // 65534, 65535, 0 (lost), 1
    expect(p.readUIntBE(16, 3)).toBe(10); // reference time, 64 ms units
    // Run-length chunks: two received with small deltas, one not received, one received.
    expect([p.readUInt16BE(20), p.readUInt16BE(22), p.readUInt16BE(24)]).toEqual([(1 << 13) | 2, (0 << 13) | 1, (1 << 13) | 1]);
    expect([...p.subarray(26, 29)]).toEqual([4, 20, 20]); // 1 ms, 5 ms, 5 ms
    expect(p.length % 4).toBe(0);
    expect((p.readUInt16BE(2) + 1) * 4).toBe(p.length);
  });

  it('uses a two-byte delta when a packet came more than 63.75 ms after the previous one', () => {
    const p = feedbackFor([[10, 0], [11, 100_000]]);
    expect([p.readUInt16BE(20), p.readUInt16BE(22)]).toEqual([(1 << 13) | 1, (2 << 13) | 1]);
    expect(p[24]).toBe(0);
    expect(p.readInt16BE(25)).toBe(400); // 100 ms
  });
});
