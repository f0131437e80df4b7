/**
 * The region meeting through the real server (part of tests/bench/region-meeting.ts, printed only): every site
 * logs in as its unit's venue account, joins over socket.io and behaves as its console does — on every
 * `control:state`, `audio:audible`, `producer:new` and `producer:closed` push it runs decideView
 * (contract/subscription.ts) and closes, consumes, resumes and re-layers over the socket until it holds exactly
 * what it shows. Media is synthetic (hand-built RTP over PlainTransports that the server places on its routers,
 * as meeting-spread.test.ts does); the server spreads the meeting over its two workers itself (RouterShards).
 * Chair switch (点名) is timed end to end: from the chair's socket command to the new site's first 720p
 * keyframe at every receiver, with the moment each console got the push and finished re-subscribing.
 */
import { performance } from 'node:perf_hooks';
import type { types } from 'mediasoup';
import type { ControlState } from '../../contract/meetingControl.ts';
import type { ProducerInfo } from '../../contract/meetings.ts';
import { decideView } from '../../contract/subscription.ts';
import { connectDb } from '../../db/connect.ts';
import type { Socket as RawSocket } from 'socket.io-client';
import type { ClientEvent } from '../../contract/socket.ts';
import { Client, startTestServer, type Socket } from '../helpers/app.ts';
import * as rtp from '../helpers/syntheticRtp.ts';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** A socket request as the console makes it, with a timeout for a loaded machine (the tests' helper allows 10 s). */
function request<T = any>(socket: Socket, event: ClientEvent, payload: unknown = {}): Promise<T> {
  return new Promise((resolve, reject) => {
    (socket as unknown as RawSocket).timeout(60_000).emit(event, payload, (err: Error | null, res: any) => {
      if (err) return reject(err);
      if (res.ok) resolve(res.data as T);
      else reject(Object.assign(new Error(res.error.message), { code: res.error.code }));
    });
  });
}
const LAYER_BYTES = [300, 700, 1100];

interface Site {
  unit: string;
  socket: Socket;
  peerId: string;
  sender: rtp.RtpSender;
  sink: rtp.RtpSink;
  ssrcs: { mic: number; cam: [number, number, number] };
  keyframeDue: Set<number>;
  seq: number[];
  control: ControlState;
  audible: string[];
  producers: Map<string, ProducerInfo>;
  /** producer id → consumer (id, SSRC, layer) this console holds */
  consumers: Map<string, { id: string; ssrc: number; layer: number }>;
  /** One re-subscription at a time; a push during one asks for another after it. */
  busy: Promise<void> | null;
  again: boolean;
  pushedAt?: number;
  settledAt?: number;
  /** During the switch: when each consume, and each resume, was answered (producer id → ms since the command). */
  consumedAt: Map<string, number>;
  resumedAt: Map<string, number>;
  /** Keyframe requests (PLI/FIR) this sender got on its 720p SSRC, and the 720p keyframes it sent (ms). */
  pliAt: number[];
  keySentAt: number[];
}

export interface EndToEndResult {
  sites: number;
  consumers: number;
  routers: number;
  expected: number;
  keyframeMs: number[];
  pushMs: number[];
  subscribedMs: number[];
  /** Receivers whose main picture is the new site but got no keyframe of it in time: unit and how it got there. */
  missed: string[];
  /** Sites whose join did not complete (timed out on a loaded machine). */
  failedJoins: string[];
  /** Where the switch's time went (printed lines). */
  breakdown: string[];
}

export async function runThroughServer(siteCount: number, rate: number, progress: (what: string) => void): Promise<EndToEndResult> {
  const layerPps = [20, 50, 168].map((p) => p * rate);
  const srv = await startTestServer(await connectDb({ dataDir: 'memory://' }), { sfu: { numWorkers: 2 } });
  const clients: Client[] = [];
  const sites: Site[] = [];
  const breakdown: string[] = [];
  let pumping = true;
  let tCmd = 0;
  try {
    const host = await Client.login(srv.baseUrl, '150000-leader');
    clients.push(host);
    const res = await host.post('/api/meetings', { title: '全区视频会商（基准）', scope: { kind: 'region' } });
    if (res.status !== 201) throw new Error(`create meeting: ${res.status} ${JSON.stringify(res.body)}`);
    const meetingId: string = res.body.meeting.id;

    const hostSocket = await host.socket();
    const first = await request(hostSocket, 'meeting:join', { meetingId });
    const control0 = first.control as ControlState;
    const units = [control0.hostUnitCode, ...control0.units.filter((u) => u !== control0.hostUnitCode)].slice(0, siteCount);
    const unmuted = new Set(units.slice(0, 3));
    const room = (await srv.app.ctx.meetings.liveRoom(meetingId))!;

    const resubscribe = (s: Site): Promise<void> => {
      if (s.busy) {
        s.again = true;
        return s.busy;
      }
      s.busy = (async () => {
        do {
          s.again = false;
          await subscribeOnce(s);
        } while (s.again);
        s.busy = null;
        s.settledAt = performance.now();
      })();
      return s.busy;
    };
    const subscribeOnce = async (s: Site) => {
      const byPeer = new Map<string, { cam?: ProducerInfo; mic?: ProducerInfo; unit: string }>();
      for (const p of s.producers.values()) {
        const e = byPeer.get(p.peerId) ?? { unit: p.unitCode };
        if (p.source === 'camera') e.cam = p;
        if (p.source === 'mic') e.mic = p;
        byPeer.set(p.peerId, e);
      }
      const view = decideView({
        control: s.control, viewerUnit: s.unit, viewerIsChair: s.unit === control0.hostUnitCode, hostUnitCode: control0.hostUnitCode,
        sites: [...byPeer.entries()].map(([key, e]) => ({ key, unitCode: e.unit, hasVideo: !!e.cam, hasScreen: false })),
        pin: null, page: 0, audible: s.audible,
      });
      const wanted = new Map<string, number>();
      for (const v of view.video) {
        const cam = byPeer.get(v.key)?.cam;
        if (cam) wanted.set(cam.producerId, v.layer);
      }
      for (const key of view.audio) {
        const mic = byPeer.get(key)?.mic;
        if (mic) wanted.set(mic.producerId, -1);
      }
      const steps: Promise<unknown>[] = [];
      for (const [pid, c] of s.consumers) {
        if (wanted.has(pid)) continue;
        s.consumers.delete(pid);
        steps.push(request(s.socket, 'consumer:close', { consumerId: c.id }).catch(() => undefined));
      }
      for (const [pid, layer] of wanted) {
        const held = s.consumers.get(pid);
        if (held) {
          if (layer >= 0 && held.layer !== layer) {
            held.layer = layer;
            steps.push(request(s.socket, 'consumer:setPreferredLayers', { consumerId: held.id, spatialLayer: layer }).catch(() => undefined));
          }
          continue;
        }
        steps.push((async () => {
          const c = await request(s.socket, 'consume', { producerId: pid, rtpCapabilities: room.rtpCapabilities, ...(layer >= 0 ? { spatialLayer: layer } : {}) });
          s.consumedAt.set(pid, performance.now() - tCmd);
          s.consumers.set(pid, { id: c.id, ssrc: (c.rtpParameters as types.RtpParameters).encodings![0]!.ssrc!, layer });
          await request(s.socket, 'consumer:resume', { consumerId: c.id });
          s.resumedAt.set(pid, performance.now() - tCmd);
        })().catch(() => undefined));
      }
      await Promise.all(steps);
    };

    // ---- sites join (in batches, as consoles do at a meeting's start) and send
    const join = async (unit: string, i: number) => {
      const c = unit === control0.hostUnitCode ? host : await Client.login(srv.baseUrl, `${unit}-venue`);
      if (c !== host) clients.push(c);
      const socket = c === host ? hostSocket : await c.socket();
      const joined = c === host ? first : await request(socket, 'meeting:join', { meetingId });
      const send = await room.createPlainTransport(joined.peerId, 'send');
      const sender = await rtp.RtpSender.open(send);
      const recv = await room.createPlainTransport(joined.peerId, 'recv');
      const sink = await rtp.RtpSink.open();
      await recv.connect({ ip: '127.0.0.1', port: sink.port });
      const s: Site = {
        unit, socket, peerId: joined.peerId, sender, sink,
        ssrcs: { mic: 10_000 + i, cam: [20_000 + i * 3, 20_001 + i * 3, 20_002 + i * 3] },
        keyframeDue: new Set([0, 1, 2]), seq: [0, 0, 0, 0],
        control: joined.control, audible: joined.audible ?? [],
        producers: new Map((joined.producers as ProducerInfo[]).map((p) => [p.producerId, p])), consumers: new Map(), busy: null, again: false,
        consumedAt: new Map(), resumedAt: new Map(), pliAt: [], keySentAt: [],
      };
      sender.onRtcp((msg) => {
        for (const ssrc of rtp.keyframeRequests(msg)) {
          const l = s.ssrcs.cam.indexOf(ssrc);
          if (l >= 0) s.keyframeDue.add(l);
          if (l === 2) s.pliAt.push(performance.now() - tCmd);
        }
      });
      socket.on('control:state', (state) => {
        s.control = state;
        s.pushedAt ??= performance.now();
        void resubscribe(s);
      });
      socket.on('audio:audible', (p) => { s.audible = p.units; void resubscribe(s); });
      socket.on('producer:new', (p) => { s.producers.set(p.producerId, p); void resubscribe(s); });
      socket.on('producer:closed', (p) => { s.producers.delete(p.producerId); void resubscribe(s); });
      if (unmuted.has(unit)) await request(socket, 'produce', { transportId: send.id, kind: 'audio', rtpParameters: rtp.opusParameters(s.ssrcs.mic), appData: { source: 'mic' } });
      await request(socket, 'produce', { transportId: send.id, kind: 'video', rtpParameters: rtp.vp8SimulcastParameters(s.ssrcs.cam), appData: { source: 'camera' } });
      sites.push(s);
    };
    const failedJoins: string[] = [];
    const t0 = performance.now();
    const pump = () => {
      if (!pumping) return;
      const elapsed = (performance.now() - t0) / 1000;
      for (const s of sites) {
        if (unmuted.has(s.unit)) while (s.seq[3]! < elapsed * 50) s.sender.send(rtp.opusPacket(s.ssrcs.mic, ++s.seq[3]!, s.unit === control0.hostUnitCode ? -25 : -100));
        for (let l = 0; l < 3; l++) {
          while (s.seq[l]! < elapsed * layerPps[l]! || s.keyframeDue.has(l)) {
            const key = s.keyframeDue.delete(l);
            if (key && l === 2) s.keySentAt.push(performance.now() - tCmd);
            s.sender.send(rtp.vp8Packet(s.ssrcs.cam[l]!, ++s.seq[l]!, s.seq[l]!, key, LAYER_BYTES[l]!));
          }
        }
      }
      setTimeout(pump, 10);
    };
    pump();
    await join(units[0]!, 0);
    for (let i = 1; i < units.length; i += 4) {
      // A site whose join times out on a starved machine is left out (and counted), as a console would retry.
      await Promise.all(units.slice(i, i + 4).map((u, j) => join(u, i + j).catch((e: Error) => { failedJoins.push(`${u}: ${e.message}`); })));
      progress(`through the server: ${sites.length} sites joined`);
    }
    const chair = sites[0]!;
    await request(chair.socket, 'control', { command: { type: 'rollcall', unitCode: units[Math.min(5, units.length - 1)]! } });
    await sleep(1500);
    await Promise.all(sites.map((s) => resubscribe(s)));
    await sleep(1500); // layers settle
    const consumers = sites.reduce((n, s) => n + s.consumers.size, 0);
    progress(`through the server: ${consumers} consumers`);

    // ---- chair switch (点名), end to end
    const target = units[Math.min(40, units.length - 1)]!;
    const firstKey = new Map<number, number>();
    for (const s of sites) {
      s.pushedAt = undefined;
      s.settledAt = undefined;
      s.consumedAt.clear();
      s.resumedAt.clear();
      s.pliAt = [];
      s.keySentAt = [];
      s.sink.onPacket = (msg: Buffer) => {
        const ssrc = rtp.ssrcOf(msg);
        if (!firstKey.has(ssrc) && msg.length >= LAYER_BYTES[2]! && rtp.isVp8Keyframe(msg)) firstKey.set(ssrc, performance.now() - tCmd);
      };
    }
    // Event-loop stalls of this process (server, consoles and senders share it) during the switch.
    const stalls: [number, number][] = [];
    let lastTick = performance.now();
    const probe = setInterval(() => {
      const now = performance.now();
      if (now - lastTick > 15) stalls.push([lastTick - tCmd, now - lastTick]);
      lastTick = now;
    }, 5);
    // Looked up once: scanning every console's producer list per receiver while waiting stalled this loop for
    // ~170 ms at 116 sites, which held back the keyframe's arrival here (the bench's cost, not the product's).
    const targetPid = room.unitProducers(target, 'camera')[0]!.id;
    const targetCam = () => targetPid;
    tCmd = performance.now();
    await request(chair.socket, 'control', { command: { type: 'rollcall', unitCode: target } });
    const deadline = performance.now() + 8000;
    const watching = () => sites.flatMap((s) => {
      const pid = targetCam();
      const c = pid ? s.consumers.get(pid) : undefined;
      return c && c.layer === 2 ? [c.ssrc] : [];
    });
    while (performance.now() < deadline && (sites.some((s) => s.busy || s.settledAt === undefined) || watching().some((x) => !firstKey.has(x)))) await sleep(20);
    clearInterval(probe);
    const ssrcs = watching();
    const tgt = sites.find((x) => x.unit === target)!;
    const pid = targetCam()!;
    const f = (xs: number[]) => xs.map((x) => x.toFixed(0)).join(' ');
    const sorted = (xs: number[]) => [...xs].sort((a, b) => a - b);
    breakdown.push(`target ${target}: 720p keyframe requests at ${f(tgt.pliAt)} ms; 720p keyframes sent at ${f(tgt.keySentAt)} ms`);
    const consumed = sorted(sites.flatMap((x) => (x.consumedAt.has(pid) ? [x.consumedAt.get(pid)!] : [])));
    const resumed = sorted(sites.flatMap((x) => (x.resumedAt.has(pid) ? [x.resumedAt.get(pid)!] : [])));
    breakdown.push(`consume of the target answered: first ${f(consumed.slice(0, 1))}, p50 ${f([consumed[consumed.length >> 1] ?? NaN])}, last ${f(consumed.slice(-1))} ms (${consumed.length})`);
    breakdown.push(`resume answered: first ${f(resumed.slice(0, 1))}, p50 ${f([resumed[resumed.length >> 1] ?? NaN])}, last ${f(resumed.slice(-1))} ms`);
    breakdown.push(`event-loop stalls > 15 ms (at ms: length): ${stalls.map(([a, d]) => `${a.toFixed(0)}:${d.toFixed(0)}`).join(' ')}`);
    const missed = sites.flatMap((s) => {
      const pid = targetCam();
      const c = pid ? s.consumers.get(pid) : undefined;
      return c && c.layer === 2 && !firstKey.has(c.ssrc) ? [`${s.unit}${s.pushedAt === undefined ? ' (no push)' : ''}`] : [];
    });
    const since = (t: number | undefined) => (t === undefined ? [] : [t - tCmd]);
    return {
      sites: sites.length,
      consumers,
      routers: room.shards.all.length,
      expected: ssrcs.length,
      keyframeMs: ssrcs.flatMap((x) => (firstKey.has(x) ? [firstKey.get(x)!] : [])),
      pushMs: sites.flatMap((s) => since(s.pushedAt)),
      subscribedMs: sites.flatMap((s) => since(s.settledAt)),
      missed,
      failedJoins,
      breakdown,
    };
  } finally {
    pumping = false;
    for (const s of sites) {
      s.sender.close();
      s.sink.close();
    }
    clients.forEach((c) => c.close());
    await srv.close();
  }
}
