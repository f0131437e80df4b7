/**
 * Durability under kill -9: the real server (server/main.ts, its own process group with its mediasoup worker)
 * is killed with SIGKILL while phone reports are being posted, then started again on the same data, a few
 * rounds, on PGlite (a data folder) and on Postgres. The poster resends every report not acknowledged with
 * its requestId, as the console does. In the end every report is stored exactly once: none lost, none doubled.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { PGlite } from '@electric-sql/pglite';
import { amcheck } from '@electric-sql/pglite/contrib/amcheck';
import { afterAll, describe, expect, it } from 'vitest';
import { connectDb } from '../../db/connect.ts';
import { Client } from '../helpers/app.ts';
import { resolveWorkerBin } from '../../sfu/workerBin.ts';

const ROUNDS = 3;
const root = path.resolve(import.meta.dirname, '../..');
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

interface Target {
  name: string;
  env: Record<string, string>;
  cleanup(): Promise<void>;
}

function pgliteTarget(): Target {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tl-kill9-'));
  return { name: 'pglite', env: { DATA_DIR: dir }, cleanup: async () => fs.rmSync(dir, { recursive: true, force: true }) };
}

async function postgresTarget(adminUrl: string): Promise<Target> {
  const name = `tl_kill9_${randomBytes(5).toString('hex')}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`create database ${name}`);
  await admin.end();
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return {
    name: 'postgres',
    env: { DATABASE_URL: url.toString() },
    cleanup: async () => {
      const a = new pg.Client({ connectionString: adminUrl });
      await a.connect();
      await a.query(`drop database if exists ${name} with (force)`);
      await a.end();
    },
  };
}

/**
 * Starts server/main.ts in its own process group; resolves with its base URL once /healthz answers. A random
 * port may be taken meanwhile (the other test files' connections use the same range): then another one.
 */
async function startServer(env: Record<string, string>): Promise<{ child: ChildProcess; baseUrl: string }> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await startServerOnce(env);
    } catch (e) {
      if (attempt >= 3 || !String((e as Error).message).includes('EADDRINUSE')) throw e;
    }
  }
}

async function startServerOnce(env: Record<string, string>): Promise<{ child: ChildProcess; baseUrl: string }> {
  const port = 20_000 + Math.floor(Math.random() * 20_000);
  const child = spawn(process.execPath, ['--import', 'tsx', 'server/main.ts'], {
    cwd: root,
    detached: true,
    stdio: ['ignore', 'ignore', 'pipe'],
    env: {
      ...process.env,
      ...env,
      PORT: String(port),
      HOST: '127.0.0.1',
      MEDIASOUP_WORKERS: '1',
      MEDIASOUP_PORT: String(port + 1),
      MEDIASOUP_WORKER_BIN: resolveWorkerBin(),
      MEDIASOUP_LISTEN_IP: '127.0.0.1',
      MEDIASOUP_ANNOUNCED_IP: '127.0.0.1',
      LOG_LEVEL: 'warn',
      VOICE_SIP_PORT: 'off', // voice access has its own suite (voice-dialin.test.ts)
    },
  });
  let stderr = '';
  child.stderr!.on('data', (d) => (stderr = (stderr + d).slice(-4000)));
  const baseUrl = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 240_000; // a fresh PGlite folder takes a while on a loaded machine
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`server exited ${child.exitCode}: ${stderr}`);
    const ok = await fetch(`${baseUrl}/healthz`).then((r) => r.ok, () => false);
    if (ok) return { child, baseUrl };
    await sleep(200);
  }
  process.kill(-child.pid!, 'SIGKILL');
  throw new Error(`server did not start: ${stderr}`);
}

const kill9 = async (child: ChildProcess) => {
  const exited = new Promise((r) => child.once('exit', r));
  process.kill(-child.pid!, 'SIGKILL'); // the server and its mediasoup worker, at once
  await exited;
};

/**
 * PGlite's files after kill -9 pass Postgres' own checker (amcheck): every btree index agrees with its heap
 * (heapallindexed), and the heap pages themselves are sane (verify_heapam), not merely "it opens".
 */
async function expectIntactPglite(dataDir: string): Promise<void> {
  const pgl = await PGlite.create(dataDir, { extensions: { amcheck } });
  try {
    await pgl.exec('create extension if not exists amcheck');
    const indexes = await pgl.query<{ name: string }>(
      `select c.relname as name from pg_index i join pg_class c on c.oid = i.indexrelid join pg_am am on am.oid = c.relam
        join pg_namespace n on n.oid = c.relnamespace where am.amname = 'btree' and n.nspname = 'public'`,
    );
    expect(indexes.rows.length).toBeGreaterThan(10);
    for (const { name } of indexes.rows) await pgl.query(`select bt_index_check($1::regclass, true)`, [`public."${name}"`]);
    const heap = await pgl.query(
      `select c.relname, v.* from pg_class c join pg_namespace n on n.oid = c.relnamespace, verify_heapam(c.oid) v
        where n.nspname = 'public' and c.relkind = 'r'`,
    );
    expect(heap.rows).toEqual([]); // no corrupt tuple anywhere
  } finally {
    await pgl.close();
  }
}

const targets: (() => Promise<Target>)[] = [async () => pgliteTarget()];
if (process.env.TEST_DATABASE_URL) targets.push(() => postgresTarget(process.env.TEST_DATABASE_URL!));

describe.each(targets.map((t, i) => ({ open: t, name: i === 0 ? 'pglite' : 'postgres' })))('kill -9 while reports are posted ($name)', ({ open }) => {
  const cleanups: (() => Promise<void>)[] = [];
  afterAll(async () => {
    for (const c of cleanups) await c().catch(() => undefined);
  });

  it(`stores every report exactly once over ${ROUNDS} kill -9 rounds`, async () => {
    const target = await open();
    cleanups.push(() => target.cleanup());
    const pending = new Map<string, Record<string, unknown>>();
    const acked = new Set<string>();
    let n = 0;
    for (let round = 0; round <= ROUNDS; round++) {
      const { child, baseUrl } = await startServer(target.env);
      cleanups.push(async () => void (child.exitCode === null && process.kill(-child.pid!, 'SIGKILL')));
      const duty = await Client.login(baseUrl, '150102-duty');
      const post = async (body: Record<string, unknown>) => {
        const r = await duty.post('/api/reports/phone', body).catch(() => ({ status: 0 }));
        expect(r.status).not.toBe(500);
        if (r.status === 200 || r.status === 201) {
          pending.delete(body.requestId as string);
          acked.add(body.requestId as string);
        }
      };
      // Resend what the last round left unacknowledged, with the same requestIds.
      await Promise.all([...pending.values()].map(post));
      if (round === ROUNDS) {
        for (let i = 0; i < 20 && pending.size; i++) await Promise.all([...pending.values()].map(post));
        expect(pending.size).toBe(0);
        await kill9(child);
        // The files (or the database) after the last kill -9 open cleanly and hold each report once.
        const h = await connectDb(target.env.DATABASE_URL ? { databaseUrl: target.env.DATABASE_URL, onIdleError: () => undefined } : { dataDir: path.join(target.env.DATA_DIR!, 'pglite') });
        try {
          const rows = await h.db.selectFrom('urgent_reports').select(['request_id', 'title']).where('title', 'like', '断电测试 %').execute();
          expect(rows).toHaveLength(n); // none lost, none doubled
          expect(new Set(rows.map((r) => r.title)).size).toBe(n);
          expect(new Set(rows.map((r) => r.request_id))).toEqual(acked);
        } finally {
          await h.close();
        }
        if (!target.env.DATABASE_URL) await expectIntactPglite(path.join(target.env.DATA_DIR!, 'pglite'));
        break;
      }
      // Posting, 8 at a time, until the kill comes mid-flight.
      let posting = true;
      const loop = (async () => {
        while (posting) {
          const batch = Array.from({ length: 8 }, () => {
            const body = { requestId: randomUUID(), title: `断电测试 ${n++}`, eventTime: new Date(Date.now() - 60_000).toISOString(), place: '新城区', grade: 4, summary: '测试', caller: '甲', callee: '乙' };
            pending.set(body.requestId, body);
            return body;
          });
          await Promise.all(batch.map(post));
        }
      })();
      await sleep(400 + Math.random() * 400);
      await kill9(child);
      posting = false;
      await loop;
    }
    expect(acked.size).toBe(n);
    expect(n).toBeGreaterThan(ROUNDS * 8);
  }, 900_000);
});
