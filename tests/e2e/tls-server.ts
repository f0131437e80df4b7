/**
 * The real server over HTTPS for the certificate-login browser spec (certificate-login.spec.ts starts it):
 * in-memory PGlite, one worker, the built console, the certificates from the files the spec made
 * (TLS_CERT, TLS_KEY, TLS_CLIENT_CA, TLS_CRL), the server clock pinned (E2E_TLS_CLOCK), and the bindings of
 * E2E_TLS_BIND ({ username: pem }) made out of band, as the demo seed does.
 */
import fs from 'node:fs';
import path from 'node:path';
import pino from 'pino';
import { resolveWorkerBin } from '../../sfu/workerBin.ts';

process.env.MEDIASOUP_WORKER_BIN = resolveWorkerBin();
process.env.TEST_CLOCK = '1';
const { connectDb } = await import('../../db/connect.ts');
const { WorkerPool } = await import('../../sfu/WorkerPool.ts');
const { createApp } = await import('../../server/app.ts');
const { clock } = await import('../../server/clock.ts');
const { bindCertificate } = await import('../../server/certificates/service.ts');

const root = path.resolve(import.meta.dirname, '../..');
const read = (f: string) => fs.readFileSync(f, 'utf8');
clock.set(process.env.E2E_TLS_CLOCK!);
const pool = await WorkerPool.create({ numWorkers: 1, basePort: 0, listenIps: [{ ip: '127.0.0.1' }], logLevel: 'warn' });
const app = await createApp({
  dbHandle: await connectDb({ dataDir: 'memory://' }),
  pool,
  seed: true,
  staticDir: process.env.E2E_STATIC_DIR ?? path.join(root, 'dist', 'console'),
  log: pino({ level: process.env.LOG_LEVEL ?? 'warn' }),
  tls: { cert: read(process.env.TLS_CERT!), key: read(process.env.TLS_KEY!) },
  certificates: { clientCa: read(process.env.TLS_CLIENT_CA!), crlFiles: [process.env.TLS_CRL!] },
});
for (const [username, pem] of Object.entries(JSON.parse(read(process.env.E2E_TLS_BIND!)) as Record<string, string>)) {
  await bindCertificate(app.ctx, { username: 'e2e-setup', unitCode: '150000' }, username, pem);
}
await app.listen(Number(process.env.E2E_TLS_PORT ?? 3143), '127.0.0.1');
console.log('TLS_SERVER_READY');
