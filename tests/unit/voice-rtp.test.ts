import { describe, expect, it } from 'vitest';
import {
  aLawDecode,
  aLawEncode,
  audioLevel,
  buildRtp,
  DtmfDetector,
  infoDigit,
  muLawDecode,
  muLawEncode,
  parseRtp,
  telephoneEventPayload,
  withAudioLevel,
} from '../../server/voice/rtp.ts';

describe('G.711', () => {
  it.each([0, 1, -1, 100, -100, 1000, -1000, 8000, -8000, 32000, -32000])('μ-law and A-law keep %i within the law’s step', (s) => {
    const step = Math.max(16, Math.abs(s) / 16);
    expect(Math.abs(muLawDecode(muLawEncode(s)) - s)).toBeLessThanOrEqual(step);
    expect(Math.abs(aLawDecode(aLawEncode(s)) - s)).toBeLessThanOrEqual(step);
  });
  it('silence bytes decode to (near) zero', () => {
    expect(Math.abs(muLawDecode(0xff))).toBeLessThanOrEqual(8);
    expect(Math.abs(aLawDecode(0xd5))).toBeLessThanOrEqual(8);
  });
  it('audio level: full-scale square is 0, silence is 127, -20 dBov is 20', () => {
    expect(audioLevel(new Int16Array(160).fill(32767))).toBe(0);
    expect(audioLevel(new Int16Array(160))).toBe(127);
    expect(audioLevel(new Int16Array(160).fill(3277))).toBe(20);
  });
});

describe('RTP', () => {
  it('round-trips a packet and inserts the audio-level extension where parsers skip it', () => {
    const pkt = { payloadType: 100, marker: true, sequence: 65535, timestamp: 0xfffffff0, ssrc: 1234, payload: Buffer.from([1, 2, 3]) };
    const buf = withAudioLevel(buildRtp(pkt), 1, 30, true);
    expect(buf[0] & 0x10).toBe(0x10);
    expect(buf.subarray(16, 18)).toEqual(Buffer.from([0x10, 0x80 | 30]));
    expect(parseRtp(buf)).toEqual(pkt);
  });
  it('rejects what is not RTP', () => {
    expect(parseRtp(Buffer.from([0, 0, 0]))).toBeNull();
    expect(parseRtp(Buffer.alloc(12))).toBeNull(); // version 0
    const bad = buildRtp({ payloadType: 0, marker: false, sequence: 1, timestamp: 1, ssrc: 1, payload: Buffer.alloc(0) });
    bad[0] |= 0x10; // extension announced, missing
    expect(parseRtp(bad)).toBeNull();
  });
});

describe('DTMF', () => {
  it('counts one press per RFC 4733 event, however often it is repeated', () => {
    const d = new DtmfDetector();
    const pkt = (ts: number, key: string, end: boolean) => ({ payloadType: 101, marker: false, sequence: 0, timestamp: ts, ssrc: 1, payload: telephoneEventPayload(key, end, 800) });
    const keys = [pkt(160, '1', false), pkt(160, '1', false), pkt(160, '1', true), pkt(160, '1', true), pkt(960, '#', false), pkt(960, '#', true)].map((p) => d.push(p));
    expect(keys.filter(Boolean)).toEqual(['1', '#']);
  });
  it('counts a replayed press of the same key with the same timestamp again once the first ended', () => {
    const d = new DtmfDetector();
    const pkt = (end: boolean) => ({ payloadType: 101, marker: false, sequence: 0, timestamp: 13280, ssrc: 1, payload: telephoneEventPayload('1', end, 800) });
    const keys = [pkt(false), pkt(false), pkt(true), pkt(true), pkt(false), pkt(true), pkt(true)].map((p) => d.push(p));
    expect(keys.filter(Boolean)).toEqual(['1', '1']);
  });
  it.each([
    ['application/dtmf-relay', 'Signal=5\r\nDuration=160\r\n', '5'],
    ['application/dtmf-relay', 'Signal= #\r\n', '#'],
    ['application/dtmf', '11', '#'],
    ['application/dtmf', '7', '7'],
    ['application/dtmf-relay', 'Signal=X', null],
    ['text/plain', 'Signal=5', null],
  ])('INFO %s %j → %s', (ct, body, key) => {
    expect(infoDigit(ct, body)).toBe(key);
  });
});
