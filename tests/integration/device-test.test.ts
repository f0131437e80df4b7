/**
 * Pre-meeting device test (会前调试) signalling against the real server and a real mediasoup worker:
 * a private router with a send and a receive transport; what the browser sends can be consumed back;
 * one test per socket; closed on stop, on disconnect, and by itself after the time limit.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Client, nextEvent, request, startTestServer, type TestServer } from '../helpers/app.ts';
import { connectDb } from '../../db/connect.ts';
import { setDeviceTestLimit } from '../../server/meetings/deviceTest.ts';

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

describe('device test (会前调试) signalling', () => {
  let srv: TestServer;
  const clients: Client[] = [];
  const routers = () => srv.pool.slots.reduce((n, s) => n + s.routers, 0);
  const liveRouters = async () => {
    let n = 0;
    for (const s of srv.pool.slots) n += (await s.worker.dump()).routerIds.length;
    return n;
  };
  const login = async (u: string) => {
    const c = await Client.login(srv.baseUrl, u);
    clients.push(c);
    return c;
  };

  beforeAll(async () => {
    srv = await startTestServer(await connectDb({ dataDir: 'memory://' }));
  });
  afterAll(async () => {
    setDeviceTestLimit();
    clients.forEach((c) => c.close());
    await srv?.close();
  });

  it('refuses a socket without a session', async () => {
    const anon = new Client(srv.baseUrl);
    await expect(anon.socket()).rejects.toBeTruthy();
  });

  it('a county operator runs a loopback: transports on a private router, own media consumed back, SFU stats', async () => {
    const c = await login('150102-venue');
    const s = await c.socket();
    const start = await request(s, 'devicetest:start');
    expect(start.expiresInMs).toBe(60_000);
    expect(start.rtpCapabilities.codecs.map((x: any) => x.mimeType)).toEqual(expect.arrayContaining(['audio/opus', 'video/VP8']));
    expect(start.send.id).not.toBe(start.recv.id);
    expect(start.send.iceCandidates.length).toBeGreaterThan(0);
    expect(start.send.dtlsParameters.fingerprints.length).toBeGreaterThan(0);
    expect(routers()).toBe(1);
    expect(await liveRouters()).toBe(1);

    // One test per socket.
    await expect(request(s, 'devicetest:start')).rejects.toMatchObject({ code: 'DEVICE_TEST_BUSY' });

    const mic = await request(s, 'devicetest:produce', { kind: 'audio', rtpParameters: OPUS });
    const cam = await request(s, 'devicetest:produce', { kind: 'video', rtpParameters: VP8 });
    await expect(request(s, 'devicetest:produce', { kind: 'video', rtpParameters: VP8 })).rejects.toMatchObject({ code: 'PRODUCER_LIMIT' });
    const back = await request(s, 'devicetest:consume', { producerId: cam.id, rtpCapabilities: start.rtpCapabilities });
    expect(back).toMatchObject({ producerId: cam.id, kind: 'video' });
    expect(back.rtpParameters.codecs[0].mimeType).toBe('video/VP8');
    const backMic = await request(s, 'devicetest:consume', { producerId: mic.id, rtpCapabilities: start.rtpCapabilities });
    expect(backMic.kind).toBe('audio');
    await request(s, 'devicetest:resume', { consumerId: back.id });

    // A producer of someone else's test cannot be consumed here.
    const other = await (await login('150103-venue')).socket();
    const o = await request(other, 'devicetest:start');
    await expect(request(other, 'devicetest:consume', { producerId: cam.id, rtpCapabilities: o.rtpCapabilities })).rejects.toMatchObject({
      code: 'MEDIA_NOT_FOUND',
    });
    expect(routers()).toBe(2);

    const st = await request(s, 'devicetest:stats');
    expect(st).toMatchObject({ upKbps: 0, downKbps: 0, upLoss: 0, iceState: 'new', dtlsState: 'new' });

    await request(s, 'devicetest:stop');
    expect(routers()).toBe(1);
    await expect(request(s, 'devicetest:stats')).rejects.toMatchObject({ code: 'DEVICE_TEST_NOT_STARTED' });
    // Stopped: a new one may start.
    await request(s, 'devicetest:start');
    await request(s, 'devicetest:stop');

    // A socket that goes away takes its test with it.
    other.close();
    await expect.poll(routers).toBe(0);
    await expect.poll(liveRouters).toBe(0);
  });

  it('closes by itself after the time limit and tells the browser', async () => {
    setDeviceTestLimit(300);
    const s = await (await login('150104-duty')).socket();
    const closed = nextEvent(s, 'devicetest:closed');
    const start = await request(s, 'devicetest:start');
    expect(start.expiresInMs).toBe(300);
    expect(await closed).toEqual({ reason: 'timeout' });
    expect(routers()).toBe(0);
    await expect(request(s, 'devicetest:produce', { kind: 'audio', rtpParameters: OPUS })).rejects.toMatchObject({ code: 'DEVICE_TEST_NOT_STARTED' });
    setDeviceTestLimit();
  });

  it('validates its input', async () => {
    const s = await (await login('150105-venue')).socket();
    await request(s, 'devicetest:start');
    await expect(request(s, 'devicetest:produce', { kind: 'data', rtpParameters: OPUS })).rejects.toMatchObject({ code: 'VALIDATION' });
    await expect(request(s, 'devicetest:connect', { transportId: '' })).rejects.toMatchObject({ code: 'VALIDATION' });
    await request(s, 'devicetest:stop');
  });
});
