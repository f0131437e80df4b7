import { describe, expect, it } from 'vitest';
import {
  errorResponseFor,
  frameLength,
  header,
  headers,
  MAX_SIP_BYTES,
  parseNameAddr,
  parseSip,
  parseUri,
  parseVia,
  responseTo,
  serialize,
  SipParseError,
  type SipRequest,
} from '../../server/voice/sipMessage.ts';
import { parseAudioOffer, SdpError, writeAudioAnswer, writeAudioOffer } from '../../server/voice/sdp.ts';

const crlf = (lines: string[], body = '') => `${lines.join('\r\n')}\r\n\r\n${body}`;
const INVITE_HEAD = [
  'INVITE sip:100001@10.0.0.1 SIP/2.0',
  'Via: SIP/2.0/UDP 10.0.0.2:5061;branch=z9hG4bK776asdhds;rport',
  'Max-Forwards: 70',
  'To: <sip:100001@10.0.0.1>',
  'From: "Duty 值班" <sip:07715550100@10.0.0.2>;tag=1928301774',
  'Call-ID: a84b4c76e66710@pc33',
  'CSeq: 314159 INVITE',
  'Contact: <sip:07715550100@10.0.0.2:5061>',
  'Content-Type: application/sdp',
];
const SDP = ['v=0', 'o=user1 53655765 2353687637 IN IP4 10.0.0.2', 's=-', 'c=IN IP4 10.0.0.2', 't=0 0', 'm=audio 6000 RTP/AVP 8 0 101', 'a=rtpmap:8 PCMA/8000', 'a=rtpmap:0 PCMU/8000', 'a=rtpmap:101 telephone-event/8000', 'a=fmtp:101 0-15', ''].join('\r\n');
const invite = (extra: string[] = [], body = SDP) => crlf([...INVITE_HEAD, ...extra, `Content-Length: ${Buffer.byteLength(body)}`], body);

describe('SIP parser', () => {
  it('reads an INVITE with SDP: start line, canonical headers, body, name-addr and Via', () => {
    const m = parseSip(invite()) as SipRequest;
    expect(m.kind).toBe('request');
    expect(m.method).toBe('INVITE');
    expect(m.uri).toBe('sip:100001@10.0.0.1');
    expect(m.body).toBe(SDP);
    const from = parseNameAddr(header(m, 'From')!)!;
    expect(from).toMatchObject({ display: 'Duty 值班', uri: 'sip:07715550100@10.0.0.2', params: { tag: '1928301774' } });
    expect(parseUri(from.uri)).toMatchObject({ user: '07715550100', host: '10.0.0.2', port: null });
    expect(parseVia(header(m, 'Via')!)).toMatchObject({ transport: 'UDP', host: '10.0.0.2', port: 5061, params: { branch: 'z9hG4bK776asdhds', rport: '' } });
  });

  const table: [string, string, number | null][] = [
    ['compact headers and folding', crlf(['OPTIONS sip:a@b SIP/2.0', 'v: SIP/2.0/TCP h;branch=z9hG4bK1', 'f: <sip:x@y>;tag=1', 't: sip:a@b', 'i: abc', 'CSeq: 1', ' OPTIONS', 'l: 0']), null],
    ['two Vias in one header', crlf(['BYE sip:a@b SIP/2.0', 'Via: SIP/2.0/UDP p1:5060;branch=z9hG4bKa, SIP/2.0/UDP p2;branch=z9hG4bKb', 'From: <sip:x@y>;tag=1', 'To: <sip:a@b>;tag=2', 'Call-ID: c', 'CSeq: 2 BYE']), null],
    ['no end of headers', 'INVITE sip:a@b SIP/2.0\r\nVia: SIP/2.0/UDP h;branch=z9hG4bK1\r\n', 400],
    ['missing Call-ID', crlf(['OPTIONS sip:a@b SIP/2.0', 'Via: SIP/2.0/UDP h;branch=z9hG4bK1', 'From: <sip:x@y>;tag=1', 'To: <sip:a@b>', 'CSeq: 1 OPTIONS']), 400],
    ['CSeq method mismatch', crlf(['OPTIONS sip:a@b SIP/2.0', 'Via: SIP/2.0/UDP h;branch=z9hG4bK1', 'From: <sip:x@y>;tag=1', 'To: <sip:a@b>', 'Call-ID: c', 'CSeq: 1 INVITE']), 400],
    ['CSeq not a number', crlf(['OPTIONS sip:a@b SIP/2.0', 'Via: SIP/2.0/UDP h;branch=z9hG4bK1', 'From: <sip:x@y>;tag=1', 'To: <sip:a@b>', 'Call-ID: c', 'CSeq: x OPTIONS']), 400],
    ['duplicate From', crlf(['OPTIONS sip:a@b SIP/2.0', 'Via: SIP/2.0/UDP h;branch=z9hG4bK1', 'From: <sip:x@y>;tag=1', 'From: <sip:z@y>;tag=2', 'To: <sip:a@b>', 'Call-ID: c', 'CSeq: 1 OPTIONS']), 400],
    ['bad Via', crlf(['OPTIONS sip:a@b SIP/2.0', 'Via: HTTP/1.1 h', 'From: <sip:x@y>;tag=1', 'To: <sip:a@b>', 'Call-ID: c', 'CSeq: 1 OPTIONS']), 400],
    ['SIP/3.0', crlf(['OPTIONS sip:a@b SIP/3.0', 'Via: SIP/2.0/UDP h;branch=z9hG4bK1', 'From: <sip:x@y>;tag=1', 'To: <sip:a@b>', 'Call-ID: c', 'CSeq: 1 OPTIONS']), 505],
    ['lower-case method', crlf(['invite sip:a@b SIP/2.0', 'Via: SIP/2.0/UDP h;branch=z9hG4bK1', 'From: <sip:x@y>;tag=1', 'To: <sip:a@b>', 'Call-ID: c', 'CSeq: 1 invite']), 400],
    ['http uri', crlf(['OPTIONS http://a SIP/2.0', 'Via: SIP/2.0/UDP h;branch=z9hG4bK1', 'From: <sip:x@y>;tag=1', 'To: <sip:a@b>', 'Call-ID: c', 'CSeq: 1 OPTIONS']), 400],
    ['header without colon', crlf(['OPTIONS sip:a@b SIP/2.0', 'Via SIP/2.0/UDP h;branch=z9hG4bK1']), 400],
    ['body shorter than Content-Length', invite([], '').replace('Content-Length: 0', 'Content-Length: 50'), 400],
    ['Content-Length not a number', crlf([...INVITE_HEAD, 'Content-Length: -1']), 400],
    ['too large', 'X'.repeat(MAX_SIP_BYTES + 1), 413],
  ];
  it.each(table)('%s', (_name, text, status) => {
    if (status === null) {
      expect(parseSip(text).kind).toBe('request');
      return;
    }
    let err: unknown;
    try {
      parseSip(text);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(SipParseError);
    expect((err as SipParseError).status).toBe(status);
  });

  it('splits multi-value headers but keeps commas inside quotes', () => {
    const m = parseSip(crlf(['BYE sip:a@b SIP/2.0', 'Via: SIP/2.0/UDP p1;branch=z9hG4bKa, SIP/2.0/UDP p2;branch=z9hG4bKb', 'From: "Wang, Li" <sip:x@y>;tag=1', 'To: <sip:a@b>;tag=2', 'Call-ID: c', 'CSeq: 2 BYE']));
    expect(headers(m, 'Via')).toHaveLength(2);
    expect(parseNameAddr(header(m, 'From')!)!.display).toBe('Wang, Li');
  });

  it('drops body bytes past Content-Length and round-trips through serialize', () => {
    const m = parseSip(invite().replace(/Content-Length: \d+/, 'Content-Length: 4')) as SipRequest;
    expect(m.body).toBe('v=0\r');
    const again = parseSip(serialize({ ...m, body: SDP })) as SipRequest;
    expect(again.body).toBe(SDP);
    expect(header(again, 'Content-Length')).toBe(String(SDP.length));
  });

  it('builds a response that copies Via, From, Call-ID, CSeq and adds the To tag', () => {
    const req = parseSip(invite()) as SipRequest;
    const res = parseSip(serialize(responseTo(req, 486, { toTag: 'abc' })));
    expect(res).toMatchObject({ kind: 'response', status: 486, reason: 'Busy Here' });
    expect(header(res, 'To')).toBe('<sip:100001@10.0.0.1>;tag=abc');
    expect(header(res, 'CSeq')).toBe('314159 INVITE');
  });

  it('answers what it cannot parse with 400 or 413 when Via/From/To/Call-ID/CSeq are there, else nothing', () => {
    const huge = invite(['X-Pad: ' + 'a'.repeat(1500)]).replace('X-Pad', 'X-Pad').repeat(1) + 'b'.repeat(MAX_SIP_BYTES);
    const err = (() => {
      try {
        parseSip(huge);
      } catch (e) {
        return e as SipParseError;
      }
      throw new Error('parsed');
    })();
    expect(err.status).toBe(413);
    const res = parseSip(errorResponseFor(huge, err)!);
    expect(res).toMatchObject({ kind: 'response', status: 413 });
    expect(errorResponseFor('garbage', new SipParseError(400, 'x'))).toBeNull();
    expect(errorResponseFor(invite().replace('INVITE sip', 'ACK sip'), new SipParseError(400, 'x'))).toBeNull();
  });

  it('finds TCP frames by Content-Length and requires it', () => {
    const one = Buffer.from(invite());
    expect(frameLength(Buffer.concat([one, one]))).toBe(one.length);
    expect(frameLength(one.subarray(0, one.length - 3))).toBe(0);
    expect(() => frameLength(Buffer.from(crlf(['OPTIONS sip:a@b SIP/2.0', 'Via: x'])))).toThrow(SipParseError);
    expect(() => frameLength(Buffer.alloc(MAX_SIP_BYTES + 1, 65))).toThrow(SipParseError);
  });
});

describe('SDP offer/answer', () => {
  it('takes the first G.711 codec offered and the telephone-event payload type', () => {
    expect(parseAudioOffer(SDP)).toEqual({ address: '10.0.0.2', port: 6000, codec: 'PCMA', payloadType: 8, dtmfPayloadType: 101, direction: 'sendrecv' });
    const answer = parseAudioOffer(writeAudioAnswer(parseAudioOffer(SDP), { address: '10.0.0.1', port: 40000, sessionId: 7 }));
    expect(answer).toMatchObject({ address: '10.0.0.1', port: 40000, codec: 'PCMA', dtmfPayloadType: 101 });
  });

  it('answers a phone that only sends (hold) with recvonly, and without keys when it offered none', () => {
    const offer = parseAudioOffer(`${SDP.replace('RTP/AVP 8 0 101', 'RTP/AVP 0')}a=sendonly\r\n`);
    expect(offer).toMatchObject({ codec: 'PCMU', dtmfPayloadType: null, direction: 'sendonly' });
    const text = writeAudioAnswer(offer, { address: '10.0.0.1', port: 40002, sessionId: 8 });
    expect(text).toMatch(/m=audio 40002 RTP\/AVP 0\r\n/);
    expect(text).toContain('a=recvonly');
    expect(text).not.toContain('telephone-event');
  });

  it('offers PCMA, then PCMU, and keys on 101 when we place the call', () => {
    const text = writeAudioOffer({ address: '10.0.0.1', port: 40004, sessionId: 9 });
    expect(text).toMatch(/m=audio 40004 RTP\/AVP 8 0 101\r\n/);
    expect(text).toContain('a=rtpmap:0 PCMU/8000');
    expect(text).toContain('a=fmtp:101 0-15');
    expect(parseAudioOffer(text)).toEqual({ address: '10.0.0.1', port: 40004, codec: 'PCMA', payloadType: 8, dtmfPayloadType: 101, direction: 'sendrecv' });
  });

  const bad: [string, string][] = [
    ['empty', ''],
    ['no audio', 'v=0\r\no=- 1 1 IN IP4 1.2.3.4\r\ns=-\r\nc=IN IP4 1.2.3.4\r\nt=0 0\r\nm=video 5000 RTP/AVP 96\r\n'],
    ['only G.729', SDP.replace('RTP/AVP 8 0 101', 'RTP/AVP 18')],
    ['SRTP profile', SDP.replace('RTP/AVP', 'RTP/SAVP')],
    ['port 0', SDP.replace('m=audio 6000', 'm=audio 0')],
    ['IPv6 only', SDP.replace(/c=IN IP4 10\.0\.0\.2/, 'c=IN IP6 ::1')],
    ['bad address', SDP.replace(/c=IN IP4 10\.0\.0\.2/, 'c=IN IP4 999.1.1.1')],
    ['garbage', 'v=0\r\n\u0000\u0001m=audio x y z'],
  ];
  it.each(bad)('rejects %s', (_n, sdp) => {
    expect(() => parseAudioOffer(sdp)).toThrow(SdpError);
  });
});

describe('SIP fuzz', () => {
  // A seeded generator: the same cases every run, so a failure can be replayed.
  let seed = 0x5eed;
  const rand = (n: number) => {
    seed = (seed * 1103515245 + 12345) & 0x7fffffff;
    return seed % n;
  };
  const mutate = (s: string): string => {
    const b = Buffer.from(s);
    const ops = 1 + rand(6);
    let out = b;
    for (let i = 0; i < ops; i++) {
      const at = rand(out.length || 1);
      switch (rand(6)) {
        case 0: out = Buffer.concat([out.subarray(0, at), out.subarray(at + 1 + rand(20))]); break; // delete
        case 1: out = Buffer.concat([out.subarray(0, at), Buffer.from([rand(256)]), out.subarray(at)]); break; // insert byte
        case 2: out[at] = rand(256); break; // flip
        case 3: out = Buffer.concat([out.subarray(0, at), Buffer.from(['\r\n', ':', ';', '<', '"', ',', '\r\n\r\n', ' '][rand(8)]), out.subarray(at)]); break;
        case 4: out = Buffer.concat([out.subarray(0, at), out.subarray(0, rand(out.length)), out.subarray(at)]); break; // duplicate
        default: out = out.subarray(0, at); // truncate
      }
    }
    return out.toString('latin1');
  };

  it('never throws anything but SipParseError/SdpError on 3000 mutated INVITEs, and every error response parses', () => {
    for (let i = 0; i < 3000; i++) {
      const text = mutate(invite());
      try {
        const m = parseSip(text);
        // What parses must be usable downstream without crashes.
        if (m.kind === 'request' && m.body) {
          try {
            parseAudioOffer(m.body);
          } catch (e) {
            expect(e).toBeInstanceOf(SdpError);
          }
        }
        for (const v of headers(m, 'Via')) parseVia(v);
        parseNameAddr(header(m, 'From') ?? '');
        parseUri(m.kind === 'request' ? m.uri : '');
      } catch (e) {
        if (!(e instanceof SipParseError)) throw new Error(`case ${i}: ${(e as Error).stack}\n${JSON.stringify(text)}`);
        const res = errorResponseFor(text, e);
        if (res) expect(parseSip(res).kind).toBe('response');
      }
    }
  });
});
