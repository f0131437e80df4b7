import type { Kysely } from 'kysely';

/**
 * Voice access, dial-out and registrar: a unit's registered phone may have a digest password (kept only as
 * the HA1 hashes for MD5 and SHA-256, with the realm they were computed for) and may be disabled.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .alterTable('voice_unit_phones')
    .addColumn('ha1_md5', 'text')
    .addColumn('ha1_sha256', 'text')
    .addColumn('realm', 'text')
    .addColumn('enabled', 'boolean', (c) => c.notNull().defaultTo(true))
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const c of ['ha1_md5', 'ha1_sha256', 'realm', 'enabled']) await db.schema.alterTable('voice_unit_phones').dropColumn(c).execute();
}
