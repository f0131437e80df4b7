import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.ts';
import { OrgTree } from './tree.ts';

export async function loadOrgTree(db: Kysely<Database>): Promise<OrgTree> {
  const rows = await db.selectFrom('units').selectAll().execute();
  return new OrgTree(
    rows.map((r) => ({ code: r.code, name: r.name, nameEn: r.name_en, level: r.level, parentCode: r.parent_code, sortOrder: r.sort_order, kind: r.kind })),
  );
}
