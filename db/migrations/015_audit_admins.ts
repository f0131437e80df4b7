import { sql, type Kysely } from 'kysely';

/**
 * 三员分立 and the audit trail (issue 16).
 * - The all-powerful `admin` role becomes the system administrator; the security and audit administrators are
 *   new accounts (the demo seed creates them).
 * - audit_log is append-only: a trigger refuses UPDATE, DELETE and TRUNCATE whoever asks, and the application
 *   works as the restricted role tl_app (db/appRole.ts grants it everything else), which may only insert into
 *   and read it. Each entry carries the sha256 of the previous entry's hash and its own canonical form.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`update users set roles = array_replace(roles, 'admin', 'sys_admin') where 'admin' = any(roles)`.execute(db);

  // Roles are cluster-wide: several databases of one cluster (tests) may create it at once.
  await sql`do $$ begin
    if not exists (select 1 from pg_roles where rolname = 'tl_app') then create role tl_app nologin; end if;
  exception when others then null;
  end $$`.execute(db);

  await db.schema
    .createTable('audit_log')
    .addColumn('id', 'bigserial', (c) => c.primaryKey())
    .addColumn('at', 'timestamptz', (c) => c.notNull())
    .addColumn('user_id', 'integer')
    .addColumn('username', 'text')
    .addColumn('unit_code', 'text')
    .addColumn('remote', 'text')
    .addColumn('action', 'text', (c) => c.notNull())
    .addColumn('target', 'text')
    .addColumn('status', 'integer')
    .addColumn('detail', 'text')
    .addColumn('prev_hash', 'text', (c) => c.notNull())
    .addColumn('hash', 'text', (c) => c.notNull().unique())
    .execute();
  await db.schema.createIndex('audit_log_at').on('audit_log').column('at').execute();
  await sql`create function audit_log_append_only() returns trigger language plpgsql as $$
    begin raise exception 'audit_log is append-only (%)', tg_op using errcode = '42501'; end $$`.execute(db);
  await sql`create trigger audit_log_no_change before update or delete on audit_log
    for each row execute function audit_log_append_only()`.execute(db);
  await sql`create trigger audit_log_no_truncate before truncate on audit_log
    for each statement execute function audit_log_append_only()`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('audit_log').execute();
  await sql`drop function audit_log_append_only()`.execute(db);
  await sql`update users set roles = array_replace(roles, 'sys_admin', 'admin') where 'sys_admin' = any(roles)`.execute(db);
}
