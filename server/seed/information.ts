/**
 * Demo information work: an information officer per unit (`<code>-info`, named with a phone), an office
 * editor at the region and every city (`<code>-editor`), and the publications of those offices. Bulk
 * inserts only: this runs at every first start and in every test server.
 */
import { sql, type Kysely } from 'kysely';
import type { Insertable } from 'kysely';
import type { Database } from '../../db/schema.ts';
import type { InfoPublicationTable } from '../../db/tables/information.ts';

export async function seedInformationDemo(db: Kysely<Database>, now: Date): Promise<void> {
  const units = await db.selectFrom('units').select(['code', 'name', 'level', 'parent_code']).orderBy('code').execute();
  if (!units.length) return;
  await db.transaction().execute(async (trx) => {
    const hashes = await trx.selectFrom('users').select(['unit_code', 'password_hash']).where(sql<boolean>`username = unit_code || '-leader'`).execute();
    const hashOf = new Map(hashes.map((h) => [h.unit_code, h.password_hash]));
    const accounts = units
      .filter((u) => hashOf.has(u.code))
      .flatMap((u) => [
        { username: `${u.code}-info`, display_name: `${u.name}信息员`, roles: ['info_officer' as const], phone: `137${u.code}01` },
        ...(u.level < 3 ? [{ username: `${u.code}-editor`, display_name: `${u.name}信息科编辑`, roles: ['editor' as const], phone: `136${u.code}01` }] : []),
      ])
      .map((a) => ({ ...a, unit_code: a.username.slice(0, 6), password_hash: hashOf.get(a.username.slice(0, 6))! }));
    for (let i = 0; i < accounts.length; i += 200) {
      await trx.insertInto('users').values(accounts.slice(i, i + 200)).onConflict((oc) => oc.column('username').doNothing()).execute();
    }
    await sql`
      insert into info_officers (unit_code, user_id, phone, named_at)
      select unit_code, id, phone, ${now} from users where username = unit_code || '-info'
      on conflict do nothing`.execute(trx);

    const childrenOf = (code: string) => units.filter((u) => u.parent_code === code).map((u) => u.code);
    const pubs: Insertable<InfoPublicationTable>[] = units
      .filter((u) => u.level < 3)
      .flatMap((u): Insertable<InfoPublicationTable>[] =>
        u.level === 1
          ? [
              { office_code: u.code, name: '政务信息', tier: 1 as const, max_classification: 1 as const, distribution: childrenOf(u.code), cc: [], sort_order: 1 },
              { office_code: u.code, name: '信息专报', tier: 2 as const, max_classification: 2 as const, distribution: childrenOf(u.code), cc: [], sort_order: 2 },
              { office_code: u.code, name: '要情快报', tier: 3 as const, max_classification: 2 as const, distribution: childrenOf(u.code), cc: [], sort_order: 3 },
            ]
          : [
              { office_code: u.code, name: '政务信息', tier: 1 as const, max_classification: 1 as const, distribution: childrenOf(u.code), cc: [u.parent_code!], sort_order: 1 },
              { office_code: u.code, name: '信息专报', tier: 2 as const, max_classification: 2 as const, distribution: childrenOf(u.code), cc: [u.parent_code!], sort_order: 2 },
            ],
      );
    await trx.insertInto('info_publications').values(pubs).onConflict((oc) => oc.columns(['office_code', 'name']).doNothing()).execute();
  });
}
