/**
 * Demo departments (内设机构) that submit information to their own office (migration 010): two at the region,
 * two at 呼和浩特市, one at 包头市, two at 新城区, each with `<code>-info` (named 信息员) and `<code>-leader`
 * (who signs its items off). 新城区 runs its own 《政务信息》 with a `150102-editor`, so the county level
 * has submitters and a publication too. The offices' publications are sent to their departments as well.
 */
import { sql, type Kysely } from 'kysely';
import type { Insertable } from 'kysely';
import type { Database, UserTable } from '../../db/schema.ts';

export const DEMO_DEPARTMENTS: { office: string; number: string; name: string; nameEn: string }[] = [
  { office: '150000', number: '01', name: '社会救助处', nameEn: 'Social Assistance Division' },
  { office: '150000', number: '02', name: '办公室', nameEn: 'General Office' },
  { office: '150100', number: '01', name: '办公室', nameEn: 'General Office' },
  { office: '150100', number: '02', name: '社会事务科', nameEn: 'Social Affairs Section' },
  { office: '150200', number: '01', name: '办公室', nameEn: 'General Office' },
  { office: '150102', number: '01', name: '办公室', nameEn: 'General Office' },
  { office: '150102', number: '02', name: '社会救助股', nameEn: 'Social Assistance Unit' },
];
/** County offices that run their own publication in the demo. */
export const DEMO_COUNTY_OFFICES = ['150102'];

export const departmentCode = (office: string, number: string) => `${office}-${number}`;

export async function seedDepartmentsDemo(db: Kysely<Database>, now: Date): Promise<void> {
  const offices = await db.selectFrom('units').select(['code', 'name', 'name_en', 'level']).where('code', 'in', [...new Set(DEMO_DEPARTMENTS.map((d) => d.office))]).execute();
  const office = new Map(offices.map((o) => [o.code, o]));
  const depts = DEMO_DEPARTMENTS.filter((d) => office.has(d.office));
  if (!depts.length) return;
  await db.transaction().execute(async (trx) => {
    const hash = await trx.selectFrom('users').select('password_hash').where('username', '=', `${depts[0]!.office}-leader`).executeTakeFirstOrThrow();
    const rows = depts.map((d, i) => {
      const o = office.get(d.office)!;
      return { code: departmentCode(d.office, d.number), name: `${o.name}${d.name}`, name_en: `${o.name_en} ${d.nameEn}`, level: o.level, parent_code: d.office, sort_order: 1000 + i, kind: 'department' as const };
    });
    await trx.insertInto('units').values(rows).onConflict((oc) => oc.column('code').doNothing()).execute();
    const accounts: Insertable<UserTable>[] = depts.flatMap((d) => {
      const code = departmentCode(d.office, d.number);
      const name = `${office.get(d.office)!.name}${d.name}`;
      return [
        { username: `${code}-info`, display_name: `${name}信息员`, roles: ['info_officer'], phone: `135${d.office}${d.number}`, unit_code: code, password_hash: hash.password_hash },
        { username: `${code}-leader`, display_name: `${name}负责人`, roles: ['leader'], phone: null, unit_code: code, password_hash: hash.password_hash },
      ];
    });
    const counties = offices.filter((o) => DEMO_COUNTY_OFFICES.includes(o.code));
    accounts.push(...counties.map((c): Insertable<UserTable> => ({ username: `${c.code}-editor`, display_name: `${c.name}信息科编辑`, roles: ['editor'], phone: `136${c.code}01`, unit_code: c.code, password_hash: hash.password_hash })));
    await trx.insertInto('users').values(accounts).onConflict((oc) => oc.column('username').doNothing()).execute();
    await sql`
      insert into info_officers (unit_code, user_id, phone, named_at)
      select u.unit_code, u.id, u.phone, ${now} from users u join units d on d.code = u.unit_code
      where d.kind = 'department' and u.username = u.unit_code || '-info'
      on conflict do nothing`.execute(trx);
    for (const c of counties) {
      await trx
        .insertInto('info_publications')
        .values({ office_code: c.code, name: '政务信息', tier: 1, max_classification: 1, distribution: [], cc: [(await trx.selectFrom('units').select('parent_code').where('code', '=', c.code).executeTakeFirstOrThrow()).parent_code!], sort_order: 1 })
        .onConflict((oc) => oc.columns(['office_code', 'name']).doNothing())
        .execute();
    }
    // 发送 各处室 too: every publication of an office with departments lists them after its units below.
    await sql`
      update info_publications p set distribution = p.distribution || array(
        select d.code from units d where d.parent_code = p.office_code and d.kind = 'department' and not d.code = any(p.distribution) order by d.sort_order)
      where exists (select 1 from units d where d.parent_code = p.office_code and d.kind = 'department')`.execute(trx);
  });
}
