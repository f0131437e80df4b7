import { createHash, randomBytes } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.ts';
import type { Role, User } from '../../contract/org.ts';
import type { OrgTree } from '../org/tree.ts';

export const SESSION_COOKIE = 'tl_session';
/** A duty shift is 24 h; a session outlives one so a handover never logs anyone out mid-shift. */
export const SESSION_TTL_MS = 36 * 3600 * 1000;

/** The logged-in user; the wire form (GET /api/auth/me) is the contract's `User`. */
export type SessionUser = User;

export const hashToken = (token: string) => createHash('sha256').update(token).digest('hex');

export async function createSession(db: Kysely<Database>, userId: number): Promise<string> {
  const token = randomBytes(32).toString('base64url');
  await db
    .insertInto('sessions')
    .values({ token_hash: hashToken(token), user_id: userId, expires_at: new Date(Date.now() + SESSION_TTL_MS) })
    .execute();
  return token;
}

/** Ends every session of a user (password reset), or all but one (own password change). */
export async function deleteUserSessions(db: Kysely<Database>, userId: number, exceptToken?: string): Promise<void> {
  let q = db.deleteFrom('sessions').where('user_id', '=', userId);
  if (exceptToken) q = q.where('token_hash', '<>', hashToken(exceptToken));
  await q.execute();
}

export async function deleteSession(db: Kysely<Database>, token: string): Promise<void> {
  await db.deleteFrom('sessions').where('token_hash', '=', hashToken(token)).execute();
}

export async function resolveSession(db: Kysely<Database>, tree: OrgTree, token: string | undefined): Promise<SessionUser | null> {
  return (await resolveSessionInfo(db, tree, token))?.user ?? null;
}

/** The session's user, its token hash and when it expires (sockets keep these to end with the session). */
export async function resolveSessionInfo(
  db: Kysely<Database>,
  tree: OrgTree,
  token: string | undefined,
): Promise<{ user: SessionUser; tokenHash: string; expiresAt: Date } | null> {
  if (!token) return null;
  const tokenHash = hashToken(token);
  const row = await db
    .selectFrom('sessions')
    .innerJoin('users', 'users.id', 'sessions.user_id')
    .select(['users.id', 'users.username', 'users.display_name', 'users.unit_code', 'users.roles', 'sessions.expires_at'])
    .where('sessions.token_hash', '=', tokenHash)
    .where('sessions.expires_at', '>', new Date())
    .executeTakeFirst();
  if (!row) return null;
  return { user: toSessionUser(row, tree), tokenHash, expiresAt: row.expires_at };
}

export function toSessionUser(
  row: { id: number; username: string; display_name: string; unit_code: string; roles: Role[] },
  tree: OrgTree,
): SessionUser {
  const unit = tree.get(row.unit_code);
  if (!unit) throw new Error(`user ${row.username} belongs to unknown unit ${row.unit_code}`);
  return {
    id: row.id,
    username: row.username,
    displayName: row.display_name,
    unitCode: unit.code,
    unitName: unit.name,
    unitLevel: unit.level,
    ...(unit.kind === 'department' ? { unitKind: 'department' as const } : {}),
    roles: row.roles,
  };
}

export const hasAnyRole = (user: SessionUser, roles: readonly Role[]) => user.roles.some((r) => roles.includes(r));
