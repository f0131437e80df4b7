import { createHash, randomBytes } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Database, Role } from '../../db/schema.ts';
import type { OrgTree } from '../org/tree.ts';

export const SESSION_COOKIE = 'tl_session';
/** A duty shift is 24 h; a session outlives one so a handover never logs anyone out mid-shift. */
export const SESSION_TTL_MS = 36 * 3600 * 1000;

export interface SessionUser {
  id: number;
  username: string;
  displayName: string;
  unitCode: string;
  unitName: string;
  unitLevel: 1 | 2 | 3;
  roles: Role[];
}

const hashToken = (token: string) => createHash('sha256').update(token).digest('hex');

export async function createSession(db: Kysely<Database>, userId: number): Promise<string> {
  const token = randomBytes(32).toString('base64url');
  await db
    .insertInto('sessions')
    .values({ token_hash: hashToken(token), user_id: userId, expires_at: new Date(Date.now() + SESSION_TTL_MS) })
    .execute();
  return token;
}

export async function deleteSession(db: Kysely<Database>, token: string): Promise<void> {
  await db.deleteFrom('sessions').where('token_hash', '=', hashToken(token)).execute();
}

export async function resolveSession(db: Kysely<Database>, tree: OrgTree, token: string | undefined): Promise<SessionUser | null> {
  if (!token) return null;
  const row = await db
    .selectFrom('sessions')
    .innerJoin('users', 'users.id', 'sessions.user_id')
    .select(['users.id', 'users.username', 'users.display_name', 'users.unit_code', 'users.roles'])
    .where('sessions.token_hash', '=', hashToken(token))
    .where('sessions.expires_at', '>', new Date())
    .executeTakeFirst();
  if (!row) return null;
  return toSessionUser(row, tree);
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
    roles: row.roles,
  };
}

export const hasAnyRole = (user: SessionUser, roles: readonly Role[]) => user.roles.some((r) => roles.includes(r));
