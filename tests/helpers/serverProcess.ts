/**
 * The real server as its own process, for tests that kill it (-9) and start it again on the same database:
 * PGlite in TEST_PGLITE_DIR (or Postgres at DATABASE_URL), one mediasoup worker, port TEST_PORT.
 * Prints "SERVER_READY port=N" when it listens. PLATFORM_* come from the environment as in production.
 */
import pino from 'pino';
import { resolveWorkerBin } from '../../sfu/workerBin.ts';

process.env.MEDIASOUP_WORKER_BIN = resolveWorkerBin();
const { connectDb } = await import('../../db/connect.ts');
const { WorkerPool } = await import('../../sfu/WorkerPool.ts');
const { createApp } = await import('../../server/app.ts');

const dbHandle = await connectDb({ databaseUrl: process.env.DATABASE_URL, dataDir: process.env.TEST_PGLITE_DIR ?? 'memory://', onIdleError: () => undefined });
const pool = await WorkerPool.create({ numWorkers: 1, basePort: 0, listenIps: [{ ip: '127.0.0.1' }], logLevel: 'warn' });
// Suites log in as one user many times and move the clock by hours: no idle timeout, no session limit.
const app = await createApp({ dbHandle, pool, seed: true, sessionDefaults: { idleMinutes: 0, maxSessions: 0 }, log: pino({ level: process.env.LOG_LEVEL ?? 'warn' }) });
const port = await app.listen(Number(process.env.TEST_PORT ?? 0), '127.0.0.1');
console.log(`SERVER_READY port=${port}`);
const stop = async () => {
  await app.close();
  await pool.close();
  await dbHandle.close();
  process.exit(0);
};
process.once('SIGTERM', () => void stop());
