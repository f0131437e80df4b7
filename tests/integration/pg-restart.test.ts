/**
 * Postgres restarts under load and the server rides through: phone reports are posted every 100 ms while
 * Postgres is stopped (`-m immediate`, then `-m fast`) and started again. While it is down the API answers
 * 503 (never 500, never a crash from an `error` on a checked-out pg client); afterwards it serves again
 * without an operator, and every report retried with its requestId is stored exactly once.
 * Runs on a cluster of its own, so stopping it disturbs no other suite.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectDb } from '../../db/connect.ts';
import { Client, startTestServer, type TestServer } from '../helpers/app.ts';
import { createPgCluster, pgBinDir, type PgCluster } from '../helpers/pgCluster.ts';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe.skipIf(!pgBinDir())('a Postgres restart under load', () => {
  let cluster: PgCluster;
  let srv: TestServer;
  let lost = 0;

  beforeAll(async () => {
    cluster = createPgCluster();
    srv = await startTestServer(await connectDb({ databaseUrl: cluster.url, onIdleError: () => void lost++ }));
  }, 120_000);
  afterAll(async () => {
    await srv?.close().catch(() => undefined);
    cluster?.destroy();
  });

  it('answers 503 while Postgres is down, serves again after, and loses or duplicates no report', async () => {
    const duty = await Client.login(srv.baseUrl, '150102-duty');
    const statuses = new Map<number, number>();
    const pending = new Map<string, Record<string, unknown>>(); // requestId → body, until stored
    const stored = new Set<string>();
    let n = 0;
    let posting = true;
    const post = async (body: Record<string, unknown>) => {
      const r = await duty.post('/api/reports/phone', body).catch(() => ({ status: 0, body: null }));
      statuses.set(r.status, (statuses.get(r.status) ?? 0) + 1);
      if (r.status === 201 || r.status === 200) {
        pending.delete(body.requestId as string);
        stored.add(body.requestId as string);
      }
    };
    // Every 100 ms: a new report, and one retry of each not stored yet (the console's idempotent resend).
    const loop = (async () => {
      while (posting) {
        const body = { requestId: randomUUID(), title: `重启测试 ${n++}`, eventTime: new Date(Date.now() - 60_000).toISOString(), place: '新城区', grade: 3, summary: '测试', caller: '甲', callee: '乙' };
        pending.set(body.requestId, body);
        await Promise.all([post(body), ...[...pending.values()].filter((b) => b !== body).slice(0, 5).map(post)]);
        await sleep(100);
      }
    })();

    await sleep(1000);
    cluster.stop('immediate');
    await sleep(1500);
    cluster.start();
    await sleep(1500);
    cluster.stop('fast');
    await sleep(1500);
    cluster.start();
    await sleep(1000);
    posting = false;
    await loop;
    // Drain the retries (bounded).
    for (let i = 0; i < 50 && pending.size; i++) await Promise.all([...pending.values()].map(post));

    expect(pending.size).toBe(0);
    expect(statuses.get(500) ?? 0).toBe(0);
    expect(statuses.get(503) ?? 0).toBeGreaterThan(0); // it was really down while we posted
    const rows = await srv.app.ctx.db.selectFrom('urgent_reports').select(['request_id']).where('title', 'like', '重启测试 %').execute();
    expect(rows.map((r) => r.request_id).sort()).toEqual([...stored].sort());
    expect(rows.length).toBe(n);
    // Service without an operator: a fresh login and a read work.
    const again = await Client.login(srv.baseUrl, '150100-duty');
    expect((await again.get('/api/reports/incidents')).status).toBe(200);
  }, 120_000);
});
