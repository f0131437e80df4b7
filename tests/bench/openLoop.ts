/**
 * An open-loop HTTP load generator for the benches: requests are sent at the times a fixed rate dictates, whether
 * or not earlier ones have been answered, and each latency counts from the time the request was due (so a stall
 * shows in every request it held back: no coordinated omission).
 *
 * Why not autocannon's rate option: it lets each connection send its quota for the second back to back at the
 * start of the second and then pause, so "500 req/s" arrives as a burst each second; and its coordinated-omission
 * correction takes 1/rate seconds as milliseconds (an expected interval of 1 ms), counting a 100 ms answer
 * a hundred times. Both made the duty API read worse than it is under a steady 500 req/s.
 *
 * Arrivals: 'poisson' (independent consoles: exponential gaps, seeded) or 'uniform' (wrk2's even spacing).
 */
import http from 'node:http';

export interface OpenLoopOptions {
  base: string;
  /** Requests per second, all paths together. */
  rate: number;
  seconds: number;
  /** Sent in turn. */
  paths: string[];
  headers?: Record<string, string>;
  arrivals?: 'poisson' | 'uniform';
  /** Connections kept open at most (requests beyond wait for one, and that wait counts). */
  maxSockets?: number;
  seed?: number;
}

export interface OpenLoopResult {
  sent: number;
  ok: number;
  failed: number;
  /** Milliseconds from when each answered request was due to its last byte, sorted. */
  latencies: number[];
  /** [ms from the start when it was due, latency ms] of each answered request, in the order answered. */
  samples: [number, number][];
  /** How late the generator itself was in sending (its own lag, ms): p99 and max. */
  sendLag: { p99: number; max: number };
}

/** A small seeded PRNG (mulberry32): the same arrivals on every run. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** The due times (ms from the start) of every request of a run. */
export function arrivalTimes(rate: number, seconds: number, arrivals: 'poisson' | 'uniform', seed = 1): number[] {
  const out: number[] = [];
  const gap = 1000 / rate;
  if (arrivals === 'uniform') {
    for (let t = 0; t < seconds * 1000; t += gap) out.push(t);
    return out;
  }
  const rnd = prng(seed);
  for (let t = -Math.log(1 - rnd()) * gap; t < seconds * 1000; t += -Math.log(1 - rnd()) * gap) out.push(t);
  return out;
}

export const percentile = (sorted: number[], p: number): number =>
  sorted.length ? sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]! : NaN;

export async function openLoop(o: OpenLoopOptions): Promise<OpenLoopResult> {
  const url = new URL(o.base);
  const agent = new http.Agent({ keepAlive: true, maxSockets: o.maxSockets ?? 64 });
  const due = arrivalTimes(o.rate, o.seconds, o.arrivals ?? 'poisson', o.seed ?? 1);
  const samples: [number, number][] = [];
  const lags: number[] = [];
  let ok = 0;
  let failed = 0;
  let next = 0;
  let pending = 0;
  const start = performance.now();
  let finish!: () => void;
  const done = new Promise<void>((r) => (finish = r));

  const send = (i: number) => {
    const dueAt = start + due[i]!;
    lags.push(performance.now() - dueAt);
    pending++;
    const req = http.get({ host: url.hostname, port: url.port, path: o.paths[i % o.paths.length], headers: o.headers, agent }, (res) => {
      res.on('data', () => undefined);
      res.on('end', () => {
        if (res.statusCode! < 300) {
          ok++;
          samples.push([due[i]!, performance.now() - dueAt]);
        } else failed++;
        settle();
      });
    });
    req.on('error', () => {
      failed++;
      settle();
    });
  };
  const settle = () => {
    pending--;
    if (next >= due.length && pending === 0) finish();
  };
  // Each tick sends everything that has fallen due; the timer is re-armed for the next due time.
  const tick = () => {
    const now = performance.now() - start;
    while (next < due.length && due[next]! <= now) send(next++);
    if (next < due.length) setTimeout(tick, Math.max(0, due[next]! - (performance.now() - start)));
    else if (pending === 0) finish();
  };
  tick();
  await done;
  agent.destroy();
  const latencies = samples.map(([, l]) => l).sort((a, b) => a - b);
  lags.sort((a, b) => a - b);
  return { sent: due.length, ok, failed, latencies, samples, sendLag: { p99: percentile(lags, 99), max: lags.at(-1) ?? 0 } };
}
