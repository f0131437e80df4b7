/** The schema, seed and repositories, run against embedded PGlite and a real Postgres alike. */
import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DbHandle } from '../../db/connect.ts';
import { MIGRATION_NAMES, migrateToLatest } from '../../db/migrate.ts';
import { seedDemo } from '../../server/seed/demo.ts';
import { insertMeeting, listMeetingsForUnit } from '../../server/meetings/repo.ts';
import { loadOrgTree } from '../../server/org/load.ts';
import type { OrgTree } from '../../server/org/tree.ts';
import { insertReport, listReportsOfUnits } from '../../server/reports/repo.ts';
import { testDatabases } from '../helpers/databases.ts';

describe.each(testDatabases())('database on $name', (target) => {
  let h: DbHandle;
  let tree: OrgTree;
  let dutyId: number;

  beforeAll(async () => {
    h = await target.open();
    // A fresh database runs every migration once, in numbered order, from the foundation up.
    expect(MIGRATION_NAMES.slice(0, 3)).toEqual(['001_foundation', '002_report_workflow', '003_duty']);
    const numbers = MIGRATION_NAMES.map((n) => Number(n.slice(0, 3)));
    expect(numbers.every((n, i) => i === 0 || n > numbers[i - 1]!)).toBe(true);
    expect(await migrateToLatest(h.db)).toEqual(MIGRATION_NAMES);
    expect(await seedDemo(h.db)).toBe(true);
    tree = await loadOrgTree(h.db);
    dutyId = (await h.db.selectFrom('users').select('id').where('username', '=', '150102-duty').executeTakeFirstOrThrow()).id;
  });
  afterAll(async () => h?.close());

  it('migrates and seeds only once', async () => {
    expect(await migrateToLatest(h.db)).toEqual([]);
    expect(await seedDemo(h.db)).toBe(false);
    const n = await h.db.selectFrom('users').select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow();
    // duty, duty2, leader, venue and info per unit, an editor per office (region + 12 cities), three administrators;
    // info and leader per demo department (7), 新城区's editor
    expect(Number(n.n)).toBe(116 * 5 + 13 + 3 + 7 * 2 + 1);
  });

  it('stores roles as a text array and the tree with its levels', async () => {
    const admins = await h.db.selectFrom('users').select(['username', 'roles', 'unit_code']).where('unit_code', '=', '150000').where(sql<boolean>`roles && array['sys_admin','security_admin','audit_admin']`).orderBy('username').execute();
    expect(admins).toEqual([
      { username: 'auditadmin', roles: ['audit_admin'], unit_code: '150000' },
      { username: 'secadmin', roles: ['security_admin'], unit_code: '150000' },
      { username: 'sysadmin', roles: ['sys_admin'], unit_code: '150000' },
    ]);
    expect(tree.get('150102')).toMatchObject({ name: '新城区', level: 3, parentCode: '150100' });
  });

  it('makes report submits idempotent on requestId', async () => {
    const requestId = randomUUID();
    const input = { requestId, unitCode: '150102', title: '暴雨致道路积水', eventTime: new Date(Date.now() - 60_000), place: '新城区', grade: 3 as const, summary: '积水深约40厘米', createdBy: dutyId };
    const first = await insertReport(h.db, tree, input);
    const again = await insertReport(h.db, tree, { ...input, title: 'changed on retry' });
    expect(first.created).toBe(true);
    expect(again.created).toBe(false);
    expect(again.report).toEqual(first.report);
    expect(first.report).toMatchObject({ unitName: '新城区', createdByName: '新城区值班员', grade: 3 });
  });

  it('refuses a reused requestId from another user', async () => {
    const requestId = randomUUID();
    const other = (await h.db.selectFrom('users').select('id').where('username', '=', '150103-duty').executeTakeFirstOrThrow()).id;
    const base = { requestId, unitCode: '150102', title: 't', eventTime: new Date(), place: 'p', grade: 4 as const, summary: 's' };
    await insertReport(h.db, tree, { ...base, createdBy: dutyId });
    await expect(insertReport(h.db, tree, { ...base, unitCode: '150103', createdBy: other })).rejects.toMatchObject({ code: 'REQUEST_ID_CONFLICT' });
  });

  it('never lets anyone rewrite when a report arrived', async () => {
    const { report } = await insertReport(h.db, tree, {
      requestId: randomUUID(), unitCode: '150102', title: 't', eventTime: new Date(), place: 'p', grade: 2, summary: 's', createdBy: dutyId,
    });
    await expect(
      sql`update urgent_reports set created_at = now() + interval '1 day' where id = ${report.id}`.execute(h.db),
    ).rejects.toThrow(/immutable/);
  });

  it('lists reports of the given units only, newest first', async () => {
    const list = await listReportsOfUnits(h.db, tree, ['150102']);
    expect(list.length).toBeGreaterThanOrEqual(2);
    expect(list.every((r) => r.unitCode === '150102')).toBe(true);
    const times = list.map((r) => r.createdAt);
    expect([...times].sort().reverse()).toEqual(times);
    expect(await listReportsOfUnits(h.db, tree, ['150202'])).toEqual([]);
  });

  it('stores a meeting with its units, host as main venue', async () => {
    const leader = (await h.db.selectFrom('users').select('id').where('username', '=', '150100-leader').executeTakeFirstOrThrow()).id;
    const m = await insertMeeting(h.db, tree, {
      title: '防汛视频调度会', hostUnitCode: '150100', createdBy: leader, startsAt: new Date(), durationMin: 90, unitCodes: ['150100', '150102', '150103'],
    });
    expect(m.units).toEqual([
      { code: '150100', name: '呼和浩特市', role: 'main' },
      { code: '150102', name: '新城区', role: 'sub' },
      { code: '150103', name: '回民区', role: 'sub' },
    ]);
    expect((await listMeetingsForUnit(h.db, tree, '150103')).map((x) => x.id)).toContain(m.id);
    expect((await listMeetingsForUnit(h.db, tree, '150104')).map((x) => x.id)).not.toContain(m.id);
  });

  it('rejects out-of-range grades at the database too', async () => {
    await expect(
      h.db.insertInto('urgent_reports').values({
        request_id: randomUUID(), unit_code: '150102', title: 't', event_time: new Date(), place: 'p', grade: 5 as never, summary: 's', created_by: dutyId,
      }).execute(),
    ).rejects.toThrow();
  });
});
