/**
 * Delivery to the emergency platform under faults, against the real simulator process over real HTTP:
 * HTTP 500s, a timeout after the platform stored the message, the simulator down for a while (-9 and
 * restarted), and our own server killed with -9 mid-delivery and restarted on the same database.
 * Every message must arrive exactly once as the simulator counts, in order per incident, and be acked.
 * Backoff is shortened by configuration (PLATFORM_RETRY_*), so "a minute" takes seconds here.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomBytes, randomUUID } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Client } from '../helpers/app.ts';
import { freePort, SimControl, startProc, waitFor, type Proc } from '../helpers/processes.ts';

const KEY = 'delivery-test-shared-key';
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'tl-platform-delivery-'));
let sim: Proc;
let server: Proc;
let ctl: SimControl;
let simPort = 0;
let serverPort = 0;
let databaseUrl: string | undefined;
let dropDb: (() => Promise<void>) | undefined;

const startSim = async () => {
  sim = await startProc('platform-sim/server.ts', { PLATFORM_SIM_PORT: String(simPort), PLATFORM_SHARED_KEY: KEY, PLATFORM_SIM_STATE_FILE: path.join(tmp, 'sim-state.json'), PLATFORM_SIM_INBOUND_URL: `http://127.0.0.1:${serverPort}/platform/cap` }, 'PLATFORM_SIM_READY');
};
const startServer = async () => {
  server = await startProc(
    'tests/helpers/serverProcess.ts',
    {
      TEST_PORT: String(serverPort),
      ...(databaseUrl ? { DATABASE_URL: databaseUrl } : { TEST_PGLITE_DIR: path.join(tmp, 'pglite') }),
      PLATFORM_URL: ctl.capUrl,
      PLATFORM_SHARED_KEY: KEY,
      PLATFORM_RETRY_BASE_MS: '200',
      PLATFORM_RETRY_MAX_MS: '1200',
      PLATFORM_TIMEOUT_MS: '1500',
      PLATFORM_POLL_MS: '200',
      LOG_LEVEL: 'error',
    },
    'SERVER_READY',
    90_000,
  );
};

beforeAll(async () => {
  simPort = await freePort();
  serverPort = await freePort();
  ctl = new SimControl(simPort);
  if (process.env.TEST_DATABASE_URL) {
    // On Postgres when the suite has one (npm test), else on PGlite files; both survive a kill -9.
    const name = `tl_platform_${randomBytes(5).toString('hex')}`;
    const admin = new pg.Client({ connectionString: process.env.TEST_DATABASE_URL });
    await admin.connect();
    await admin.query(`create database ${name}`);
    await admin.end();
    const u = new URL(process.env.TEST_DATABASE_URL);
    u.pathname = `/${name}`;
    databaseUrl = u.toString();
    dropDb = async () => {
      const a = new pg.Client({ connectionString: process.env.TEST_DATABASE_URL });
      await a.connect();
      await a.query(`drop database if exists ${name} with (force)`);
      await a.end();
    };
  }
  await startSim();
  await startServer();
}, 120_000);

afterAll(async () => {
  await Promise.allSettled([server?.stop(), sim?.stop()]);
  await dropDb?.();
  fs.rmSync(tmp, { recursive: true, force: true });
});

const base = () => `http://127.0.0.1:${serverPort}`;
const ago = (min: number) => new Date(Date.now() - min * 60_000).toISOString();

describe('delivery to the platform under faults', () => {
  it('arrives exactly once and in order per incident through 500s, timeouts, the simulator down and kill -9 of our server', async () => {
    const login = (u: string) => Client.login(base(), u);
    const [region, cityDuty, cityLeader, aDuty, bDuty, aLeader] = await Promise.all(['150000-duty', '150100-duty', '150100-leader', '150102-duty', '150103-duty', '150102-leader'].map(login));
    const must = async (p: Promise<{ status: number; body: any }>) => {
      const r = await p;
      if (r.status >= 300) throw new Error(`${r.status} ${JSON.stringify(r.body)}`);
      return r.body;
    };
    /** A phone report of grade II from a county, relayed by the city and acknowledged (签收) by the region. */
    const phoneToRegion = async (county: Client, title: string, incidentId?: string) => {
      const rep = (await must(county.post('/api/reports/phone', { requestId: randomUUID(), incidentId, title, eventTime: ago(30), place: '某镇', grade: 2, summary: `${title}：电话报告`, caller: '县值班员', callee: '市值班员' }))).report;
      await must(cityDuty.post(`/api/reports/${rep.id}/acknowledge`, {}));
      await must(cityDuty.post(`/api/reports/${rep.id}/relay`, {}));
      await must(region.post(`/api/reports/${rep.id}/acknowledge`, {}));
      return rep as { id: string; incidentId: string };
    };
    const outbox = async () => (await must(region.get('/api/platform/outbox'))).messages as any[];

    // 1. The platform answers 500 twice: the first Alert retries, then goes.
    await ctl.fault('http500', { count: 2 });
    const a1 = await phoneToRegion(aDuty, '甲镇山洪');
    const b1 = await phoneToRegion(bDuty, '乙镇火灾');
    await waitFor('two Alerts acknowledged', async () => (await outbox()).filter((m) => m.state === 'acked').length === 2);
    const afterFirst = await outbox();
    expect(afterFirst.find((m) => m.reportId === a1.id)).toMatchObject({ msgType: 'Alert', auto: true });
    expect(Math.max(...afterFirst.map((m) => m.attempts))).toBeGreaterThan(1);

    // 2. A timeout after the platform stored the message: our retry is a duplicate it recognises.
    await ctl.fault('timeout', { count: 1, afterStore: true });
    const a2 = await phoneToRegion(aDuty, '甲镇山洪（续报）', a1.incidentId);
    await waitFor('the follow-up acknowledged after a timeout', async () => (await outbox()).find((m) => m.reportId === a2.id)?.state === 'acked', 20_000);
    expect((await ctl.stats()).duplicates).toBeGreaterThanOrEqual(1);

    // 3. The simulator is down: messages wait as 失败重试中, in order, and go when it is back.
    await sim.kill9();
    const b2 = await phoneToRegion(bDuty, '乙镇火灾（续报）', b1.incidentId);
    const a3 = await phoneToRegion(aDuty, '甲镇山洪（续报二）', a1.incidentId);
    await waitFor('retrying while the platform is down', async () => (await outbox()).filter((m) => m.state === 'retrying').length === 2, 15_000);
    const retrying = (await outbox()).filter((m) => m.state === 'retrying');
    expect(retrying.every((m) => m.lastError && m.nextAttemptAt)).toBe(true);
    await new Promise((r) => setTimeout(r, 2500)); // down "a while": several backoff rounds
    await startSim();
    await waitFor('delivered after the platform came back', async () => (await outbox()).every((m) => m.state === 'acked'), 20_000);

    // 4. Our server dies (-9) while the platform is still answering a message it has stored.
    await ctl.fault('slow', { count: 1, afterStore: true, delayMs: 3000 });
    const before = (await ctl.stats()).requests;
    const finalReport = (await must(aLeader.post('/api/reports', { requestId: randomUUID(), incidentId: a1.incidentId, kind: 'final', action: 'sign', title: '甲镇山洪（终报）', eventTime: ago(30), place: '甲镇', grade: 2, summary: '处置完毕，无人员伤亡' }))).report;
    await must(cityDuty.post(`/api/reports/${finalReport.id}/acknowledge`, {}));
    await must(cityLeader.post(`/api/reports/${finalReport.id}/relay-sign`, {}));
    await must(region.post(`/api/reports/${finalReport.id}/acknowledge`, {}));
    await waitFor('the final report in flight at the platform', async () => (await ctl.stats()).requests > before, 10_000, 50);
    await server.kill9();
    const stored = (await ctl.stats()).unique;
    await startServer();
    await waitFor('all acknowledged after our restart', async () => (await outbox()).every((m) => m.state === 'acked'), 30_000);

    // Exactly once as the platform sees it, and in order per incident.
    const msgs = (await outbox()).sort((x, y) => x.id - y.id);
    const stats = await ctl.stats();
    expect(msgs).toHaveLength(6);
    expect(stats.unique).toBe(6);
    expect(stored).toBe(6); // the final report had reached the platform before our server died
    expect(stats.invalid).toBe(0);
    expect(stats.duplicates).toBeGreaterThanOrEqual(2); // after the timeout and after the kill: resent, recognised
    expect(new Set(stats.messages.map((m: any) => m.identifier)).size).toBe(6);
    expect(stats.messages.map((m: any) => m.identifier).sort()).toEqual(msgs.map((m) => m.identifier).sort());
    for (const inc of [a1.incidentId, b1.incidentId]) {
      const ours = msgs.filter((m) => m.incidentId === inc).map((m) => m.identifier);
      const theirs = stats.messages.filter((m: any) => m.incidents === inc).map((m: any) => m.identifier);
      expect(theirs).toEqual(ours);
    }
    const aTypes = stats.messages.filter((m: any) => m.incidents === a1.incidentId);
    expect(aTypes.map((m: any) => m.msgType)).toEqual(['Alert', 'Update', 'Update', 'Update']);
    // The 终报 references every earlier message of its incident.
    expect(aTypes[3].references.split(' ').map((r: string) => r.split(',')[1])).toEqual(aTypes.slice(0, 3).map((m: any) => m.identifier));
    const fin = msgs.find((m) => m.reportId === finalReport.id)!;
    expect(fin.pushKind).toBe('final');
    expect(fin.xml).toContain('<valueName>终报</valueName>');
    // Times shown on the report: sent and acknowledged, and an Ack that names ours.
    const delivery = (await must(region.get(`/api/platform/reports/${b2.id}/delivery`))).delivery;
    expect(delivery.message).toMatchObject({ state: 'acked', sentAt: expect.any(String), ackedAt: expect.any(String) });
    expect(delivery.message.answerXml).toContain(`,${delivery.message.identifier},`);
    expect(a3).toBeTruthy();
    console.log(`platform delivery: ${stats.requests} POSTs for ${stats.unique} messages (${stats.duplicates} duplicates recognised, ${stats.faultsInjected} faults injected)`);
  }, 150_000);
});
