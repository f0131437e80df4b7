import { sql, type Kysely } from 'kysely';

/**
 * Certificate login (issue 16): X.509 and SM2 (UKey) certificates bound to accounts by the security
 * administrator, the per-role two-factor policy (certificate + password; on for the three administrators),
 * and the single-use nonces of the UKey challenge–signature login.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('user_certificates')
    .addColumn('id', 'serial', (c) => c.primaryKey())
    .addColumn('user_id', 'integer', (c) => c.notNull().references('users.id'))
    .addColumn('kind', 'text', (c) => c.notNull().check(sql`kind in ('x509', 'sm2')`))
    .addColumn('subject', 'text', (c) => c.notNull())
    .addColumn('issuer', 'text', (c) => c.notNull())
    .addColumn('serial', 'text', (c) => c.notNull())
    .addColumn('not_before', 'timestamptz', (c) => c.notNull())
    .addColumn('not_after', 'timestamptz', (c) => c.notNull())
    // sha-256 of the DER, lower-case hex: one certificate is bound to one account at most.
    .addColumn('fingerprint', 'text', (c) => c.notNull().unique())
    .addColumn('pem', 'text', (c) => c.notNull())
    .addColumn('bound_by', 'text', (c) => c.notNull())
    .addColumn('bound_at', 'timestamptz', (c) => c.notNull())
    .addColumn('revoked_at', 'timestamptz')
    .addColumn('revoked_by', 'text')
    .addColumn('revoke_reason', 'text')
    .execute();
  await db.schema.createIndex('user_certificates_user').on('user_certificates').column('user_id').execute();

  await db.schema
    .createTable('auth_factor_policy')
    .addColumn('role', 'text', (c) => c.primaryKey())
    .addColumn('require_certificate', 'boolean', (c) => c.notNull())
    .addColumn('updated_by', 'text')
    .addColumn('updated_at', 'timestamptz')
    .execute();
  await db
    .insertInto('auth_factor_policy')
    .values(['sys_admin', 'security_admin', 'audit_admin'].map((role) => ({ role, require_certificate: true })))
    .execute();

  await db.schema
    .createTable('auth_challenges')
    .addColumn('nonce', 'text', (c) => c.primaryKey())
    .addColumn('expires_at', 'timestamptz', (c) => c.notNull())
    .addColumn('used_at', 'timestamptz')
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('auth_challenges').execute();
  await db.schema.dropTable('auth_factor_policy').execute();
  await db.schema.dropTable('user_certificates').execute();
}
