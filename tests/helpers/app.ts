/** Starts the real server (real DB, real mediasoup worker) on an ephemeral loopback port for a suite. */
import pino from 'pino';
import { io as ioClient, type Socket as RawSocket } from 'socket.io-client';
import type { ClientEvent, ClientToServerEvents, PushOf, ServerEvent, ServerToClientEvents } from '../../contract/socket.ts';

/** A console's socket as the contract types it: events and payloads are checked at compile time. */
export type Socket = RawSocket<ServerToClientEvents, ClientToServerEvents>;
import type { DbHandle } from '../../db/connect.ts';
import { DEMO_PASSWORD } from '../../server/seed/demo.ts';
import { createApp, type AppOptions, type RunningApp } from '../../server/app.ts';
import { WorkerPool } from '../../sfu/WorkerPool.ts';
import type { SfuConfig } from '../../sfu/config.ts';

export interface TestServer {
  app: RunningApp;
  pool: WorkerPool;
  baseUrl: string;
  close(): Promise<void>;
}

/**
 * Suites log in as one user many times and move the clock by hours or months, so by default there is no idle
 * timeout and no session limit; the session tests pass the production defaults (`sessionDefaults`).
 * `sfu`: pool settings over the tests' one worker (e.g. two workers and a low spread threshold); `staticDir`: serve a built console (the chair-list bench).
 */
export async function startTestServer(
  dbHandle: DbHandle,
  opts: Pick<AppOptions, 'sessionDefaults' | 'sessionSweepMs' | 'staticDir'> & { sfu?: Partial<SfuConfig> } = {},
): Promise<TestServer> {
  const pool = await WorkerPool.create({ numWorkers: 1, basePort: 0, listenIps: [{ ip: '127.0.0.1' }], logLevel: 'warn', ...opts.sfu });
  const app = await createApp({ dbHandle, pool, seed: true, log: pino({ level: 'silent' }), sessionDefaults: opts.sessionDefaults ?? { idleMinutes: 0, maxSessions: 0 }, ...(opts.sessionSweepMs ? { sessionSweepMs: opts.sessionSweepMs } : {}), ...(opts.staticDir ? { staticDir: opts.staticDir } : {}) });
  const port = await app.listen(0, '127.0.0.1');
  return {
    app,
    pool,
    baseUrl: `http://127.0.0.1:${port}`,
    close: async () => {
      await app.close();
      await pool.close();
      await dbHandle.close();
    },
  };
}

/** A logged-in demo user: fetch with its cookie, and a socket.io connection on demand. */
export class Client {
  cookie = '';
  readonly sockets: Socket[] = [];
  constructor(readonly baseUrl: string) {}

  static async login(baseUrl: string, username: string, password = DEMO_PASSWORD): Promise<Client> {
    const c = new Client(baseUrl);
    const res = await c.post('/api/auth/login', { username, password });
    if (res.status !== 200) throw new Error(`login ${username} failed: ${res.status} ${JSON.stringify(res.body)}`);
    return c;
  }

  async request(method: string, path: string, body?: unknown): Promise<{ status: number; body: any }> {
    const res = await fetch(this.baseUrl + path, {
      method,
      headers: { 'content-type': 'application/json', ...(this.cookie ? { cookie: this.cookie } : {}) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const set = res.headers.getSetCookie().find((c) => c.startsWith('tl_session='));
    if (set) this.cookie = set.split(';')[0]!;
    const text = await res.text();
    return { status: res.status, body: text ? JSON.parse(text) : null };
  }

  get = (path: string) => this.request('GET', path);
  post = (path: string, body: unknown) => this.request('POST', path, body);

  async socket(): Promise<Socket> {
    const s: Socket = ioClient(this.baseUrl, { transports: ['websocket'], extraHeaders: { cookie: this.cookie }, reconnection: false });
    await new Promise<void>((resolve, reject) => {
      s.once('connect', () => resolve());
      s.once('connect_error', reject);
    });
    this.sockets.push(s);
    return s;
  }

  close(): void {
    for (const s of this.sockets) s.close();
  }
}

/**
 * Emits a request and resolves with its data, or rejects with the server's error code. The event name is
 * the contract's; the payload is `unknown` on purpose: tests send hostile and malformed ones.
 */
/** A suite's logins against its test server, closed together at its end (`closeAll()` in afterAll). */
export function suiteClients(baseUrl: () => string): { login: (username: string) => Promise<Client>; closeAll: () => void } {
  const clients: Client[] = [];
  return {
    async login(username) {
      const c = await Client.login(baseUrl(), username);
      clients.push(c);
      return c;
    },
    closeAll: () => clients.splice(0).forEach((c) => c.close()),
  };
}

export function request<T = any>(socket: Socket, event: ClientEvent, payload: unknown = {}): Promise<T> {
  return new Promise((resolve, reject) => {
    // The untyped view: the payload is deliberately not the contract's type here.
    (socket as unknown as RawSocket).timeout(10_000).emit(event, payload, (err: Error | null, res: any) => {
      if (err) return reject(err);
      if (res.ok) resolve(res.data as T);
      else reject(Object.assign(new Error(res.error.message), { code: res.error.code }));
    });
  });
}

/** Resolves with the next `event` payload that satisfies `match`, or rejects after `ms`. */
export function nextEvent<E extends ServerEvent>(socket: Socket, event: E, match: (p: PushOf<E>) => boolean = () => true, ms = 5000): Promise<PushOf<E>> {
  // Listening by a generic event name goes through the untyped view (the result is typed by PushOf<E>).
  const raw = socket as unknown as { on(e: string, h: (p: unknown) => void): void; off(e: string, h: (p: unknown) => void): void };
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      raw.off(event, handler);
      reject(new Error(`no ${event} within ${ms} ms`));
    }, ms);
    const handler = (p: unknown) => {
      if (!match(p as PushOf<E>)) return;
      clearTimeout(timer);
      raw.off(event, handler);
      resolve(p as PushOf<E>);
    };
    raw.on(event, handler);
  });
}
