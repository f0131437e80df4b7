/**
 * The region meeting through the real server (part of tests/bench/region-meeting.ts, printed only): this
 * process runs the server (its two mediasoup workers, RouterShards spreading the meeting itself); the sites —
 * every unit's console over socket.io and its synthetic media — run in a second process
 * (region-meeting-sites.ts), as consoles do on machines of their own, so the server's event loop carries the
 * server's work only. The sites ask this process over IPC for what a browser would get by WebRTC: PlainTransports
 * on the router the server placed them on (as meeting-spread.test.ts does). Chair switch (点名) is timed end to
 * end: from the chair's socket command to the new site's first 720p keyframe at every receiver, with the
 * moment each console got the push and finished re-subscribing.
 */
import { fork } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { performance } from 'node:perf_hooks';
import type { types } from 'mediasoup';
import { connectDb } from '../../db/connect.ts';
import { startTestServer } from '../helpers/app.ts';

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
  /** Where each switch's time went (printed lines). */
  breakdown: string[];
  /** How many switches the figures pool (each receiver once per switch). */
  switches: number;
}

/** The sites' process → this one (`id` pairs a question with its answer). */
export type FromSites = { id: number } & (
  | { type: 'transports'; meetingId: string; peerId: string; sinkPort: number }
  | { type: 'cameraOf'; meetingId: string; unitCode: string }
  /** The switch starts (`at`, wall-clock ms) or ends (0): this process's event-loop stalls in between. */
  | { type: 'mark'; at: number }
  | { type: 'progress'; what: string }
  | { type: 'result'; result: EndToEndResult }
  | { type: 'failed'; error: string }
);
export interface ToSites {
  id: number;
  data: unknown;
}

/** REGION_PROFILE=<file>: a CPU profile of the server process during the switch (Chrome DevTools format). */
const PROFILE = process.env.REGION_PROFILE;
/** REGION_TRACE=1: mediasoup's view of the switch by trace events (costs the server a request per new consumer). */
const TRACE = process.env.REGION_TRACE === '1';
const now = () => performance.timeOrigin + performance.now();

export async function runThroughServer(siteCount: number, rate: number, progress: (what: string) => void): Promise<EndToEndResult> {
  const srv = await startTestServer(await connectDb({ dataDir: 'memory://' }), { sfu: { numWorkers: 2 } });
  const child = fork(new URL('./region-meeting-sites.ts', import.meta.url), [srv.baseUrl, String(siteCount), String(rate)], {
    execArgv: ['--import', 'tsx'],
  });
  let tSwitch = 0;
  let cpu0 = process.cpuUsage();
  let meetingId = '';
  let targetPid = '';
  const recvs: types.PlainTransport[] = [];
  /**
   * Seen by mediasoup during the switch (ms from the command): the target's new consumers resumed (in this
   * process) and their first keyframe out, its producer's keyframe requests out and keyframes in (in the worker).
   */
  const seen = { resumed: [] as number[], keyOut: [] as number[], pliOut: [] as number[], keyIn: [] as number[] };
  const since = () => now() - tSwitch;
  // A trace event's timestamp is the worker's uv_hrtime in ms (CLOCK_MONOTONIC, as process.hrtime): when it happened
  // in the worker, not when this loop got round to the notification.
  const inWorker = (ts: number | bigint) => Number(ts) - Number(process.hrtime.bigint() / 1_000_000n) + since();
  const sends: types.PlainTransport[] = [];
  const plainPorts = () => [...sends, ...recvs].map((t) => t.tuple.localPort);
  const watched = new Set<types.PlainTransport>();
  const watch = async () => {
    for (const k of Object.values(seen)) k.length = 0;
    for (const t of recvs) {
      if (watched.has(t)) continue;
      watched.add(t);
      t.observer.on('newconsumer', (c) => {
        if (c.producerId !== targetPid) return;
        c.observer.once('resume', () => seen.resumed.push(since()));
        let first = true;
        c.on('trace', (e) => {
          if (e.type === 'keyframe' && first) seen.keyOut.push(inWorker(e.timestamp));
          first = false;
        });
        void c.enableTraceEvent(['keyframe']).catch(() => undefined);
      });
    }
    const pr = (await room(meetingId)).unitProducers(targetUnit, 'camera')[0]!;
    pr.on('trace', (e) => {
      if (e.type === 'keyframe') seen.keyIn.push(inWorker(e.timestamp));
      else seen.pliOut.push(inWorker(e.timestamp));
    });
    await pr.enableTraceEvent(['keyframe', 'pli', 'fir']);
  };
  let targetUnit = '';
  const insp = new Session();
  const stalls: [number, number][] = [];
  let lastTick = now();
  const probe = setInterval(() => {
    const t = now();
    if (tSwitch && t - lastTick > 15) stalls.push([lastTick - tSwitch, t - lastTick]);
    lastTick = t;
  }, 5);
  const room = async (meetingId: string) => {
    const r = await srv.app.ctx.meetings.liveRoom(meetingId);
    if (!r) throw new Error(`meeting ${meetingId} is not live`);
    return r;
  };
  const answer = async (m: FromSites): Promise<unknown> => {
    switch (m.type) {
      case 'transports': {
        meetingId = m.meetingId;
        const r = await room(m.meetingId);
        const send = await r.createPlainTransport(m.peerId, 'send');
        const recv = await r.createPlainTransport(m.peerId, 'recv');
        await recv.connect({ ip: '127.0.0.1', port: m.sinkPort });
        recvs.push(recv);
        sends.push(send);
        return { sendPort: send.tuple.localPort, sendTransportId: send.id, recvPort: recv.tuple.localPort };
      }
      case 'cameraOf':
        targetUnit = m.unitCode;
        targetPid = (await room(m.meetingId)).unitProducers(m.unitCode, 'camera')[0]!.id;
        return { producerId: targetPid };
      case 'mark': {
        if (m.at) {
          tSwitch = m.at;
          cpu0 = process.cpuUsage();
          if (TRACE) await watch();
          if (PROFILE) {
            insp.connect();
            await insp.post('Profiler.enable');
            await insp.post('Profiler.setSamplingInterval', { interval: 200 });
            await insp.post('Profiler.start');
          }
          return {};
        }
        if (PROFILE) writeFileSync(PROFILE, JSON.stringify((await insp.post('Profiler.stop')).profile));
        const cpu = process.cpuUsage(cpu0);
        tSwitch = 0; // stalls between switches are not the switch's
        return { serverStalls: stalls.splice(0), seen: TRACE ? seen : null, plainPorts: plainPorts(), serverCpuMs: (cpu.user + cpu.system) / 1000, routers: (await room(meetingId)).shards.all.length };
      }
      default:
        return {};
    }
  };
  try {
    return await new Promise<EndToEndResult>((resolve, reject) => {
      child.on('message', (m: FromSites) => {
        if (m.type === 'progress') return progress(m.what);
        if (m.type === 'result') return resolve(m.result);
        if (m.type === 'failed') return reject(new Error(m.error));
        answer(m).then(
          (data) => child.send({ id: m.id, data } satisfies ToSites),
          (e: Error) => reject(e),
        );
      });
      child.on('exit', (code) => reject(new Error(`the sites' process exited (${code})`)));
    });
  } finally {
    clearInterval(probe);
    child.kill();
    await srv.close();
  }
}
