/** The real server for browser tests: fresh in-memory PGlite, one mediasoup worker, the built console. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pino from 'pino';
import { resolveWorkerBin } from '../../sfu/workerBin.ts';

process.env.MEDIASOUP_WORKER_BIN = resolveWorkerBin();
// Recordings made by browser tests go to a throwaway folder, not the repo's data/.
process.env.RECORDINGS_DIR ??= fs.mkdtempSync(path.join(os.tmpdir(), 'tl-e2e-recordings-'));
const { connectDb } = await import('../../db/connect.ts');
const { WorkerPool } = await import('../../sfu/WorkerPool.ts');
const { createApp } = await import('../../server/app.ts');

const root = path.resolve(import.meta.dirname, '../..');
const dbHandle = await connectDb({ dataDir: 'memory://' });
// MEDIASOUP_LOG_LEVEL / MEDIASOUP_LOG_TAGS (with DEBUG='mediasoup*') show the worker's own log, e.g. the SRTP suite
// each browser's DTLS handshake chose.
const { sfuConfigFromEnv } = await import('../../sfu/config.ts');
const { logLevel, logTags } = sfuConfigFromEnv({ MEDIASOUP_LOG_LEVEL: 'warn', ...process.env });
const pool = await WorkerPool.create({ numWorkers: 1, basePort: 0, listenIps: [{ ip: '127.0.0.1' }], logLevel, logTags });
const app = await createApp({
  dbHandle,
  pool,
  seed: true,
  // Specs log in as one user many times and move the clock by months: no idle timeout and no session limit
  // until a spec sets a policy (sessions.spec.ts does, and resets it to these defaults at its end).
  sessionDefaults: { idleMinutes: 0, maxSessions: 0 },
  // Parallel developers build the console into their own folders.
  staticDir: process.env.E2E_STATIC_DIR ?? path.join(root, 'dist', 'console'),
  log: pino({ level: process.env.LOG_LEVEL ?? 'warn' }),
});
await app.listen(Number(process.env.E2E_PORT ?? 3100), '127.0.0.1');
