/** The data the access matrix acts on, made through the API as its owners would (plus one recording file). */
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { addDays, localDate, slotAt } from '../../server/duty/rules.ts';
import { clock } from '../../server/clock.ts';
import { writeSlot } from '../../server/duty/repo.ts';
import type { Client, TestServer } from '../helpers/app.ts';
import { alertXml } from '../../platform-sim/alerts.ts';
import { makeInfoFixtures, type InfoFixtures } from './access-fixtures-info.ts';
import { makeDepartmentFixtures, type DepartmentFixtures } from './access-fixtures-departments.ts';
import { makeScoringFixtures, type ScoringFixtures } from './access-fixtures-scoring.ts';
import { makeAdminFixtures, type AdminFixtures } from './access-fixtures-admin.ts';
import { makeCertificateFixtures, type CertificateFixtures } from './access-fixtures-certificates.ts';

export interface Fixtures {
  meeting: string;
  pinMeeting: string;
  recording: number;
  draft: { id: string; incidentId: string };
  sent: { id: string; incidentId: string };
  draftTitle: string;
  sentTitle: string;
  toSubmit: string;
  toSign: string;
  toReturn: string;
  attachment: string;
  instruction: string;
  rules: unknown;
  today: string;
  month: string;
  slotStart: string;
  slotBody: Record<string, unknown>;
  fillBody: unknown;
  workbook: Uint8Array;
  swaps: string[];
  swapBody: () => Record<string, unknown>;
  closable: string;
  handover: string;
  log: string;
  newReport: () => unknown;
  newPhone: () => unknown;
  logBody: () => Record<string, unknown>;
  /** An accepted emergency-platform alert covering 新城区 (stored as the inbound endpoint would). */
  alert: string;
  /** Routine government information: items, deliveries, a publication, issues (access-fixtures-info.ts). */
  info: InfoFixtures;
  /** Items of 新城区's 办公室 (150102-01), a department submitting to 新城区 (access-fixtures-departments.ts). */
  dept: DepartmentFixtures;
  /** Information scoring: a 约稿, a published bulletin (access-fixtures-scoring.ts). */
  scoring: ScoringFixtures;
  /** Administration: an account, two sessions to end (access-fixtures-admin.ts). */
  admin: AdminFixtures;
  /** A certificate bound to 新城区's duty officer, fresh ones to bind (access-fixtures-certificates.ts). */
  certs: CertificateFixtures;
}

export async function makeFixtures(srv: TestServer, as: (u: string) => Promise<Client>): Promise<Fixtures> {
  const ok = <T extends { status: number; body: any }>(r: T, what: string): T => {
    if (r.status >= 300) throw new Error(`fixture ${what}: ${r.status} ${JSON.stringify(r.body)}`);
    return r;
  };
  const ago = () => new Date(clock.now().getTime() - 10 * 60_000).toISOString();
  const newReport = (over: Record<string, unknown> = {}) => ({ requestId: randomUUID(), title: `矩阵信息${randomUUID().slice(0, 6)}`, eventTime: ago(), place: '新城区', grade: 3, summary: '内容', action: 'draft', ...over });
  const C = '150102';
  const duty = await as(`${C}-duty`);
  const leader = await as(`${C}-leader`);
  const city = await as('150100-leader');

  const meeting = ok(await city.post('/api/meetings', { title: '矩阵会议', scope: { kind: 'cityWithCounties', cityCode: '150100' } }), 'meeting').body.meeting.id;
  const pinMeeting = ok(await city.post('/api/meetings', { title: '矩阵密码会议', pin: '5831', scope: { kind: 'cityWithCounties', cityCode: '150100' } }), 'pin meeting').body.meeting.id;
  const dir = path.join(srv.app.ctx.meetings.recordingsDir, meeting);
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, 'matrix.webm'), Buffer.from('webm'));
  const rec = await srv.app.ctx.db
    .insertInto('meeting_recordings')
    .values({ meeting_id: meeting, file_name: 'matrix.webm', started_by_unit: '150100', started_at: new Date(), bytes: 4, duration_sec: 1 })
    .returning('id')
    .executeTakeFirstOrThrow();

  const draftTitle = `矩阵草稿${randomUUID().slice(0, 6)}`;
  const sentTitle = `矩阵已报${randomUUID().slice(0, 6)}`;
  const draft = ok(await duty.post('/api/reports', newReport({ title: draftTitle })), 'draft').body.report;
  const sent = ok(await leader.post('/api/reports', newReport({ title: sentTitle, action: 'sign' })), 'sent').body.report;
  const toSubmit = ok(await duty.post('/api/reports', newReport()), 'toSubmit').body.report.id;
  const toSign = ok(await duty.post('/api/reports', newReport({ action: 'submit' })), 'toSign').body.report.id;
  const toReturn = ok(await duty.post('/api/reports', newReport({ action: 'submit' })), 'toReturn').body.report.id;
  const up = await fetch(`${srv.baseUrl}/api/reports/${draft.id}/attachments?filename=a.txt`, { method: 'POST', headers: { cookie: duty.cookie, 'content-type': 'text/plain', 'x-requested-with': 'XMLHttpRequest' }, body: 'fixture' });
  const attachment = ((await up.json()) as any).report.attachments[0].id;
  const instruction = ok(await city.post('/api/reports/instructions', { incidentId: sent.incidentId, text: '矩阵批示', unitCodes: [C] }), 'instruction').body.instruction.id;
  const current = (await duty.get('/api/reports/rules')).body;
  const rules = {
    rules: current.rules.map((r: any) => ({ grade: r.grade, level: r.level, kind: r.kind, minutes: r.minutes })),
    followupTimes: current.settings.followupTimes,
    directCopyMaxGrade: current.settings.directCopyMaxGrade,
    warnMinutes: current.settings.warnMinutes,
  };

  // Duty: people, a future slot, a workbook, three swaps, a closed shift, a log entry.
  const people = (await leader.get('/api/duty/people')).body.people as { id: number; username: string }[];
  const idOf = (u: string) => people.find((p) => p.username === u)!.id;
  const today = localDate(clock.now());
  const month = today.slice(0, 7);
  const slotStart = slotAt(['08:30'], new Date(clock.now().getTime() + 3 * 86400_000)).start.toISOString();
  const slotBody = { start: slotStart, officers: [{ userId: idOf(`${C}-duty`) }], leader: { userId: idOf(`${C}-leader`) } };
  const fillBody = { from: addDays(today, 20), to: addDays(today, 21), officers: [{ userId: idOf(`${C}-duty`) }, { userId: idOf(`${C}-duty2`) }], leaders: [{ userId: idOf(`${C}-leader`) }], overwrite: true };
  const xlsx = await fetch(`${srv.baseUrl}/api/duty/roster/export?month=${month}`, { headers: { cookie: leader.cookie } });
  const workbook = new Uint8Array(await xlsx.arrayBuffer());
  const roster = (await duty.get(`/api/duty/roster?from=${addDays(today, 2)}&to=${addDays(today, 12)}`)).body.slots.filter((s: any) => s.entry);
  const a = idOf(`${C}-duty`);
  const b = idOf(`${C}-duty2`);
  const mine = roster.filter((s: any) => s.entry.officers[0].userId === a);
  const theirs = roster.filter((s: any) => s.entry.officers[0].userId === b);
  let n = 0;
  const swapBody = () => {
    const i = n++ % Math.min(mine.length, theirs.length);
    return { requestId: randomUUID(), kind: 'swap', slotStart: mine[i].start, otherSlotStart: theirs[i].start, from: { userId: a }, to: { userId: b }, reason: '矩阵' };
  };
  const swaps: string[] = [];
  for (let i = 0; i < 3; i++) swaps.push(ok(await duty.post('/api/duty/swaps', swapBody()), 'swap').body.swap.id);
  const logBody = () => ({ requestId: randomUUID(), kind: 'call', callTime: ago(), callerUnit: '某镇', summary: '来电反映情况', status: 'open' });
  const log = ok(await duty.post('/api/duty/log', logBody()), 'log').body.entry.id;
  // The shifts closed here are made C-duty's own first (only the rostered officer may close one): which demo officer
  // the seed put on them depends on the hour the server was seeded, and a run across a shift change saw -duty2
  // there. Written as a new roster version straight through the repo, as the seed does (the API refuses past shifts).
  const personOf = async (username: string) => {
    const u = await srv.app.ctx.db.selectFrom('users').select(['id', 'display_name', 'phone']).where('username', '=', username).executeTakeFirstOrThrow();
    return { userId: u.id, name: u.display_name, phone: u.phone };
  };
  const [onDuty, onLead] = [await personOf(`${C}-duty`), await personOf(`${C}-leader`)];
  const makeOwn = (slot: { start: string; end: string }) =>
    srv.app.ctx.db.transaction().execute((trx) =>
      writeSlot(trx, { unitCode: C, start: new Date(slot.start), end: new Date(slot.end), officers: [onDuty], leader: onLead, note: '', source: 'seed', by: onLead.userId }),
    );
  const state = (await duty.get('/api/duty/handover')).body;
  await makeOwn(state.closable[0]);
  const handover = ok(await duty.post('/api/duty/handovers', { requestId: randomUUID(), slotStart: state.closable[0].start, summary: '矩阵交班' }), 'handover').body.handover.id;
  const after = (await duty.get('/api/duty/handover')).body;
  const slot = after.closable[0] ?? state.closable[0];
  await makeOwn(slot);
  const closable: string = slot.start;
  const alertDoc = alertXml({ style: 'flood', identifier: `MATRIX-${randomUUID()}`, areaDesc: '新城区', geocodes: [C] });
  const alert = await srv.app.ctx.db
    .insertInto('platform_inbound')
    .values({ status: 'accepted', identifier: `MATRIX-${randomUUID()}`, sender: 'matrix@test', sent: '2026-12-01T08:00:00+08:00', msg_type: 'Alert', headline: '矩阵预警', severity: 'Severe', area_desc: '新城区', unit_codes: [C], matched_by: 'geocode', error: null, xml: alertDoc, incident_id: null, meeting_id: null })
    .returning('id')
    .executeTakeFirstOrThrow();

  return {
    meeting,
    pinMeeting,
    recording: rec.id,
    draft,
    sent,
    draftTitle,
    sentTitle,
    toSubmit,
    toSign,
    toReturn,
    attachment,
    instruction,
    rules,
    today,
    month,
    slotStart,
    slotBody,
    fillBody,
    workbook,
    swaps,
    swapBody,
    closable,
    handover,
    log,
    newReport: () => newReport(),
    newPhone: () => ({ ...newReport(), caller: '镇政府李明', callee: '值班员' }),
    logBody,
    alert: alert.id,
    info: await makeInfoFixtures(as, ok),
    dept: await makeDepartmentFixtures(as, ok),
    scoring: await makeScoringFixtures(as, ok),
    admin: await makeAdminFixtures(srv.baseUrl, as, ok),
    certs: await makeCertificateFixtures(as, ok),
  };
}
