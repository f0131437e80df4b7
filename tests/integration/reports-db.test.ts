/** Report facts at the database level, on PGlite and Postgres alike: what is sent or recorded cannot be rewritten. */
import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DbHandle } from '../../db/connect.ts';
import { Migrator } from 'kysely';
import { migrateToLatest } from '../../db/migrate.ts';
import * as m001 from '../../db/migrations/001_foundation.ts';
import { seedDemo } from '../../server/seed/demo.ts';
import { testDatabases } from '../helpers/databases.ts';

describe.each(testDatabases())('report facts on $name', (target) => {
  let h: DbHandle;
  let duty: number;

  beforeAll(async () => {
    h = await target.open();
    await migrateToLatest(h.db);
    await seedDemo(h.db);
    duty = (await h.db.selectFrom('users').select('id').where('username', '=', '150102-duty').executeTakeFirstOrThrow()).id;
  });
  afterAll(async () => {
    await h?.close();
  });

  const insert = (state: 'draft' | 'sent') =>
    h.db
      .insertInto('urgent_reports')
      .values({ request_id: randomUUID(), unit_code: '150102', title: 't', event_time: new Date(), place: 'p', grade: 3, summary: 's', created_by: duty, state })
      .returning(['id', 'incident_id'])
      .executeTakeFirstOrThrow();

  it('opens an incident for a report stored without one', async () => {
    const r = await insert('draft');
    const inc = await h.db.selectFrom('incidents').selectAll().where('id', '=', r.incident_id).executeTakeFirstOrThrow();
    expect(inc).toMatchObject({ unit_code: '150102', grade: 3, status: 'open' });
  });

  it('lets a draft change, never a sent report; a sent report cannot be deleted', async () => {
    const d = await insert('draft');
    await sql`update urgent_reports set summary = 'corrected' where id = ${d.id}`.execute(h.db);
    const s = await insert('sent');
    await expect(sql`update urgent_reports set summary = 'x' where id = ${s.id}`.execute(h.db)).rejects.toThrow(/immutable/);
    await expect(sql`delete from urgent_reports where id = ${s.id}`.execute(h.db)).rejects.toThrow(/cannot be deleted/);
  });

  it('keeps receipt and relay times of a hop, the timeline, and 迟报 records as they were written', async () => {
    const s = await insert('sent');
    const t = new Date('2026-07-01T00:00:00Z');
    await h.db.insertInto('report_hops').values({ report_id: s.id, unit_code: '150100', from_unit_code: '150102', received_at: t }).execute();
    await expect(sql`update report_hops set received_at = now() where report_id = ${s.id}`.execute(h.db)).rejects.toThrow(/immutable/);
    await sql`update report_hops set state = 'relayed', relayed_at = ${t} where report_id = ${s.id}`.execute(h.db);
    await expect(sql`update report_hops set relayed_at = now() where report_id = ${s.id}`.execute(h.db)).rejects.toThrow(/immutable/);
    await expect(sql`update report_hops set state = 'acknowledged' where report_id = ${s.id}`.execute(h.db)).rejects.toThrow(/immutable/);
    await h.db.insertInto('report_events').values({ incident_id: s.incident_id, unit_code: '150102', actor_id: duty, action: 'signed', detail: '{}', at: t }).execute();
    await expect(sql`update report_events set at = now() where incident_id = ${s.incident_id}`.execute(h.db)).rejects.toThrow(/append-only/);
    await h.db.insertInto('deadline_misses').values({ incident_id: s.incident_id, unit_code: '150102', kind: 'written', due_at: t, recorded_at: t }).execute();
    await expect(sql`delete from deadline_misses where incident_id = ${s.incident_id}`.execute(h.db)).rejects.toThrow(/append-only/);
  });

  it('seeds the default deadline rules from the documents', async () => {
    const rules = await h.db.selectFrom('deadline_rules').select(['grade', 'level', 'kind', 'minutes']).where('grade', '=', 2).orderBy('level').orderBy('kind').execute();
    expect(rules).toEqual([
      { grade: 2, level: 2, kind: 'phone', minutes: 30 },
      { grade: 2, level: 2, kind: 'written', minutes: 240 },
      { grade: 2, level: 3, kind: 'phone', minutes: 30 },
      { grade: 2, level: 3, kind: 'written', minutes: 120 },
    ]);
  });
});

describe.each(testDatabases())('upgrading the first slice on $name', (target) => {
  it('turns each stand-alone report into the sent 首报 of its own incident', async () => {
    const h = await target.open();
    try {
      const only001 = new Migrator({ db: h.db, provider: { getMigrations: async () => ({ '001_foundation': m001 }) } });
      expect((await only001.migrateToLatest()).error).toBeUndefined();
      await sql`insert into units (code, name, name_en, level) values ('150000', '内蒙古自治区', 'Inner Mongolia', 1)`.execute(h.db);
      await sql`insert into users (username, display_name, password_hash, unit_code, roles) values ('u', 'U', 'x', '150000', '{duty_officer}')`.execute(h.db);
      for (const title of ['旧报告一', '旧报告二']) {
        await sql`insert into urgent_reports (request_id, unit_code, title, event_time, place, grade, summary, created_by)
          values (${randomUUID()}, '150000', ${title}, now() - interval '1 hour', 'p', 3, 's', (select id from users where username = 'u'))`.execute(h.db);
      }
      await migrateToLatest(h.db);
      const rows = await h.db.selectFrom('urgent_reports as r').innerJoin('incidents as i', 'i.id', 'r.incident_id').select(['r.title', 'r.state', 'r.kind', 'i.title as incident_title', 'r.signed_at', 'i.status', 'i.legacy']).orderBy('r.title').execute();
      expect(rows.map((r) => [r.title, r.state, r.kind, r.incident_title, r.signed_at !== null, r.status, r.legacy])).toEqual([
        ['旧报告一', 'sent', 'initial', '旧报告一', true, 'closed', true],
        ['旧报告二', 'sent', 'initial', '旧报告二', true, 'closed', true],
      ]);
    } finally {
      await h.close();
    }
  });
});

