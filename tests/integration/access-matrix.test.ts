/**
 * The access matrix (issue 8): every route Express really has and every event a socket really listens to
 * must have a row in access-rules.ts, and every row is exercised: anonymous, the refused cases (other county,
 * other city, lower role …) and the allowed ones, against the real server and database.
 */
import os from 'node:os';
import path from 'node:path';
import fs from 'node:fs';
process.env.RECORDINGS_DIR = fs.mkdtempSync(path.join(os.tmpdir(), 'tl-matrix-rec-'));
import { io as ioClient, type Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ClientEvent } from '../../contract/socket.ts';
import { Client, request, startTestServer, type TestServer } from '../helpers/app.ts';
import { testDatabases } from '../helpers/databases.ts';
import { expressRoutes, socketEvents } from '../helpers/routes.ts';
import { makeFixtures, type Fixtures } from './access-fixtures.ts';
import { NOT_AUDITED } from '../../server/audit/middleware.ts';
import { ACCESS_CODES, HTTP_RULES, SOCKET_RULES, type HttpCase, type SocketCase } from './access-rules.ts';

const [tdb] = testDatabases();

describe(`access matrix (${tdb!.name})`, () => {
  let srv: TestServer;
  let f: Fixtures;
  const clients = new Map<string, Promise<Client>>();
  const as = (u: string) => {
    let c = clients.get(u);
    if (!c) clients.set(u, (c = Client.login(srv.baseUrl, u)));
    return c;
  };
  const sockets: Socket[] = [];

  beforeAll(async () => {
    srv = await startTestServer(await tdb!.open());
    f = await makeFixtures(srv, as);
  }, 300_000);
  afterAll(async () => {
    sockets.forEach((s) => s.close());
    for (const c of clients.values()) (await c).close();
    await srv?.close();
  });

  it('every route and socket event has a rule, and every rule a real route or event', async () => {
    const routes = expressRoutes(srv.app.http);
    const ruled = new Set(HTTP_RULES.map((r) => r.route));
    expect(routes.filter((r) => !ruled.has(r)), 'routes without a rule in access-rules.ts').toEqual([]);
    expect(HTTP_RULES.filter((r) => !r.optional && !routes.includes(r.route)).map((r) => r.route), 'rules for routes that do not exist').toEqual([]);
    expect(HTTP_RULES.length).toBe(ruled.size);
    const s = await (await as('150102-duty')).socket();
    const events = socketEvents(srv.app.ctx.io);
    s.close();
    const ruledEvents = new Set<string>(SOCKET_RULES.map((r) => r.event));
    expect(events.filter((e) => !ruledEvents.has(e)), 'socket events without a rule').toEqual([]);
    expect(SOCKET_RULES.filter((r) => !events.includes(r.event)).map((r) => r.event), 'rules for events nobody listens to').toEqual([]);
    // Each row says who may and shows it: an allowed case and a refused one (or why anonymous is the refusal).
    for (const r of [...HTTP_RULES, ...SOCKET_RULES.filter((x) => !x.system)]) {
      const name = 'route' in r ? r.route : r.event;
      expect(r.allow.length, `${name}: an allowed case`).toBeGreaterThan(0);
      expect(r.deny.length > 0 || !!r.denyNote, `${name}: a refused case or a note`).toBe(true);
    }
  });

  const lastAuditId = async () => (await srv.app.ctx.db.selectFrom('audit_log').select('id').orderBy('id', 'desc').limit(1).executeTakeFirst())?.id ?? '0';

  const call = async (method: string, c: HttpCase, route: string) => {
    const url = c.url ? c.url(f) : route.split(' ')[1]!;
    const cookie = c.as ? (await as(c.as)).cookie : '';
    const headers: Record<string, string> = cookie ? { cookie } : {};
    let body: string | Blob | undefined;
    if (c.raw) {
      headers['content-type'] = c.raw.type;
      headers['x-requested-with'] = 'XMLHttpRequest';
      const data = c.raw.data(f);
      body = typeof data === 'string' ? data : new Blob([data as BlobPart]);
    } else if (method !== 'GET') {
      headers['content-type'] = 'application/json';
      body = JSON.stringify(c.body ? c.body(f) : {});
    }
    const res = await fetch(srv.baseUrl + url, { method, headers, body });
    return { status: res.status, text: await res.text() };
  };

  for (const rule of HTTP_RULES) {
    it(`${rule.route} — ${rule.who}`, async (t) => {
      const [method, route] = rule.route.split(' ') as [string, string];
      if (rule.optional && !expressRoutes(srv.app.http).includes(rule.route)) return t.skip();
      const probe = rule.allow[0]!;
      const anon = await call(method, { ...probe, as: '' }, rule.route);
      if (rule.public) expect(anon.status, `anonymous ${rule.route}`).not.toBe(401);
      else expect(anon.status, `anonymous ${rule.route}: ${anon.text}`).toBe(401);
      for (const c of rule.deny) {
        const r = await call(method, c, rule.route);
        expect(c.expect, `refused ${c.as} ${rule.route}: ${r.status} ${r.text.slice(0, 200)}`).toContain(r.status);
        if (c.mustNotSee) expect(r.text, `${c.as} must not see it on ${route}`).not.toContain(c.mustNotSee(f));
      }
      for (const c of rule.allow) {
        const before = await lastAuditId();
        const r = await call(method, c, rule.route);
        expect(c.expect, `allowed ${c.as} ${rule.route}: ${r.status} ${r.text.slice(0, 300)}`).toContain(r.status);
        // Every state-changing route leaves an audit entry naming the route, the caller and the outcome.
        if (method !== 'GET' && !NOT_AUDITED.has(route)) {
          const action = rule.route === 'POST /api/auth/login' ? 'auth.login' : `change ${rule.route}`;
          const entries = await srv.app.ctx.db.selectFrom('audit_log').select(['username', 'status']).where('id', '>', before).where('action', '=', action).execute();
          expect(entries, `audit entry of ${rule.route} for ${c.as || 'anonymous'}`).toContainEqual({ username: c.as || (action === 'auth.login' ? expect.any(String) : null), status: r.status });
        }
      }
    });
  }

  it('an anonymous socket is refused at the handshake', async () => {
    const s = ioClient(srv.baseUrl, { transports: ['websocket'], reconnection: false });
    sockets.push(s);
    await expect(new Promise((resolve, reject) => (s.once('connect', () => resolve(1)), s.once('connect_error', reject)))).rejects.toMatchObject({ message: 'AUTH_REQUIRED' });
  });

  const emit = async (c: SocketCase): Promise<{ ok: boolean; code?: string }> => {
    const s = await (await as(c.as)).socket();
    sockets.push(s);
    if (c.setup === 'join') await request(s, 'meeting:join', { meetingId: f.meeting });
    if (c.setup === 'devicetest') await request(s, 'devicetest:start');
    return request(s, currentEvent, c.payload(f)).then(
      () => ({ ok: true }),
      (e: { code?: string }) => ({ ok: false, code: e.code }),
    );
  };
  let currentEvent: ClientEvent = 'meeting:join';

  for (const rule of SOCKET_RULES.filter((r) => !r.system)) {
    it(`socket ${rule.event} — ${rule.who}`, async () => {
      currentEvent = rule.event as ClientEvent; // system events (disconnect) are filtered out above
      for (const c of rule.deny) {
        const r = await emit(c);
        expect(r, `refused ${c.as} ${rule.event}`).toEqual({ ok: false, code: c.code });
      }
      for (const c of rule.allow) {
        const r = await emit(c);
        expect(ACCESS_CODES, `allowed ${c.as} ${rule.event}: ${r.code}`).not.toContain(r.code);
      }
      sockets.splice(0).forEach((s) => s.close());
    });
  }
});
