/**
 * npm run bench, routine government information: figures, not pass/fail. On the real server (PGlite in memory,
 * or TEST_DATABASE_URL's Postgres): an item's way from draft to adoption (each step's HTTP round trip and the
 * live notice at the county), the editor's inbox with a few thousand items (paging, filters, sorts), and the
 * bulletin of a 20-item issue as Word and PDF. Bounded loops only; nothing leaves 127.0.0.1.
 */
import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { sql } from 'kysely';
import { resolveWorkerBin } from '../../sfu/workerBin.ts';

process.env.MEDIASOUP_WORKER_BIN = resolveWorkerBin();
const { Client, nextEvent, startTestServer } = await import('../helpers/app.ts');
const { connectDb } = await import('../../db/connect.ts');

const FLOWS = 60;
const INBOX_ITEMS = 3000;
const REPEAT = 30;

const pct = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))]!;
const fmt = (xs: number[]) => `p50 ${pct(xs, 50).toFixed(1)} ms, p95 ${pct(xs, 95).toFixed(1)} ms, max ${Math.max(...xs).toFixed(1)} ms`;
const ok = <T extends { status: number; body: any }>(r: T, what: string): T => {
  if (r.status >= 300) throw new Error(`${what}: ${r.status} ${JSON.stringify(r.body)}`);
  return r;
};
const timed = async <T>(into: number[], fn: () => Promise<T>): Promise<T> => {
  const t0 = performance.now();
  const out = await fn();
  into.push(performance.now() - t0);
  return out;
};

const db = await connectDb(process.env.TEST_DATABASE_URL ? { databaseUrl: process.env.TEST_DATABASE_URL } : { dataDir: 'memory://' });
const srv = await startTestServer(db);
console.log(`information bench — database: ${db.kind}; server ${srv.baseUrl}`);

// 1. Draft → 送审 → 审核签发 (with the secrecy review, delivered to the city) → 采用 at the city, one item at a time.
const [officer, leader, city] = await Promise.all(['150102-info', '150102-leader', '150100-editor'].map((u) => Client.login(srv.baseUrl, u)));
const countySocket = await officer.socket();
const pub = (ok(await city.get('/api/information/publications'), 'publications').body.publications as any[]).find((p) => p.name === '政务信息');
const review = { containsSecrets: false, fitToPublish: true, figuresChecked: true };
const steps = { save: [] as number[], submit: [] as number[], sign: [] as number[], adopt: [] as number[], notice: [] as number[], total: [] as number[] };
for (let i = 0; i < FLOWS; i++) {
  const id = randomUUID();
  const t0 = performance.now();
  await timed(steps.save, async () => ok(await officer.request('PUT', `/api/information/items/${id}`, { kind: 'dynamic', title: `基准信息 ${i}`, body: '新城区开展冬季救助，走访困难群众126户。', classification: 0 }), 'save'));
  await timed(steps.submit, async () => ok(await officer.post(`/api/information/items/${id}/submit`, {}), 'submit'));
  const item = await timed(steps.sign, async () => ok(await leader.post(`/api/information/items/${id}/signoff`, { decision: 'sign', review, classification: 0 }), 'sign').body.item);
  const delivery = item.deliveries.find((d: any) => d.officeCode === '150100').id;
  const notice = nextEvent(countySocket, 'information:notice', (n: any) => n.itemId === id && n.action === 'adopted');
  const t1 = performance.now();
  await timed(steps.adopt, async () => ok(await city.post(`/api/information/deliveries/${delivery}/adopt`, { publicationId: pub.id, title: item.title, body: item.body }), 'adopt'));
  await notice;
  steps.notice.push(performance.now() - t1);
  steps.total.push(performance.now() - t0);
}
console.log(`draft saved (${FLOWS}x):                    ${fmt(steps.save)}`);
console.log(`sent for sign-off (${FLOWS}x):              ${fmt(steps.submit)}`);
console.log(`signed with review, delivered (${FLOWS}x):  ${fmt(steps.sign)}`);
console.log(`adopted at the city (${FLOWS}x):            ${fmt(steps.adopt)}`);
console.log(`adopt → notice at the county (${FLOWS}x):   ${fmt(steps.notice)}`);
console.log(`draft → adopted, whole way (${FLOWS}x):     ${fmt(steps.total)}`);

// 2. The region's inbox with INBOX_ITEMS submitted items from every county (written in bulk, as if signed).
const kdb = srv.app.ctx.db;
const counties = srv.app.ctx.tree.atLevel(3).map((u) => u.code);
const officerId = (await kdb.selectFrom('users').select('id').where('username', '=', '150102-info').executeTakeFirstOrThrow()).id;
const base = Date.now() - INBOX_ITEMS * 60_000;
const t2 = performance.now();
for (let i = 0; i < INBOX_ITEMS; i += 500) {
  const rows = Array.from({ length: Math.min(500, INBOX_ITEMS - i) }, (_, k) => {
    const n = i + k;
    const at = new Date(base + n * 60_000);
    return { id: randomUUID(), unit_code: counties[n % counties.length]!, kind: ['dynamic', 'key_event', 'practice', 'suggestion', 'analysis'][n % 5]!, title: `全区信息 ${n}`, body: `第${n}条基准信息正文。`, classification: 0 as const, state: 'submitted' as const, version: 1, created_by: officerId, created_at: at, updated_at: at, signed_by: officerId, signed_at: at, signed_version: 1, review_contains_secrets: false, review_fit_to_publish: true, review_figures_checked: true, submitted_at: at };
  });
  await kdb.insertInto('info_items').values(rows).execute();
  await kdb.insertInto('info_item_revisions').values(rows.map((r) => ({ item_id: r.id, version: 1, title: r.title, body: r.body, edited_by: officerId, edited_at: r.created_at, note: 'draft' }))).execute();
  await kdb
    .insertInto('info_deliveries')
    .values(rows.map((r, k) => ({ item_id: r.id, office_code: '150000', route: 'direct' as const, from_office_code: null, state: (['received', 'acknowledged', 'not_adopted'] as const)[k % 3]!, received_at: r.created_at, acknowledged_at: null, acknowledged_by: null, decided_at: null, decided_by: null, forwarded_at: null })))
    .execute();
}
await sql`analyze`.execute(kdb);
console.log(`${INBOX_ITEMS} items written to the region's inbox in ${(performance.now() - t2).toFixed(0)} ms`);
const region = await Client.login(srv.baseUrl, '150000-editor');
const inbox: Record<string, number[]> = {};
const queries: [string, string][] = [
  ['first page, newest first', 'page=1&pageSize=20'],
  ['page 100 of 150', 'page=100&pageSize=20'],
  ['one county', 'unit=150102&pageSize=50'],
  ['kind + state', 'kind=practice&state=received&pageSize=50'],
  ['sorted by title', 'sort=title&order=asc&pageSize=100'],
];
for (const [name, q] of queries) {
  inbox[name] = [];
  let total = 0;
  for (let i = 0; i < REPEAT; i++) total = (await timed(inbox[name]!, async () => ok(await region.get(`/api/information/inbox?${q}`), 'inbox'))).body.total;
  console.log(`inbox ${name.padEnd(26)} (${REPEAT}x, ${String(total).padStart(4)} rows): ${fmt(inbox[name]!)}`);
}

// 3. A 20-item issue of the city's 《政务信息》 (the adopted items above), as Word and as PDF.
const cityLeader = await Client.login(srv.baseUrl, '150100-leader');
const issue = ok(await city.post('/api/information/issues', { publicationId: pub.id }), 'issue').body.issue;
const adoptions = (ok(await city.get(`/api/information/publications/${pub.id}/unissued`), 'unissued').body.adoptions as any[]).slice(0, 20);
ok(await city.post(`/api/information/issues/${issue.id}/items`, { adoptionIds: adoptions.map((a) => a.id) }), 'items');
ok(await city.post(`/api/information/issues/${issue.id}/submit`, {}), 'submit issue');
ok(await cityLeader.post(`/api/information/issues/${issue.id}/signoff`, { decision: 'sign' }), 'sign issue');
for (const kind of ['docx', 'pdf'] as const) {
  const times: number[] = [];
  let size = 0;
  for (let i = 0; i < 10; i++) {
    const res = await timed(times, () => fetch(`${srv.baseUrl}/api/information/issues/${issue.id}/${kind}`, { headers: { cookie: city.cookie } }));
    size = (await res.arrayBuffer()).byteLength;
    if (res.status !== 200) throw new Error(`${kind}: ${res.status}`);
  }
  console.log(`${adoptions.length}-item issue as ${kind.padEnd(4)} (10x, ${(size / 1024).toFixed(0)} KiB): ${fmt(times)}; first ${times[0]!.toFixed(0)} ms${kind === 'pdf' ? ' (loads the font)' : ''}`);
}

countySocket.close();
for (const c of [officer, leader, city, region, cityLeader]) c.close();
await srv.close();
process.exit(0);
