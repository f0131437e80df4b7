/**
 * Dial-out (呼叫会场) and the registrar end to end, in the test's own network namespace, with Debian's sipp as
 * the called phones and as the trunk: the chair's socket dials, the site rings and joins (its recorded voice
 * reaches the SFU as Opus), a busy phone answers 486, an unanswered one is CANCELled, the chair cancels; a
 * unit's phone registers with digest authentication and is dialled at its registered contact.
 */
import dgram from 'node:dgram';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pino from 'pino';
import type { Socket } from 'socket.io-client';
import type { DialPush } from '../../contract/voice.ts';
import { connectDb } from '../../db/connect.ts';
import { ha1Of } from '../../server/voice/digest.ts';
import { VoiceService } from '../../server/voice/voiceService.ts';
import { registerUnitPhone, setPhoneDigest } from '../../server/voice/voiceRepo.ts';
import { Client, request, startTestServer, type TestServer } from '../helpers/app.ts';
import { registerScenario, runSippXml, uasScenario } from '../helpers/sipp.ts';

const TRUNK_PORT = 15070; // sipp as the operator's trunk / the called phone
const DESK_PORT = 15072; // sipp as a registered desk phone
const LEADER_MOBILE = '13800471234';
const DUTY_LINE = '04715550102'; // 新城区 duty phone, registers with a password
const DUTY_PASSWORD = 'duty-line-2032';
const OTHER_LINE = '04715550103'; // 回民区, no password: may not register
const TRUNK_ACCOUNT = { user: 'hohhot-gov', password: 'trunk-secret-9' };

describe('voice dial-out (sipp as the called phones)', () => {
  let srv: TestServer;
  let voice: VoiceService;
  let chair: Client;
  let county: Client;
  let chairSock: Socket;
  let countySock: Socket;
  let meetingId = '';
  const pushes: DialPush[] = [];

  beforeAll(async () => {
    srv = await startTestServer(await connectDb({ dataDir: 'memory://' }));
    const { db, tree } = srv.app.ctx;
    voice = await VoiceService.start(
      { db, tree, hub: srv.app.ctx.meetings, log: pino({ level: process.env.VOICE_TEST_LOG ?? 'silent' }) },
      {
        host: '127.0.0.1', port: 0, accessNumber: '8000', maxCalls: 10, maxCallMinutes: 5, promptDir: path.join(os.tmpdir(), 'threelevel-voice-prompts'),
        ringSeconds: 4, realm: 'threelevel', digestAlgorithms: ['MD5'], // sipp 3.6 answers MD5 challenges only
        trunk: { host: '127.0.0.1', port: TRUNK_PORT, transport: 'UDP', caller: '04715550000', ...TRUNK_ACCOUNT },
      },
    );
    chair = await Client.login(srv.baseUrl, '150100-leader');
    const res = await chair.post('/api/meetings', { title: '防汛会商（呼叫会场）', scope: { kind: 'cityWithCounties', cityCode: '150100' } });
    expect(res.status).toBe(201);
    meetingId = res.body.meeting.id;
    chairSock = await chair.socket();
    await request(chairSock, 'meeting:join', { meetingId });
    chairSock.on('voice:dial', (p) => pushes.push(p));
    county = await Client.login(srv.baseUrl, '150102-duty');
    countySock = await county.socket();
    await request(countySock, 'meeting:join', { meetingId });
    await registerUnitPhone(db, DUTY_LINE, '150102');
    await setPhoneDigest(db, DUTY_LINE, { realm: 'threelevel', md5: ha1Of('MD5', DUTY_LINE, 'threelevel', DUTY_PASSWORD), sha256: ha1Of('SHA-256', DUTY_LINE, 'threelevel', DUTY_PASSWORD) });
    await registerUnitPhone(db, OTHER_LINE, '150103');
  });
  afterAll(async () => {
    chair?.close();
    county?.close();
    await voice?.close();
    await srv?.close();
  });

  const statesOf = (callId: string) => pushes.filter((p) => p.callId === callId).map((p) => p.state);
  const phonePeer = async (phone: string) => {
    const room = await srv.app.ctx.meetings.liveRoom(meetingId);
    return [...(room?.peers.values() ?? [])].find((p) => p.info.phone === phone);
  };

  it('the chair calls a leader on the road through the trunk: ringing → joined, the voice reaches the SFU, hang-up sends BYE', async () => {
    const uas = runSippXml(uasScenario('answer'), { port: TRUNK_PORT, mediaBase: 17000 });
    await uas.ready;
    const dialled = await request<DialPush>(chairSock, 'voice:dial', { unitCode: '150100', number: LEADER_MOBILE });
    expect(dialled).toMatchObject({ meetingId, unitCode: '150100', unitName: '呼和浩特市', number: LEADER_MOBILE, state: 'ringing' });
    await until(() => statesOf(dialled.callId).includes('joined'), 20_000);
    const peer = await phonePeer(LEADER_MOBILE);
    expect(peer?.info).toMatchObject({ unitCode: '150100', phone: LEADER_MOBILE });
    let producer: { getStats(): Promise<{ packetCount: number }[]> } | undefined;
    await until(() => Boolean((producer = [...(peer?.producers.values() ?? [])][0])), 10_000);
    let packets = 0;
    let loud = false;
    voice.calls.get(dialled.callId)!.rtp.on('audio', (_pkt, level) => (loud ||= level < 50));
    for (let i = 0; i < 100 && packets < 100; i++) {
      await new Promise((r) => setTimeout(r, 100));
      packets = (await producer!.getStats()).reduce((n: number, s: { packetCount: number }) => n + s.packetCount, 0);
    }
    expect(packets).toBeGreaterThanOrEqual(100); // 2 s of 20 ms Opus packets from the called phone's voice
    expect(loud).toBe(true); // sipp's recorded voice, not silence
    await request(chairSock, 'voice:hangup', { callId: dialled.callId });
    const res = await uas;
    expect(res.code, res.output).toBe(0); // sipp got our BYE
    await until(() => statesOf(dialled.callId).includes('ended'), 10_000);
    expect(statesOf(dialled.callId)).toEqual(['ringing', 'joined', 'ended']);
    expect(await phonePeer(LEADER_MOBILE)).toBeUndefined();
  }, 90_000);

  it('a trunk that challenges the INVITE gets our digest answer (MD5, qop=auth) and connects the call', async () => {
    const uas = runSippXml(uasScenario('answer', { auth: TRUNK_ACCOUNT }), { port: TRUNK_PORT, mediaBase: 17500 });
    await uas.ready;
    const dialled = await request<DialPush>(chairSock, 'voice:dial', { unitCode: '150100', number: LEADER_MOBILE });
    await until(() => statesOf(dialled.callId).some((s) => s !== 'ringing'), 20_000);
    expect(statesOf(dialled.callId)).toEqual(['ringing', 'joined']);
    await request(chairSock, 'voice:hangup', { callId: dialled.callId });
    const res = await uas;
    expect(res.code, res.output).toBe(0);
  }, 60_000);

  it('a busy phone (486) shows 忙 (busy) and is ACKed', async () => {
    const uas = runSippXml(uasScenario('busy'), { port: TRUNK_PORT, mediaBase: 17100 });
    await uas.ready;
    const dialled = await request<DialPush>(chairSock, 'voice:dial', { unitCode: '150103', number: '04715559999' });
    await until(() => statesOf(dialled.callId).length >= 2, 15_000);
    expect(pushes.filter((p) => p.callId === dialled.callId).at(-1)).toMatchObject({ state: 'busy', status: 486 });
    const res = await uas;
    expect(res.code, res.output).toBe(0);
    expect(voice.calls.size + voice.dialling.size).toBe(0);
  }, 60_000);

  it('nobody answers within the ring time: CANCEL, 487 ACKed, 无人接听; the chair may cancel sooner', async () => {
    const uas = runSippXml(uasScenario('ring'), { port: TRUNK_PORT, mediaBase: 17200 });
    await uas.ready;
    const started = Date.now();
    const dialled = await request<DialPush>(chairSock, 'voice:dial', { unitCode: '150103', number: '04715559998' });
    await until(() => statesOf(dialled.callId).includes('noAnswer'), 20_000);
    expect(Date.now() - started).toBeGreaterThanOrEqual(3500); // ringSeconds = 4
    expect((await uas).code).toBe(0);

    const uas2 = runSippXml(uasScenario('ring'), { port: TRUNK_PORT, mediaBase: 17300 });
    await uas2.ready;
    const second = await request<DialPush>(chairSock, 'voice:dial', { unitCode: '150103', number: '04715559997' });
    await new Promise((r) => setTimeout(r, 800)); // it rings
    await request(chairSock, 'voice:hangup', { callId: second.callId });
    await until(() => statesOf(second.callId).includes('cancelled'), 10_000);
    const res2 = await uas2;
    expect(res2.code, res2.output).toBe(0);
  }, 60_000);

  it('only the meeting chair dials; bad input gets a stable code', async () => {
    await expect(request(countySock, 'voice:dial', { unitCode: '150102', number: LEADER_MOBILE })).rejects.toMatchObject({ code: 'CONTROL_FORBIDDEN' });
    await expect(request(countySock, 'voice:hangup', { callId: 'x' })).rejects.toMatchObject({ code: 'CONTROL_FORBIDDEN' });
    await expect(request(chairSock, 'voice:dial', { unitCode: '150102', number: 'sip:evil@x' })).rejects.toMatchObject({ code: 'VALIDATION' });
    await expect(request(chairSock, 'voice:dial', { unitCode: '150300', number: LEADER_MOBILE })).rejects.toMatchObject({ code: 'UNIT_NOT_IN_MEETING' });
    await expect(request(chairSock, 'voice:hangup', { callId: 'no-such-call' })).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });

  it('a duty phone registers with digest auth (wrong password refused, no password → 403) and is dialled at its registered contact', async () => {
    const wrong = await runSippXml(registerScenario(DUTY_LINE, 'wrong-password', 300, { expect: '401' }), { port: DESK_PORT, target: `127.0.0.1:${voice.port}` });
    expect(wrong.code, wrong.output).toBe(0);
    expect(voice.registrar.bindings(DUTY_LINE)).toHaveLength(0);
    expect((await runSippXml(registerScenario(OTHER_LINE, 'x', 300, { expect: '403' }), { port: DESK_PORT, target: `127.0.0.1:${voice.port}` })).code).toBe(0);
    const reg = await runSippXml(registerScenario(DUTY_LINE, DUTY_PASSWORD, 300), { port: DESK_PORT, target: `127.0.0.1:${voice.port}` });
    expect(reg.code, reg.output).toBe(0);
    expect(voice.registrar.bindings(DUTY_LINE)).toMatchObject([{ uri: `sip:${DUTY_LINE}@127.0.0.1:${DESK_PORT}` }]);

    // The chair calls 新城区 without a number: its registered duty phone rings (not the trunk).
    const uas = runSippXml(uasScenario('answer'), { port: DESK_PORT, mediaBase: 17400 });
    await uas.ready;
    const dialled = await request<DialPush>(chairSock, 'voice:dial', { unitCode: '150102' });
    expect(dialled).toMatchObject({ unitCode: '150102', unitName: '新城区', number: DUTY_LINE });
    await until(() => statesOf(dialled.callId).includes('joined'), 20_000);
    expect((await phonePeer(DUTY_LINE))?.info).toMatchObject({ unitCode: '150102', unitName: '新城区', phone: DUTY_LINE });
    await request(chairSock, 'voice:hangup', { callId: dialled.callId });
    expect((await uas).code).toBe(0);

    // Unregister (Contact: *, Expires: 0): the binding is gone.
    const unreg = await runSippXml(registerScenario(DUTY_LINE, DUTY_PASSWORD, 'unregister'), { port: DESK_PORT, target: `127.0.0.1:${voice.port}` });
    expect(unreg.code, unreg.output).toBe(0);
    expect(voice.registrar.bindings(DUTY_LINE)).toHaveLength(0);
  }, 120_000);

  it('an INVITE from a number with a password is challenged (401 with a digest challenge) until it authenticates', async () => {
    const sock = dgram.createSocket('udp4');
    await new Promise<void>((r) => sock.bind(0, '127.0.0.1', () => r()));
    const replies: string[] = [];
    sock.on('message', (b) => replies.push(b.toString()));
    const invite = `INVITE sip:8000@127.0.0.1 SIP/2.0\r\nVia: SIP/2.0/UDP 127.0.0.1:${sock.address().port};branch=z9hG4bKchal1\r\nFrom: <sip:${DUTY_LINE}@127.0.0.1>;tag=9\r\nTo: <sip:8000@127.0.0.1>\r\nCall-ID: chal-1\r\nCSeq: 1 INVITE\r\nContent-Length: 0\r\n\r\n`;
    sock.send(invite, voice.port, '127.0.0.1');
    await until(() => replies.some((r) => r.startsWith('SIP/2.0 401')), 5000);
    expect(replies.find((r) => r.startsWith('SIP/2.0 401'))).toMatch(/WWW-Authenticate: Digest realm="threelevel", nonce="[^"]+", algorithm=MD5, qop="auth"/);
    expect(voice.calls.size).toBe(0);
    sock.close();
  });
});

async function until(check: () => boolean, ms: number): Promise<void> {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error(`condition not met in ${ms} ms`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
