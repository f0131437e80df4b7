/**
 * db/preparedStatements.ts on a real Postgres: a statement text is parsed once per connection and kept by name,
 * the names per connection stay within their bound, long `in (...)` lists stay unnamed, and a table whose
 * columns changed under a kept plan fails once and is prepared afresh. PGlite (no wrapper) answers the same.
 */
import { sql, type Kysely } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DbHandle } from '../../db/connect.ts';
import { MAX_PER_CONNECTION } from '../../db/preparedStatements.ts';
import { testDatabases } from '../helpers/databases.ts';

describe.each(testDatabases())('statements on one connection ($name)', (tdb) => {
  let h: DbHandle;
  beforeAll(async () => {
    h = await tdb.open();
  });
  afterAll(async () => {
    await h?.close();
  });
  /** Runs `fn` on one pinned connection (pg_prepared_statements is per connection). */
  const onOne = <T>(fn: (db: Kysely<unknown>) => Promise<T>) => h.db.connection().execute((c) => fn(c as unknown as Kysely<unknown>));
  const kept = async (db: Kysely<unknown>, like: string) =>
    Number((await sql<{ n: string }>`select count(*) as n from pg_prepared_statements where statement like ${like}`.execute(db)).rows[0]!.n);

  it('answers a repeated statement alike, and on Postgres keeps it prepared once', async () => {
    await onOne(async (db) => {
      for (let i = 0; i < 5; i++) expect((await sql<{ n: number }>`select ${i}::int + 1 as n`.execute(db)).rows).toEqual([{ n: i + 1 }]);
      expect(await kept(db, 'select $1::int + 1 as n')).toBe(tdb.name === 'postgres' ? 1 : 0);
    });
  });

  it('stays within its bound per connection; long lists are not named', async () => {
    await onOne(async (db) => {
      for (let i = 0; i < MAX_PER_CONNECTION + 20; i++) await sql`select ${i}::int as ${sql.ref(`c${i}`)}`.execute(db);
      expect(await kept(db, 'select $1::int as "c%')).toBeLessThanOrEqual(MAX_PER_CONNECTION);
      const many = Array.from({ length: 100 }, (_, i) => i);
      const rows = (await sql<{ n: number }>`select n from generate_series(1, 200) n where n in (${sql.join(many)})`.execute(db)).rows;
      expect(rows).toHaveLength(99);
      expect(await kept(db, '%generate_series%')).toBe(0);
    });
  });

  it('a table whose columns changed under a kept plan fails once, then is prepared afresh', async () => {
    await sql`create table prep_t (a int)`.execute(h.db);
    await sql`insert into prep_t values (1)`.execute(h.db);
    await onOne(async (db) => {
      const read = () => sql<{ a: number }>`select * from prep_t where a = ${1}`.execute(db);
      await read();
      await read();
      await sql`alter table prep_t add column b int`.execute(db);
      const first = await read().then(() => 'ok', (e: { code?: string }) => e.code);
      // Postgres: "cached plan must not change result type" (0A000) once; PGlite plans afresh.
      expect(tdb.name === 'postgres' ? ['0A000', 'ok'] : ['ok']).toContain(first);
      expect((await read()).rows).toEqual([{ a: 1, b: null }]);
    });
  });
});
