/** SQL of account and unit management. */
import type { Kysely } from 'kysely';
import type { Database, Role } from '../../db/schema.ts';
import { invalidatingAfter } from '../../db/readCache.ts';
import { forgetAllSessions } from '../auth/sessionCache.ts';

export type Db = Kysely<Database>;

const ACCOUNT_COLS = ['id', 'username', 'display_name', 'unit_code', 'roles', 'phone', 'disabled_at', 'must_change_password', 'created_at'] as const;

export async function findAccounts(db: Db, filter: { unitCodes?: string[]; q?: string }) {
  let q = db.selectFrom('users').select(ACCOUNT_COLS);
  if (filter.unitCodes) q = q.where('unit_code', 'in', filter.unitCodes.length ? filter.unitCodes : ['']);
  if (filter.q) {
    const like = `%${filter.q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    q = q.where((eb) => eb.or([eb('username', 'ilike', like), eb('display_name', 'ilike', like)]));
  }
  return q.orderBy('unit_code').orderBy('username').limit(300).execute();
}

export const accountById = (db: Db, id: number) => db.selectFrom('users').select(ACCOUNT_COLS).where('id', '=', id).executeTakeFirst();
export const accountByName = (db: Db, username: string) => db.selectFrom('users').select('id').where('username', '=', username).executeTakeFirst();

/** A new account has no usable password ('!' is no scrypt hash): the security administrator sets one. */
export async function insertAccount(db: Db, a: { username: string; displayName: string; unitCode: string; phone: string | null }): Promise<number> {
  const row = await db
    .insertInto('users')
    .values({ username: a.username, display_name: a.displayName, unit_code: a.unitCode, phone: a.phone, roles: [], password_hash: '!' })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

export async function updateAccount(db: Db, id: number, set: { display_name?: string; unit_code?: string; phone?: string | null; disabled_at?: Date | null; roles?: Role[] }): Promise<void> {
  if (!Object.keys(set).length) return;
  // The session lookup keeps accounts (roles, unit, disabled): forgotten after the write.
  await invalidatingAfter(() => db.updateTable('users').set(set).where('id', '=', id).execute(), () => forgetAllSessions(db));
}

/** Enabled accounts holding a role, but one. */
export async function othersWithRole(db: Db, role: Role, exceptId: number): Promise<number> {
  const r = await db.selectFrom('users').select((eb) => eb.fn.countAll<string>().as('n')).where('id', '<>', exceptId).where('disabled_at', 'is', null).where((eb) => eb(eb.val(role), '=', eb.fn.any('roles'))).executeTakeFirstOrThrow();
  return Number(r.n);
}

export const allUnits = (db: Db) => db.selectFrom('units').selectAll().execute();

export async function maxSiblingOrder(db: Db, parentCode: string): Promise<number> {
  const r = await db.selectFrom('units').select((eb) => eb.fn.max('sort_order').as('m')).where('parent_code', '=', parentCode).where('kind', '=', 'division').executeTakeFirst();
  return Number(r?.m ?? 0);
}

export async function insertUnit(db: Db, u: { code: string; name: string; nameEn: string; level: 1 | 2 | 3; parentCode: string; sortOrder: number }): Promise<void> {
  await db.insertInto('units').values({ code: u.code, name: u.name, name_en: u.nameEn, level: u.level, parent_code: u.parentCode, sort_order: u.sortOrder }).execute();
}

export async function updateUnit(db: Db, code: string, set: { name?: string; name_en?: string; parent_code?: string; sort_order?: number }): Promise<void> {
  if (!Object.keys(set).length) return;
  await db.updateTable('units').set(set).where('code', '=', code).execute();
}
