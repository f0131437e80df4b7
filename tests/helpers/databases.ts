/** The databases every DB suite runs against: embedded PGlite and a real Postgres server. */
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { connectDb, type DbHandle } from '../../db/connect.ts';

export interface TestDatabase {
  name: 'pglite' | 'postgres';
  open(): Promise<DbHandle>;
}

const pglite: TestDatabase = { name: 'pglite', open: () => connectDb({ dataDir: 'memory://' }) };

/** A fresh database on the test server per call, dropped again on close. */
const postgres = (adminUrl: string): TestDatabase => ({
  name: 'postgres',
  async open() {
    const dbName = `tl_test_${randomBytes(6).toString('hex')}`;
    const admin = new pg.Client({ connectionString: adminUrl });
    await admin.connect();
    await admin.query(`create database ${dbName}`);
    await admin.end();
    const url = new URL(adminUrl);
    url.pathname = `/${dbName}`;
    // Dropping the database (with force) ends connections the app may still be closing: expected here.
    const handle = await connectDb({ databaseUrl: url.toString(), onIdleError: () => undefined });
    return {
      ...handle,
      close: async () => {
        await handle.close();
        const a = new pg.Client({ connectionString: adminUrl });
        await a.connect();
        await a.query(`drop database if exists ${dbName} with (force)`);
        await a.end();
      },
    };
  },
});

export function testDatabases(): TestDatabase[] {
  const url = process.env.TEST_DATABASE_URL;
  if (!url && process.env.CI) throw new Error('TEST_DATABASE_URL must be set in CI (scripts/test.sh sets it)');
  return url ? [pglite, postgres(url)] : [pglite];
}
