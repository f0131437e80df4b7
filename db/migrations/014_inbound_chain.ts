import type { Kysely } from 'kysely';

/**
 * An agency's Update replaces its earlier alert (an orange warning raised to red) and its Cancel lifts it:
 * each accepted inbound alert remembers the one it replaces, and an earlier one who replaced it and when it
 * was lifted, so the consoles stop alarming for what no longer holds.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .alterTable('platform_inbound')
    .addColumn('supersedes', 'uuid', (c) => c.references('platform_inbound.id'))
    .addColumn('superseded_by', 'uuid', (c) => c.references('platform_inbound.id'))
    .addColumn('cancelled_at', 'timestamptz')
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('platform_inbound').dropColumn('cancelled_at').dropColumn('superseded_by').dropColumn('supersedes').execute();
}
