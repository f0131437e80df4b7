/**
 * Recording as the sites see it, against the real server (real DB on PGlite and Postgres, real worker, real
 * ffmpeg): only the chair starts and stops it, every site is told (REC), ending the meeting stops it,
 * and finished recordings are listed and downloadable by the invited units' leaders only.
 * (The media path itself — real RTP into ffmpeg, ffprobe on the file — is tests/integration/recording.test.ts.)
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Socket } from 'socket.io-client';
import { Client, nextEvent, request, startTestServer, type TestServer } from '../helpers/app.ts';
import { testDatabases } from '../helpers/databases.ts';
import { insertRecording } from '../../server/meetings/recordingsRepo.ts';

const OPUS = {
  codecs: [{ mimeType: 'audio/opus', payloadType: 111, clockRate: 48000, channels: 2, parameters: {}, rtcpFeedback: [] }],
  headerExtensions: [],
  encodings: [{ ssrc: 11111111 }],
  rtcp: { cname: 'test' },
};

describe.each(testDatabases())('recording control ($name)', (db) => {
  let srv: TestServer;
  const clients: Client[] = [];
  const sockets: Record<string, Socket> = {};
  const clientOf: Record<string, Client> = {};
  let meetingId = '';
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rec-ctl-'));

  const login = async (u: string) => {
    const c = await Client.login(srv.baseUrl, u);
    clients.push(c);
    clientOf[u] = c;
    return c;
  };
  const joinSite = async (username: string) => {
    const c = await login(username);
    const s = await c.socket();
    const joined = await request(s, 'meeting:join', { meetingId });
    const t = await request(s, 'transport:create', { direction: 'send' });
    await request(s, 'produce', { transportId: t.id, kind: 'audio', rtpParameters: OPUS, appData: { source: 'mic' } });
    sockets[username] = s;
    return joined;
  };
  const control = (username: string, command: Record<string, unknown>) => request(sockets[username]!, 'control', { command });

  beforeAll(async () => {
    process.env.RECORDINGS_DIR = dir;
    srv = await startTestServer(await db.open());
    const city = await login('150100-leader');
    const res = await city.post('/api/meetings', { title: '防汛调度会', scope: { kind: 'cityWithCounties', cityCode: '150100' } });
    expect(res.status).toBe(201);
    meetingId = res.body.meeting.id;
  });
  afterAll(async () => {
    clients.forEach((c) => c.close());
    await srv?.close();
    delete process.env.RECORDINGS_DIR;
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('only the chair starts it, and every site sees REC', async () => {
    const joined = await joinSite('150100-leader');
    expect(joined.control.recording).toBeNull();
    await joinSite('150102-venue');
    await joinSite('150100-duty');
    for (const who of ['150102-venue', '150100-duty']) {
      await expect(control(who, { type: 'recordStart' })).rejects.toMatchObject({ code: 'CONTROL_FORBIDDEN' });
    }
    const seen = nextEvent(sockets['150102-venue']!, 'control:state', (s: any) => s.recording !== null);
    const res = await control('150100-leader', { type: 'recordStart' });
    expect(res.control.recording).toMatchObject({ by: '150100' });
    expect(Date.parse(res.control.recording.startedAt)).toBeGreaterThan(Date.now() - 60_000);
    expect((await seen).recording).toMatchObject({ by: '150100' });
    // A site joining later learns it at once.
    const late = await joinSite('150103-venue');
    expect(late.control.recording).toMatchObject({ by: '150100' });
    const rest = await clientOf['150103-venue']!.get(`/api/meetings/${meetingId}/control`);
    expect(rest.body.control.recording).not.toBeNull();
    await expect(control('150102-venue', { type: 'recordStop' })).rejects.toMatchObject({ code: 'CONTROL_FORBIDDEN' });
  });

  it('the chair stops it; every site sees REC go off', async () => {
    const off = nextEvent(sockets['150103-venue']!, 'control:state', (s: any) => s.recording === null, 20_000);
    await control('150100-leader', { type: 'recordStop' });
    expect((await off).recording).toBeNull();
  }, 30_000);

  it('lists and serves finished recordings to the invited units\' leaders only', async () => {
    // A finished file as the recorder leaves it (a real short WebM) and its row.
    const folder = path.join(dir, meetingId);
    fs.mkdirSync(folder, { recursive: true });
    const name = '2026-11-22T01-00-00-000Z.webm';
    execFileSync('ffmpeg', ['-v', 'error', '-f', 'lavfi', '-i', 'testsrc=size=160x120:rate=5', '-t', '1', '-c:v', 'libvpx', '-y', path.join(folder, name)]);
    const bytes = fs.statSync(path.join(folder, name)).size;
    await insertRecording(srv.app.ctx.db, { meetingId, fileName: name, startedByUnit: '150100', startedAt: new Date(), bytes, durationSec: 1 });

    const list = await clientOf['150102-venue']!.get(`/api/meetings/${meetingId}/recordings`); // a county's venue operator
    expect(list.status).toBe(200);
    const rec = list.body.recordings.find((r: any) => r.fileName === name);
    expect(rec).toMatchObject({ bytes, durationSec: 1, startedByUnit: '150100' });

    const file = await fetch(`${srv.baseUrl}/api/meetings/${meetingId}/recordings/${rec.id}`, { headers: { cookie: clientOf['150100-leader']!.cookie } });
    expect(file.status).toBe(200);
    expect(file.headers.get('content-disposition')).toMatch(/attachment/);
    expect((await file.arrayBuffer()).byteLength).toBe(bytes);

    // Duty officers, and units that were not invited, do not get them.
    expect((await clientOf['150100-duty']!.get(`/api/meetings/${meetingId}/recordings`)).status).toBe(403);
    const baotou = await login('150200-leader');
    expect((await baotou.get(`/api/meetings/${meetingId}/recordings`)).status).toBe(403);
    expect((await baotou.get(`/api/meetings/${meetingId}/recordings/${rec.id}`)).status).toBe(403);
    expect((await clientOf['150100-leader']!.get(`/api/meetings/${meetingId}/recordings/999999`)).status).toBe(404);
  });

  it('ending the meeting stops a running recording', async () => {
    await control('150100-leader', { type: 'recordStart' });
    const ended = nextEvent(sockets['150102-venue']!, 'meeting:ended', () => true, 20_000);
    const res = await control('150100-leader', { type: 'end' });
    expect(res.control).toMatchObject({ ended: true, recording: null });
    await ended;
  }, 30_000);
});
