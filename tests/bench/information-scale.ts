/**
 * npm run bench, part 3 of routine information: ten years of data (1 M items by default, BENCH_INFO_ITEMS to
 * change) on Postgres — TEST_DATABASE_URL's server (a fresh database on it) or a throwaway cluster of its own,
 * like scripts/test.sh. Printed, not asserted: the region's monthly bulletin, one unit's yearly score with
 * its explanation, the near-duplicate check of a new 2,000-character item, the editor's inbox page, each
 * with the EXPLAIN (ANALYZE) plan that produced it.
 *
 * Issue 13's bulletin and scoring are not on main yet: the bulletin here is a stand-in aggregate (items
 * submitted and adopted per unit in the month, points = publication tier summed, +1 per 批示).
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { Kysely, PostgresDialect, sql, type CompiledQuery } from 'kysely';
import pg from 'pg';
import type { Database } from '../../db/schema.ts';
import { migrateToLatest } from '../../db/migrate.ts';
import { seedDemo } from '../../server/seed/demo.ts';
import { loadOrgTree } from '../../server/org/load.ts';
import type { AppContext } from '../../server/context.ts';
import type { SessionUser } from '../../server/auth/sessions.ts';
import { findMatches } from '../../server/information/duplicate-matching.ts';
import { candidatesQuery, upsertFingerprint } from '../../server/information/duplicates-repo.ts';
import { DuplicateService } from '../../server/information/duplicates.ts';
import { inboxRows } from '../../server/information/repo.ts';
import { fingerprint } from '../../server/information/similarity.ts';
import { createPgCluster, type PgCluster } from '../helpers/pgCluster.ts';
import { longItem } from '../helpers/infoTexts.ts';
import { addDepartments, distinctText, generateItems } from './information-data.ts';

const N = Number(process.env.BENCH_INFO_ITEMS ?? 1_000_000);
const RUNS = 20;
const END = new Date('2026-11-30T16:00:00Z'); // 2026-12-01 00:00 in UTC+8: ten full years end here

const pct = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))]!;
const fmt = (xs: number[]) => `p50 ${pct(xs, 50).toFixed(1)} ms, p95 ${pct(xs, 95).toFixed(1)} ms, max ${Math.max(...xs).toFixed(1)} ms`;

// The database: a fresh one on TEST_DATABASE_URL's server, or a cluster of our own.
let cluster: PgCluster | null = null;
let adminUrl = process.env.TEST_DATABASE_URL;
if (!adminUrl) {
  cluster = createPgCluster();
  adminUrl = cluster.url;
}
const dbName = `tl_bench_${randomBytes(4).toString('hex')}`;
const admin = new pg.Client({ connectionString: adminUrl });
await admin.connect();
await admin.query(`create database ${dbName}`);
const url = new URL(adminUrl);
url.pathname = `/${dbName}`;
// Bulk generation: no wait for WAL flushes, memory enough to build the GIN indexes in one pass.
const pool = new pg.Pool({ connectionString: url.toString(), max: 4, options: '-c synchronous_commit=off -c maintenance_work_mem=512MB' });
pool.on('error', () => undefined); // dropping the database at the end ends its connections
let last: CompiledQuery | null = null;
const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }), log: (e) => void (last = e.query) });

const cleanup = async () => {
  await db.destroy();
  await admin.query(`drop database if exists ${dbName} with (force)`).catch(() => undefined);
  await admin.end();
  cluster?.destroy();
};

try {
  await migrateToLatest(db);
  await seedDemo(db);
  const departments = await addDepartments(db);
  console.log(`information at scale: Postgres ${(await sql<{ server_version: string }>`show server_version`.execute(db)).rows[0]!.server_version}, ${departments} departments added to the demo tree`);
  console.log(`generating ${N.toLocaleString('en')} items over 10 years (SQL, generate_series) …`);
  const g = await generateItems(db, N, END, (s) => console.log(s));
  console.log(`generated in ${g.seconds.toFixed(0)} s: ${g.items.toLocaleString('en')} items, ${g.deliveries.toLocaleString('en')} deliveries, ${g.adoptions.toLocaleString('en')} adoptions, ${g.instructions.toLocaleString('en')} instructions`);

  /** Times `run` RUNS times (after one warm-up) and prints the plan of `plan` (a query and its parameters). */
  const measure = async (label: string, run: () => Promise<unknown>, plan: () => Promise<{ sql: string; parameters: readonly unknown[] }>, indexPlan = false) => {
    await run();
    const ms: number[] = [];
    for (let i = 0; i < RUNS; i++) {
      const t0 = performance.now();
      await run();
      ms.push(performance.now() - t0);
    }
    console.log(`\n${label} (${RUNS}x): ${fmt(ms)}`);
    const q = await plan();
    // Costs shown (and JIT, when the planner's estimate triggers it); the duplicate query runs as the server runs it.
    const client = await pool.connect();
    try {
      await client.query('begin');
      if (indexPlan) await client.query("set local enable_seqscan = off; set local jit = off");
      const { rows } = await client.query(`explain (analyze, buffers) ${q.sql}`, q.parameters as unknown[]);
      await client.query('commit');
      console.log(rows.map((r: Record<string, string>) => `    ${r['QUERY PLAN']}`).join('\n'));
    } finally {
      client.release();
    }
  };

  // 1. The region's monthly bulletin (一月一通报): October 2026 in UTC+8 (November's items still wait), every unit.
  const month = { from: new Date('2026-09-30T16:00:00Z'), to: new Date('2026-10-31T16:00:00Z') };
  const bulletin = sql<{ unit_code: string; submitted: number; adopted: number; points: number }>`
    select i.unit_code, count(distinct i.id)::int as submitted, count(distinct a.item_id)::int as adopted,
      (coalesce(sum(p.tier), 0) + count(distinct r.id))::int as points
    from info_items i
    left join info_adoptions a on a.item_id = i.id and a.office_code is not null
    left join info_publications p on p.id = a.publication_id
    left join report_instructions r on r.info_item_id = i.id
    where i.state = 'submitted' and i.submitted_at >= ${month.from} and i.submitted_at < ${month.to}
    group by i.unit_code order by points desc, i.unit_code`;
  const top = (await bulletin.execute(db)).rows;
  console.log(`\nmonthly bulletin 2026-10: ${top.length} units; top: ${top.slice(0, 3).map((r) => `${r.unit_code} ${r.submitted} submitted / ${r.adopted} adopted / ${r.points} pts`).join('; ')}`);
  await measure('region monthly bulletin (stand-in aggregate: issue 13 not on main)', () => bulletin.execute(db), async () => bulletin.compile(db));

  // 2. One county's score for 2025 with its explanation: every adoption and 批示 that earned points.
  const unit = '150102';
  const year = { from: new Date('2024-12-31T16:00:00Z'), to: new Date('2025-12-31T16:00:00Z') };
  const score = sql<{ kind: string; title: string; where: string; tier: number; points: number; at: Date }>`
    select 'adopted' as kind, i.title, p.name as where, p.tier, p.tier as points, a.adopted_at as at
    from info_items i join info_adoptions a on a.item_id = i.id join info_publications p on p.id = a.publication_id
    where i.unit_code = ${unit} and a.adopted_at >= ${year.from} and a.adopted_at < ${year.to}
    union all
    select 'instructed', i.title, r.unit_code, 0, 1, r.created_at
    from info_items i join report_instructions r on r.info_item_id = i.id
    where i.unit_code = ${unit} and r.created_at >= ${year.from} and r.created_at < ${year.to}
    order by at`;
  const lines = (await score.execute(db)).rows;
  console.log(`\n${unit} in 2025: ${lines.reduce((n, l) => n + l.points, 0)} points from ${lines.length} lines, e.g. ${lines.slice(0, 2).map((l) => `${l.kind} 《${l.title}》 ${l.where} +${l.points}`).join('; ')}`);
  await measure(`one unit's yearly score with explanation (${unit}, 2025)`, () => score.execute(db), async () => score.compile(db));

  // 3. Near-duplicates of a new 2,000-character item: a few hundred real items with real fingerprints, one
  // of them a reworded copy of the new item, among the million.
  const probe = longItem(2000, 7);
  const officer = (await db.selectFrom('users').select('id').where('username', '=', `${unit}-info`).executeTakeFirstOrThrow()).id;
  const real = async (text: { title: string; body: string }, state: 'submitted' | 'draft') => {
    const id = randomUUID();
    await db
      .insertInto('info_items')
      .values({ id, unit_code: '150103', kind: 'dynamic', title: text.title, body: text.body, classification: 0, state, version: 1, created_by: officer, created_at: END, updated_at: END, signed_by: null, signed_at: state === 'submitted' ? END : null, review_contains_secrets: null, review_fit_to_publish: null, review_figures_checked: state === 'submitted' ? true : null, submitted_at: state === 'submitted' ? END : null })
      .execute();
    if (state === 'submitted') await upsertFingerprint(db, id, fingerprint(text.title, text.body), END);
    return id;
  };
  for (let i = 0; i < 300; i++) await real(distinctText(600 + (i % 5) * 300, i), 'submitted');
  const copy = await real({ title: probe.title, body: probe.body.replace(/救助/g, '帮扶').slice(40) }, 'submitted');
  const draftId = randomUUID();
  await db
    .insertInto('info_items')
    .values({ id: draftId, unit_code: unit, kind: 'dynamic', title: probe.title, body: probe.body, classification: 0, state: 'draft', version: 1, created_by: officer, created_at: END, updated_at: END, signed_by: null, signed_at: null, review_contains_secrets: null, review_fit_to_publish: null, review_figures_checked: null, submitted_at: null })
    .execute();
  await sql`analyze info_fingerprints`.execute(db);
  const found = await findMatches(db, probe, draftId);
  console.log(`\nnear-duplicate check of a ${probe.body.length}-character item: ${found.length} matches, best ${found[0]?.similarity.toFixed(2) ?? '—'} (${found[0]?.item.id === copy ? 'the reworded copy' : 'another'}), via ${found[0]?.method ?? '—'}`);
  const fp = fingerprint(probe.title, probe.body);
  await measure('near-duplicate candidates + exact confirmation (findMatches)', () => findMatches(db, probe, draftId), async () => candidatesQuery(db, fp, draftId, 0.45).compile(db), true);
  const tree = await loadOrgTree(db);
  const me: SessionUser = { id: officer, username: `${unit}-info`, displayName: '', unitCode: unit, unitName: '新城区', unitLevel: 3, roles: ['info_officer'] };
  const service = new DuplicateService({ db, tree } as unknown as AppContext);
  const ms: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const t0 = performance.now();
    await service.check(me, draftId);
    ms.push(performance.now() - t0);
  }
  console.log(`the submitter's whole check (GET …/items/:id/similar without HTTP: fingerprint, SQL, sight, passages) (${RUNS}x): ${fmt(ms)}`);

  // 4. The editor's inbox page: page 1 of 20, newest first, at a city and at the region.
  for (const office of ['150100', '150000']) {
    const q = { page: 1, pageSize: 20, sort: 'receivedAt' as const, order: 'desc' as const };
    const total = (await inboxRows(db, office, q)).total;
    let pageSql: CompiledQuery | null = null;
    await measure(`editor's inbox page at ${office} (${total.toLocaleString('en')} deliveries)`, () => inboxRows(db, office, q), async () => {
      await inboxRows(db, office, q);
      pageSql = last;
      return pageSql!;
    });
    const waiting = { ...q, state: 'received' as const };
    await measure(`  … filtered to 待签收 (received)`, () => inboxRows(db, office, waiting), async () => {
      await inboxRows(db, office, waiting);
      return last!;
    });
  }
} finally {
  await cleanup();
}
process.exit(0);
