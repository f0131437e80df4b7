/**
 * The real server for the duty-load bench (duty-load.ts), in its own process, on DATABASE_URL's Postgres, with
 * measuring around it only: every request runs in an AsyncLocalStorage context that sums the time spent waiting
 * for a pooled connection, the queries and their time (pg's Pool.connect and Client.query, wrapped here), and the
 * bytes sent, and the event loop's delay (a busy loop holds every request back). GET /__bench/stats (answered
 * before the app) returns the per-route sums and the loop's delay and resets them. The per-request measuring
 * (AsyncLocalStorage turns on Node's promise hooks, which cost every await) runs only after
 * GET /__bench/detail?on=1, so the timed runs measure the server as it is; ?on=0 turns it off again. The stats
 * also count V8's collections; GET /__bench/gc runs a full one.
 * Prints "SERVER_READY port=N" when it listens.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import type http from 'node:http';
import { constants, monitorEventLoopDelay, performance, PerformanceObserver } from 'node:perf_hooks';
import v8 from 'node:v8';
import vm from 'node:vm';
import pg from 'pg';
import pino from 'pino';
import { resolveWorkerBin } from '../../sfu/workerBin.ts';

process.env.MEDIASOUP_WORKER_BIN = resolveWorkerBin();
const { connectDb } = await import('../../db/connect.ts');
const { WorkerPool } = await import('../../sfu/WorkerPool.ts');
const { createApp } = await import('../../server/app.ts');

interface Sample { poolWaitMs: number; queries: number; queryMs: number; sql: string[] }
interface RouteStats { count: number; totalMs: number; poolWaitMs: number; queries: number; queryMs: number; bytes: number; maxBytes: number; sql: Record<string, number> }
const als = new AsyncLocalStorage<Sample>();

const poolConnect = pg.Pool.prototype.connect as (this: pg.Pool) => Promise<pg.PoolClient>;
pg.Pool.prototype.connect = async function (this: pg.Pool) {
  const s = als.getStore();
  const t0 = performance.now();
  const client = await poolConnect.call(this);
  if (s) s.poolWaitMs += performance.now() - t0;
  return client;
} as typeof pg.Pool.prototype.connect;
const clientQuery = pg.Client.prototype.query as (...args: unknown[]) => Promise<unknown>;
pg.Client.prototype.query = function (this: pg.Client, ...args: unknown[]) {
  const s = als.getStore();
  if (!s || typeof args.at(-1) === 'function') return clientQuery.apply(this, args);
  const t0 = performance.now();
  s.queries++;
  const text = typeof args[0] === 'string' ? args[0] : String((args[0] as { text?: string })?.text ?? '');
  s.sql.push(text.replace(/\s+/g, ' ').slice(0, 90));
  return clientQuery.apply(this, args).finally(() => { s.queryMs += performance.now() - t0; });
} as typeof pg.Client.prototype.query;

const dbHandle = await connectDb({ databaseUrl: process.env.DATABASE_URL, onIdleError: () => undefined });
const pool = await WorkerPool.create({ numWorkers: 1, basePort: 0, listenIps: [{ ip: '127.0.0.1' }], logLevel: 'warn' });
const app = await createApp({ dbHandle, pool, seed: true, log: pino({ level: 'warn' }) });

let stats = new Map<string, RouteStats>();
let detail = false;
const loop = monitorEventLoopDelay({ resolution: 5 });
loop.enable();
// V8's collections since the last stats read: full (mark-compact) and young, with their longest pause.
let gcs = { full: 0, young: 0, fullMaxMs: 0, fullMs: 0 };
new PerformanceObserver((list) => {
  for (const e of list.getEntries()) {
    const kind = (e as PerformanceEntry & { detail?: { kind?: number } }).detail?.kind;
    if (kind === constants.NODE_PERFORMANCE_GC_MAJOR) {
      gcs.full++;
      gcs.fullMs += e.duration;
      gcs.fullMaxMs = Math.max(gcs.fullMaxMs, e.duration);
    } else if (kind === constants.NODE_PERFORMANCE_GC_MINOR) gcs.young++;
  }
}).observe({ entryTypes: ['gc'] });
// A full collection on request (GET /__bench/gc): what seeding left behind goes before the measured runs.
v8.setFlagsFromString('--expose-gc');
const fullGc = vm.runInNewContext('gc') as () => void;
/** GET /api/reports/0f…/docx → GET /api/reports/:id/docx (query strings dropped). */
const routeOf = (req: http.IncomingMessage) =>
  `${req.method} ${(req.url ?? '').split('?')[0]!.replace(/\/[0-9a-f]{8}-[0-9a-f-]{27}/g, '/:id').replace(/\/\d+(?=\/|$)/g, '/:n')}`;

const handlers = app.server.listeners('request') as ((req: http.IncomingMessage, res: http.ServerResponse) => void)[];
app.server.removeAllListeners('request');
app.server.on('request', (req: http.IncomingMessage, res: http.ServerResponse) => {
  if (req.url === '/__bench/stats') {
    res.setHeader('content-type', 'application/json');
    const ms = (ns: number) => Math.round(ns / 1e4) / 100;
    const r1 = (x: number) => Math.round(x * 10) / 10;
    res.end(JSON.stringify({ routes: Object.fromEntries(stats), loop: { p50: ms(loop.percentile(50)), p99: ms(loop.percentile(99)), max: ms(loop.max) }, gc: { ...gcs, fullMaxMs: r1(gcs.fullMaxMs), fullMs: r1(gcs.fullMs) } }));
    stats = new Map();
    gcs = { full: 0, young: 0, fullMaxMs: 0, fullMs: 0 };
    loop.reset();
    if (process.env.DUTY_LOAD_SERVER_LOG) console.log(`BENCH_STATS_READ ${Math.round(performance.now())} ms`); // a phase mark in the server's log
    return;
  }
  if (req.url === '/__bench/gc') {
    fullGc();
    res.end();
    return;
  }
  if (req.url === '/__bench/ping') { // the bare HTTP server, for comparison (DUTY_LOAD_ROUTES=/__bench/ping)
    res.setHeader('content-type', 'application/json');
    res.end('{"ok":true}');
    return;
  }
  if (req.url?.startsWith('/__bench/detail?on=')) {
    detail = req.url.endsWith('=1');
    if (!detail) als.disable();
    res.end();
    return;
  }
  if (!detail) {
    handlers.forEach((h) => h.call(app.server, req, res));
    return;
  }
  const sample: Sample = { poolWaitMs: 0, queries: 0, queryMs: 0, sql: [] };
  const t0 = performance.now();
  const key = routeOf(req); // now: Express rewrites req.url inside mounted routers
  let bytes = 0;
  const write = res.write.bind(res) as (...a: unknown[]) => boolean;
  const end = res.end.bind(res) as (...a: unknown[]) => http.ServerResponse;
  const size = (chunk: unknown) => (typeof chunk === 'string' ? Buffer.byteLength(chunk) : chunk instanceof Uint8Array ? chunk.length : 0);
  res.write = ((chunk: unknown, ...rest: unknown[]) => { bytes += size(chunk); return write(chunk, ...rest); }) as typeof res.write;
  res.end = ((chunk?: unknown, ...rest: unknown[]) => { if (typeof chunk !== 'function') bytes += size(chunk); return end(chunk, ...rest); }) as typeof res.end;
  res.on('finish', () => {
    const r = stats.get(key) ?? { count: 0, totalMs: 0, poolWaitMs: 0, queries: 0, queryMs: 0, bytes: 0, maxBytes: 0, sql: {} };
    for (const q of sample.sql) r.sql[q] = (r.sql[q] ?? 0) + 1;
    r.count++;
    r.totalMs += performance.now() - t0;
    r.poolWaitMs += sample.poolWaitMs;
    r.queries += sample.queries;
    r.queryMs += sample.queryMs;
    r.bytes += bytes;
    r.maxBytes = Math.max(r.maxBytes, bytes);
    stats.set(key, r);
  });
  als.run(sample, () => handlers.forEach((h) => h.call(app.server, req, res)));
});

// DUTY_LOAD_HEAP_SURVIVORS=file: V8's sampling heap profiler, keeping what outlived the young generation (the
// objects a minor GC freed are dropped, the ones a major GC freed kept): what the server promotes, by stack;
// DUTY_LOAD_HEAP_ALL=1 keeps them all: what it allocates.
const survivorsFile = process.env.DUTY_LOAD_HEAP_SURVIVORS;
const heapSession = survivorsFile ? new (await import('node:inspector/promises')).Session() : undefined;
if (heapSession) {
  heapSession.connect();
  await heapSession.post('HeapProfiler.startSampling', { samplingInterval: 2048, includeObjectsCollectedByMajorGC: true, includeObjectsCollectedByMinorGC: process.env.DUTY_LOAD_HEAP_ALL === '1' } as object);
}

const port = await app.listen(Number(process.env.TEST_PORT ?? 0), '127.0.0.1');
console.log(`SERVER_READY port=${port}`);
process.once('SIGTERM', () => {
  void (async () => {
    if (heapSession && survivorsFile) {
      const { profile } = await heapSession.post('HeapProfiler.stopSampling');
      (await import('node:fs')).writeFileSync(survivorsFile, JSON.stringify(profile));
    }
    await app.close();
    await pool.close();
    await dbHandle.close();
    process.exit(0);
  })();
});
