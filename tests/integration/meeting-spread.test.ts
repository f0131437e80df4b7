/**
 * One meeting over two workers, through the real server: with a threshold of 4 consumers per router, the third
 * site is placed on a second router on the other worker, and still sees and hears the sites of the first one
 * (and they it) through pipeToRouter — and the chair's mute and roll call, applied by the server to the
 * producers, stop and open the sound across the routers as in a one-router meeting. Synthetic sites (hand-built
 * RTP over PlainTransports) join with real sockets, so last-N, the control state and its effects are the real ones.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { types } from 'mediasoup';
import { connectDb } from '../../db/connect.ts';
import type { MeetingRoom } from '../../sfu/MeetingRoom.ts';
import { Client, request, startTestServer, type Socket, type TestServer } from '../helpers/app.ts';
import { keyframeRequests, opusPacket, opusParameters, RtpSender, RtpSink, vp8Packet, vp8SimulcastParameters } from '../helpers/syntheticRtp.ts';

interface Site {
  unit: string;
  socket: Socket;
  peerId: string;
  sender: RtpSender;
  sink: RtpSink;
  mic: string;
  cam: string;
  ssrcs: { mic: number; cam: [number, number, number] };
  keyframe: boolean;
}

describe('a meeting spread over two workers', () => {
  let srv: TestServer;
  let meetingId = '';
  let room: MeetingRoom;
  const clients: Client[] = [];
  const sites: Record<string, Site> = {};
  let timer: ReturnType<typeof setInterval> | undefined;
  let tick = 0;

  const chair = () => sites['150100']!;
  const control = (command: Record<string, unknown>) => request(chair().socket, 'control', { command });

  /** A site joins over socket.io and sends a loud microphone and a three-layer camera from a synthetic sender. */
  async function join(username: string, index: number): Promise<Site> {
    const c = await Client.login(srv.baseUrl, username);
    clients.push(c);
    const socket = await c.socket();
    const joined = await request(socket, 'meeting:join', { meetingId });
    room = (await srv.app.ctx.meetings.liveRoom(meetingId))!;
    // The console's WebRTC transports, as plain RTP on loopback (placed on a router exactly as they would be).
    const send = await room.createPlainTransport(joined.peerId, 'send');
    const sender = await RtpSender.open(send);
    const ssrcs = { mic: 1000 + index, cam: [2000 + index * 3, 2001 + index * 3, 2002 + index * 3] as [number, number, number] };
    const mic = (await request(socket, 'produce', { transportId: send.id, kind: 'audio', rtpParameters: opusParameters(ssrcs.mic), appData: { source: 'mic' } })).id;
    const cam = (await request(socket, 'produce', { transportId: send.id, kind: 'video', rtpParameters: vp8SimulcastParameters(ssrcs.cam), appData: { source: 'camera' } })).id;
    const recv = await room.createPlainTransport(joined.peerId, 'recv');
    const sink = await RtpSink.open();
    await recv.connect({ ip: '127.0.0.1', port: sink.port });
    const site: Site = { unit: username.slice(0, 6), socket, peerId: joined.peerId, sender, sink, mic, cam, ssrcs, keyframe: true };
    sender.onRtcp((rtcp) => {
      if (keyframeRequests(rtcp).length) site.keyframe = true;
    });
    sites[site.unit] = site;
    return site;
  }

  /** `viewer` subscribes to a producer and plays it; answers the SSRC its packets arrive with. */
  async function watch(viewer: Site, producerId: string): Promise<number> {
    const c = await request(viewer.socket, 'consume', { producerId, rtpCapabilities: room.rtpCapabilities });
    await request(viewer.socket, 'consumer:resume', { consumerId: c.id });
    return (c.rtpParameters as types.RtpParameters).encodings![0]!.ssrc!;
  }

  /** Packets of each SSRC `viewer` received during `ms`. */
  async function during(viewer: Site, ssrcs: number[], ms = 1200): Promise<number[]> {
    const before = ssrcs.map((s) => viewer.sink.count(s));
    await new Promise((r) => setTimeout(r, ms));
    return ssrcs.map((s, i) => viewer.sink.count(s) - before[i]!);
  }

  beforeAll(async () => {
    srv = await startTestServer(await connectDb({ dataDir: 'memory://' }), {
      sfu: { numWorkers: 2, spread: { consumersPerRouter: 4, consumersPerSite: 2 }, audio: { lastN: 4, intervalMs: 200, holdMs: 800 } },
    });
    const city = await Client.login(srv.baseUrl, '150100-leader');
    clients.push(city);
    const res = await city.post('/api/meetings', { title: '跨工作进程会商', scope: { kind: 'cityWithCounties', cityCode: '150100' } });
    expect(res.status).toBe(201);
    meetingId = res.body.meeting.id;
    timer = setInterval(() => {
      tick++;
      for (const s of Object.values(sites)) {
        s.sender.send(opusPacket(s.ssrcs.mic, tick, -20));
        if (tick % 2) continue;
        const key = s.keyframe || tick % 60 === 0;
        s.keyframe = false;
        s.ssrcs.cam.forEach((ssrc) => s.sender.send(vp8Packet(ssrc, tick / 2, tick / 2, key, 200)));
      }
    }, 20);
  }, 180_000);
  afterAll(async () => {
    clearInterval(timer);
    for (const s of Object.values(sites)) {
      s.sender.close();
      s.sink.close();
    }
    clients.forEach((c) => c.close());
    await srv?.close();
  });

  let chairSees: { b: { cam: number; mic: number } };
  let bSees: { chairCam: number; chairMic: number; aMic: number };

  it('places the third site on a second router on the other worker once the first holds 4 consumers', async () => {
    const c = await join('150100-leader', 0);
    const a = await join('150102-venue', 1);
    expect(room.shards.shardOf(c.peerId)).toBe(room.shards.home);
    expect(room.shards.shardOf(a.peerId)).toBe(room.shards.home);
    await watch(c, a.cam);
    await watch(c, a.mic);
    await watch(a, c.cam);
    await watch(a, c.mic);
    expect(room.shards.load(room.shards.home)).toBe(4);

    const b = await join('150103-venue', 2);
    const second = room.shards.shardOf(b.peerId);
    expect(second).not.toBe(room.shards.home);
    expect(second.slot.index).not.toBe(room.slot.index);
    expect(room.shards.all).toHaveLength(2);
    expect(srv.pool.slots.map((s) => s.routers)).toEqual([1, 1]);
  });

  it('a site on the second router sees and hears the first router\'s sites, and they it', async () => {
    const [c, a, b] = [chair(), sites['150102']!, sites['150103']!];
    bSees = { chairCam: await watch(b, c.cam), chairMic: await watch(b, c.mic), aMic: await watch(b, a.mic) };
    chairSees = { b: { cam: await watch(c, b.cam), mic: await watch(c, b.mic) } };
    await expect.poll(async () => (await during(b, [bSees.chairCam, bSees.chairMic, bSees.aMic], 600)).every((n) => n > 5), { timeout: 15_000 }).toBe(true);
    await expect.poll(async () => (await during(c, [chairSees.b.cam, chairSees.b.mic], 600)).every((n) => n > 5), { timeout: 15_000 }).toBe(true);
    // Media crossed the routers through pipes, one per producer and direction, not per consumer.
    expect(room.shards.pipeCount).toBeGreaterThanOrEqual(4);
    expect(room.lastN.audible).toEqual(expect.arrayContaining(['150100', '150102', '150103'])); // b's mic reached the home observer
  }, 40_000);

  it('the chair\'s mute-all silences the sites on both routers; the main venue is still heard', async () => {
    const [c, b] = [chair(), sites['150103']!];
    await control({ type: 'muteAll', lock: false });
    await expect.poll(async () => {
      const [aMic, chairMic] = await during(b, [bSees.aMic, bSees.chairMic], 800);
      const [bMic] = await during(c, [chairSees.b.mic], 800);
      return { aMic, bMic, chairHeard: chairMic! > 5 };
    }, { timeout: 15_000 }).toEqual({ aMic: 0, bMic: 0, chairHeard: true });
  }, 40_000);

  it('roll call opens the called site across the routers and closes the previous one', async () => {
    const [c, b] = [chair(), sites['150103']!];
    await control({ type: 'rollcall', unitCode: '150103' });
    await expect.poll(async () => (await during(c, [chairSees.b.mic], 800))[0]! > 5, { timeout: 15_000 }).toBe(true);

    await control({ type: 'rollcall', unitCode: '150102' });
    await expect.poll(async () => {
      const [aMic] = await during(b, [bSees.aMic], 800);
      const [bMic] = await during(c, [chairSees.b.mic], 800);
      return { aHeardOnSecond: aMic! > 5, bMic };
    }, { timeout: 15_000 }).toEqual({ aHeardOnSecond: true, bMic: 0 });
  }, 40_000);

  /** Transports on the home router that belong to no site: the pipe transports. */
  async function homePipeTransports(): Promise<number> {
    const own = [...room.peers.values()].filter((p) => room.shards.shardOf(p.id) === room.shards.home)
      .reduce((n, p) => n + p.plainTransports.size + p.transports.size, 0);
    return (await room.shards.home.router.dump()).transportIds.length - own;
  }

  it('the second router and its pipes close when its last site leaves, and a new one opens for the next site', async () => {
    const [c, a, old] = [chair(), sites['150102']!, sites['150103']!];
    expect(await homePipeTransports()).toBeGreaterThan(0);
    await request(old.socket, 'meeting:leave', {});
    old.sender.close();
    old.sink.close();
    delete sites['150103'];
    await expect.poll(() => srv.pool.slots.map((s) => s.routers), { timeout: 10_000 }).toEqual([1, 0]);
    expect(room.shards.all).toHaveLength(1);
    expect(room.shards.pipeCount).toBe(0);
    await expect.poll(homePipeTransports, { timeout: 10_000 }).toBe(0);
    // The meeting goes on at home meanwhile.
    expect((await during(c, [await watch(c, a.mic)], 800))[0]).toBeGreaterThan(5);

    // Home still holds its 4 consumers: the site that comes back is placed on a new router, and is seen and heard.
    const b = await join('150103-venue', 2);
    const second = room.shards.shardOf(b.peerId);
    expect(second).not.toBe(room.shards.home);
    expect(srv.pool.slots.map((s) => s.routers)).toEqual([1, 1]);
    const bSeesChair = [await watch(b, c.cam), await watch(b, c.mic)];
    const chairSeesB = [await watch(c, b.cam)]; // (its microphone stays shut: the chair's mute-all holds)
    await expect.poll(async () => (await during(b, bSeesChair, 600)).every((n) => n > 5), { timeout: 15_000 }).toBe(true);
    await expect.poll(async () => (await during(c, chairSeesB, 600)).every((n) => n > 5), { timeout: 15_000 }).toBe(true);
  }, 60_000);

  it('the routers close with the meeting', async () => {
    for (const s of Object.values(sites)) await request(s.socket, 'meeting:leave', {}).catch(() => undefined);
    await expect.poll(() => srv.pool.slots.map((s) => s.routers), { timeout: 10_000 }).toEqual([0, 0]);
  });
});
