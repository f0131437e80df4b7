/**
 * A phone's voice lands in the meeting recording: a dialled phone (sipp playing its recorded voice) is roll-called
 * as the main site while the server records; the WebM's audio, decoded by ffmpeg, is not silence. The main venue's
 * camera is a real VP8 feed (ffmpeg test pattern) through a PlainTransport, as in recording.test.ts.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pino from 'pino';
import type { DialPush } from '../../contract/voice.ts';
import { connectDb } from '../../db/connect.ts';
import { VoiceService } from '../../server/voice/voiceService.ts';
import { Client, request, startTestServer, type TestServer } from '../helpers/app.ts';
import { runSippXml, SIPP_PCAPS, uasScenario } from '../helpers/sipp.ts';

const TRUNK_PORT = 15080;

describe('a phone in the recording', () => {
  let srv: TestServer;
  let voice: VoiceService;
  let chair: Client;
  let camera: ChildProcess | null = null;

  beforeAll(async () => {
    srv = await startTestServer(await connectDb({ dataDir: 'memory://' }));
    const { db, tree } = srv.app.ctx;
    voice = await VoiceService.start(
      { db, tree, hub: srv.app.ctx.meetings, log: pino({ level: process.env.VOICE_TEST_LOG ?? 'silent' }) },
      { host: '127.0.0.1', port: 0, accessNumber: '8000', maxCalls: 5, maxCallMinutes: 5, promptDir: path.join(os.tmpdir(), 'threelevel-voice-prompts'), trunk: { host: '127.0.0.1', port: TRUNK_PORT, transport: 'UDP' } },
    );
    chair = await Client.login(srv.baseUrl, '150100-leader');
  });
  afterAll(async () => {
    camera?.kill('SIGKILL');
    chair?.close();
    await voice?.close();
    await srv?.close();
  });

  it('the roll-called phone is heard in the WebM', async () => {
    const res = await chair.post('/api/meetings', { title: '电话会场录像', scope: { kind: 'cityWithCounties', cityCode: '150100' } });
    const meetingId: string = res.body.meeting.id;
    const sock = await chair.socket();
    await request(sock, 'meeting:join', { meetingId });
    const hub = srv.app.ctx.meetings;
    const room = (await hub.liveRoom(meetingId))!;

    // The main venue's camera: real VP8 from ffmpeg into a producer of the chair's site.
    const vt = await room.router.createPlainTransport({ listenInfo: { protocol: 'udp', ip: '127.0.0.1' }, rtcpMux: false, comedia: true });
    const video = await vt.produce({ kind: 'video', rtpParameters: { codecs: [{ mimeType: 'video/VP8', payloadType: 101, clockRate: 90000 }], encodings: [{ ssrc: 4242 }] }, appData: { source: 'camera' } });
    await room.addExternalProducer(sock.id!, video);
    camera = spawn('ffmpeg', ['-hide_banner', '-loglevel', 'error', '-re', '-f', 'lavfi', '-i', 'testsrc=size=320x240:rate=15', '-t', '40', '-c:v', 'libvpx', '-deadline', 'realtime', '-cpu-used', '8', '-b:v', '200k', '-g', '15', '-ssrc', '4242', '-payload_type', '101', '-f', 'rtp', `rtp://127.0.0.1:${vt.tuple.localPort}?rtcpport=${vt.rtcpTuple!.localPort}`], { stdio: 'ignore' });

    // The county's duty officer is called on a mobile (its voice: sipp's recording, played twice).
    const uas = runSippXml(uasScenario('answer', { pcaps: [`${SIPP_PCAPS}/g711a.pcap`, `${SIPP_PCAPS}/g711a.pcap`] }), { port: TRUNK_PORT, mediaBase: 17600 });
    await uas.ready;
    const pushes: DialPush[] = [];
    sock.on('voice:dial', (p) => pushes.push(p));
    const dialled = await request<DialPush>(sock, 'voice:dial', { unitCode: '150102', number: '13900471111' });
    await until(() => pushes.some((p) => p.callId === dialled.callId && p.state === 'joined'), 20_000);

    await hub.command(meetingId, { type: 'rollcall', unitCode: '150102' }, { unitCode: '150100', chair: true });
    await hub.command(meetingId, { type: 'recordStart', at: new Date().toISOString() }, { unitCode: '150100', chair: true });
    await new Promise((r) => setTimeout(r, 8000));
    await hub.command(meetingId, { type: 'recordStop' }, { unitCode: '150100', chair: true });
    await request(sock, 'voice:hangup', { callId: dialled.callId });
    expect((await uas).code).toBe(0);

    const dir = path.join(hub.recordingsDir, meetingId);
    let file = '';
    await until(() => Boolean((file = fs.existsSync(dir) ? (fs.readdirSync(dir).find((f) => f.endsWith('.webm')) ?? '') : '')), 20_000);
    const pcm = execFileSync('ffmpeg', ['-v', 'error', '-i', path.join(dir, file), '-map', '0:a', '-ac', '1', '-ar', '8000', '-f', 's16le', '-'], { maxBuffer: 64 << 20, stdio: ['ignore', 'pipe', 'ignore'] });
    const samples = new Int16Array(pcm.buffer, pcm.byteOffset, pcm.length >> 1);
    expect(samples.length).toBeGreaterThan(8000 * 3); // seconds of audio
    // The loudest 100 ms window: speech, not Opus silence (RMS of silence is ~0; the recording's speech is thousands).
    let loudest = 0;
    for (let at = 0; at + 800 <= samples.length; at += 400) {
      let sq = 0;
      for (let i = at; i < at + 800; i++) sq += samples[i]! * samples[i]!;
      loudest = Math.max(loudest, Math.sqrt(sq / 800));
    }
    expect(loudest, `loudest 100 ms RMS ${loudest.toFixed(0)}`).toBeGreaterThan(300);
  }, 120_000);
});

async function until(check: () => boolean, ms: number): Promise<void> {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error(`condition not met in ${ms} ms`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
