/**
 * Bench of the emergency-platform link (printed, not pass/fail): from the region's 签收 to the platform's Ack
 * (automatic push, real simulator process over loopback HTTP), and an inbound alert from signed POST to the
 * county console's alarm. Bounded loops; nothing leaves 127.0.0.1.
 */
import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { resolveWorkerBin } from '../../sfu/workerBin.ts';
import { freePort, SimControl, startProc, waitFor } from '../helpers/processes.ts';

process.env.MEDIASOUP_WORKER_BIN = resolveWorkerBin();
const KEY = 'bench-key';
const simPort = await freePort();
const ctl = new SimControl(simPort);
Object.assign(process.env, { PLATFORM_URL: ctl.capUrl, PLATFORM_SHARED_KEY: KEY, PLATFORM_INBOUND_PER_MINUTE: '100000' });
const { Client, nextEvent, startTestServer } = await import('../helpers/app.ts');
const { connectDb } = await import('../../db/connect.ts');
const { sign } = await import('../../server/platform/signature.ts');
const { alertXml } = await import('../../platform-sim/alerts.ts');

const N = 30;
const pct = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))]!;
const fmt = (xs: number[]) => `p50 ${pct(xs, 50).toFixed(1)} ms, p95 ${pct(xs, 95).toFixed(1)} ms, max ${Math.max(...xs).toFixed(1)} ms`;

const sim = await startProc('platform-sim/server.ts', { PLATFORM_SIM_PORT: String(simPort), PLATFORM_SHARED_KEY: KEY }, 'PLATFORM_SIM_READY');
const srv = await startTestServer(await connectDb(process.env.TEST_DATABASE_URL ? { databaseUrl: process.env.TEST_DATABASE_URL } : { dataDir: 'memory://' }));
const [county, city, region] = await Promise.all(['150102-duty', '150100-duty', '150000-duty'].map((u) => Client.login(srv.baseUrl, u)));

const toAck: number[] = [];
for (let i = 0; i < N; i++) {
  const rep = (await county.post('/api/reports/phone', { requestId: randomUUID(), title: `bench ${i}`, eventTime: new Date(Date.now() - 60_000).toISOString(), place: '某镇', grade: 2, summary: 'bench', caller: 'a', callee: 'b' })).body.report;
  await city.post(`/api/reports/${rep.id}/acknowledge`, {});
  await city.post(`/api/reports/${rep.id}/relay`, {});
  const t0 = performance.now();
  await region.post(`/api/reports/${rep.id}/acknowledge`, {});
  await waitFor('acked', async () => (await region.get(`/api/platform/reports/${rep.id}/delivery`)).body.delivery.message?.state === 'acked', 10_000, 5);
  toAck.push(performance.now() - t0);
}
console.log(`region 签收 → platform Ack recorded (${N}x, polled every 5 ms): ${fmt(toAck)}`);

const socket = await county.socket();
const alarm: number[] = [];
for (let i = 0; i < N; i++) {
  const xml = alertXml({ style: 'flood', identifier: `BENCH-${i}-${randomUUID()}`, areaDesc: '新城区', geocodes: ['150102'] });
  const seen = nextEvent(socket, 'platform:alert');
  const t0 = performance.now();
  const res = await fetch(`${srv.baseUrl}/platform/cap`, { method: 'POST', headers: { 'x-signature': sign(KEY, xml) }, body: xml });
  if (res.status !== 200) throw new Error(`inbound ${res.status}`);
  await seen;
  alarm.push(performance.now() - t0);
}
console.log(`inbound alert → county console push (${N}x): ${fmt(alarm)}`);
const stats = await ctl.stats();
console.log(`simulator: ${stats.unique} messages, ${stats.requests} POSTs`);
socket.close();
await srv.close();
await sim.stop();
process.exit(0);
