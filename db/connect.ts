/**
 * One code path for both databases: Kysely's PostgresDialect over a `pg` Pool, which talks either to a
 * real Postgres (DATABASE_URL) or to embedded PGlite through PGlite's node-postgres adapter.
 */
import { CompiledQuery, Kysely, PostgresDialect, type DatabaseConnection } from 'kysely';
import pg from 'pg';
import type { Database } from './schema.ts';
import { APP_ROLE, grantAppRole } from './appRole.ts';
import { dropReadCaches } from './readCache.ts';
import { prepareStatements } from './preparedStatements.ts';
import { pgTypes } from './timestamptz.ts';

export interface DbOptions {
  /** postgres://… : use a real Postgres server. */
  databaseUrl?: string;
  /** Folder for embedded PGlite data, or 'memory://' for a throwaway database. */
  dataDir?: string;
  /** An idle pooled connection failed (Postgres restarted, or a test database was dropped). */
  onIdleError?: (err: Error) => void;
}

export interface DbHandle {
  db: Kysely<Database>;
  kind: 'postgres' | 'pglite';
  /** After migrations: grant the restricted role, and from now on every connection works as it. */
  useAppRole(): Promise<void>;
  close(): Promise<void>;
}

/** The dialect's hook: a connection switches to the restricted role on its first use after useAppRole(). */
function appRoleSwitch() {
  const state = { on: false, done: new WeakSet<DatabaseConnection>() };
  const onReserveConnection = async (c: DatabaseConnection) => {
    if (!state.on || state.done.has(c)) return;
    await c.executeQuery(CompiledQuery.raw(`set role ${APP_ROLE}`));
    state.done.add(c);
  };
  const useAppRole = (db: Kysely<Database>) => async () => {
    if (state.on) return;
    await grantAppRole(db);
    state.on = true;
  };
  return { onReserveConnection, useAppRole };
}

export async function connectDb(opts: DbOptions): Promise<DbHandle> {
  if (opts.databaseUrl) {
    // While Postgres is down a request fails within seconds (503) instead of waiting for a connection forever.
    // Idle connections are kept for minutes, not pg's 10 s: the ones only a burst needs would otherwise be closed
    // between bursts and opened again (a Postgres backend, the session's role, every statement prepared anew)
    // just when the next burst comes.
    const pool = new pg.Pool({ connectionString: opts.databaseUrl, max: 10, connectionTimeoutMillis: 5_000, idleTimeoutMillis: 5 * 60_000, types: pgTypes });
    const report = opts.onIdleError ?? ((err: Error) => console.error(`database connection lost: ${err.message}`));
    // Whatever came back (a restart, a restored backup) is read afresh: the in-memory caches go (db/readCache.ts).
    const lost = (err: Error) => {
      dropReadCaches();
      report(err);
    };
    // Without a listener, pg re-throws a client's error and the whole server dies with it. Idle clients report
    // through the pool; a client checked out by a query (Postgres stopped mid-query) reports on itself. The query
    // itself fails with the error, the pool discards the broken client and connects afresh on the next query.
    pool.on('error', lost);
    pool.on('connect', (client) => {
      client.on('error', lost);
      prepareStatements(client); // each statement parsed and planned once per connection (db/preparedStatements.ts)
    });
    const role = appRoleSwitch();
    const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool, onReserveConnection: role.onReserveConnection }) });
    return { db, kind: 'postgres', useAppRole: role.useAppRole(db), close: () => db.destroy() };
  }
  const { PGlite } = await import('@electric-sql/pglite');
  const { createPgConfig } = await import('@electric-sql/pglite/node-postgres');
  // pg_trgm (near-duplicate items) ships with PGlite as a contrib extension: loaded here, created by migration 012.
  const { pg_trgm } = await import('@electric-sql/pglite/contrib/pg_trgm');
  const pglite = await PGlite.create(opts.dataDir ?? 'memory://', { extensions: { pg_trgm } });
  // PGlite is single-connection: the adapter's config carries poolSize 1.
  const pool = new pg.Pool({ ...(createPgConfig(pglite) as unknown as pg.PoolConfig), types: pgTypes });
  const role = appRoleSwitch();
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool, onReserveConnection: role.onReserveConnection }) });
  return {
    db,
    kind: 'pglite',
    useAppRole: role.useAppRole(db),
    close: async () => {
      await db.destroy();
      await pglite.close();
    },
  };
}
