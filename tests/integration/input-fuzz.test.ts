/**
 * Hostile input never gets a 500: every route is walked with U+0000 and lone surrogates in each text field,
 * ids that are 36 characters but no UUID, implausible dates and years, integers beyond Postgres' range,
 * bodies over the limit; sockets get stable codes for client mistakes, with no mediasoup internals.
 * Everything refused is refused with a 4xx and a message; nothing is stored.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ClientEvent } from '../../contract/socket.ts';
import { Client, suiteClients, request, startTestServer, type TestServer } from '../helpers/app.ts';
import { testDatabases } from '../helpers/databases.ts';

const [db] = testDatabases(); // PGlite: the checks are the server's, the same for both databases
const ZEROS = '0'.repeat(36);
const HOSTILE_TEXT = ['\u0000', 'a\u0000b', '\uD800', 'x\uDC00y', '\uDBFF'];
const IMPLAUSIBLE_TIMES = ['0001-01-01T00:00:00Z', '1900-01-01T08:00:00+08:00', '9999-12-31T23:59:59Z'];

/** Copies of `body` with each string field (top level) replaced by each hostile value. */
function* hostile(body: Record<string, unknown>): Generator<[string, Record<string, unknown>]> {
  for (const [k, v] of Object.entries(body)) {
    if (typeof v !== 'string' || k === 'requestId') continue;
    for (const bad of HOSTILE_TEXT) yield [`${k}=${JSON.stringify(bad)}`, { ...body, [k]: bad }];
  }
}

describe(`hostile input (${db!.name})`, () => {
  let srv: TestServer;
  const { login, closeAll } = suiteClients(() => srv.baseUrl);
  /** Status of a raw request (any body, any content type). */
  const raw = async (c: Client, method: string, path: string, body: string | Uint8Array<ArrayBuffer>, type = 'application/json') => {
    // The upload header the console sends on file routes (a cross-site form cannot): the size check is what is tested.
    const res = await fetch(srv.baseUrl + path, { method, headers: { cookie: c.cookie, 'content-type': type, 'x-requested-with': 'fetch' }, body });
    return { status: res.status, body: (await res.json().catch(() => null)) as any };
  };
  const serverErrors: string[] = [];
  const expect4xx = (what: string, r: { status: number; body: any }) => {
    if (r.status >= 500) serverErrors.push(`${what} → ${r.status} ${JSON.stringify(r.body)}`);
    expect(r.status, what).toBeGreaterThanOrEqual(400);
    expect(r.status, what).toBeLessThan(500);
    expect(r.body?.error?.code, what).toEqual(expect.any(String));
  };

  beforeAll(async () => {
    srv = await startTestServer(await db!.open());
  });
  afterAll(async () => {
    closeAll();
    await srv?.close();
  });

  it('refuses NUL and lone surrogates in every text field of every route with a 400, storing nothing', async () => {
    const duty = await login('150102-duty');
    const leader = await login('150100-leader');
    const sys = await login('sysadmin');
    const now = new Date();
    const minutesAgo = (m: number) => new Date(now.getTime() - m * 60_000).toISOString();
    const routes: [Client, string, Record<string, unknown>][] = [
      [duty, '/api/reports', { requestId: randomUUID(), title: '暴雨', eventTime: minutesAgo(10), place: '新城区', grade: 3, summary: '积水', measures: '排水', action: 'draft' }],
      [duty, '/api/reports/phone', { requestId: randomUUID(), title: '火情', eventTime: minutesAgo(5), place: '新城区', grade: 2, summary: '起火', caller: '张三', callee: '市值班室' }],
      [duty, '/api/duty/log', { requestId: randomUUID(), callTime: minutesAgo(3), callerUnit: '某镇', callerName: '李四', summary: '道路中断', place: '某村', measures: '已上报' }],
      [duty, '/api/duty/handovers', { requestId: randomUUID(), slotStart: now.toISOString(), summary: '交班小结' }],
      [leader, '/api/meetings', { title: '防汛调度会', scope: { kind: 'cityWithCounties', cityCode: '150100' } } as Record<string, unknown>],
      [sys, '/api/admin/users', { username: 'fuzz-user', displayName: '模糊测试', unitCode: '150102', phone: '123' }],
      [sys, '/api/admin/units', { code: '150194', name: '模糊新区', nameEn: 'Fuzz', parentCode: '150100' }],
      [leader, '/api/reports/incidents/demand', { unitCode: '150102', title: '催报', eventTime: minutesAgo(30), place: '新城区', grade: 2, note: '请立即报告' }],
    ];
    let tried = 0;
    for (const [c, path, body] of routes) {
      for (const [what, bad] of hostile(body)) {
        if ('requestId' in bad) bad.requestId = randomUUID();
        const r = await c.post(path, bad);
        expect4xx(`POST ${path} ${what}`, r);
        expect(r.status, `POST ${path} ${what}`).toBe(400);
        tried++;
      }
    }
    // Login name, search text, attachment name: query strings and the login body.
    const anon = new Client(srv.baseUrl);
    for (const bad of HOSTILE_TEXT) {
      expect4xx(`login ${JSON.stringify(bad)}`, await anon.post('/api/auth/login', { username: bad, password: 'x' }));
      tried++;
    }
    // In a query string: NUL is refused; invalid UTF-8 (a lone surrogate's bytes) is at most harmless text.
    for (const q of ['%00', 'a%00b']) {
      expect4xx(`log search q=${q}`, await duty.get(`/api/duty/log?q=${q}`));
      expect4xx(`attachment name ${q}`, await raw(duty, 'POST', `/api/reports/${randomUUID()}/attachments?filename=${q}`, 'x', 'text/plain'));
      tried += 2;
    }
    for (const q of ['%ED%A0%80', '%C0%80', '%FF']) {
      const r = await duty.get(`/api/duty/log?q=${q}`);
      expect(r.status, `log search q=${q}`).toBeLessThan(500);
    }
    expect(tried).toBeGreaterThan(100);
    // A meeting title with a NUL was refused, not stored with it.
    const list = await leader.get('/api/meetings');
    expect(JSON.stringify(list.body)).not.toContain('\\u0000');
    expect(serverErrors).toEqual([]);
  });

  it('treats ids that are not UUIDs as not found, never as a database error', async () => {
    const duty = await login('150102-duty');
    for (const [method, path] of [
      ['GET', `/api/reports/${ZEROS}`],
      ['GET', `/api/reports/incidents/${ZEROS}`],
      ['GET', `/api/reports/attachments/${ZEROS}`],
      ['POST', `/api/reports/${ZEROS}/sign`],
      ['POST', `/api/reports/${ZEROS}/acknowledge`],
      ['POST', `/api/reports/${ZEROS}/edit`],
      ['POST', `/api/reports/instructions/${ZEROS}/feedback`],
      ['GET', `/api/duty/handovers/${ZEROS}`],
      ['POST', `/api/duty/swaps/${ZEROS}/approve`],
      ['POST', `/api/duty/log/${ZEROS}`],
      ['GET', `/api/meetings/${ZEROS}/control`],
      ['GET', `/api/meetings/${ZEROS}/attendance`],
    ] as const) {
      const r = method === 'GET' ? await duty.get(path) : await duty.post(path, { text: '已阅', comment: 'x', done: false });
      expect4xx(`${method} ${path}`, r);
      expect(r.status, `${method} ${path}`).toBe(404);
    }
    expect(serverErrors).toEqual([]);
  });

  it('refuses implausible times with a clear Chinese message, and writes no 迟报 for them', async () => {
    const duty = await login('150102-duty');
    for (const t of IMPLAUSIBLE_TIMES) {
      const report = await duty.post('/api/reports/phone', { requestId: randomUUID(), title: '年份错误', eventTime: t, place: '新城区', grade: 1, summary: 's', caller: 'a', callee: 'b' });
      expect4xx(`phone eventTime ${t}`, report);
      expect(JSON.stringify(report.body.error.details)).toMatch(/年份|一年前|晚于/);
      const call = await duty.post('/api/duty/log', { requestId: randomUUID(), callTime: t, summary: '来电' });
      expect4xx(`log callTime ${t}`, call);
      expect(JSON.stringify(call.body.error.details)).toMatch(/年份|一年前|晚于/);
    }
    const misses = await srv.app.ctx.db.selectFrom('deadline_misses').select('id').execute();
    expect(misses).toEqual([]);
    // Roster ranges and months in years nobody is on duty.
    for (const path of [
      '/api/duty/roster?from=9999-12-01&to=9999-12-31',
      '/api/duty/roster?from=0000-01-01&to=0000-01-31',
      '/api/duty/roster/export?month=0000-01',
      '/api/duty/roster/export?month=9999-12',
      '/api/reports/board?month=0000-01',
      '/api/duty/log?date=9999-12-31',
      `/api/duty/roster/history?start=${encodeURIComponent('0001-01-01T00:00:00Z')}`,
    ]) {
      expect4xx(`GET ${path}`, await duty.get(path));
    }
    expect(serverErrors).toEqual([]);
  });

  it('refuses integers beyond Postgres\' range and duplicate deadline rules', async () => {
    const duty = await login('150102-duty');
    const entry = (await duty.post('/api/duty/log', { requestId: randomUUID(), callTime: new Date(Date.now() - 60_000).toISOString(), summary: '来电' })).body.entry;
    expect(entry.id).toEqual(expect.any(String));
    for (const revision of [2147483648, 1e20, -2147483649]) {
      expect4xx(`revision ${revision}`, await duty.post(`/api/duty/log/${entry.id}`, { revision, callTime: entry.callTime, summary: '改' }));
    }
    expect4xx('ack item 2^31', await duty.post(`/api/duty/handovers/${randomUUID()}/ack`, { itemIds: [2147483648] }));
    const admin = await login('sysadmin');
    const rules = (await admin.get('/api/reports/rules')).body;
    const dup = { grade: 1, level: 3, kind: 'written', minutes: 60 };
    const r = await admin.post('/api/reports/rules', { rules: [dup, { ...dup, minutes: 90 }], followupTimes: rules.settings.followupTimes, directCopyMaxGrade: 1, warnMinutes: 15 });
    expect4xx('duplicate deadline rules', r);
    expect(JSON.stringify(r.body.error.details)).toContain('重复');
    expect((await admin.get('/api/reports/rules')).body.rules).toEqual(rules.rules); // nothing changed
    expect(serverErrors).toEqual([]);
  });

  it('answers a body over the limit with 413, also for the roster import', async () => {
    const duty = await login('150102-duty');
    const leader = await login('150102-leader');
    const big = JSON.stringify({ requestId: randomUUID(), summary: 'x'.repeat(2 * 1024 * 1024) });
    const r = await raw(duty, 'POST', '/api/duty/log', big);
    expect4xx('2 MB JSON', r);
    expect(r.status).toBe(413);
    const imp = await raw(leader, 'POST', '/api/duty/roster/import', new Uint8Array(6 * 1024 * 1024), 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
    expect4xx('6 MB roster import', imp);
    expect(imp.status).toBe(413);
    expect4xx('broken JSON', await raw(duty, 'POST', '/api/duty/log', '{"summary": "x",'));
    expect4xx('garbage roster file', await raw(leader, 'POST', '/api/duty/roster/import', new Uint8Array([1, 2, 3]), 'application/octet-stream'));
    expect(serverErrors).toEqual([]);
  });

  it('gives sockets stable codes for client mistakes, with no mediasoup internals in the message', async () => {
    const chair = await login('150100-leader');
    const meeting = (await chair.post('/api/meetings', { title: '输入检查会', scope: { kind: 'cityWithCounties', cityCode: '150100' } })).body.meeting;
    const s = await chair.socket();
    await request(s, 'meeting:join', { meetingId: meeting.id });
    const fail = (event: ClientEvent, payload: unknown) => request(s, event, payload).then(() => ({ code: 'OK', message: '' }), (e: { code: string; message: string }) => e);

    const banner = await fail('control', { command: { type: 'banner', text: '会议\u0000横幅' } });
    expect(banner.code).toBe('VALIDATION');
    const noTransport = await fail('transport:connect', { transportId: randomUUID(), dtlsParameters: { role: 'client', fingerprints: [] } });
    expect(noTransport.code).toBe('MEDIA_NOT_FOUND');
    const t = await request(s, 'transport:create', { direction: 'send' });
    const badRtp = await fail('produce', { transportId: t.id, kind: 'audio', rtpParameters: { codecs: [{ mimeType: 'audio/opus', payloadType: 111, clockRate: 48000, channels: 2, rtcpFeedback: [{}] }] } });
    expect(badRtp.code).toBe('MEDIA_BAD_PARAMS');
    const noProducer = await fail('consume', { producerId: randomUUID(), rtpCapabilities: { codecs: [] } });
    expect(noProducer.code).toMatch(/^MEDIA_(NOT_FOUND|CANNOT_CONSUME|BAD_PARAMS)$/);
    for (const e of [noTransport, badRtp, noProducer]) {
      expect(e.message).not.toMatch(/transport|producer|fb\.type|not found|missing/i);
      expect(e.message).toMatch(/[\u4e00-\u9fff]/);
    }
  });
});
