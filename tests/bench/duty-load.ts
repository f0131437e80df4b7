/**
 * npm run bench (and alone: `npx tsx tests/bench/duty-load.ts`): the duty API under load, printed only.
 * The real server in its own process (duty-load-server.ts) on Postgres — a fresh database on TEST_DATABASE_URL's
 * server or a throwaway cluster of its own, as scripts/test.sh starts one — with reports, incidents, meetings and
 * a roster made through the API. A read mix goes as a logged-in county and a city duty officer (the reports list,
 * incidents, who is on duty, meetings), sent open loop (openLoop.ts: Poisson arrivals at the rate, each latency
 * from when its request was due).
 * Prints p50/p99/throughput per rate, and where the server's time goes per route (pool wait, queries and their
 * time, JSON size, event-loop delay) from the server's own measurements, the CPU the server, its Postgres
 * backends and the load generator used per request (/proc; on a shared machine the figure that does not
 * depend on what the others run), and with a cluster of its own the statements Postgres spent most time on
 * (pg_stat_statements). Bounded: DUTY_LOAD_SECONDS (default 15) per rate.
 *
 * Env: DUTY_LOAD_RATES="250,500" (req/s, both users together), DUTY_LOAD_SECONDS=15 (after DUTY_LOAD_WARMUP=3 s
 * at the same rate, not counted), DUTY_LOAD_REPORTS=100,
 * DUTY_LOAD_ROUTES=/api/reports,… (the mix), DUTY_LOAD_NODE_FLAGS="--max-semi-space-size=64" (the server's node), DUTY_LOAD_CONNECTIONS=16 (per user, at most), DUTY_LOAD_ARRIVALS=poisson|uniform, DUTY_LOAD_PROFILE=dir (a CPU
 * profile of the server).
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import { randomBytes, randomUUID } from 'node:crypto';
import os from 'node:os';
import pg from 'pg';
import { openLoop, percentile, type OpenLoopResult } from './openLoop.ts';
import { createPgCluster, type PgCluster } from '../helpers/pgCluster.ts';
import { DEMO_PASSWORD } from '../../server/seed/demo.ts';

const RATES = (process.env.DUTY_LOAD_RATES ?? '250,500').split(',').map(Number);
const SECONDS = Number(process.env.DUTY_LOAD_SECONDS ?? 15);
const REPORTS = Number(process.env.DUTY_LOAD_REPORTS ?? 100);
const CONNECTIONS = Number(process.env.DUTY_LOAD_CONNECTIONS ?? 16);
const WARMUP = Number(process.env.DUTY_LOAD_WARMUP ?? 3);
const ARRIVALS = process.env.DUTY_LOAD_ARRIVALS === 'uniform' ? 'uniform' : 'poisson';
const ROUTES = process.env.DUTY_LOAD_ROUTES?.split(',') ?? ['/api/reports', '/api/reports/incidents', '/api/duty/now', '/api/meetings'];
const load = () => os.loadavg().map((l) => l.toFixed(1)).join(' / ');
/** CPU time the hypervisor gave to others while this VM wanted it (steal, /proc/stat), in ms so far (0 if unknown). */
const stealMs = () => {
  const f = fs.readFileSync('/proc/stat', 'utf8').split('\n')[0]!.trim().split(/\s+/);
  return ((Number(f[8]) || 0) * 1000) / 100;
};

// The database: a fresh one on TEST_DATABASE_URL's server, or a cluster of our own (fsync off, like the tests').
let cluster: PgCluster | null = null;
let adminUrl = process.env.TEST_DATABASE_URL;
if (!adminUrl) {
  cluster = createPgCluster();
  adminUrl = cluster.url;
  // Our own cluster: load pg_stat_statements (a restart), to print what Postgres spends its time on.
  const c = new pg.Client({ connectionString: adminUrl });
  await c.connect();
  await c.query(`alter system set shared_preload_libraries = 'pg_stat_statements'`);
  await c.end();
  cluster.stop('fast');
  cluster.start();
}
const dbName = `tl_duty_load_${randomBytes(4).toString('hex')}`;
const admin = new pg.Client({ connectionString: adminUrl });
await admin.connect();
await admin.query(`create database ${dbName}`);
const url = new URL(adminUrl);
url.pathname = `/${dbName}`;
// In the bench's database, as the superuser (the app's role may not read other roles' statements' text).
const statDb = new pg.Client({ connectionString: url.toString() });
await statDb.connect();
const statements = await statDb.query('create extension if not exists pg_stat_statements').then(() => true, () => false);

/** CPU seconds (user + system) of a process so far, from /proc (0 once it is gone). */
const cpuOf = (pid: number) => {
  try {
    const f = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    return (Number(f[11]) + Number(f[12])) / 100;
  } catch {
    return 0;
  }
};
/** The Postgres backends serving our database (the server's pool), by pid. */
const backends = async () => (await statDb.query<{ pid: number }>('select pid from pg_stat_activity where datname = current_database() and pid <> pg_backend_pid()', [])).rows.map((r) => r.pid);

// node with tsx's loader directly (not npx): SIGTERM then reaches the server itself.
// DUTY_LOAD_PROFILE=dir: the server writes a V8 CPU profile there when it ends (open it in Chrome's DevTools).
const profile = process.env.DUTY_LOAD_PROFILE ? ['--cpu-prof', `--cpu-prof-dir=${process.env.DUTY_LOAD_PROFILE}`] : [];
const serverFlags = process.env.DUTY_LOAD_NODE_FLAGS?.split(' ').filter(Boolean) ?? [];
const server = spawn(process.execPath, [...serverFlags, ...profile, '--import', 'tsx', 'tests/bench/duty-load-server.ts'], {
  env: { ...process.env, DATABASE_URL: url.toString(), TEST_PORT: '0' },
  stdio: ['ignore', 'pipe', 'inherit'],
});
const cleanup = async () => {
  server.kill('SIGTERM');
  await new Promise((r) => setTimeout(r, 1500));
  await statDb.end().catch(() => undefined);
  await admin.query(`drop database if exists ${dbName} with (force)`).catch(() => undefined);
  await admin.end();
  cluster?.destroy();
};
const port = await new Promise<number>((resolve, reject) => {
  let out = '';
  // DUTY_LOAD_SERVER_LOG=file: the server's stdout there too (with DUTY_LOAD_NODE_FLAGS=--trace-gc, its GCs).
  const log = process.env.DUTY_LOAD_SERVER_LOG ? fs.createWriteStream(process.env.DUTY_LOAD_SERVER_LOG) : null;
  server.stdout.on('data', (d: Buffer) => {
    log?.write(d);
    out += d.toString();
    const m = /SERVER_READY port=(\d+)/.exec(out);
    if (m) resolve(Number(m[1]));
  });
  server.once('exit', (code) => reject(new Error(`server exited (${code}) before it was ready`)));
});
const base = `http://127.0.0.1:${port}`;

async function login(username: string): Promise<string> {
  const res = await fetch(`${base}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username, password: DEMO_PASSWORD }) });
  if (res.status !== 200) throw new Error(`login ${username}: ${res.status}`);
  return res.headers.getSetCookie().find((c) => c.startsWith('tl_session='))!.split(';')[0]!;
}
async function post(cookie: string, path: string, body: unknown): Promise<void> {
  const res = await fetch(base + path, { method: 'POST', headers: { 'content-type': 'application/json', cookie }, body: JSON.stringify(body) });
  if (res.status >= 300) throw new Error(`POST ${path}: ${res.status} ${await res.text()}`);
}

try {
  // Data: REPORTS signed reports from two counties (each opens an incident), some meetings of the city.
  const counties = [await login('150102-leader'), await login('150103-leader')];
  for (let i = 0; i < REPORTS; i++) {
    await post(counties[i % 2]!, '/api/reports', {
      requestId: randomUUID(), action: 'sign', title: `负载测试报告 ${i}`, eventTime: new Date(Date.now() - 3600_000).toISOString(),
      place: '新城区某街道', grade: 3 + (i % 2), summary: '某路段积水约四十厘米，已组织抽排，交通管制中。'.repeat(6),
    });
  }
  const cityLeader = await login('150100-leader');
  for (let i = 0; i < 10; i++) await post(cityLeader, '/api/meetings', { title: `调度会 ${i}`, scope: { kind: 'cityWithCounties', cityCode: '150100' } });
  const users = { county: await login('150102-duty'), city: await login('150100-duty') };
  // A database in its steady state, as a working one is: the rows just made analysed and vacuumed now, not by an
  // autovacuum worker in the middle of a measured run.
  await statDb.query('vacuum analyze');
  // And the server's heap as a working one's: seeding's garbage collected now, not by the first full collection
  // of a measured run (it held the slowest requests of the first run; how many a run has is printed).
  await fetch(`${base}/__bench/gc`);
  type RouteStats = { count: number; totalMs: number; poolWaitMs: number; queries: number; queryMs: number; bytes: number; maxBytes: number; sql: Record<string, number> };
  const serverStats = async () => (await fetch(`${base}/__bench/stats`)).json() as Promise<{ routes: Record<string, RouteStats>; loop: { p50: number; p99: number; max: number }; gc: { full: number; young: number; fullMaxMs: number; fullMs: number } }>;
  const stats = async () => (await serverStats()).routes;

  // One unloaded pass: the size of each answer per user.
  for (const [who, cookie] of Object.entries(users)) {
    const sizes = await Promise.all(ROUTES.map(async (r) => `${r} ${((await (await fetch(base + r, { headers: { cookie } })).arrayBuffer()).byteLength / 1024).toFixed(1)} KiB`));
    // What waits for the user: read on load and reconnect only (pushes keep it current), so not in the mix.
    const waiting = (await (await fetch(`${base}/api/reports/waiting`, { headers: { cookie } })).arrayBuffer()).byteLength;
    console.log(`answers for the ${who} user: ${sizes.join(', ')} (and /api/reports/waiting, read on load and reconnect, ${(waiting / 1024).toFixed(1)} KiB)`);
  }
  // The statements each route runs (one unloaded request per route and user; the session lookup included).
  for (const [route, st] of Object.entries(await stats()).sort()) {
    if (!ROUTES.some((r) => route === `GET ${r}`)) continue;
    console.log(`  ${route}: ${st.queries / st.count} statements per request`);
    for (const [q, n] of Object.entries(st.sql)) console.log(`      ${(n / st.count).toFixed(1)}× ${q}`);
  }
  console.log(`duty API under load: ${REPORTS} reports, Postgres (${cluster ? 'own throwaway cluster' : 'TEST_DATABASE_URL'}), server in its own process; ${os.cpus().length} cores`);
  await stats();
  const where = (perRoute: Record<string, RouteStats>) => {
    // A route that runs queries in parallel (Promise.all) waits and queries on several connections at once.
    const rest = (s: { totalMs: number; poolWaitMs: number; queryMs: number; count: number }) => {
      const ms = (s.totalMs - s.poolWaitMs - s.queryMs) / s.count;
      return ms >= 0 ? `the rest (JS, JSON) ${ms.toFixed(1)} ms` : 'queries partly in parallel';
    };
    for (const [route, s] of Object.entries(perRoute).sort()) {
      if (!ROUTES.some((r) => route === `GET ${r}`)) continue;
      const m = (x: number) => (x / s.count).toFixed(1);
      console.log(`    ${route.padEnd(28)} ${String(s.count).padStart(6)}×  in server ${m(s.totalMs).padStart(6)} ms: ` +
        `pool wait ${m(s.poolWaitMs)} ms, ${m(s.queries)} queries ${m(s.queryMs)} ms, ${rest(s)}; ` +
        `${(s.bytes / s.count / 1024).toFixed(1)} KiB`);
    }
  };
  /** Both users at once, each at half the rate, open loop. */
  const drive = (rate: number, seconds: number) =>
    Promise.all([users.county, users.city].map((cookie, i) =>
      openLoop({ base, rate: rate / 2, seconds, paths: ROUTES, headers: { cookie }, arrivals: ARRIVALS, maxSockets: CONNECTIONS, seed: 17 + i })));
  console.log(`arrivals: ${ARRIVALS} (open loop: each latency counts from when the request was due), at most ${CONNECTIONS} connections per user; ${WARMUP} s of warm-up at each rate, not counted`);
  for (const rate of RATES) {
    // Warm up at the rate first (connections opened, the pool filled, code compiled), not counted: a first second
    // that opens 32 connections and the pool's Postgres sessions held every slow request of a 250 req/s run.
    await drive(rate, WARMUP);
    await stats(); // the event loop's delay from here (and a phase mark in DUTY_LOAD_SERVER_LOG)
    const before = load();
    const steal0 = stealMs();
    if (statements) await statDb.query('select pg_stat_statements_reset()');
    const pgPids = await backends();
    const cpu0 = { server: cpuOf(server.pid!), pg: new Map(pgPids.map((p) => [p, cpuOf(p)])), bench: process.cpuUsage() };
    const results = await drive(rate, SECONDS);
    // Backends that came during the run count from zero.
    const pgCpu = (await backends()).reduce((t, p) => t + cpuOf(p) - (cpu0.pg.get(p) ?? 0), 0);
    const serverCpu = cpuOf(server.pid!) - cpu0.server;
    const benchUse = process.cpuUsage(cpu0.bench);
    const { loop, gc } = await serverStats();
    const ms = (x: number) => x.toFixed(1);
    const lat = (r: OpenLoopResult) => `p50 ${ms(percentile(r.latencies, 50))} ms p99 ${ms(percentile(r.latencies, 99))} ms max ${ms(r.latencies.at(-1) ?? NaN)} ms`;
    const sent = results.reduce((n, r) => n + r.ok, 0);
    const bad = results.reduce((n, r) => n + r.failed, 0);
    const all = results.flatMap((r) => r.latencies).sort((a, b) => a - b);
    // A shared host can take the vCPUs away (steal): a run that lost much of it measured the host, not us.
    const stolen = stealMs() - steal0;
    console.log(`\n${rate} req/s for ${SECONDS} s (load average ${before} → ${load()}; ${stolen.toFixed(0)} ms of CPU stolen by the host): ` +
      `${(sent / SECONDS).toFixed(0)} req/s answered, all p99 ${ms(percentile(all, 99))} ms; county ${lat(results[0]!)}; city ${lat(results[1]!)}` +
      `${bad ? `; ${bad} failed (non-2xx or errors)` : ''}; the generator's own send lag p99 ${ms(Math.max(...results.map((r) => r.sendLag.p99)))} ms, max ${ms(Math.max(...results.map((r) => r.sendLag.max)))} ms`);
    // When the slowest requests were due: a tail spread over the run is queueing, one bunched in time is a stall.
    const slow = results.flatMap((r) => r.samples).filter(([, l]) => l >= percentile(all, 99));
    const bySecond = new Map<number, number>();
    for (const [at] of slow) bySecond.set(Math.floor(at / 1000), (bySecond.get(Math.floor(at / 1000)) ?? 0) + 1);
    console.log(`  the slowest 1% were due in seconds: ${[...bySecond].sort((a, b) => a[0] - b[0]).map(([s, n]) => `${s}:${n}`).join(' ')}`);
    const perReq = (cpuS: number) => `${((cpuS * 1000) / Math.max(1, sent)).toFixed(2)} ms`;
    console.log(`  CPU per request: server ${perReq(serverCpu)}, Postgres backends ${perReq(pgCpu)}, load generator ${perReq((benchUse.user + benchUse.system) / 1e6)} ` +
      `(server ${(serverCpu / SECONDS).toFixed(2)} + Postgres ${(pgCpu / SECONDS).toFixed(2)} cores); event-loop delay p50 ${loop.p50} ms, p99 ${loop.p99} ms, max ${loop.max} ms; ` +
      `V8: ${gc.full} full collections (${gc.fullMs} ms, the longest ${gc.fullMaxMs} ms), ${gc.young} young`);
    if (statements) {
      const top = await statDb.query<{ calls: string; total: number; mean: number; query: string }>(
        `select calls, total_exec_time as total, mean_exec_time as mean, query from pg_stat_statements
          where dbid = (select oid from pg_database where datname = current_database()) and query not like '%pg_stat%'
          order by total_exec_time desc limit 8`);
      const all = await statDb.query<{ calls: string; total: number }>(
        `select coalesce(sum(calls), 0) as calls, coalesce(sum(total_exec_time), 0) as total from pg_stat_statements
          where dbid = (select oid from pg_database where datname = current_database()) and query not like '%pg_stat%'`);
      const a = all.rows[0]!;
      console.log(`  Postgres (pg_stat_statements): ${a.calls} statements, ${Number(a.total).toFixed(0)} ms executing (${(Number(a.total) / Math.max(1, Number(a.calls))).toFixed(3)} ms each); the most time:`);
      for (const t of top.rows) console.log(`    ${Number(t.total).toFixed(0).padStart(6)} ms ${String(t.calls).padStart(6)}× ${t.mean.toFixed(3)} ms  ${t.query.replace(/\s+/g, ' ').slice(0, 110)}`);
    }
  }
  // Where the time goes, measured per request in a pass of its own (the measuring itself costs CPU).
  const detailRate = RATES.at(-1)!;
  const detailSeconds = Math.max(5, Math.round(SECONDS / 3));
  await fetch(`${base}/__bench/detail?on=1`);
  await stats();
  await drive(detailRate, detailSeconds);
  const { routes: perRoute } = await serverStats();
  await fetch(`${base}/__bench/detail?on=0`);
  console.log(`\nwhere the server's time goes, per request (mean), in a measured pass of ${detailSeconds} s at ${detailRate} req/s (the measuring slows it):`);
  where(perRoute);
} finally {
  await cleanup();
}
process.exit(0);
