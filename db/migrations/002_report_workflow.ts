import type { Kysely } from 'kysely';

// Reserved for its domain's tables (filled in by the work that needs them).
export async function up(_db: Kysely<any>): Promise<void> {}

export async function down(_db: Kysely<any>): Promise<void> {}
