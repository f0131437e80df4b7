/**
 * The session lookup every request makes (token → session and account), kept in memory per database
 * (db/readCache.ts: correct for one server process per database). What the row says is judged afresh on every
 * request (expiry on the real clock, idleness on the server clock, ended, disabled): only the reading is spared.
 *
 * Every write that changes a session or an account goes through this process and forgets what it touched,
 * after the write, success or not: sessions.ts (a session ends, is deleted or touched), admin/repo.ts (roles,
 * unit, name, disabled), auth/routes.ts (passwords, through deleteUserSessions). A write from elsewhere (another
 * process, psql) is seen after SESSION_CACHE_TTL_MS at the latest; the socket sweep reads the table itself.
 * Unknown tokens are not kept (anyone can make them up).
 */
import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.ts';
import type { Role } from '../../contract/org.ts';
import { ReadCache } from '../../db/readCache.ts';

export const SESSION_CACHE_TTL_MS = 10_000;

export interface SessionRow {
  id: number;
  username: string;
  display_name: string;
  unit_code: string;
  roles: Role[];
  disabled_at: Date | null;
  must_change_password: boolean;
  expires_at: Date;
  session_id: number;
  last_active_at: Date;
  ended_at: Date | null;
  end_reason: string | null;
  remote: string | null;
}

const caches = new WeakMap<object, ReadCache<string, SessionRow | null>>();
const cacheOf = (db: Kysely<Database>) => {
  let c = caches.get(db);
  if (!c) caches.set(db, (c = new ReadCache<string, SessionRow | null>(SESSION_CACHE_TTL_MS)));
  return c;
};

/** One copy serves every request of the session (its user's `roles` too): none may change it. */
const frozen = (row: SessionRow): SessionRow => Object.freeze({ ...row, roles: Object.freeze([...row.roles]) as Role[] });

/** The session with this token hash and its account, expired or not (the caller judges), or null. */
export function sessionRow(db: Kysely<Database>, tokenHash: string): Promise<SessionRow | null> {
  return cacheOf(db).get(
    tokenHash,
    async () => {
      const row = await db
        .selectFrom('sessions')
        .innerJoin('users', 'users.id', 'sessions.user_id')
        .select(['users.id', 'users.username', 'users.display_name', 'users.unit_code', 'users.roles', 'users.disabled_at', 'users.must_change_password', 'sessions.expires_at', 'sessions.id as session_id', 'sessions.last_active_at', 'sessions.ended_at', 'sessions.end_reason', 'sessions.remote'])
        .where('sessions.token_hash', '=', tokenHash)
        .executeTakeFirst();
      return row ? frozen(row) : null;
    },
    (row) => row !== null,
  );
}

/** These sessions changed (or a write to them was tried). */
export function forgetSessions(db: Kysely<Database>, tokenHashes: string[]): void {
  const c = caches.get(db);
  if (c) for (const h of tokenHashes) c.invalidate(h);
}

/** Accounts or sessions changed in ways not tied to known token hashes (rare: administrators' edits). */
export function forgetAllSessions(db: Kysely<Database>): void {
  caches.get(db)?.invalidate();
}

/** The session's activity was written as `at` (exactly what the database now holds). */
export function sessionTouched(db: Kysely<Database>, tokenHash: string, at: Date): void {
  cacheOf(db).update(tokenHash, (row) => (row && !row.ended_at ? frozen({ ...row, last_active_at: at }) : row));
}
