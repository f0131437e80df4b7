/**
 * The platform link through its API, with the real simulator process: the region's manual push with the
 * leader's sign-off, permissions, classified content, a CAP Error parking an incident's queue and the
 * operator's re-drive, withdrawal (Cancel), the Atom feed; inbound alerts in several agencies' styles,
 * hostile and malformed XML rejected with nothing else happening; acknowledge, demand reports, convene.
 */
const KEY = 'api-test-shared-key';
process.env.PLATFORM_SHARED_KEY = KEY;
process.env.PLATFORM_RETRY_BASE_MS = '150';
process.env.PLATFORM_RETRY_MAX_MS = '600';
process.env.PLATFORM_TIMEOUT_MS = '2000';
process.env.PLATFORM_POLL_MS = '150';
process.env.PLATFORM_FEED_TOKEN = 'feed-token-for-tests';
process.env.PLATFORM_INBOUND_PER_MINUTE = '40';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Client, suiteClients, nextEvent, startTestServer, type TestServer } from '../helpers/app.ts';
import { testDatabases } from '../helpers/databases.ts';
import { freePort, SimControl, startProc, waitFor, type Proc } from '../helpers/processes.ts';
import { sign } from '../../server/platform/signature.ts';
import { alertXml } from '../../platform-sim/alerts.ts';

const [db] = testDatabases();

describe(`emergency platform link (${db!.name})`, () => {
  let srv: TestServer;
  let sim: Proc;
  let ctl: SimControl;
  const { login, closeAll } = suiteClients(() => srv.baseUrl);
  const ago = (min: number) => new Date(Date.now() - min * 60_000).toISOString();
  const must = async (p: Promise<{ status: number; body: any }>) => {
    const r = await p;
    if (r.status >= 300) throw new Error(`${r.status} ${JSON.stringify(r.body)}`);
    return r.body;
  };
  const postCap = (body: string, signature: string | null = sign(KEY, body)) =>
    fetch(`${srv.baseUrl}/platform/cap`, { method: 'POST', headers: { 'content-type': 'application/cap+xml', ...(signature ? { 'x-signature': signature } : {}) }, body }).then(async (r) => ({ status: r.status, text: await r.text() }));

  let region: Client, regionLeader: Client, cityDuty: Client, countyDuty: Client;

  beforeAll(async () => {
    const simPort = await freePort();
    ctl = new SimControl(simPort);
    process.env.PLATFORM_URL = ctl.capUrl;
    srv = await startTestServer(await db!.open());
    // The simulator sends its alerts to this server.
    sim = await startProc('platform-sim/server.ts', { PLATFORM_SIM_PORT: String(simPort), PLATFORM_SHARED_KEY: KEY, PLATFORM_SIM_INBOUND_URL: `${srv.baseUrl}/platform/cap` }, 'PLATFORM_SIM_READY');
    [region, regionLeader, cityDuty, countyDuty] = await Promise.all(['150000-duty', '150000-leader', '150100-duty', '150102-duty'].map(login));
  }, 120_000);
  afterAll(async () => {
    closeAll();
    await Promise.allSettled([srv?.close(), sim?.stop()]);
  });

  /** A phone report from 新城区, relayed by the city, acknowledged by the region. */
  const toRegion = async (o: { grade?: number; classification?: number; title?: string; incidentId?: string; relayBy?: Client } = {}) => {
    const rep = (await must(countyDuty.post('/api/reports/phone', { requestId: randomUUID(), incidentId: o.incidentId, title: o.title ?? '某镇内涝', eventTime: ago(20), place: '保合少镇', grade: o.grade ?? 3, classification: o.classification, summary: '积水严重，转移群众30人', caller: '县值班员', callee: '市值班员' }))).report;
    await must(cityDuty.post(`/api/reports/${rep.id}/acknowledge`, {}));
    await must((o.relayBy ?? cityDuty).post(`/api/reports/${rep.id}/relay`, {}));
    await must(region.post(`/api/reports/${rep.id}/acknowledge`, {}));
    return rep as { id: string; incidentId: string };
  };
  const delivery = async (c: Client, id: string) => (await must(c.get(`/api/platform/reports/${id}/delivery`))).delivery;

  it('grade III is not pushed on 签收; the duty officer asks, the leader on duty signs, the platform acks', async () => {
    const rep = await toRegion();
    await new Promise((r) => setTimeout(r, 300));
    expect(await delivery(region, rep.id)).toMatchObject({ atRegion: true, request: null, message: null });
    expect((await countyDuty.post(`/api/platform/reports/${rep.id}/push`, {})).body.error.code).toBe('SCOPE_FORBIDDEN');
    expect((await cityDuty.post(`/api/platform/reports/${rep.id}/push`, {})).body.error.code).toBe('SCOPE_FORBIDDEN');
    const asked = (await must(region.post(`/api/platform/reports/${rep.id}/push`, { note: '请领导审定' }))).delivery;
    expect(asked.request).toMatchObject({ note: '请领导审定', requestedBy: expect.any(String) });
    expect(asked.message).toBeNull();
    const before = (await ctl.stats()).unique;
    const signed = (await must(regionLeader.post(`/api/platform/reports/${rep.id}/push`, {}))).delivery;
    expect(signed.request).toBeNull();
    expect(signed.message).toMatchObject({ msgType: 'Alert', auto: false, decidedBy: asked.request.requestedBy, signedBy: expect.any(String) });
    await waitFor('acked', async () => (await delivery(region, rep.id)).message.state === 'acked');
    expect((await ctl.stats()).unique).toBe(before + 1);
    // The county sees its report's standing, not the message text.
    const seen = await delivery(countyDuty, rep.id);
    expect(seen.message).toMatchObject({ state: 'acked', ackedAt: expect.any(String) });
    expect(seen.message.xml).toBeUndefined();
    expect((await regionLeader.post(`/api/platform/reports/${rep.id}/push`, {})).body.error.code).toBe('PLATFORM_ALREADY_PUSHED');
    // A report still at the city cannot be pushed by the region.
    const stuck = (await must(countyDuty.post('/api/reports/phone', { requestId: randomUUID(), title: '未上报', eventTime: ago(5), place: '某地', grade: 3, summary: 's', caller: 'a', callee: 'b' }))).report;
    expect((await regionLeader.post(`/api/platform/reports/${stuck.id}/push`, {})).body.error.code).toBe('PLATFORM_NOT_AT_REGION');
  });

  it('only the leader the roster has on duty signs the push; with nobody named, any leader of the region', async () => {
    const people = (await must(regionLeader.get('/api/duty/people?unit=150000'))).people as { id: number; username: string }[];
    const id = (u: string) => people.find((p) => p.username === u)!.id;
    // The region's one shift a day starts at 08:30 Beijing time (00:30 UTC).
    const now = Date.now();
    const local = new Date(now + 8 * 3600_000);
    let start = Date.UTC(local.getUTCFullYear(), local.getUTCMonth(), local.getUTCDate(), 0, 30);
    if (now < start) start -= 86_400_000;
    const rosterLeader = (u: string) =>
      must(regionLeader.post('/api/duty/roster/slot', { start: new Date(start).toISOString(), officers: [{ userId: id('150000-duty') }], leader: { userId: id(u) } }));
    const rep = await toRegion({ title: '带班领导签发' });
    await rosterLeader('150000-duty2'); // the roster has someone else leading this shift
    try {
      const refused = await regionLeader.post(`/api/platform/reports/${rep.id}/push`, {});
      expect(refused.status).toBe(403);
      expect(refused.body.error).toMatchObject({ code: 'PLATFORM_NOT_LEADER_ON_DUTY', message: expect.stringContaining('带班领导') });
      expect((await delivery(region, rep.id)).message).toBeNull();
    } finally {
      await rosterLeader('150000-leader');
    }
    expect((await must(regionLeader.post(`/api/platform/reports/${rep.id}/push`, {}))).delivery.message).toMatchObject({ msgType: 'Alert' });
  });

  it('a dropped connection after the platform stored the message, and a duplicate Ack, change nothing twice', async () => {
    const s0 = await ctl.stats();
    await ctl.fault('drop', { count: 1, afterStore: true });
    const dropped = await toRegion({ title: '断线事件' });
    await must(regionLeader.post(`/api/platform/reports/${dropped.id}/push`, {}));
    await waitFor('acked after the drop', async () => (await delivery(region, dropped.id)).message.state === 'acked');
    const s1 = await ctl.stats();
    expect(s1.unique).toBe(s0.unique + 1);
    expect(s1.duplicates).toBe(s0.duplicates + 1);
    expect((await delivery(region, dropped.id)).message.attempts).toBe(2);

    await ctl.fault('duplicateAck', { count: 1 });
    const twice = await toRegion({ title: '重复确认事件' });
    await must(regionLeader.post(`/api/platform/reports/${twice.id}/push`, {}));
    await waitFor('acked', async () => (await delivery(region, twice.id)).message.state === 'acked');
    const first = (await delivery(region, twice.id)).message;
    await new Promise((r) => setTimeout(r, 500)); // the second Ack arrives through /platform/cap
    const after = (await delivery(region, twice.id)).message;
    expect(after).toMatchObject({ state: 'acked', ackedAt: first.ackedAt, ackIdentifier: first.ackIdentifier, attempts: 1 });
    expect((await ctl.stats()).unique).toBe(s1.unique + 1);
  });

  it('classified reports leave Restricted and redacted', async () => {
    // Only a cleared role relays classified content at the city.
    const rep = await toRegion({ classification: 2, title: '涉密事件标题', relayBy: await login('150100-leader') });
    await must(regionLeader.post(`/api/platform/reports/${rep.id}/push`, {}));
    const m = (await delivery(region, rep.id)).message;
    expect(m.xml).toContain('<scope>Restricted</scope>');
    expect(m.xml).not.toContain('涉密事件标题');
    expect(m.xml).not.toContain('转移群众30人');
  });

  it('a CAP Error parks the incident; its next message waits, others go; the operator corrects and re-drives', async () => {
    await ctl.fault('error', { count: 1 });
    const p1 = await toRegion({ title: '甲事件' });
    await must(regionLeader.post(`/api/platform/reports/${p1.id}/push`, {}));
    await waitFor('parked', async () => (await delivery(region, p1.id)).message.state === 'parked');
    const parked = (await delivery(region, p1.id)).message;
    expect(parked.lastError).toContain('平台返回错误');
    expect(parked.answerXml).toContain('<msgType>Error</msgType>');
    const p2 = await toRegion({ title: '甲事件续报', incidentId: p1.incidentId });
    await must(regionLeader.post(`/api/platform/reports/${p2.id}/push`, {}));
    const q1 = await toRegion({ title: '乙事件' });
    await must(regionLeader.post(`/api/platform/reports/${q1.id}/push`, {}));
    await waitFor('the other incident delivered', async () => (await delivery(region, q1.id)).message.state === 'acked');
    expect((await delivery(region, p2.id)).message.state).toBe('pending');
    // A correction must still be CAP and keep its identifier.
    const bad = await region.post(`/api/platform/outbox/${parked.id}/redrive`, { xml: parked.xml.replace('<status>Actual</status>', '<status>Real</status>') });
    expect(bad.status).toBe(422);
    expect(bad.body.error.code).toBe('PLATFORM_INVALID_CAP');
    expect((await countyDuty.post(`/api/platform/outbox/${parked.id}/redrive`, {})).body.error.code).toBe('SCOPE_FORBIDDEN');
    await must(region.post(`/api/platform/outbox/${parked.id}/redrive`, { xml: parked.xml.replace('</description>', '（已更正）</description>') }));
    await waitFor('both delivered', async () => (await delivery(region, p2.id)).message.state === 'acked');
    const order = (await ctl.stats()).messages.filter((m: any) => m.incidents === p1.incidentId).map((m: any) => m.msgType);
    expect(order).toEqual(['Alert', 'Update']);
    expect((await region.post(`/api/platform/outbox/${parked.id}/redrive`, {})).body.error.code).toBe('PLATFORM_NOT_PARKED');

    // Withdrawal: a Cancel naming both, then nothing more for that incident.
    expect((await region.post('/api/platform/withdraw', { incidentId: p1.incidentId })).body.error.code).toBe('ROLE_FORBIDDEN');
    await must(regionLeader.post('/api/platform/withdraw', { incidentId: p1.incidentId }));
    await waitFor('cancel delivered', async () => (await ctl.stats()).messages.some((m: any) => m.incidents === p1.incidentId && m.msgType === 'Cancel'));
    const cancel = (await ctl.stats()).messages.find((m: any) => m.incidents === p1.incidentId && m.msgType === 'Cancel');
    expect(cancel.references.split(' ')).toHaveLength(2);
    const p3 = await toRegion({ title: '甲事件续报二', incidentId: p1.incidentId });
    expect((await regionLeader.post(`/api/platform/reports/${p3.id}/push`, {})).body.error.code).toBe('PLATFORM_WITHDRAWN');
  });

  it('serves an Atom feed of what was sent, to a token only', async () => {
    expect((await fetch(`${srv.baseUrl}/platform/feed.atom`)).status).toBe(401);
    expect((await fetch(`${srv.baseUrl}/platform/feed.atom`, { headers: { authorization: 'Bearer wrong' } })).status).toBe(401);
    expect((await fetch(`${srv.baseUrl}/platform/feed.atom`, { headers: { cookie: countyDuty.cookie } })).status).toBe(403);
    expect((await fetch(`${srv.baseUrl}/platform/feed.atom`, { headers: { cookie: region.cookie } })).status).toBe(200);
    const res = await fetch(`${srv.baseUrl}/platform/feed.atom`, { headers: { authorization: 'Bearer feed-token-for-tests' } });
    expect(res.headers.get('content-type')).toContain('application/atom+xml');
    const text = await res.text();
    const sent = (await must(region.get('/api/platform/outbox'))).messages.filter((m: any) => m.state === 'acked');
    for (const m of sent) expect(text).toContain(`urn:cap:${m.identifier}`);
    expect(text).toContain('<alert xmlns="urn:oasis:names:tc:emergency:cap:1.2">');
  });

  describe('inbound alerts', () => {
    const accepted = async () => (await must(region.get('/api/platform/alerts'))).alerts.filter((a: any) => a.status === 'accepted').length;

    it('accepts alerts in several agencies\' styles, covers the right units, alarms their consoles, once', async () => {
      const s152525 = await (await login('152525-duty')).socket();
      const s150102 = await countyDuty.socket();
      const quakeSeen = nextEvent(s152525, 'platform:alert', (p: any) => p.alert.event === '地震');
      const floodSeen = nextEvent(s150102, 'platform:alert', (p: any) => p.alert.event === '洪水');
      const weather = await ctl.sendAlert({ style: 'weather', identifier: 'CMA-2026-0001', areaDesc: '锡林郭勒盟', geocodes: ['152500'], severity: 'Severe' });
      const quake = await ctl.sendAlert({ style: 'earthquake', identifier: 'CENC-2026-0001', areaDesc: '内蒙古自治区锡林郭勒盟东乌珠穆沁旗', severity: 'Moderate' });
      const flood = await ctl.sendAlert({ style: 'flood', identifier: 'SLT-2026-0001', areaDesc: '新城区保合少镇', geocodes: ['150102'], severity: 'Extreme' });
      for (const a of [weather, quake, flood]) {
        expect(a.answer.status).toBe(200);
        expect(a.answer.body).toContain('<msgType>Ack</msgType>');
      }
      expect(weather.answer.body).toContain(',CMA-2026-0001,');
      const list = (await must(region.get('/api/platform/alerts'))).alerts;
      const w = list.find((a: any) => a.identifier === 'CMA-2026-0001');
      expect(w).toMatchObject({ matchedBy: 'geocode', severity: 'Severe' });
      expect(w.units.map((u: any) => u.code)).toEqual(['152500', '152501', '152502', '152522', '152523', '152524', '152525', '152526', '152527', '152528', '152529', '152530', '152531']);
      expect(list.find((a: any) => a.identifier === 'CENC-2026-0001')).toMatchObject({ matchedBy: 'description', units: [{ code: '152525', name: '东乌珠穆沁旗' }] });
      expect(list.find((a: any) => a.identifier === 'SLT-2026-0001').units.map((u: any) => u.code)).toEqual(['150102']);
      await quakeSeen;
      await floodSeen;
      // The county sees only what covers it; a county elsewhere sees none of it.
      expect((await must(countyDuty.get('/api/platform/alerts'))).alerts.map((a: any) => a.identifier)).toEqual(['SLT-2026-0001']);
      expect((await must((await login('150103-duty')).get('/api/platform/alerts'))).alerts).toEqual([]);
      // The same alert again: acked again, nothing new.
      const n = await accepted();
      const again = await ctl.sendAlert({ style: 'weather', identifier: 'CMA-2026-0001', areaDesc: '锡林郭勒盟', geocodes: ['152500'] });
      expect(again.answer.status).toBe(200);
      expect(await accepted()).toBe(n);
    });

    it('an agency\'s Update replaces its earlier alert (which stops alarming), its Cancel lifts the chain quietly', async () => {
      const s150102 = await countyDuty.socket();
      const ref = (id: string, sent: string) => `slt@nmg.gov.cn,${id},${sent}`;
      const t0 = '2026-07-01T10:00:00+08:00';
      const t1 = '2026-07-01T12:00:00+08:00';
      const byId = async (identifier: string) => (await must(countyDuty.get('/api/platform/alerts'))).alerts.find((a: any) => a.identifier === identifier);
      expect((await ctl.sendAlert({ style: 'flood', identifier: 'SLT-2026-0100', sent: t0, areaDesc: '新城区保合少镇', geocodes: ['150102'], severity: 'Moderate' })).answer.status).toBe(200);
      const first = await byId('SLT-2026-0100');
      expect(first).toMatchObject({ msgType: 'Alert', supersedes: null, supersededBy: null, cancelledAt: null });

      // Raised to red: the new message alarms, the old one changes state on the console (no new alarm for it).
      const firstReplaced = nextEvent(s150102, 'platform:alert', (p: any) => p.alert.id === first.id && p.alert.supersededBy);
      await ctl.sendAlert({ style: 'flood', identifier: 'SLT-2026-0101', msgType: 'Update', references: ref('SLT-2026-0100', t0), sent: t1, areaDesc: '新城区保合少镇', geocodes: ['150102'], severity: 'Extreme', headline: '新城区洪水红色预警' });
      const update = await byId('SLT-2026-0101');
      expect(update).toMatchObject({ msgType: 'Update', severity: 'Extreme', supersedes: first.id, supersededBy: null });
      expect((await firstReplaced).alert).toMatchObject({ supersededBy: update.id, cancelledAt: null });

      // Lifted: the Cancel names both; both show as lifted; the Cancel keeps the alert's units.
      await ctl.sendAlert({ style: 'flood', identifier: 'SLT-2026-0102', msgType: 'Cancel', references: `${ref('SLT-2026-0100', t0)} ${ref('SLT-2026-0101', t1)}`, areaDesc: '新城区保合少镇', geocodes: ['150102'], severity: 'Minor', headline: '新城区洪水预警解除' });
      const cancel = await byId('SLT-2026-0102');
      expect(cancel).toMatchObject({ msgType: 'Cancel', supersedes: update.id, units: [{ code: '150102', name: '新城区' }] });
      for (const id of ['SLT-2026-0100', 'SLT-2026-0101']) expect((await byId(id)).cancelledAt).toEqual(expect.any(String));
      expect((await byId('SLT-2026-0100')).supersededBy).toBe(update.id); // the first replacement stays the link
      expect((await byId('SLT-2026-0101')).supersededBy).toBe(cancel.id);
      // An Update naming nothing we know is just a new alert.
      await ctl.sendAlert({ style: 'flood', identifier: 'SLT-2026-0103', msgType: 'Update', references: ref('SLT-UNKNOWN', t0), areaDesc: '新城区', geocodes: ['150102'] });
      expect(await byId('SLT-2026-0103')).toMatchObject({ supersedes: null, supersededBy: null });
    });

    it('rejects hostile and malformed XML, unsigned or mis-signed bodies, with nothing else happening', async () => {
      const s = await region.socket();
      const pushes: unknown[] = [];
      s.on('platform:alert', (p) => pushes.push(p));
      const n = await accepted();
      const good = alertXml({ style: 'weather', identifier: 'HOSTILE-BASE', geocodes: ['150102'] });
      const xxe = good.replace('<?xml version="1.0" encoding="UTF-8"?>', '<?xml version="1.0"?><!DOCTYPE alert [<!ENTITY x SYSTEM "file:///etc/passwd">]>').replace('<description>', '<description>&x;');
      const laughs = `<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;"><!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;"><!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">]><alert xmlns="urn:oasis:names:tc:emergency:cap:1.2"><identifier>&lol4;</identifier></alert>`;
      const xinclude = good.replace('<description>', '<description><xi:include xmlns:xi="http://www.w3.org/2001/XInclude" href="file:///etc/passwd" parse="text"/>');
      const wrongNs = good.replace('urn:oasis:names:tc:emergency:cap:1.2', 'urn:oasis:names:tc:emergency:cap:1.1');
      const huge = good.replace('<description>', `<description>${'洪'.repeat(200_000)}`);
      const notXml = 'this is not xml <<<';
      const missing = good.replace(/<severity>[^<]*<\/severity>/, '');
      for (const [name, body, status] of [
        ['external entity', xxe, 400],
        ['billion laughs', laughs, 400],
        ['XInclude', xinclude, 400],
        ['wrong namespace', wrongNs, 400],
        ['not XML', notXml, 400],
        ['schema failure (no severity)', missing, 400],
        ['huge document', huge, 413],
      ] as const) {
        const r = await postCap(body);
        expect(r.status, name).toBe(status);
        if (status === 400) expect(r.text, name).toContain('<msgType>Error</msgType>');
        expect(r.text, name).not.toContain('root:');
      }
      expect((await postCap(good, null)).status).toBe(403);
      expect((await postCap(good, sign('another key', good))).status).toBe(403);
      expect((await postCap(good, sign(KEY, good + ' '))).status).toBe(403);
      await new Promise((r) => setTimeout(r, 400));
      expect(pushes).toEqual([]);
      expect(await accepted()).toBe(n);
      // Kept for the operator: the region sees the rejected ones with the reason (the unsigned ones are not kept).
      const rejected = (await must(region.get('/api/platform/alerts'))).alerts.filter((a: any) => a.status === 'rejected');
      expect(rejected.length).toBe(6);
      expect(rejected.map((a: any) => a.error).join('\n')).toMatch(/DOCTYPE/);
      expect(rejected.map((a: any) => a.error).join('\n')).toMatch(/severity/);
      expect(rejected.map((a: any) => a.error).join('\n')).toMatch(/child elements are not allowed in <description>/);
      // The counties never see rejected messages.
      expect((await must(countyDuty.get('/api/platform/alerts'))).alerts.every((a: any) => a.status === 'accepted')).toBe(true);
    });

    it('acknowledge, open an incident, demand reports, and convene exactly the affected units', async () => {
      const flood = (await must(region.get('/api/platform/alerts'))).alerts.find((a: any) => a.identifier === 'SLT-2026-0001');
      const acked = (await must(countyDuty.post(`/api/platform/alerts/${flood.id}/ack`, {}))).alert;
      expect(acked).toMatchObject({ acknowledgedAt: expect.any(String), acknowledgedBy: expect.any(String) });
      // Acknowledged for the county only: the region still has it open.
      expect((await must(region.get('/api/platform/alerts'))).alerts.find((a: any) => a.id === flood.id).acknowledgedAt).toBeNull();
      const incidentId = (await must(countyDuty.post(`/api/platform/alerts/${flood.id}/incident`, {}))).incidentId;
      expect((await must(countyDuty.get(`/api/reports/incidents/${incidentId}`))).incident).toMatchObject({ unitCode: '150102', grade: 1 });
      expect((await must(countyDuty.post(`/api/platform/alerts/${flood.id}/incident`, {}))).incidentId).toBe(incidentId);

      // 漏报 check from the region: the covered county is asked to report.
      const sCounty = await countyDuty.socket();
      const demanded = nextEvent(sCounty, 'incident:demanded');
      const demandIds = (await must(region.post(`/api/platform/alerts/${flood.id}/demand`, {}))).incidentIds;
      expect(demandIds).toHaveLength(1);
      await demanded;

      // One click: the region convenes 锡林郭勒盟 and its 12 banners for the blizzard warning.
      const weather = (await must(region.get('/api/platform/alerts'))).alerts.find((a: any) => a.identifier === 'CMA-2026-0001');
      expect((await region.post('/api/platform/convene', { alertId: weather.id })).body.error.code).toBe('ROLE_FORBIDDEN');
      const venue = await login('152525-venue');
      const sVenue = await venue.socket();
      const invited = nextEvent(sVenue, 'platform:convened');
      const res = await must(regionLeader.post('/api/platform/convene', { alertId: weather.id }));
      expect(res.hostUnitCode).toBe('150000');
      expect(res.units).toEqual(['150000', ...weather.units.map((u: any) => u.code)]);
      expect((await invited).meetingId).toBe(res.meetingId);
      const meeting = (await must(venue.get('/api/meetings'))).meetings.find((m: any) => m.id === res.meetingId);
      expect(meeting.units.find((u: any) => u.role === 'main').code).toBe('150000');
      // The city convenes for the flood in its county: the city is the main venue.
      const cityLeader = await login('150100-leader');
      expect((await must(cityLeader.post('/api/platform/convene', { alertId: flood.id }))).units).toEqual(['150100', '150102']);
      // An incident's reporting chain: county → city → region.
      expect((await must(regionLeader.post('/api/platform/convene', { incidentId }))).units).toEqual(['150000', '150102', '150100']);
      // A unit elsewhere cannot convene for an alert it does not see.
      expect((await (await login('150300-leader')).post('/api/platform/convene', { alertId: flood.id })).status).toBe(404);
    });

    it('rate-limits the inbound endpoint', async () => {
      const statuses: number[] = [];
      for (let i = 0; i < 45; i++) statuses.push((await postCap('<x/>', 'sha256=00')).status);
      expect(statuses).toContain(429);
      expect(statuses.filter((s) => s !== 429 && s !== 403)).toEqual([]);
    });
  });
});
