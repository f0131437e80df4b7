/**
 * The application's restricted database role (migration 015 creates it): everything on every table except
 * UPDATE, DELETE and TRUNCATE on the audit trail. Grants are renewed at every start (after migrations) so
 * tables of later migrations are covered; then each pooled connection `SET ROLE`s to it (connect.ts) — on
 * PGlite, which always connects as superuser, and on a real Postgres alike.
 */
import { sql, type Kysely } from 'kysely';

export const APP_ROLE = 'tl_app';

export async function grantAppRole(db: Kysely<any>): Promise<void> {
  await sql.raw(`grant usage on schema public to ${APP_ROLE}`).execute(db);
  await sql.raw(`grant select, insert, update, delete, truncate, references, trigger on all tables in schema public to ${APP_ROLE}`).execute(db);
  await sql.raw(`grant usage, select, update on all sequences in schema public to ${APP_ROLE}`).execute(db);
  await sql.raw(`revoke update, delete, truncate on audit_log from ${APP_ROLE}`).execute(db);
  // A non-superuser owner must be a member to SET ROLE; concurrent grants of one membership may collide.
  await sql
    .raw(
      `do $$ begin
        if not (select rolsuper from pg_roles where rolname = current_user) and not pg_has_role(current_user, '${APP_ROLE}', 'member') then
          execute format('grant ${APP_ROLE} to %I', current_user);
        end if;
      exception when unique_violation then null;
      end $$`,
    )
    .execute(db);
}
