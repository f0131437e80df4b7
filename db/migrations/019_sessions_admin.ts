import { sql, type Kysely } from 'kysely';

/**
 * Sessions and the separated administrators' management (issue 16).
 * - sessions: a public id (listed and ended by id, never by token hash), the remote end (address, user agent),
 *   last user activity on the server clock (idle timeout), and how a session ended (idle, evicted, revoked,
 *   disabled) so the console can say why; rows that ended are kept until they expire.
 * - users: disabled accounts (never deleted: their history stays theirs), a forced password change after an
 *   administrator's reset.
 * - security_policy: the security administrator's session policy, one row; absent: the server's defaults.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .alterTable('sessions')
    .addColumn('id', 'serial', (c) => c.notNull().unique())
    .addColumn('remote', 'text')
    .addColumn('user_agent', 'text')
    .addColumn('started_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('last_active_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('ended_at', 'timestamptz')
    .addColumn('end_reason', 'text')
    .execute();
  await db.schema.createIndex('sessions_user').on('sessions').column('user_id').execute();
  await db.schema
    .alterTable('users')
    .addColumn('disabled_at', 'timestamptz')
    .addColumn('must_change_password', 'boolean', (c) => c.notNull().defaultTo(false))
    .execute();
  await db.schema
    .createTable('security_policy')
    .addColumn('id', 'integer', (c) => c.primaryKey().check(sql`id = 1`))
    .addColumn('idle_minutes', 'integer', (c) => c.notNull())
    .addColumn('max_sessions', 'integer', (c) => c.notNull())
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull())
    .addColumn('updated_by', 'text', (c) => c.notNull())
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('security_policy').execute();
  await db.schema.alterTable('users').dropColumn('disabled_at').dropColumn('must_change_password').execute();
  await db.schema.dropIndex('sessions_user').execute();
  await db.schema.alterTable('sessions').dropColumn('id').dropColumn('remote').dropColumn('user_agent').dropColumn('started_at').dropColumn('last_active_at').dropColumn('ended_at').dropColumn('end_reason').execute();
}
