/**
 * npm run bench: figures, not pass/fail. Starts the real server (PGlite in memory, or TEST_DATABASE_URL's
 * Postgres; one real mediasoup worker) on loopback and measures what users feel: how fast an urgent report
 * is stored and reaches the levels above, and how fast sites get into a meeting's media room.
 * Bounded loops only; nothing leaves 127.0.0.1.
 */
import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { resolveWorkerBin } from '../../sfu/workerBin.ts';
import { readFileSync } from 'node:fs';

/** VmHWM (peak) and VmRSS (now) of a process, from /proc/<pid>/status (Linux). */
function workerMemory(pid: number | undefined): string {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = (field: string) => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? NaN);
    return `${(kb('VmHWM') / 1024).toFixed(1)} MiB peak RSS (VmHWM), ${(kb('VmRSS') / 1024).toFixed(1)} MiB now (VmRSS)`;
  } catch {
    return 'memory not available (no /proc)';
  }
}

process.env.MEDIASOUP_WORKER_BIN = resolveWorkerBin();
const { Client, nextEvent, request, startTestServer } = await import('../helpers/app.ts');
const { connectDb } = await import('../../db/connect.ts');

const REPORTS = 200;
const SITES = 40;

const pct = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))]!;
const fmt = (xs: number[]) => `p50 ${pct(xs, 50).toFixed(1)} ms, p95 ${pct(xs, 95).toFixed(1)} ms, max ${Math.max(...xs).toFixed(1)} ms`;

const db = await connectDb(process.env.TEST_DATABASE_URL ? { databaseUrl: process.env.TEST_DATABASE_URL } : { dataDir: 'memory://' });
const srv = await startTestServer(db);
console.log(`database: ${db.kind}; server ${srv.baseUrl}`);

// 1. Urgent reports: a county leader drafts and signs in one step (签发); measured: stored (HTTP round trip)
// and pushed live to the city and the region.
const county = await Client.login(srv.baseUrl, '150102-leader');
const city = await (await Client.login(srv.baseUrl, '150100-duty')).socket();
const region = await (await Client.login(srv.baseUrl, '150000-duty')).socket();
const stored: number[] = [];
const pushed: number[] = [];
for (let i = 0; i < REPORTS; i++) {
  const title = `bench ${i}`;
  const seen = Promise.all([city, region].map((s) => nextEvent(s, 'report:new', (r: any) => r.title === title)));
  const t0 = performance.now();
  const res = await county.post('/api/reports', {
    requestId: randomUUID(), action: 'sign', title, eventTime: new Date().toISOString(), place: '新城区', grade: 4, summary: 'benchmark',
  });
  stored.push(performance.now() - t0);
  if (res.status !== 201) throw new Error(`submit failed: ${res.status} ${JSON.stringify(res.body)}`);
  await seen;
  pushed.push(performance.now() - t0);
}
console.log(`urgent report signed and stored (${REPORTS}x):  ${fmt(stored)}`);
console.log(`urgent report live at city+region (${REPORTS}x): ${fmt(pushed)}`);

// 2. Meeting entry: join + both WebRTC transports for SITES sites, one after another, then all at once.
const leader = await Client.login(srv.baseUrl, '150000-leader');
const { body } = await leader.post('/api/meetings', { title: 'bench', scope: { kind: 'region' } });
const meetingId = body.meeting.id as string;
const units = (body.meeting.units as { code: string }[]).slice(1, SITES + 1).map((u) => u.code);
const sockets = await Promise.all(units.map(async (code) => (await Client.login(srv.baseUrl, `${code}-venue`)).socket()));
const enter = async (s: (typeof sockets)[number]) => {
  const t0 = performance.now();
  await request(s, 'meeting:join', { meetingId });
  await request(s, 'transport:create', { direction: 'send' });
  await request(s, 'transport:create', { direction: 'recv' });
  return performance.now() - t0;
};
const serial: number[] = [];
for (const s of sockets.slice(0, SITES / 2)) serial.push(await enter(s));
const t0 = performance.now();
const burst = await Promise.all(sockets.slice(SITES / 2).map(enter));
const burstTotal = performance.now() - t0;
console.log(`site enters meeting, one at a time (${serial.length}x): ${fmt(serial)}`);
console.log(`site enters meeting, ${burst.length} at once:          ${fmt(burst)}; all in ${burstTotal.toFixed(0)} ms`);
// The worker's own memory from /proc: ru_maxrss of a child inherits the RSS of the Node process that forked it.
const mem = workerMemory(srv.pool.slots[0]!.worker.pid);
console.log(`worker after ${SITES} sites: ${mem} (pid ${srv.pool.slots[0]!.worker.pid}); server heap ${(process.memoryUsage().heapUsed / 2 ** 20).toFixed(1)} MiB`);

for (const s of [...sockets, city, region]) s.close();
await srv.close();
process.exit(0);
