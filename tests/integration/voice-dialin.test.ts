/**
 * Voice access end to end, browser-free, in the test's own network namespace: sipp dials in over real SIP,
 * keys the PIN (RFC 4733 from Debian's pcaps, or SIP INFO), the phone becomes a site whose Opus producer
 * receives RTP at the SFU; a second phone hears the first in its G.711 mix, and silence once the chair mutes
 * it; three wrong PINs end the call with a BYE; malformed SIP never takes the server down.
 */
import dgram from 'node:dgram';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pino from 'pino';
import { connectDb } from '../../db/connect.ts';
import { audioLevel, buildRtp, decodeG711, encodeG711, parseRtp } from '../../server/voice/rtp.ts';
import { VoiceService } from '../../server/voice/voiceService.ts';
import { accessNumberOf, registerUnitPhone } from '../../server/voice/voiceRepo.ts';
import { Client, startTestServer, type TestServer } from '../helpers/app.ts';
import { runSipp, SIPP_PCAPS, type Step } from '../helpers/sipp.ts';

const PIN = '4821';
const PHONE_A = '04715550102'; // 新城区 duty phone
const PHONE_B = '04715550103'; // 回民区 duty phone

describe('voice dial-in (sipp)', () => {
  let srv: TestServer;
  let voice: VoiceService;
  let chair: Client;
  let meetingId = '';
  let accessNumber = '';
  const target = () => `127.0.0.1:${voice.port}`;

  beforeAll(async () => {
    srv = await startTestServer(await connectDb({ dataDir: 'memory://' }));
    const { db, tree } = srv.app.ctx;
    voice = await VoiceService.start(
      { db, tree, hub: srv.app.ctx.meetings, log: pino({ level: process.env.VOICE_TEST_LOG ?? 'silent' }) },
      { host: '127.0.0.1', port: 0, accessNumber: '8000', maxCalls: 10, maxCallMinutes: 5, promptDir: path.join(os.tmpdir(), 'threelevel-voice-prompts') },
    );
    chair = await Client.login(srv.baseUrl, '150100-leader');
    const res = await chair.post('/api/meetings', { title: '防汛会商（电话接入）', pin: PIN, scope: { kind: 'cityWithCounties', cityCode: '150100' } });
    expect(res.status).toBe(201);
    meetingId = res.body.meeting.id;
    accessNumber = String(await accessNumberOf(db, meetingId));
    await registerUnitPhone(db, PHONE_A, '150102');
    await registerUnitPhone(db, PHONE_B, '150103');
  });
  afterAll(async () => {
    chair?.close();
    await voice?.close();
    await srv?.close();
  });

  const phonePeer = async () => {
    const room = await srv.app.ctx.meetings.liveRoom(meetingId);
    return [...(room?.peers.values() ?? [])].find((p) => p.info.phone);
  };

  it('keys the PIN as RFC 4733 events, joins as its unit, and its recorded voice reaches the SFU as Opus', async () => {
    const keys: Step[] = [...PIN.split(''), 'pound'].flatMap((k) => [{ pcap: `${SIPP_PCAPS}/dtmf_2833_${k}.pcap` }, { pause: 250 }]);
    const call = runSipp({ caller: PHONE_A, mediaPort: 'sipp', steps: [{ pause: 800 }, ...keys, { pause: 2500 }, { pcap: `${SIPP_PCAPS}/g711a.pcap` }, { pause: 5000 }, 'bye'] }, { service: accessNumber, target: target(), mediaBase: 16000 });
    let peer;
    for (let i = 0; i < 150 && !(peer = await phonePeer())?.producers.size; i++) await new Promise((r) => setTimeout(r, 100));
    expect(peer?.info).toMatchObject({ unitCode: '150102', phone: PHONE_A });
    const producer = [...peer!.producers.values()][0];
    expect(producer?.kind).toBe('audio');
    let packets = 0;
    for (let i = 0; i < 80 && packets < 100; i++) {
      await new Promise((r) => setTimeout(r, 100));
      packets = (await producer.getStats()).reduce((n, s) => n + s.packetCount, 0);
    }
    expect(packets).toBeGreaterThanOrEqual(100); // 2 s of 20 ms Opus packets from the phone's voice
    const attendance = await chair.get(`/api/meetings/${meetingId}/attendance`);
    expect(attendance.body.attendance).toEqual(expect.arrayContaining([expect.objectContaining({ unitCode: '150102', userName: `电话 ${PHONE_A}` })]));
    const res = await call;
    expect(res.code, res.output).toBe(0);
    expect(await phonePeer()).toBeUndefined();
  }, 90_000);

  it('hangs up with a BYE after three wrong PINs keyed by SIP INFO', async () => {
    const wrong: Step[] = ['1', '1', '1', '1', '#'].map((info) => ({ info }));
    const res = await runSipp({ caller: PHONE_B, mediaPort: 'sipp', steps: [{ pause: 500 }, ...wrong, { pause: 300 }, ...wrong, { pause: 300 }, ...wrong, 'awaitBye'] }, { service: accessNumber, target: target(), mediaBase: 16100 });
    expect(res.code, res.output).toBe(0);
    expect(voice.calls.size).toBe(0);
  }, 60_000);

  it('a phone hears the other phone in its G.711 mix at a steady 20 ms, never itself, and silence once the chair mutes it; removal hangs both up', async () => {
    const sockA = await udp();
    const sockB = await udp();
    const heard = { A: [] as { at: number; level: number }[], B: [] as { at: number; level: number }[] };
    for (const [name, sock] of [['A', sockA], ['B', sockB]] as const) {
      sock.on('message', (buf) => {
        const pkt = parseRtp(buf);
        if (pkt && pkt.payloadType === 8) heard[name].push({ at: performance.now(), level: audioLevel(decodeG711('PCMA', pkt.payload)) });
      });
    }
    const pin: Step[] = [...PIN.split(''), '#'].map((info) => ({ info }));
    const callA = runSipp({ caller: PHONE_A, mediaPort: sockA.address().port, steps: [{ pause: 500 }, ...pin, 'awaitBye'] }, { service: accessNumber, target: target(), mediaBase: 16200 });
    const callB = runSipp({ caller: PHONE_B, mediaPort: sockB.address().port, steps: [{ pause: 500 }, ...pin, 'awaitBye'] }, { service: accessNumber, target: target(), mediaBase: 16300 });
    const callOf = (phone: string) => [...voice.calls.values()].find((c) => c.phone === phone);
    // Both joined, their gateways up and the "joined" prompts over.
    await until(() => [PHONE_A, PHONE_B].every((p) => callOf(p)?.leg?.producer && !callOf(p)!.rtp.playing), 30_000);
    // One decoder process for the meeting, shared by both phones (each site is decoded once, not once per phone).
    expect(callOf(PHONE_A)!.leg!.mixerPid).toBeGreaterThan(0);
    expect(callOf(PHONE_B)!.leg!.mixerPid).toBe(callOf(PHONE_A)!.leg!.mixerPid);
    const rtpPortA = callOf(PHONE_A)!.rtp.port;
    const quiet = (xs: { level: number }[]) => xs.length >= 20 && xs.slice(-20).every((x) => x.level >= 70);
    await until(() => quiet(heard.B), 10_000); // nobody speaks yet: B hears silence

    // Phone A talks: a 440 Hz tone at about -12 dBov, 20 ms packets from the port its SDP named.
    let seq = 0;
    const tone = setInterval(() => {
      const pcm = new Int16Array(160).map((_, i) => Math.round(8000 * Math.sin((2 * Math.PI * 440 * (seq * 160 + i)) / 8000)));
      sockA.send(buildRtp({ payloadType: 8, marker: seq === 0, sequence: seq, timestamp: seq * 160, ssrc: 0xa11ce, payload: encodeG711('PCMA', pcm) }), rtpPortA, '127.0.0.1');
      seq++;
    }, 20);
    try {
      const toneAt = performance.now();
      await until(() => heard.B.filter((x) => x.at > toneAt).slice(-10).some((x) => x.level <= 35), 15_000);
      // Steady: B got 20 ms packets all along (2 s → about 100).
      const last2s = heard.B.filter((x) => x.at > performance.now() - 2000).length;
      expect(last2s).toBeGreaterThanOrEqual(85);
      expect(last2s).toBeLessThanOrEqual(115);
      // No echo: A does not hear its own voice.
      expect(heard.A.filter((x) => x.at > toneAt + 1000).every((x) => x.level >= 70)).toBe(true);

      // The chair mutes every site but B (here: A): its producer pauses at the SFU, B's mix falls silent.
      await srv.app.ctx.meetings.command(meetingId, { type: 'mute', unitCode: '150102' }, { unitCode: '150100', chair: true });
      expect(callOf(PHONE_A)!.leg!.producer.paused).toBe(true);
      const mutedAt = performance.now();
      await until(() => quiet(heard.B.filter((x) => x.at > mutedAt)), 10_000);

      // Roll call of the phone site (点名): its microphone opens again and B hears it.
      await srv.app.ctx.meetings.command(meetingId, { type: 'rollcall', unitCode: '150102' }, { unitCode: '150100', chair: true });
      expect(callOf(PHONE_A)!.leg!.producer.paused).toBe(false);
      const calledAt = performance.now();
      await until(() => heard.B.filter((x) => x.at > calledAt).some((x) => x.level <= 35), 10_000);
    } finally {
      clearInterval(tone);
    }
    // Removing the units ends their calls from our side (a goodbye, then BYE): sipp sees the BYE.
    for (const unitCode of ['150102', '150103']) await srv.app.ctx.meetings.command(meetingId, { type: 'remove', unitCode }, { unitCode: '150100', chair: true });
    const [a, b] = await Promise.all([callA, callB]);
    expect(a.code, a.output).toBe(0);
    expect(b.code, b.output).toBe(0);
    sockA.close();
    sockB.close();
  }, 90_000);
});

describe('voice SIP socket under malformed input', () => {
  it('answers 400/413 where it can, drops the rest, and still answers OPTIONS over UDP and TCP', async () => {
    const { SipServer } = await import('../../server/voice/sipServer.ts');
    const sip = await SipServer.listen({ host: '127.0.0.1', port: 0 });
    sip.on('request', (r) => r.respond(200));
    const sock = await udp();
    const replies: string[] = [];
    sock.on('message', (b) => replies.push(b.toString()));
    const options = (branch: string, pad = '') =>
      `OPTIONS sip:8000@127.0.0.1 SIP/2.0\r\nVia: SIP/2.0/UDP 127.0.0.1:${sock.address().port};branch=z9hG4bK${branch}\r\nFrom: <sip:a@b>;tag=1\r\nTo: <sip:8000@127.0.0.1>\r\nCall-ID: ${branch}\r\nCSeq: 1 OPTIONS\r\n${pad}Content-Length: 0\r\n\r\n`;
    const send = (m: string | Buffer) => sock.send(m, sip.port, '127.0.0.1');
    // Garbage in small batches (server and test share one event loop: a burst would overflow the socket buffer).
    for (let i = 0; i < 300; i++) {
      send(Buffer.from(Array.from({ length: 1 + ((i * 7919) % 1400) }, (_, j) => (i * 31 + j * 17) & 0xff)));
      if (i % 20 === 19) await new Promise((r) => setTimeout(r, 5));
    }
    await new Promise((r) => setTimeout(r, 100));
    send(options('huge', `X-Pad: ${'a'.repeat(2000)}\r\n`.repeat(10))); // over 16 KiB → 413
    send(options('badmf', 'Max-Forwards: lots\r\n')); // → 400
    send(options('ok'));
    await until(() => ['SIP/2.0 413', 'SIP/2.0 400', 'SIP/2.0 200'].every((p) => replies.some((r) => r.startsWith(p))), 10_000).catch((e: Error) => {
      throw new Error(`${e.message}: ${JSON.stringify(replies.map((r) => r.slice(0, 40)))}`);
    });
    // TCP: a stream without Content-Length is answered 400 and closed; a fresh connection still works.
    const net = await import('node:net');
    const tcpReply = (payload: string) =>
      new Promise<string>((resolve) => {
        const c = net.connect(sip.port, '127.0.0.1', () => c.write(payload));
        let got = '';
        c.on('data', (d) => (got += d.toString()));
        c.on('close', () => resolve(got));
        setTimeout(() => c.end(), 1500);
      });
    expect(await tcpReply(options('tcp1').replace(/Content-Length: 0\r\n/, ''))).toMatch(/^SIP\/2\.0 400/);
    expect(await tcpReply(options('tcp2').replace('SIP/2.0/UDP', 'SIP/2.0/TCP'))).toMatch(/^SIP\/2\.0 200/);
    sock.close();
    await sip.close();
  }, 30_000);
});

describe('voice SIP transactions (RFC 3261 timers, T1 = 50 ms)', () => {
  it('absorbs retransmitted INVITEs, answers CANCEL with 200 + 487 (retransmitted until the ACK), retransmits a 2xx until its ACK and reports a missing one', async () => {
    const { SipServer } = await import('../../server/voice/sipServer.ts');
    const sip = await SipServer.listen({ host: '127.0.0.1', port: 0, tcp: false, timers: { t1: 50, t2: 400, t4: 500 } });
    const seen: string[] = [];
    sip.on('request', (r) => {
      seen.push(`${r.msg.method} ${r.msg.uri}`);
      if (r.msg.uri.startsWith('sip:answer')) r.respond(200, { toTag: 'x' });
    });
    const ackTimeouts: string[] = [];
    sip.on('ackTimeout', (id) => ackTimeouts.push(id));
    const sock = await udp();
    const got: string[] = [];
    sock.on('message', (b) => got.push(b.toString().split('\r\n')[0] + ' / ' + (b.toString().match(/CSeq: (.*)/)?.[1] ?? '')));
    const req = (method: string, user: string, branch: string, callId: string, cseqMethod = method) =>
      `${method} sip:${user}@127.0.0.1 SIP/2.0\r\nVia: SIP/2.0/UDP 127.0.0.1:${sock.address().port};branch=z9hG4bK${branch}\r\nFrom: <sip:a@b>;tag=1\r\nTo: <sip:${user}@127.0.0.1>\r\nCall-ID: ${callId}\r\nCSeq: 1 ${cseqMethod}\r\nContent-Length: 0\r\n\r\n`;
    const send = (m: string) => sock.send(m, sip.port, '127.0.0.1');
    const count = (p: string) => got.filter((g) => g.startsWith(p)).length;

    send(req('INVITE', 'pending', 'b1', 'c1'));
    send(req('INVITE', 'pending', 'b1', 'c1')); // retransmission: absorbed, 100 sent again
    await until(() => count('SIP/2.0 100') >= 2, 5000);
    expect(seen).toEqual(['INVITE sip:pending@127.0.0.1']);
    send(req('CANCEL', 'pending', 'b1', 'c1'));
    await until(() => count('SIP/2.0 200 OK / 1 CANCEL') === 1 && count('SIP/2.0 487') >= 3, 5000); // Timer G resends the 487
    send(req('ACK', 'pending', 'b1', 'c1'));
    await new Promise((r) => setTimeout(r, 300));
    const after = count('SIP/2.0 487');
    await new Promise((r) => setTimeout(r, 600));
    expect(count('SIP/2.0 487')).toBe(after); // the ACK stopped them

    send(req('INVITE', 'answer', 'b2', 'c2'));
    await until(() => count('SIP/2.0 200 OK / 1 INVITE') >= 3, 5000); // 2xx retransmitted while no ACK comes
    await until(() => ackTimeouts.includes('c2'), 10_000); // 64·T1 without ACK: the TU is told
    sock.close();
    await sip.close();
  }, 30_000);
});

async function udp(): Promise<dgram.Socket> {
  const s = dgram.createSocket('udp4');
  await new Promise<void>((r) => s.bind(0, '127.0.0.1', () => r()));
  return s;
}

async function until(check: () => boolean, ms: number): Promise<void> {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error(`condition not met in ${ms} ms`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
