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
