/**
 * npm run bench (figures, not pass/fail): the 116-site region meeting, simulated on real mediasoup workers.
 * Every site is synthetic (hand-built RTP from Node, tests/helpers/syntheticRtp.ts): a PlainTransport sending
 * Opus with audio levels and VP8 in three simulcast layers that answers PLI with a keyframe; three sites
 * unmuted, one of them speaking. Each site receives exactly what its console would subscribe to — the same
 * decideView (contract/subscription.ts) the console runs — with last-N audio decided by the room's
 * AudioLevelObserver (sfu/LastNAudio.ts). Printed: consumers, worker CPU and memory per worker, the same
 * meeting spread over two workers with pipeToRouter and what the pipes cost, and chair switch (点名) time
 * from the command to the new site's first 720p keyframe at every receiver. Loopback only. Then the same meeting
 * through the real server (region-meeting-e2e.ts): chair switch from the chair's socket command, through the
 * socket.io push and every console's re-subscription, to the keyframe.
 * REGION_RUNS="one,spread,server" (default) picks the runs; REGION_E2E_SITES (default REGION_SITES) sizes the last.
 *
 * Packet rates are scaled by RATE (default 0.25 of a browser's: 720p ≈ 168 pkt/s, 360p ≈ 50, 180p ≈ 20,
 * Opus 50) so that the Node process feeding 116 senders keeps up on a shared 2-core machine; worker CPU is
 * measured at that rate and projected to full rate (linear in packets), each figure says which it is.
 */
import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import type { types } from 'mediasoup';
import { resolveWorkerBin } from '../../sfu/workerBin.ts';
import type { RtpSender, RtpSink } from '../helpers/syntheticRtp.ts';

process.env.MEDIASOUP_WORKER_BIN = resolveWorkerBin();
const { WorkerPool } = await import('../../sfu/WorkerPool.ts');
const { MeetingRoom } = await import('../../sfu/MeetingRoom.ts');
const { MEDIA_CODECS } = await import('../../sfu/config.ts');
const { decideView } = await import('../../contract/subscription.ts');
const { initialControlState, reduce } = await import('../../contract/meetingControl.ts');
const rtp = await import('../helpers/syntheticRtp.ts');

const SITES = Number(process.env.REGION_SITES ?? 116);
const RATE = Number(process.env.REGION_RATE ?? 0.25);
const MEASURE_MS = Number(process.env.REGION_MEASURE_MS ?? 8000);
const RUNS = (process.env.REGION_RUNS ?? 'one,spread,server').split(',');
const LAYER_PPS = [20, 50, 168].map((p) => p * RATE);
/** Audio at a browser's rate (the AudioLevelObserver needs it; three sites only). */
const AUDIO_PPS = 50;
const LAYER_BYTES = [300, 700, 1100];

const HOST = '150000';
const units = [HOST, ...Array.from({ length: SITES - 1 }, (_, i) => String(150101 + i))];
const SPEAKING = HOST;
const UNMUTED = [HOST, units[1]!, units[2]!];
const started = performance.now();
const progress = (what: string) => process.stderr.write(`  … ${what} (${((performance.now() - started) / 1000).toFixed(0)} s)\n`);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Worker CPU seconds (utime + stime) and RSS from /proc (Linux). */
function procStat(pid: number): { cpu: number; rssMiB: number } {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const ticks = Number(f[11]) + Number(f[12]); // utime, stime (fields 14, 15)
  const rss = Number(/^VmRSS:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? NaN);
  return { cpu: ticks / 100, rssMiB: rss / 1024 };
}

interface Sender {
  unit: string;
  peerId: string;
  audioSsrc: number;
  videoSsrcs: [number, number, number];
  socket: RtpSender;
  mic: string;
  cam: string;
  seq: number[];
  pic: number[];
  keyframeDue: Set<number>;
}

/** One meeting run: senders, receivers by the console's decision, optionally spread over a second worker. */
async function runMeeting(spread: boolean) {
  // The room would spread itself over both workers (RouterShards) past 500 consumers; here it stays on one router,
  // and the spread run pipes half the receivers to the second worker itself, so the pipes' cost is what differs.
  const pool = await WorkerPool.create({ numWorkers: 2, basePort: 0, listenIps: [{ ip: '127.0.0.1' }], logLevel: 'warn', spread: { consumersPerRouter: 1e9 } });
  const room = await MeetingRoom.create(pool, `region-${spread ? 'spread' : 'one'}`);
  const other = pool.slots.find((s) => s !== room.slot)!;
  const routerB = spread ? await other.worker.createRouter({ mediaCodecs: MEDIA_CODECS }) : null;

  // ---- senders
  const senders: Sender[] = [];
  for (const [i, unit] of units.entries()) {
    const peerId = `p${unit}`;
    room.addPeer({ peerId, userId: i + 1, displayName: unit, unitCode: unit, unitName: unit });
    const t = await room.createPlainTransport(peerId, 'send');
    const audioSsrc = 10_000 + i;
    const videoSsrcs: [number, number, number] = [20_000 + i * 3, 20_001 + i * 3, 20_002 + i * 3];
    const mic = await room.produce(peerId, t.id, 'audio', rtp.opusParameters(audioSsrc), { source: 'mic' }, !UNMUTED.includes(unit));
    const cam = await room.produce(peerId, t.id, 'video', rtp.vp8SimulcastParameters(videoSsrcs), { source: 'camera' });
    const socket = await rtp.RtpSender.open(t);
    const s: Sender = { unit, peerId, audioSsrc, videoSsrcs, socket, mic: mic.producerId, cam: cam.producerId, seq: [0, 0, 0, 0], pic: [0, 0, 0], keyframeDue: new Set([0, 1, 2]) };
    socket.onRtcp((msg) => {
      for (const ssrc of rtp.keyframeRequests(msg)) {
        const layer = s.videoSsrcs.indexOf(ssrc);
        if (layer >= 0) s.keyframeDue.add(layer);
      }
    });
    senders.push(s);
  }
  const byUnit = new Map(senders.map((s) => [s.unit, s]));
  progress(`${senders.length} senders`);

  // Paced sending: a tick every 10 ms sends what each stream is due (fractional rates accumulate).
  let running = true;
  const t0 = performance.now();
  const sent = [0, 0, 0, 0];
  const pump = () => {
    if (!running) return;
    const elapsed = (performance.now() - t0) / 1000;
    for (const s of senders) {
      if (UNMUTED.includes(s.unit)) {
        while (s.seq[3]! < elapsed * AUDIO_PPS) s.socket.send(rtp.opusPacket(s.audioSsrc, ++s.seq[3]!, s.unit === SPEAKING ? -25 : -100));
      }
      for (let l = 0; l < 3; l++) {
        while (s.seq[l]! < elapsed * LAYER_PPS[l]! || s.keyframeDue.has(l)) {
          const key = s.keyframeDue.delete(l);
          s.socket.send(rtp.vp8Packet(s.videoSsrcs[l]!, ++s.seq[l]!, ++s.pic[l]!, key, LAYER_BYTES[l]!));
          sent[l]!++;
        }
      }
    }
    setTimeout(pump, 10);
  };
  pump();

  // ---- receivers: one PlainTransport and one UDP socket each (as each site has its own), on router A or B
  const sinks: RtpSink[] = [];
  const received = () => sinks.reduce((n, k) => n + [...k.packets.values()].reduce((a, b) => a + b, 0), 0);
  let control = initialControlState({ meetingId: 'region', hostUnitCode: HOST, units, endsAt: '2036-03-01T02:00:00.000Z' });
  const chair = { unitCode: HOST, chair: true };
  const step = (cmd: Parameters<typeof reduce>[1]) => {
    const r = reduce(control, cmd, chair);
    if (!r.ok) throw new Error(r.error);
    control = r.state;
  };
  step({ type: 'rollcall', unitCode: units[5]! });
  // The AudioLevelObserver finds the speaker (and only it: the other two unmuted sites are quiet).
  for (let i = 0; i < 50 && room.lastN.audible.length === 0; i++) await sleep(100);
  const audible = room.lastN.audible;
  progress(`heard: ${audible.join(', ') || 'nobody'}`);

  interface Receiver {
    unit: string;
    onB: boolean;
    transport: types.PlainTransport;
    /** producer id → its consumer for this receiver */
    consumers: Map<string, types.Consumer>;
  }
  const receivers: Receiver[] = [];
  const pipes = new Map<string, Promise<types.Producer>>(); // producer id on A → its pipe producer on B
  const pipeTo = (producerId: string) => {
    let p = pipes.get(producerId);
    if (!p) {
      p = room.router.pipeToRouter({ producerId, router: routerB! }).then((r) => r.pipeProducer!);
      pipes.set(producerId, p);
    }
    return p;
  };
  const viewOf = (unit: string) =>
    decideView({
      control,
      viewerUnit: unit,
      viewerIsChair: unit === HOST,
      hostUnitCode: HOST,
      sites: units.filter((u) => u !== unit).map((u) => ({ key: `p${u}`, unitCode: u, hasVideo: true, hasScreen: false })),
      pin: null,
      page: 0,
      audible,
    });
  const subscribe = async (r: Receiver) => {
    const v = viewOf(r.unit);
    const wanted = new Map<string, number>();
    for (const w of v.video) wanted.set(byUnit.get(w.key.slice(1))!.cam, w.layer);
    for (const key of v.audio) wanted.set(byUnit.get(key.slice(1))!.mic, -1);
    for (const [pid, c] of r.consumers) {
      if (wanted.has(pid)) continue;
      c.close();
      r.consumers.delete(pid);
    }
    const changes: Promise<unknown>[] = [];
    for (const [pid, layer] of wanted) {
      const held = r.consumers.get(pid);
      if (held) {
        if (layer >= 0 && held.preferredLayers?.spatialLayer !== layer) changes.push(held.setPreferredLayers({ spatialLayer: layer }));
        continue;
      }
      changes.push(
        (async () => {
          const spatial = layer >= 0 ? { preferredLayers: { spatialLayer: layer } } : {};
          let c: types.Consumer;
          if (r.onB) {
            const pp = await pipeTo(pid);
            c = await r.transport.consume({ producerId: pp.id, rtpCapabilities: routerB!.rtpCapabilities, paused: true, ...spatial });
            await c.resume();
          } else {
            const params = await room.consume(`rx${r.unit}`, pid, room.rtpCapabilities, layer >= 0 ? layer : undefined);
            c = room.consumer(`rx${r.unit}`, params.id);
            await room.resumeConsumer(`rx${r.unit}`, params.id);
          }
          r.consumers.set(pid, c);
        })(),
      );
    }
    await Promise.all(changes);
  };
  // Set up in parallel batches, as consoles join at once (one after another is latency-bound).
  const addReceiver = async (unit: string, i: number) => {
    const onB = spread && i % 2 === 1;
    let transport: types.PlainTransport;
    if (onB) transport = await routerB!.createPlainTransport({ listenInfo: { protocol: 'udp', ip: '127.0.0.1' }, rtcpMux: true, comedia: false });
    else {
      room.addPeer({ peerId: `rx${unit}`, userId: 1000 + i, displayName: unit, unitCode: `9${unit.slice(1)}`, unitName: unit });
      transport = await room.createPlainTransport(`rx${unit}`, 'recv');
    }
    const sink = await rtp.RtpSink.open();
    sinks.push(sink);
    await transport.connect({ ip: '127.0.0.1', port: sink.port });
    const r: Receiver = { unit, onB, transport, consumers: new Map() };
    await subscribe(r);
    receivers.push(r);
  };
  for (let i = 0; i < units.length; i += 16) {
    await Promise.all(units.slice(i, i + 16).map((u, j) => addReceiver(u, i + j)));
    progress(`${receivers.length} receivers`);
  }
  await sleep(1500); // layers settle (keyframes on the layers asked for)

  progress(`${receivers.length} receivers subscribed`);
  // ---- steady state: CPU and memory per worker over MEASURE_MS
  const workers = [room.slot, other].map((s) => s.worker);
  const before = workers.map((w) => procStat(w.pid!));
  const sentBefore = [...sent];
  const rxBefore = received();
  await sleep(MEASURE_MS);
  const after = workers.map((w) => procStat(w.pid!));
  const secs = MEASURE_MS / 1000;
  const forwarded = (received() - rxBefore) / secs;
  const videoIn = sent.reduce((a, b, i) => a + b - sentBefore[i]!, 0) / secs;
  const ingest = videoIn + UNMUTED.length * AUDIO_PPS;
  const audioOut = (receivers.reduce((n, r) => n + [...r.consumers.values()].filter((c) => c.kind === 'audio').length, 0)) * AUDIO_PPS;
  const cpu = after.map((a, i) => (a.cpu - before[i]!.cpu) / secs);

  const consumersA = receivers.filter((r) => !r.onB).reduce((n, r) => n + r.consumers.size, 0);
  const consumersB = receivers.filter((r) => r.onB).reduce((n, r) => n + r.consumers.size, 0);

  // ---- chair switch (点名): command → the new site's first 720p keyframe at every receiver
  const target = units[Math.min(40, units.length - 1)]!;
  const targetCam = byUnit.get(target)!.cam;
  // The first 720p keyframe per consumer SSRC after the command (the consumer may exist only after it).
  const firstKey = new Map<number, number>();
  let tCmd = 0;
  const onPacket = (msg: Buffer) => {
    const ssrc = rtp.ssrcOf(msg);
    if (firstKey.has(ssrc) || msg.length < LAYER_BYTES[2]! || !rtp.isVp8Keyframe(msg)) return;
    firstKey.set(ssrc, performance.now() - tCmd);
  };
  for (const k of sinks) k.onPacket = onPacket;
  tCmd = performance.now();
  step({ type: 'rollcall', unitCode: target });
  await Promise.all(receivers.map((r) => subscribe(r)));
  const ssrcs = receivers.flatMap((r) => {
    const c = r.consumers.get(targetCam);
    return c ? [c.rtpParameters.encodings![0]!.ssrc!] : [];
  });
  const expected = ssrcs.length;
  const deadline = performance.now() + 5000;
  while (ssrcs.some((x) => !firstKey.has(x)) && performance.now() < deadline) await sleep(20);
  const arrived = ssrcs.flatMap((x) => (firstKey.has(x) ? [firstKey.get(x)!] : []));
  const waiting = { size: expected - arrived.length };

  running = false;
  const rssAfter = workers.map((w) => procStat(w.pid!).rssMiB);
  const pipeCount = pipes.size;
  sinks.forEach((k) => k.close());
  senders.forEach((s) => s.socket.close());
  room.close();
  routerB?.close();
  await pool.close();
  // At browser rates: video ×1/RATE, audio as it is.
  const projectedPackets = (videoIn + (forwarded - audioOut)) / RATE + UNMUTED.length * AUDIO_PPS + audioOut;
  return { consumersA, consumersB, pipeCount, cpu, rssAfter, forwarded, ingest, arrived, expected, missed: waiting.size, audible, projectedPackets };
}

const pct = (xs: number[], p: number) => (xs.length ? [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))]! : NaN);

console.log(`region meeting, ${SITES} sites (synthetic simulcast senders, 3 unmuted, 1 speaking), roll call with 1+N; packet rates ×${RATE} of a browser's`);
const oldModel = SITES * (SITES - 1) * 2;
for (const spread of [false, true].filter((sp) => RUNS.includes(sp ? 'spread' : 'one'))) {
  const r = await runMeeting(spread);
  const total = r.consumersA + r.consumersB;
  const label = spread ? 'spread over 2 workers (pipeToRouter)' : 'one worker (one router)';
  console.log(`\n[${label}]`);
  console.log(`  consumers: ${total} in the meeting (${(total / SITES).toFixed(1)} per site; subscribing to everything would be ${oldModel})` + (spread ? `; router A ${r.consumersA}, router B ${r.consumersB}, ${r.pipeCount} producers piped A→B` : ''));
  console.log(`  heard (last-N from the AudioLevelObserver): ${r.audible.join(', ') || 'nobody'}`);
  const measured = r.ingest + r.forwarded;
  const scale = r.projectedPackets / measured; // CPU taken as linear in packets in + out
  console.log(`  packets: ${Math.round(r.ingest)}/s into the SFU, ${Math.round(r.forwarded)}/s forwarded to receivers (measured); ${Math.round(r.projectedPackets)}/s in + out at browser rates (projected)`);
  r.cpu.forEach((c, i) =>
    console.log(`  worker ${i}: ${(c * 100).toFixed(1)}% of a core measured, ≈${(c * scale * 100).toFixed(0)}% projected at browser rates; ${r.rssAfter[i]!.toFixed(1)} MiB RSS`),
  );
  const sum = r.cpu.reduce((a, b) => a + b, 0);
  console.log(`  both workers: ${(sum * 100).toFixed(1)}% measured, ≈${(sum * scale * 100).toFixed(0)}% of a core projected; ${((sum / measured) * 1e6).toFixed(1)} µs of worker CPU per packet in or out`);
  (globalThis as { scale?: number }).scale = scale;
  if (spread) (globalThis as { spreadCpu?: number }).spreadCpu = sum;
  else (globalThis as { oneCpu?: number }).oneCpu = sum;
  console.log(
    `  chair switch (点名) → first 720p keyframe of the new site: ${r.arrived.length}/${r.expected} receivers, p50 ${pct(r.arrived, 50).toFixed(0)} ms, p95 ${pct(r.arrived, 95).toFixed(0)} ms, max ${Math.max(...r.arrived).toFixed(0)} ms` +
      (r.missed ? ` (${r.missed} not within 5 s)` : '') + ' (goal ≤ 300 ms; worker level: excludes the socket.io push to the consoles)',
  );
}
const g = globalThis as { spreadCpu?: number; oneCpu?: number; scale?: number };
const scale = g.scale ?? 1;
if (g.spreadCpu !== undefined && g.oneCpu !== undefined) {
  console.log(`\npipes' cost: ${((g.spreadCpu - g.oneCpu) * 100).toFixed(1)}% of a core measured (≈${((g.spreadCpu - g.oneCpu) * scale * 100).toFixed(0)}% projected) more CPU for the spread meeting than on one worker`);
}

if (RUNS.includes('server')) {
  const { runThroughServer } = await import('./region-meeting-e2e.ts');
  const n = Number(process.env.REGION_E2E_SITES ?? SITES);
  const r = await runThroughServer(n, RATE, progress);
  const ms = (xs: number[]) => `p50 ${pct(xs, 50).toFixed(0)} ms, p95 ${pct(xs, 95).toFixed(0)} ms, max ${Math.max(...xs).toFixed(0)} ms`;
  console.log(`\n[through the server: ${r.sites} sites on socket.io, the server's own spreading (${r.routers} router(s))]`);
  console.log(`  consumers: ${r.consumers} (${(r.consumers / r.sites).toFixed(1)} per site), as each console's decideView asked over its socket`);
  if (r.failedJoins.length) console.log(`  ${r.failedJoins.length} of ${n} sites did not finish joining (left out): ${r.failedJoins.slice(0, 5).join('; ')}`);
  console.log(`  chair switch (点名) ×${r.switches}, the chair's socket command → the control:state push at each console: ${r.pushMs.length}/${r.sites * (r.switches)}, ${ms(r.pushMs)}`);
  console.log(`  → each console re-subscribed (decideView, consume, resume): ${ms(r.subscribedMs)}`);
  console.log(`  → the new site's first 720p keyframe at every receiver: ${r.keyframeMs.length}/${r.expected} receivers, ${ms(r.keyframeMs)}` +
    (r.missed.length ? ` (not within 8 s: ${r.missed.join(', ')})` : '') + ' (goal ≤ 300 ms)');
  for (const line of r.breakdown) console.log(`    ${line}`);
}
