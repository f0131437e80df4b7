import { sql, type Kysely } from 'kysely';

/**
 * Departments as submitting units (内设机构: the region bureau's 社会救助处, a city bureau's 办公室 …): an office
 * registers them below itself, they get their own accounts and submit information to it like a unit below.
 * They live in `units` (so users, items and deliveries reference them as any unit) with kind 'department',
 * the office's level and a code of the office's code and a two-digit number (150000-01): never a GB/T 2260
 * code, so the meeting, duty and report routes, which take six-digit codes only, never address them.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`alter table units add column kind text not null default 'division' check (kind in ('division', 'department'))`.execute(db);
  await sql`alter table units drop constraint if exists units_code_check`.execute(db);
  await sql`
    alter table units add constraint units_code_by_kind check (
      (kind = 'division' and code ~ '^[0-9]{6}$')
      or (kind = 'department' and code ~ '^[0-9]{6}-[0-9]{2}$' and parent_code = substr(code, 1, 6))
    )`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`delete from units where kind = 'department'`.execute(db);
  await sql`alter table units drop constraint if exists units_code_by_kind`.execute(db);
  await sql`alter table units add constraint units_code_check check (code ~ '^[0-9]{6}$')`.execute(db);
  await sql`alter table units drop column kind`.execute(db);
}
