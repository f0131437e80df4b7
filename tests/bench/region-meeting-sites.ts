/**
 * The sites of the region meeting through the real server (region-meeting-e2e.ts starts this process): every
 * site logs in as its unit's venue account, joins over socket.io and behaves as its console does
 * (console/src/meetings/room/RoomClient.ts) — on every `control:state`, `audio:audible`, `producer:new` and
 * `producer:closed` push it runs decideView (contract/subscription.ts) and closes, consumes, resumes and
 * re-layers over its socket until it holds exactly what it shows — and sends and receives synthetic media over
 * the PlainTransports the server process makes for it (asked over IPC; the media itself runs in a third process,
 * region-meeting-media.ts). In a process of its own, as the
 * consoles are on machines of their own: the 116 consoles' sockets and the RTP pump do not share the server's
 * event loop, and a keyframe's arrival is timed by a loop the server does not stall.
 */
import { fork } from 'node:child_process';
import { performance } from 'node:perf_hooks';
import type { types } from 'mediasoup';
import type { Socket as RawSocket } from 'socket.io-client';
import type { ControlState } from '../../contract/meetingControl.ts';
import type { ProducerInfo } from '../../contract/meetings.ts';
import type { ClientEvent } from '../../contract/socket.ts';
import { decideView } from '../../contract/subscription.ts';
import { Client, type Socket } from '../helpers/app.ts';
import * as rtp from '../helpers/syntheticRtp.ts';
import type { EndToEndResult, FromSites, ToSites } from './region-meeting-e2e.ts';
import type { ToMedia } from './region-meeting-media.ts';

/** REGION_SWITCHES (1–3, default 3): how many chair switches a run times, each to another site. */
const SWITCHES = Math.min(3, Math.max(1, Number(process.env.REGION_SWITCHES) || 3));
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
/** Wall-clock ms, comparable with the server process's. */
const now = () => performance.timeOrigin + performance.now();

let nextAsk = 1;
const answers = new Map<number, (v: any) => void>();
process.on('message', (m: ToSites) => {
  answers.get(m.id)?.(m.data);
  answers.delete(m.id);
});
/** Asks the server process (which holds the mediasoup objects) and waits for its answer. */
type Question = FromSites extends infer U ? (U extends { id: number } ? Omit<U, 'id'> : never) : never;
function ask<T>(msg: Question): Promise<T> {
  const id = nextAsk++;
  return new Promise((resolve) => {
    answers.set(id, resolve);
    process.send!({ ...msg, id });
  });
}
const progress = (what: string) => process.send!({ type: 'progress', what, id: 0 } satisfies FromSites);

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

interface Site {
  unit: string;
  /** Its media's index in the media process. */
  index: number;
  socket: Socket;
  peerId: string;
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
}

async function run(baseUrl: string, siteCount: number, rate: number): Promise<EndToEndResult> {
  const media = fork(new URL('./region-meeting-media.ts', import.meta.url), [String(rate)], { execArgv: ['--import', 'tsx'] });
  const mediaAnswers = new Map<number, (v: any) => void>();
  media.on('message', (m: { id: number; data: unknown }) => {
    mediaAnswers.get(m.id)?.(m.data);
    mediaAnswers.delete(m.id);
  });
  let nextMedia = 1;
  type MediaQuestion = ToMedia extends infer U ? (U extends { id: number } ? Omit<U, 'id'> : never) : never;
  const toMedia = <T>(msg: MediaQuestion): Promise<T> => {
    const id = nextMedia++;
    return new Promise((resolve) => {
      mediaAnswers.set(id, resolve);
      media.send({ ...msg, id });
    });
  };
  const clients: Client[] = [];
  const sites: Site[] = [];
  const breakdown: string[] = [];
  let tCmd = 0;
  try {
    const host = await Client.login(baseUrl, '150000-leader');
    clients.push(host);
    const res = await host.post('/api/meetings', { title: '全区视频会商（基准）', scope: { kind: 'region' } });
    if (res.status !== 201) throw new Error(`create meeting: ${res.status} ${JSON.stringify(res.body)}`);
    const meetingId: string = res.body.meeting.id;

    const hostSocket = await host.socket();
    const first = await request(hostSocket, 'meeting:join', { meetingId });
    const control0 = first.control as ControlState;
    const rtpCapabilities = first.routerRtpCapabilities as types.RtpCapabilities;
    const units = [control0.hostUnitCode, ...control0.units.filter((u) => u !== control0.hostUnitCode)].slice(0, siteCount);
    const unmuted = new Set(units.slice(0, 3));

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
        s.settledAt = now();
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
          const c = await request(s.socket, 'consume', { producerId: pid, rtpCapabilities, ...(layer >= 0 ? { spatialLayer: layer } : {}) });
          s.consumedAt.set(pid, now() - tCmd);
          s.consumers.set(pid, { id: c.id, ssrc: (c.rtpParameters as types.RtpParameters).encodings![0]!.ssrc!, layer });
          await request(s.socket, 'consumer:resume', { consumerId: c.id });
          s.resumedAt.set(pid, now() - tCmd);
        })().catch(() => undefined));
      }
      await Promise.all(steps);
    };

    // ---- sites join (in batches, as consoles do at a meeting's start) and send
    const join = async (unit: string, i: number) => {
      const c = unit === control0.hostUnitCode ? host : await Client.login(baseUrl, `${unit}-venue`);
      if (c !== host) clients.push(c);
      const socket = c === host ? hostSocket : await c.socket();
      const joined = c === host ? first : await request(socket, 'meeting:join', { meetingId });
      const audio = !unmuted.has(unit) ? null : unit === control0.hostUnitCode ? 'loud' : 'quiet';
      const { sinkPort, ssrcs } = await toMedia<{ sinkPort: number; ssrcs: { mic: number; cam: [number, number, number] } }>({ type: 'open', index: i, audio });
      const { sendPort, sendTransportId, recvPort } = await ask<{ sendPort: number; sendTransportId: string; recvPort: number }>({ type: 'transports', meetingId, peerId: joined.peerId, sinkPort });
      await toMedia({ type: 'send', index: i, port: sendPort, recvPort });
      const s: Site = {
        unit, index: i, socket, peerId: joined.peerId,
        control: joined.control, audible: joined.audible ?? [],
        producers: new Map((joined.producers as ProducerInfo[]).map((p) => [p.producerId, p])), consumers: new Map(), busy: null, again: false,
        consumedAt: new Map(), resumedAt: new Map(),
      };
      socket.on('control:state', (state) => {
        s.control = state;
        s.pushedAt ??= now();
        void resubscribe(s);
      });
      socket.on('audio:audible', (p) => { s.audible = p.units; void resubscribe(s); });
      socket.on('producer:new', (p) => { s.producers.set(p.producerId, p); void resubscribe(s); });
      socket.on('producer:closed', (p) => { s.producers.delete(p.producerId); void resubscribe(s); });
      if (unmuted.has(unit)) await request(socket, 'produce', { transportId: sendTransportId, kind: 'audio', rtpParameters: rtp.opusParameters(ssrcs.mic), appData: { source: 'mic' } });
      await request(socket, 'produce', { transportId: sendTransportId, kind: 'video', rtpParameters: rtp.vp8SimulcastParameters(ssrcs.cam), appData: { source: 'camera' } });
      sites.push(s);
    };
    const failedJoins: string[] = [];
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

    // ---- chair switch (点名), end to end: a few, to different sites (a run's one set-up serves them all)
    const switchTo = async (target: string) => {
      const firstKey = new Map<number, number>();
      for (const s of sites) {
        s.pushedAt = undefined;
        s.settledAt = undefined;
        s.consumedAt.clear();
        s.resumedAt.clear();
      }
      // Looked up once (scanning every console's producer list per receiver while waiting stalled the loop).
      const { producerId: targetPid } = await ask<{ producerId: string }>({ type: 'cameraOf', meetingId, unitCode: target });
      // Event-loop stalls of this process during the switch.
      const stalls: [number, number][] = [];
      let lastTick = now();
      const probe = setInterval(() => {
        const t = now();
        if (t - lastTick > 15) stalls.push([lastTick - tCmd, t - lastTick]);
        lastTick = t;
      }, 5);
      const cpu0 = process.cpuUsage();
      tCmd = now();
      await Promise.all([toMedia({ type: 'switch', at: tCmd }), ask({ type: 'mark', at: tCmd })]);
      await request(chair.socket, 'control', { command: { type: 'rollcall', unitCode: target } });
      const deadline = now() + 8000;
      const watching = () => sites.flatMap((s) => {
        const c = s.consumers.get(targetPid);
        return c && c.layer === 2 ? [c.ssrc] : [];
      });
      const tgt = sites.find((x) => x.unit === target)!;
      type Keyframes = { arrived: [number, number][]; pliAt: number[]; keySentAt: number[]; drops: number; askedAgain: number; dropsAt: [number, number][]; mine: number[] };
      let keys: Keyframes = { arrived: [], pliAt: [], keySentAt: [], drops: 0, askedAgain: 0, dropsAt: [], mine: [] };
      const poll = async () => {
        keys = await toMedia<Keyframes>({ type: 'keyframes', ssrcs: watching(), target: tgt.index });
        for (const [x, t] of keys.arrived) firstKey.set(x, t);
      };
      while (now() < deadline && (sites.some((s) => s.busy || s.settledAt === undefined) || watching().some((x) => !firstKey.has(x)))) {
        await sleep(20);
        if (!sites.some((s) => s.busy || s.settledAt === undefined)) await poll();
      }
      await poll();
      clearInterval(probe);
      type Seen = Record<'resumed' | 'keyOut' | 'pliOut' | 'keyIn', number[]>;
      const cpu = process.cpuUsage(cpu0);
      const switchMs = now() - tCmd;
      const { serverStalls, routers, seen, serverCpuMs, plainPorts } = await ask<{ serverStalls: [number, number][]; routers: number; seen: Seen | null; serverCpuMs: number; plainPorts: number[] }>({ type: 'mark', at: 0 });
      const whose = (port: number) => (keys.mine.includes(port) ? 'a site' : plainPorts.includes(port) ? "a site's PlainTransport" : 'the server (a pipe between routers?)');
      const dropsAt = keys.dropsAt.map(([p, n]) => `${n} at ${p} (${whose(p)})`).join(', ');
      const ssrcs = watching();
      const f = (xs: number[]) => xs.map((x) => x.toFixed(0)).join(' ');
      const sorted = (xs: number[]) => [...xs].sort((a, b) => a - b);
      const spread = (xs: number[]) => `first ${f(xs.slice(0, 1))}, p50 ${f([xs[xs.length >> 1] ?? NaN])}, last ${f(xs.slice(-1))} ms (${xs.length})`;
      breakdown.push(`→ ${target}: push p50 ${f([sorted(sites.flatMap((x) => since(x.pushedAt)))[sites.length >> 1] ?? NaN])} ms; the target's 720p keyframe requests at ${f(keys.pliAt)} ms; 720p keyframes sent at ${f(keys.keySentAt)} ms`);
      breakdown.push(`consume of the target answered: ${spread(sorted(sites.flatMap((x) => (x.consumedAt.has(targetPid) ? [x.consumedAt.get(targetPid)!] : []))))}`);
      breakdown.push(`its resume answered: ${spread(sorted(sites.flatMap((x) => (x.resumedAt.has(targetPid) ? [x.resumedAt.get(targetPid)!] : []))))}`);
      const stallText = (xs: [number, number][]) => xs.map(([a, d]) => `${a.toFixed(0)}:${d.toFixed(0)}`).join(' ') || 'none';
      if (seen) {
        breakdown.push(`mediasoup: the target's producer sent keyframe requests at ${f(seen.pliOut)} ms, got keyframes at ${f(seen.keyIn)} ms`);
        breakdown.push(`mediasoup: its new consumers resumed ${spread(sorted(seen.resumed))}; their first keyframe out ${spread(sorted(seen.keyOut))}`);
      }
      breakdown.push(`CPU over the switch's ${switchMs.toFixed(0)} ms (to the last keyframe, polled every 20 ms): the server's process ${serverCpuMs.toFixed(0)} ms, the consoles' ${((cpu.user + cpu.system) / 1000).toFixed(0)} ms`);
      breakdown.push(`event-loop stalls > 15 ms (at ms: length), the server's: ${stallText(serverStalls)}`);
      breakdown.push(`… the sites' process: ${stallText(stalls)}`);
      breakdown.push(`UDP datagrams dropped for a full receive buffer during the switch (this namespace): ${keys.drops}; receivers that got 720p without its keyframe and sent PLI: ${keys.askedAgain}${dropsAt ? `; most at ${dropsAt}` : ''}`);
      const missed = sites.flatMap((s) => {
        const c = s.consumers.get(targetPid);
        return c && c.layer === 2 && !firstKey.has(c.ssrc) ? [`${s.unit}${s.pushedAt === undefined ? ' (no push)' : ''} (→ ${target})`] : [];
      });
      return {
        routers,
        expected: ssrcs.length,
        keyframeMs: ssrcs.flatMap((x) => (firstKey.has(x) ? [firstKey.get(x)!] : [])),
        pushMs: sites.flatMap((s) => since(s.pushedAt)),
        subscribedMs: sites.flatMap((s) => since(s.settledAt)),
        missed,
      };
    };
    const since = (t: number | undefined) => (t === undefined ? [] : [t - tCmd]);
    const targets = [...new Set([40, 80, 20].slice(0, SWITCHES).map((i) => units[Math.min(i, units.length - 1)]!))];
    const runs = [];
    for (const target of targets) {
      runs.push(await switchTo(target));
      await sleep(1500); // layers settle before the next
    }
    return {
      sites: sites.length,
      consumers,
      routers: runs.at(-1)!.routers,
      expected: runs.reduce((n, r) => n + r.expected, 0),
      keyframeMs: runs.flatMap((r) => r.keyframeMs),
      pushMs: runs.flatMap((r) => r.pushMs),
      subscribedMs: runs.flatMap((r) => r.subscribedMs),
      missed: runs.flatMap((r) => r.missed),
      failedJoins,
      breakdown,
      switches: targets.length,
    };
  } finally {
    media.kill();
    clients.forEach((c) => c.close());
  }
}

const [baseUrl, count, rate] = process.argv.slice(2);
run(baseUrl!, Number(count), Number(rate)).then(
  (result) => process.send!({ type: 'result', result, id: 0 } satisfies FromSites, () => process.exit(0)),
  (e: Error) => process.send!({ type: 'failed', error: e.stack ?? e.message, id: 0 } satisfies FromSites, () => process.exit(1)),
);
