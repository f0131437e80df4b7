/**
 * The chair's controls against the real server and a real mediasoup worker: commands over socket.io,
 * checked by unit and role on the server, applied to the real producers (a muted site's audio is paused
 * at the SFU), pushed live to every site, and the durable part kept in the database.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Socket } from 'socket.io-client';
import type { types } from 'mediasoup';
import { Client, nextEvent, request, startTestServer, type TestServer } from '../helpers/app.ts';
import { testDatabases } from '../helpers/databases.ts';

// Both databases: the control state's durable part (jsonb, trigger) must behave the same on PGlite and Postgres.
const databases = testDatabases();

const OPUS = {
  codecs: [{ mimeType: 'audio/opus', payloadType: 111, clockRate: 48000, channels: 2, parameters: {}, rtcpFeedback: [] }],
  headerExtensions: [],
  encodings: [{ ssrc: 11111111 }],
  rtcp: { cname: 'test' },
};
const VP8 = {
  codecs: [{ mimeType: 'video/VP8', payloadType: 96, clockRate: 90000, parameters: {}, rtcpFeedback: [] }],
  headerExtensions: [],
  encodings: [{ ssrc: 22222222 }],
  rtcp: { cname: 'test' },
};

describe.each(databases)('meeting control ($name)', (db) => {
  let srv: TestServer;
  const clients: Client[] = [];
  /** Every producer the worker creates, by id: the SFU's own truth about paused or not. */
  const producers = new Map<string, types.Producer>();
  let meetingId = '';
  const sockets: Record<string, Socket> = {};
  const micOf: Record<string, string> = {};

  const login = async (u: string) => {
    const c = await Client.login(srv.baseUrl, u);
    clients.push(c);
    return c;
  };
  /** A site joins and sends a microphone (and optionally a camera) through a real WebRtcTransport. */
  const joinSite = async (username: string, video = false) => {
    const c = await login(username);
    const s = await c.socket();
    const joined = await request(s, 'meeting:join', { meetingId });
    const t = await request(s, 'transport:create', { direction: 'send' });
    const mic = await request(s, 'produce', { transportId: t.id, kind: 'audio', rtpParameters: OPUS, appData: { source: 'mic' } });
    if (video) await request(s, 'produce', { transportId: t.id, kind: 'video', rtpParameters: VP8, appData: { source: 'camera' } });
    sockets[username] = s;
    micOf[username] = mic.id;
    return { socket: s, joined, micId: mic.id as string };
  };
  const control = (username: string, command: Record<string, unknown>) => request(sockets[username]!, 'control', { command });
  const paused = (username: string) => producers.get(micOf[username]!)!.paused;

  beforeAll(async () => {
    srv = await startTestServer(await db.open());
    const watch = (worker: types.Worker) =>
      worker.observer.on('newrouter', (router) =>
        router.observer.on('newtransport', (t) => t.observer.on('newproducer', (p) => producers.set(p.id, p))),
      );
    srv.pool.slots.forEach((slot) => watch(slot.worker));
    srv.pool.on('workerReplaced', (slot) => watch(slot.worker));
    const city = await login('150100-leader');
    const res = await city.post('/api/meetings', { title: '防汛调度会', scope: { kind: 'cityWithCounties', cityCode: '150100' } });
    expect(res.status).toBe(201);
    meetingId = res.body.meeting.id;
  });
  afterAll(async () => {
    clients.forEach((c) => c.close());
    await srv?.close();
  });

  it('joins with the control state, and tells the chair it chairs', async () => {
    const chair = await joinSite('150100-leader');
    expect(chair.joined.chair).toBe(true);
    expect(chair.joined.control).toMatchObject({ mode: 'free', hostUnitCode: '150100', locked: false, ended: false });
    const a = await joinSite('150102-venue', true);
    expect(a.joined.chair).toBe(false);
    await joinSite('150103-venue');
    await joinSite('150100-duty'); // the city's duty officer: in the main venue, but not a chair
  });

  it('refuses control commands from sub-venues and from non-chair users of the main venue', async () => {
    for (const who of ['150102-venue', '150100-duty']) {
      await expect(control(who, { type: 'muteAll', lock: true })).rejects.toMatchObject({ code: 'CONTROL_FORBIDDEN' });
      await expect(control(who, { type: 'rollcall', unitCode: '150103' })).rejects.toMatchObject({ code: 'CONTROL_FORBIDDEN' });
    }
    await expect(control('150100-leader', { type: 'rollcall', unitCode: '150202' })).rejects.toMatchObject({ code: 'UNIT_NOT_IN_MEETING' });
    await expect(control('150100-leader', { type: 'patrolTick', withVideo: [] })).rejects.toMatchObject({ code: 'VALIDATION' });
  });

  it('mute-lock pauses the sites\' microphones at the SFU, tells everyone, and refuses the site\'s unmute', async () => {
    const pushed = nextEvent(sockets['150102-venue']!, 'control:state', (s: any) => s.muteLocked.includes('150102'));
    const pausedSeen = nextEvent(sockets['150103-venue']!, 'producer:paused', (p: any) => p.producerId === micOf['150102-venue'] && p.paused);
    await control('150100-leader', { type: 'muteAll', lock: true });
    expect((await pushed).muted).toEqual(expect.arrayContaining(['150102', '150103', '150104']));
    await pausedSeen;
    expect(paused('150102-venue')).toBe(true);
    expect(paused('150103-venue')).toBe(true);
    expect(paused('150100-leader')).toBe(false); // the main venue keeps speaking

    await expect(control('150102-venue', { type: 'selfUnmute' })).rejects.toMatchObject({ code: 'MUTE_LOCKED', message: expect.stringMatching(/锁定/) });
    expect(paused('150102-venue')).toBe(true);

    // Released by the chair: the microphone is open again at the SFU, and the site may mute and unmute itself.
    await control('150100-leader', { type: 'unmute', unitCode: '150102' });
    expect(paused('150102-venue')).toBe(false);
    await control('150102-venue', { type: 'selfMute' });
    expect(paused('150102-venue')).toBe(true);
    await control('150102-venue', { type: 'selfUnmute' });
    expect(paused('150102-venue')).toBe(false);
  });

  it('roll call opens the called site\'s microphone and closes the previous one, in org order', async () => {
    const seen = nextEvent(sockets['150102-venue']!, 'control:state', (s: any) => s.mode === 'rollcall' && s.focus === '150103');
    await control('150100-leader', { type: 'rollcall', unitCode: '150103' });
    await seen;
    expect(paused('150103-venue')).toBe(false);
    const next = await control('150100-leader', { type: 'rollcallNext' });
    expect(next.control.focus).toBe('150104');
    expect(paused('150103-venue')).toBe(true);
  });

  it('patrol moves on by the server\'s timer and skips sites without video', async () => {
    const start = await control('150100-leader', { type: 'patrolStart', unitCodes: ['150102', '150103'], intervalSec: 3, toAll: true });
    expect(start.control).toMatchObject({ mode: 'patrol', focus: '150102' });
    // 150103 sends no camera: the next tick skips it (flagged) and stays on 150102.
    const tick = await nextEvent(sockets['150103-venue']!, 'control:state', (s: any) => s.patrol?.skipped.includes('150103'), 8000);
    expect(tick.focus).toBe('150102');
    const paused = await control('150100-leader', { type: 'patrolPause' });
    expect(paused.control.patrol.paused).toBe(true);
    const bc = await control('150100-leader', { type: 'broadcast', unitCode: '150103' });
    expect(bc.control).toMatchObject({ mode: 'broadcast', focus: '150103', patrol: null });
  });

  it('hands up, the queue, and the floor', async () => {
    await control('150103-venue', { type: 'raiseHand' });
    const st = await control('150102-venue', { type: 'raiseHand' });
    expect(st.control.hands.map((h: any) => h.unitCode)).toEqual(['150103', '150102']);
    const granted = await control('150100-leader', { type: 'grantFloor', unitCode: '150102' });
    expect(granted.control).toMatchObject({ mode: 'rollcall', focus: '150102' });
    expect(granted.control.hands.map((h: any) => h.unitCode)).toEqual(['150103']);
  });

  it('a chair whose connection drops comes back chairing, the meeting as it left it', async () => {
    const left = nextEvent(sockets['150102-venue']!, 'peer:left');
    sockets['150100-leader']!.disconnect();
    await left;
    const back = await joinSite('150100-leader');
    expect(back.joined.chair).toBe(true);
    expect(back.joined.control).toMatchObject({ mode: 'rollcall', focus: '150102' });
    expect(back.joined.control.hands.map((h: any) => h.unitCode)).toEqual(['150103']);
    const seen = nextEvent(sockets['150102-venue']!, 'control:state', (s: any) => s.focus === '150103');
    await control('150100-leader', { type: 'rollcall', unitCode: '150103' });
    await seen;
  });

  it('locks the meeting against new sites, not against a site coming back; removes a site for good', async () => {
    await control('150100-leader', { type: 'lock', locked: true });
    const newcomer = await (await login('150104-venue')).socket();
    await expect(request(newcomer, 'meeting:join', { meetingId })).rejects.toMatchObject({ code: 'MEETING_LOCKED' });
    // 150102 drops and comes back on a new connection.
    sockets['150102-venue']!.disconnect();
    await joinSite('150102-venue', true);

    const removed = nextEvent(sockets['150103-venue']!, 'meeting:removed');
    await control('150100-leader', { type: 'remove', unitCode: '150103' });
    await removed;
    await expect(request(sockets['150103-venue']!, 'meeting:join', { meetingId })).rejects.toMatchObject({ code: 'MEETING_REMOVED' });
  });

  it('restarts ICE, pauses off-screen video and sets simulcast layers on request', async () => {
    const s = sockets['150102-venue']!;
    const send = await request(s, 'transport:create', { direction: 'send' });
    const { iceParameters } = await request(s, 'transport:restartIce', { transportId: send.id });
    expect(iceParameters.usernameFragment).not.toBe(send.iceParameters.usernameFragment);
    await expect(request(s, 'transport:restartIce', { transportId: 'nope' })).rejects.toMatchObject({ code: 'MEDIA_NOT_FOUND' });

    const chairSocket = sockets['150100-leader']!;
    const joined = await request(chairSocket, 'meeting:join', { meetingId });
    const video = joined.producers.find((p: any) => p.unitCode === '150102' && p.source === 'camera');
    const rtpCapabilities = joined.routerRtpCapabilities; // the router's own capabilities can consume its producers
    await request(chairSocket, 'transport:create', { direction: 'recv' });
    expect(video).toBeDefined();
    {
      const consumer = await request(chairSocket, 'consume', { producerId: video.producerId, rtpCapabilities });
      await request(chairSocket, 'consumer:resume', { consumerId: consumer.id });
      await request(chairSocket, 'consumer:setPreferredLayers', { consumerId: consumer.id, spatialLayer: 0 });
      await request(chairSocket, 'consumer:pause', { consumerId: consumer.id });
    }
    // Site health for the organiser; not for a county.
    const health = await clients[0]!.get(`/api/meetings/${meetingId}/health`);
    expect(health.status).toBe(200);
    expect(health.body.sites.map((h: any) => h.unitCode)).toEqual(expect.arrayContaining(['150100', '150102']));
    expect(health.body.sites[0]).toHaveProperty('trouble');
    const county = await login('150104-venue');
    expect((await county.get(`/api/meetings/${meetingId}/health`)).status).toBe(403);
  });

  it('survives the worker\'s death: sites are told to rejoin and the chair\'s decisions still hold on the new router', async () => {
    await control('150100-leader', { type: 'mute', unitCode: '150102', lock: true });
    const room = srv.pool.slots[0]!.worker;
    const restart = nextEvent(sockets['150102-venue']!, 'meeting:restart', () => true, 10_000);
    const replaced = new Promise((resolve) => srv.pool.once('workerReplaced', resolve));
    process.kill(room.pid, 'SIGKILL');
    await restart;
    await replaced;
    const rejoined = await request(sockets['150102-venue']!, 'meeting:join', { meetingId });
    expect(rejoined.control.muteLocked).toContain('150102');
    const t = await request(sockets['150102-venue']!, 'transport:create', { direction: 'send' });
    const mic = await request(sockets['150102-venue']!, 'produce', { transportId: t.id, kind: 'audio', rtpParameters: OPUS, appData: { source: 'mic' } });
    micOf['150102-venue'] = mic.id;
    expect(paused('150102-venue')).toBe(true); // muted at the SFU from its first packet
    await expect(control('150102-venue', { type: 'selfUnmute' })).rejects.toMatchObject({ code: 'MUTE_LOCKED' });
    await request(sockets['150100-leader']!, 'meeting:join', { meetingId });
  });

  it('keeps locked, the end time and the end in the database; ends for everyone', async () => {
    await control('150100-leader', { type: 'extend', minutes: 30 });
    const row = await srv.app.ctx.db.selectFrom('meetings').selectAll().where('id', '=', meetingId).executeTakeFirstOrThrow();
    expect(row.locked).toBe(true);
    expect(row.ends_at!.getTime() - row.starts_at.getTime()).toBe(90 * 60_000);

    const ended = nextEvent(sockets['150102-venue']!, 'meeting:ended');
    await control('150100-leader', { type: 'end' });
    await ended;
    const after = await srv.app.ctx.db.selectFrom('meetings').selectAll().where('id', '=', meetingId).executeTakeFirstOrThrow();
    expect(after.status).toBe('ended');
    expect(after.ended_at).not.toBeNull();
    await expect(request(sockets['150102-venue']!, 'meeting:join', { meetingId })).rejects.toMatchObject({ code: 'MEETING_ENDED' });
  });

  it('gives the organiser the attendance (签到), as JSON and as an Excel file; not a county', async () => {
    const chair = clients[0]!;
    const res = await chair.get(`/api/meetings/${meetingId}/attendance`);
    expect(res.status).toBe(200);
    const units = res.body.attendance.map((a: any) => a.unitCode);
    expect(units).toEqual(expect.arrayContaining(['150100', '150102', '150103']));
    expect(res.body.attendance.every((a: any) => a.leftAt !== null)).toBe(true); // ending signs everyone out
    const xlsx = await fetch(`${srv.baseUrl}/api/meetings/${meetingId}/attendance.xlsx`, { headers: { cookie: chair.cookie } });
    expect(xlsx.headers.get('content-type')).toMatch(/spreadsheetml/);
    expect((await xlsx.arrayBuffer()).byteLength).toBeGreaterThan(1000);
    const county = await login('150102-venue');
    expect((await county.get(`/api/meetings/${meetingId}/attendance`)).body.error.code).toBe('CONTROL_FORBIDDEN');
  });
});
