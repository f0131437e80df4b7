/** Entry point: `npm start` runs this through scripts/start.sh. Configuration is by environment (README). */
import './v8Tuning.ts'; // first: before anything allocates
import fs from 'node:fs';
import path from 'node:path';
import pino from 'pino';
import { resolveWorkerBin } from '../sfu/workerBin.ts';

const log = pino({ level: process.env.LOG_LEVEL ?? 'info' });
// mediasoup reads the binary path when first imported: settle it before the dynamic imports below.
process.env.MEDIASOUP_WORKER_BIN = resolveWorkerBin();

const { connectDb } = await import('../db/connect.ts');
const { pipeBufferShortfall, sfuConfigFromEnv } = await import('../sfu/config.ts');
const { WorkerPool } = await import('../sfu/WorkerPool.ts');
const { createApp } = await import('./app.ts');
const { DEMO_PASSWORD } = await import('./seed/demo.ts');

const root = path.resolve(import.meta.dirname, '..');
const dataDir = path.resolve(process.env.DATA_DIR ?? path.join(root, 'data'), 'pglite');
if (!process.env.DATABASE_URL) fs.mkdirSync(dataDir, { recursive: true });
const dbHandle = await connectDb({
  databaseUrl: process.env.DATABASE_URL,
  dataDir,
  onIdleError: (err) => log.warn({ err: err.message }, 'database connection lost; the pool reconnects'),
});
// HTTPS and certificate login (README "HTTPS and certificate login"): TLS=demo (npm start's default) makes and
// reuses a local demo CA in the data folder; TLS_CERT/TLS_KEY serve given ones; otherwise plain HTTP.
const { ensureDemoClients, ensureDemoPki } = await import('./certificates/demoPki.ts');
const dataRoot = path.resolve(process.env.DATA_DIR ?? path.join(root, 'data'));
const demoPki = process.env.TLS === 'demo' && !process.env.TLS_CERT ? await ensureDemoPki(dataRoot) : null;
const readIf = (f: string | undefined) => (f ? fs.readFileSync(f, 'utf8') : undefined);
const tls = demoPki
  ? { cert: readIf(demoPki.certFile)!, key: readIf(demoPki.keyFile)! }
  : process.env.TLS_CERT && process.env.TLS_KEY
    ? { cert: readIf(process.env.TLS_CERT)!, key: readIf(process.env.TLS_KEY)! }
    : undefined;
const certificates = {
  clientCa: demoPki ? readIf(demoPki.caFile) : readIf(process.env.TLS_CLIENT_CA),
  crlFiles: demoPki ? [demoPki.crlFile] : (process.env.TLS_CRL ?? '').split(',').filter(Boolean),
  ukeyCa: readIf(process.env.UKEY_CA),
  trustedProxies: (process.env.TLS_PROXY_TRUST ?? '').split(',').map((s) => s.trim()).filter(Boolean),
  proxyHeader: process.env.TLS_PROXY_HEADER,
  ukeyMiddleware: process.env.UKEY_MIDDLEWARE ? { url: process.env.UKEY_MIDDLEWARE, kind: process.env.UKEY_MIDDLEWARE_KIND ?? 'stand-in' } : undefined,
};
const sfuConfig = sfuConfigFromEnv();
const readSysctl = (name: string) => {
  try {
    return Number(fs.readFileSync(`/proc/sys/net/core/${name}`, 'utf8'));
  } catch {
    return undefined;
  }
};
const shortfall = pipeBufferShortfall(readSysctl);
if (shortfall) log.warn(shortfall);
const pool = await WorkerPool.create(sfuConfig);
const seed = process.env.SEED_DEMO !== '0';
const app = await createApp({
  dbHandle,
  pool,
  log,
  seed,
  staticDir: path.join(root, 'dist', 'console'),
  secureCookie: process.env.COOKIE_SECURE === '1' || !!tls,
  tls,
  certificates,
});
// The demo accounts' client certificates are bound before the first request can arrive.
const DEMO_ACCOUNTS = ['sysadmin', 'secadmin', 'auditadmin', '150000-duty', '150000-leader', '150100-leader', '150100-duty', '150102-duty', '150102-venue', '150103-venue'];
const demoClients = demoPki && seed ? await ensureDemoClients(app.ctx.db, demoPki, DEMO_ACCOUNTS) : [];
const port = await app.listen(Number(process.env.PORT ?? 3000), process.env.HOST ?? '0.0.0.0');

// Voice access (语音接入): our SIP endpoint on VOICE_SIP_PORT (default 5060; 'off' disables it). A failure
// to start (port taken, espeak-ng or ffmpeg missing) is logged and the rest of the product runs on.
const { VoiceService } = await import('./voice/voiceService.ts');
const { trunkFromEnv } = await import('./voice/voiceOptions.ts');
let voice: Awaited<ReturnType<typeof VoiceService.start>> | null = null;
if ((process.env.VOICE_SIP_PORT ?? '5060') !== 'off') {
  voice = await VoiceService.start(
    { db: app.ctx.db, tree: app.ctx.tree, hub: app.ctx.meetings, log },
    {
      host: process.env.VOICE_SIP_HOST ?? '0.0.0.0',
      port: Number(process.env.VOICE_SIP_PORT ?? 5060),
      advertise: process.env.VOICE_PUBLIC_IP ?? sfuConfig.listenIps[0]?.announcedAddress ?? (sfuConfig.listenIps[0]?.ip === '0.0.0.0' ? '127.0.0.1' : sfuConfig.listenIps[0]?.ip),
      accessNumber: process.env.VOICE_ACCESS_NUMBER ?? '8000',
      maxCalls: Number(process.env.VOICE_MAX_CALLS ?? 50),
      maxCallMinutes: Number(process.env.VOICE_MAX_CALL_MINUTES ?? 240),
      promptDir: path.resolve(process.env.DATA_DIR ?? path.join(root, 'data'), 'voice-prompts'),
      realm: process.env.VOICE_REALM ?? 'threelevel',
      ringSeconds: Number(process.env.VOICE_RING_SECONDS ?? 45),
      trunk: trunkFromEnv(process.env),
    },
  ).catch((e: Error) => {
    log.error({ err: e.message }, 'voice access (SIP) not started');
    return null;
  });
}

log.info(
  {
    db: dbHandle.kind === 'pglite' ? `PGlite at ${dataDir}` : 'Postgres (DATABASE_URL)',
    workers: sfuConfig.numWorkers,
    rtcPorts: `${sfuConfig.basePort}-${sfuConfig.basePort + sfuConfig.numWorkers - 1} udp+tcp`,
    listenIps: sfuConfig.listenIps.map((l) => l.announcedAddress ?? l.ip),
  },
  'ready',
);
if (seed) {
  console.log(`
  三级视频会议与值班指挥 — ${tls ? 'https' : 'http'}://localhost:${port}
  演示账号 Demo accounts (password ${DEMO_PASSWORD}):
    sysadmin           自治区 系统管理员 (system administrator: accounts, units, settings)
    secadmin           自治区 安全保密管理员 (security administrator: roles, password resets)
    auditadmin         自治区 安全审计员 (audit administrator: the audit trail)
    150000-duty        内蒙古自治区 值班员 (region duty officer)
    150000-leader      内蒙古自治区 带班领导
    150100-leader      呼和浩特市 带班领导 (city leader, convenes meetings)
    150100-duty        呼和浩特市 值班员
    150102-duty        新城区 值班员 (county duty officer)
    150102-venue       新城区 会场管理员 (county venue operator)
    150103-venue       回民区 会场管理员
  Every unit has <code>-duty, <code>-leader and <code>-venue (GB/T 2260 codes, e.g. 150602-venue).
`);
  if (demoPki) {
    console.log(`  演示数字证书 Demo certificates (import the CA ${demoPki.caFile} as trusted, and a .p12 into the browser):`);
    for (const c of demoClients) console.log(`    ${c.username.padEnd(18)} ${c.p12}  密码 password ${c.password}`);
    console.log('  三员（sysadmin/secadmin/auditadmin）须证书 + 密码登录；其他账号仅密码即可。\n');
  }
}

const shutdown = async (signal: string) => {
  log.info({ signal }, 'shutting down');
  await voice?.close();
  await app.close();
  await pool.close();
  await dbHandle.close();
  process.exit(0);
};
process.once('SIGINT', () => void shutdown('SIGINT'));
process.once('SIGTERM', () => void shutdown('SIGTERM'));
