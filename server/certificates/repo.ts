/** SQL of certificate login: bound certificates, the factor policy, UKey nonces. */
import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.ts';
import type { UserCertificateTable } from '../../db/tables/certificates.ts';
import type { Insertable } from 'kysely';

type Db = Kysely<Database>;

const VIEW_COLUMNS = [
  'c.id', 'u.username', 'c.kind', 'c.subject', 'c.issuer', 'c.serial', 'c.not_before', 'c.not_after', 'c.fingerprint',
  'c.bound_by', 'c.bound_at', 'c.revoked_at', 'c.revoked_by', 'c.revoke_reason', 'c.user_id', 'u.unit_code',
] as const;

export const certificatesOfUser = (db: Db, userId: number) =>
  db.selectFrom('user_certificates as c').innerJoin('users as u', 'u.id', 'c.user_id').select(VIEW_COLUMNS).where('c.user_id', '=', userId).orderBy('c.id').execute();

export const certificateById = (db: Db, id: number) =>
  db.selectFrom('user_certificates as c').innerJoin('users as u', 'u.id', 'c.user_id').select(VIEW_COLUMNS).where('c.id', '=', id).executeTakeFirst();

export type CertificateRow = NonNullable<Awaited<ReturnType<typeof certificateById>>>;

export const bindingByFingerprint = (db: Db, fingerprint: string) =>
  db.selectFrom('user_certificates').select(['id', 'user_id', 'revoked_at']).where('fingerprint', '=', fingerprint).executeTakeFirst();

/** Inserts unless the certificate is bound already (to anyone): null then. */
export async function insertCertificate(db: Db, row: Insertable<UserCertificateTable>): Promise<number | null> {
  const r = await db.insertInto('user_certificates').values(row).onConflict((oc) => oc.column('fingerprint').doNothing()).returning('id').executeTakeFirst();
  return r?.id ?? null;
}

export async function revokeCertificate(db: Db, id: number, by: string, reason: string, at: Date): Promise<void> {
  await db.updateTable('user_certificates').set({ revoked_at: at, revoked_by: by, revoke_reason: reason }).where('id', '=', id).where('revoked_at', 'is', null).execute();
}

export const userByName = (db: Db, username: string) =>
  db.selectFrom('users').select(['id', 'username', 'unit_code']).where('username', '=', username).executeTakeFirst();

export const factorPolicy = (db: Db) => db.selectFrom('auth_factor_policy').select(['role', 'require_certificate']).orderBy('role').execute();

export async function setFactorPolicy(db: Db, rows: { role: string; requireCertificate: boolean }[], by: string, at: Date): Promise<void> {
  await db.transaction().execute(async (tx) => {
    for (const r of rows) {
      await tx
        .insertInto('auth_factor_policy')
        .values({ role: r.role, require_certificate: r.requireCertificate, updated_by: by, updated_at: at })
        .onConflict((oc) => oc.column('role').doUpdateSet({ require_certificate: r.requireCertificate, updated_by: by, updated_at: at }))
        .execute();
    }
  });
}

export async function insertChallenge(db: Db, nonce: string, expiresAt: Date, now: Date): Promise<void> {
  // Spent and long-expired nonces go as new ones come, so the table stays small.
  await db.deleteFrom('auth_challenges').where('expires_at', '<', new Date(now.getTime() - 3600_000)).execute();
  await db.insertInto('auth_challenges').values({ nonce, expires_at: expiresAt }).execute();
}

/** Spends a nonce: true once, while it has not expired; false for unknown, spent or expired ones. */
export async function spendChallenge(db: Db, nonce: string, now: Date): Promise<boolean> {
  const r = await db.updateTable('auth_challenges').set({ used_at: now }).where('nonce', '=', nonce).where('used_at', 'is', null).where('expires_at', '>', now).returning('nonce').executeTakeFirst();
  return !!r;
}
