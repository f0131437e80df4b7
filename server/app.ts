/** Wires the HTTP API, socket.io and the SFU together. `createApp` is what tests start, too. */
import './v8Tuning.ts'; // first: before anything allocates
import fs from 'node:fs';
import http from 'node:http';
import type https from 'node:https';
import path from 'node:path';
import express, { type Express, type NextFunction, type Request, type Response } from 'express';
import pino, { type Logger } from 'pino';
import { Server as IoServer } from 'socket.io';
import type { DbHandle } from '../db/connect.ts';
import { migrateToLatest } from '../db/migrate.ts';
import { seedDemo } from './seed/demo.ts';
import type { WorkerPool } from '../sfu/WorkerPool.ts';
import { requireUser, sessionToken } from './auth/middleware.ts';
import { authRoutes } from './auth/routes.ts';
import { auditRequests } from './audit/middleware.ts';
import { auditRoutes } from './audit/routes.ts';
import { prebuiltPrototypes } from './http/prebuiltPrototypes.ts';
import { voicePhoneRoutes } from './voice/phonesRoutes.ts';
import { checkSession } from './auth/sessionCheck.ts';
import { defaultsFromEnv, setSessionDefaults, type SessionDefaults } from './auth/policy.ts';
import { adminRoutes } from './admin/routes.ts';
import { SocketSessions } from './auth/socketSessions.ts';
import type { AppContext } from './context.ts';
import type { AppServices } from './services.ts';
import { unitRoom } from './realtime/rooms.ts';
import type { AppIo, SocketData } from './realtime/io.ts';
import type { ClientToServerEvents, ServerToClientEvents } from '../contract/socket.ts';
import { errors, toApiError } from './http/errors.ts';
import { securityHeaders } from './http/headers.ts';
import { openApiRoutes } from './http/openapi.ts';
import { allowSocketRequest, sameOriginGuard } from './http/sameOrigin.ts';
import { MeetingHub } from './meetings/hub.ts';
import { meetingRoutes } from './meetings/routes.ts';
import { loadOrgTree } from './org/load.ts';
import { orgRoutes } from './org/routes.ts';
import { reportRoutes } from './reports/routes.ts';
import { createReportRuntime } from './reports/runtime.ts';
import { testClockRoutes } from './reports/testClock.ts';
import { dutyRoutes } from './duty/routes.ts';
import { informationRoutes } from './information/routes.ts';
import { scoringRoutes } from './scoring/routes.ts';
import { ScoringTicker } from './scoring/ticker.ts';
import type { PlatformConfig } from './platform/config.ts';
import { platformEdgeRoutes, platformRoutes } from './platform/routes.ts';
import { certificateRoutes, ukeyRoutes } from './certificates/routes.ts';
import { CertTrust, type CertTrustConfig } from './certificates/trust.ts';
import { createTlsServer } from './certificates/tlsServer.ts';
import { createPlatformRuntime } from './platform/runtime.ts';

/**
 * socket.io's heartbeat. A socket is dropped when its pong is not handled within pingTimeout of the ping; after
 * a stall the timers run before the pending pong is read, so any event-loop stall longer than pingTimeout (a
 * 116-site join, a worker restart, a long GC, a console's busy tab) would drop every site at once and start a
 * rejoin storm. 20 s rides those out; a silent drop is still noticed within pingInterval + pingTimeout = 25 s
 * (a closed connection at once), and a ping every 5 s costs 23 tiny packets a second at 116 sites.
 */
export const HEARTBEAT = { pingInterval: 5_000, pingTimeout: 20_000 } as const;

export interface AppOptions {
  dbHandle: DbHandle;
  pool: WorkerPool;
  log?: Logger;
  seed?: boolean;
  /** How often live sockets are checked against their sessions (expiry); default 30 s. */
  sessionSweepMs?: number;
  /** Built console to serve (dist/console); omitted in API-only tests. */
  staticDir?: string;
  secureCookie?: boolean;
  /**
   * Session policy until the security administrator saves one: idle minutes and concurrent sessions per user
   * (0: off). Default: SESSION_IDLE_MINUTES / SESSION_MAX_CONCURRENT, else 30 min and 3.
   */
  sessionDefaults?: SessionDefaults;
  /** Emergency-platform link settings over the environment's (PLATFORM_*). */
  platform?: Partial<PlatformConfig>;
  /** Serve HTTPS with this server certificate; with `clientCa`, ask browsers for a client certificate. */
  tls?: { cert: string; key: string };
  /** Trust for certificate login (client CA, CRLs, UKey SM2 CA, trusted proxies). */
  certificates?: CertTrustConfig;
}

export interface RunningApp {
  ctx: AppServices;
  server: http.Server | https.Server;
  /** The Express app (the access-matrix test walks its routes). */
  http: Express;
  listen(port: number, host?: string): Promise<number>;
  close(): Promise<void>;
}

export async function createApp(opts: AppOptions): Promise<RunningApp> {
  const log = opts.log ?? pino({ level: process.env.LOG_LEVEL ?? 'info' });
  const { db } = opts.dbHandle;
  const applied = await migrateToLatest(db);
  if (applied.length) log.info({ applied }, 'migrations applied');
  // From here on the application works as the restricted role: the audit trail only grows.
  await opts.dbHandle.useAppRole();
  if (opts.seed && (await seedDemo(db))) log.info('demo org tree and accounts seeded');
  const tree = await loadOrgTree(db);
  setSessionDefaults(db, opts.sessionDefaults ?? defaultsFromEnv());

  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', 'loopback');
  const certs = new CertTrust(opts.certificates);
  if (!certs.enforced) log.warn('no client or UKey CA configured: the two-factor (certificate) policy is not enforced');
  const server = opts.tls ? createTlsServer(app, opts.tls, certs.clientCas.length ? opts.certificates?.clientCa : undefined) : http.createServer(prebuiltPrototypes(app), app);
  const io: AppIo = new IoServer<ClientToServerEvents, ServerToClientEvents, Record<string, never>, SocketData>(server, { serveClient: false, maxHttpBufferSize: 1e6, ...HEARTBEAT, allowRequest: allowSocketRequest });
  const infra: AppContext = { db, tree, log, io };
  const reports = createReportRuntime(infra);
  const ctx: AppServices = {
    ...infra,
    meetings: new MeetingHub({ ...infra, pool: opts.pool }),
    reports,
    sessions: new SocketSessions(io, db, log),
    platform: createPlatformRuntime(infra, reports, opts.platform),
    scoring: new ScoringTicker(infra),
    certs,
  };
  ctx.sessions.start(opts.sessionSweepMs);
  ctx.scoring.start();

  io.use(async (socket, next) => {
    try {
      const session = await checkSession(infra, sessionToken(socket.handshake.headers.cookie));
      if (!session) return next(Object.assign(new Error('AUTH_REQUIRED'), { data: errors.authRequired().toJSON() }));
      if (session.state === 'ended') return next(Object.assign(new Error('AUTH_REQUIRED'), { data: errors.sessionEnded(session.reason).toJSON() }));
      // After an administrator's reset nothing but the password change: no live connection either.
      if (session.user.mustChangePassword) return next(Object.assign(new Error('AUTH_REQUIRED'), { data: errors.passwordChangeRequired().toJSON() }));
      socket.data.user = session.user;
      socket.data.sessionHash = session.tokenHash;
      socket.data.expiresAt = session.expiresAt.getTime();
      next();
    } catch (e) {
      next(e as Error);
    }
  });
  io.on('connection', (socket) => {
    // An expired session answers nothing more, whatever the sweep has not caught yet.
    socket.use((_event, next) => {
      if (Date.now() < socket.data.expiresAt) return next();
      socket.emit('session:ended', {});
      socket.disconnect(true);
    });
    void socket.join(unitRoom(socket.data.user.unitCode));
    ctx.meetings.attach(socket);
  });

  app.use(securityHeaders({ https: opts.secureCookie ?? !!opts.tls, connectExtra: certs.ukeyCas.length ? [new URL(certs.ukeyMiddleware.url).origin] : [] }));
  // Every change, export and marked classified read leaves an entry in the append-only trail.
  app.use(auditRequests(ctx, () => app));
  // The emergency platform posts signed CAP XML here (raw body, its own limits): before the JSON parser.
  app.use('/platform', platformEdgeRoutes(ctx));
  app.use(sameOriginGuard());
  app.use(express.json({ limit: '1mb' }));
  app.get('/healthz', (_req, res) => {
    res.json({ ok: true, workers: opts.pool.slots.length, liveMeetings: ctx.meetings.liveRooms, db: opts.dbHandle.kind });
  });
  app.use('/api/auth/ukey', ukeyRoutes(ctx));
  app.use('/api/auth', authRoutes(ctx, { secureCookie: opts.secureCookie ?? !!opts.tls }));
  // Test-only clock control (POST /api/test/clock { setIso } | { advanceMs }): never mounted in production.
  if (process.env.TEST_CLOCK === '1') app.use('/api/test', testClockRoutes(ctx));
  app.use('/api', requireUser(ctx, { enforcePasswordChange: true }));
  app.use('/api', openApiRoutes());
  app.use('/api/org', orgRoutes(ctx));
  app.use('/api/meetings', meetingRoutes(ctx));
  app.use('/api/reports', reportRoutes(ctx));
  app.use('/api/duty', dutyRoutes(ctx));
  app.use('/api/information', informationRoutes(ctx));
  app.use('/api/scoring', scoringRoutes(ctx));
  app.use('/api/platform', platformRoutes(ctx));
  app.use('/api/audit', auditRoutes(ctx));
  app.use('/api/voice', voicePhoneRoutes(ctx));
  app.use('/api/admin', adminRoutes(ctx));
  app.use('/api/certificates', certificateRoutes(ctx));
  app.use('/api', (_req, _res, next) => next(errors.notFound('接口')));

  if (opts.staticDir && fs.existsSync(path.join(opts.staticDir, 'index.html'))) {
    app.use(express.static(opts.staticDir, { index: false, maxAge: '1h' }));
    // History-mode routes of the single-page console.
    app.get(/^\/(?!api\/|socket\.io\/).*/, (_req, res) => res.sendFile(path.join(opts.staticDir!, 'index.html')));
  }

  app.use((err: unknown, _req: Request, res: Response, _next: NextFunction) => {
    const apiErr = toApiError(err);
    if (apiErr.status >= 500) log.error({ err }, 'request failed');
    res.status(apiErr.status).json({ error: apiErr.toJSON() });
  });

  return {
    ctx,
    server,
    http: app,
    listen: (port, host = '0.0.0.0') =>
      new Promise((resolve, reject) => {
        server.once('error', reject);
        server.listen(port, host, () => resolve((server.address() as { port: number }).port));
      }),
    close: async () => {
      ctx.reports.ticker.stop();
      ctx.sessions.stop();
      ctx.platform.sender.stop();
      ctx.scoring.stop();
      await ctx.meetings.close();
      await new Promise<void>((resolve) => io.close(() => resolve()));
    },
  };
}
