/**
 * Issue 8, V3 and V4 against the real server and a real mediasoup worker. V3: the chair's mute and camera-off
 * hold whatever the site labels its producers (audio is the microphone; a share is video and needs the share
 * slot), and a producer of a muted site is paused before anyone hears of it. V4: the entry-PIN limit holds
 * under 41 parallel guesses, in the database; only units that passed the PIN read the meeting's control state
 * and recordings.
 */
import type { types } from 'mediasoup';
import type { Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PIN_MAX_WRONG } from '../../server/meetings/pin.ts';
import { suiteClients, nextEvent, request, startTestServer, type TestServer } from '../helpers/app.ts';
import { testDatabases } from '../helpers/databases.ts';

const OPUS = {
  codecs: [{ mimeType: 'audio/opus', payloadType: 111, clockRate: 48000, channels: 2, parameters: {}, rtcpFeedback: [] }],
  headerExtensions: [],
  encodings: [{ ssrc: 31111111 }],
  rtcp: { cname: 'v3' },
};
const VP8 = (ssrc: number) => ({
  codecs: [{ mimeType: 'video/VP8', payloadType: 96, clockRate: 90000, parameters: {}, rtcpFeedback: [] }],
  headerExtensions: [],
  encodings: [{ ssrc }],
  rtcp: { cname: 'v3' },
});

describe.each(testDatabases())('media and PIN access ($name)', (tdb) => {
  let srv: TestServer;
  const { login, closeAll } = suiteClients(() => srv.baseUrl);
  const producers = new Map<string, types.Producer>();
  const site = async (username: string, meetingId: string, pin?: string) => {
    const s = await (await login(username)).socket();
    const joined = await request(s, 'meeting:join', { meetingId, pin });
    const t = await request(s, 'transport:create', { direction: 'send' });
    return { s, joined, t };
  };

  beforeAll(async () => {
    srv = await startTestServer(await tdb.open());
    const watch = (worker: types.Worker) =>
      worker.observer.on('newrouter', (router) => router.observer.on('newtransport', (t) => t.observer.on('newproducer', (p) => producers.set(p.id, p))));
    srv.pool.slots.forEach((slot) => watch(slot.worker));
  });
  afterAll(async () => {
    closeAll();
    await srv?.close();
  });

  it('V3: a muted / camera-off site cannot get through by calling its media "screen"', async () => {
    const city = await login('150100-leader');
    const meetingId = (await city.post('/api/meetings', { title: '静音测试', scope: { kind: 'cityWithCounties', cityCode: '150100' } })).body.meeting.id;
    const chair = await site('150100-leader', meetingId);
    const county = await site('150102-venue', meetingId);
    const other = await site('150103-venue', meetingId);
    await request(chair.s, 'control', { command: { type: 'mute', unitCode: '150102', lock: true } });
    await request(chair.s, 'control', { command: { type: 'videoOff', unitCode: '150102' } });

    // Audio labelled "screen": still the site's sound, so paused at the SFU, and announced as paused.
    const announced = nextEvent(other.s, 'producer:new', (p: any) => p.unitCode === '150102' && p.kind === 'audio');
    const audio = await request(county.s, 'produce', { transportId: county.t.id, kind: 'audio', rtpParameters: OPUS, appData: { source: 'screen' } });
    expect(producers.get(audio.id)!.paused).toBe(true);
    expect(await announced).toMatchObject({ producerId: audio.id, source: 'mic', paused: true });
    // It did not take the share slot either.
    expect((await srv.app.ctx.meetings.controlState(meetingId))!.sharer).toBeNull();
    // The chair's camera-off holds for video labelled anything but a real share.
    const cam = await request(county.s, 'produce', { transportId: county.t.id, kind: 'video', rtpParameters: VP8(41111111), appData: { source: 'camera-ish' } });
    expect(producers.get(cam.id)!.paused).toBe(true);

    // A real share is video and needs the one share slot: while 150103 shares, 150102 is refused.
    const share = await request(other.s, 'produce', { transportId: other.t.id, kind: 'video', rtpParameters: VP8(42222222), appData: { source: 'screen' } });
    expect(producers.get(share.id)!.paused).toBe(false);
    await expect(
      request(county.s, 'produce', { transportId: county.t.id, kind: 'video', rtpParameters: VP8(43333333), appData: { source: 'screen' } }),
    ).rejects.toMatchObject({ code: 'SHARE_BUSY' });
  });

  it('V4: 41 parallel joins (40 wrong PINs, 1 right) get at most 5 verdicts of "wrong"; the rest are locked, in the database', async () => {
    const city = await login('150100-leader');
    const res = await city.post('/api/meetings', { title: '密码会', pin: '4821', scope: { kind: 'cityWithCounties', cityCode: '150100' } });
    const meetingId = res.body.meeting.id;
    const s = await (await login('150104-venue')).socket();
    const pins = Array.from({ length: 40 }, (_, i) => String(1000 + i));
    pins.splice(20, 0, '4821');
    const results = await Promise.allSettled(pins.map((pin) => request(s, 'meeting:join', { meetingId, pin })));
    const codes = results.map((r) => (r.status === 'fulfilled' ? 'JOINED' : (r.reason as { code: string }).code));
    const wrong = codes.filter((c) => c === 'MEETING_PIN_WRONG').length;
    expect(wrong).toBeLessThanOrEqual(PIN_MAX_WRONG);
    expect(codes.filter((c) => c === 'MEETING_PIN_LOCKED').length).toBeGreaterThanOrEqual(40 - PIN_MAX_WRONG);
    expect(codes.every((c) => ['JOINED', 'MEETING_PIN_WRONG', 'MEETING_PIN_LOCKED'].includes(c))).toBe(true);
    // The count lives in the database (a restart keeps it): the unit is locked now, even with the right PIN.
    const row = await srv.app.ctx.db.selectFrom('meeting_pin_attempts').selectAll().where('meeting_id', '=', meetingId).executeTakeFirstOrThrow();
    expect(row.wrong).toBeGreaterThanOrEqual(PIN_MAX_WRONG);
    await expect(request(s, 'meeting:join', { meetingId, pin: '4821' })).rejects.toMatchObject({ code: 'MEETING_PIN_LOCKED' });
  });

  it('V4: only units that passed the PIN read the control state and the recordings', async () => {
    const city = await login('150100-leader');
    const meetingId = (await city.post('/api/meetings', { title: '密码会二', pin: '7315', scope: { kind: 'cityWithCounties', cityCode: '150100' } })).body.meeting.id;
    const outsider = await login('150105-leader');
    expect((await outsider.get(`/api/meetings/${meetingId}/control`)).status).toBe(403);
    expect((await outsider.get(`/api/meetings/${meetingId}/recordings`)).status).toBe(403);
    expect((await city.get(`/api/meetings/${meetingId}/control`)).status).toBe(200);
    expect((await city.get(`/api/meetings/${meetingId}/recordings`)).status).toBe(200);
    const joiner = await login('150121-leader');
    const s: Socket = await joiner.socket();
    await request(s, 'meeting:join', { meetingId, pin: '7315' });
    const passes = await srv.app.ctx.db.selectFrom('meeting_pin_passes').select('unit_code').where('meeting_id', '=', meetingId).execute();
    expect(passes.map((p) => p.unit_code)).toEqual(['150121']);
    expect((await joiner.get(`/api/meetings/${meetingId}/control`)).status).toBe(200);
    expect((await joiner.get(`/api/meetings/${meetingId}/recordings`)).status).toBe(200);
  });
});
