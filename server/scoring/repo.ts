/** SQL of scoring: schemes, the period's facts (receipts, adoptions, instructions), requests, reminders, bulletins. */
import { sql, type Kysely } from 'kysely';
import type { Database } from '../../db/schema.ts';
import type { InfoReminderTable } from '../../db/tables/scoring.ts';

type Db = Kysely<Database>;
const orNone = (xs: readonly string[]) => (xs.length ? [...xs] : ['000000']);

export const schemeVersions = (db: Db, officeCode: string) =>
  db
    .selectFrom('info_score_schemes as s')
    .innerJoin('users as u', 'u.id', 's.created_by')
    .select(['s.id', 's.office_code', 's.effective_from', 's.rules', 's.note', 's.created_at', 'u.display_name'])
    .where('s.office_code', '=', officeCode)
    .orderBy('s.effective_from')
    .execute();

/** Items of `units` that reached `office` in [start, end): their first receipt there. */
export const receipts = (db: Db, office: string, units: readonly string[], start: Date, end: Date) =>
  db
    .selectFrom('info_deliveries as d')
    .innerJoin('info_items as i', 'i.id', 'd.item_id')
    .select(['i.id as item_id', 'i.unit_code', 'i.kind', 'd.received_at'])
    .where('d.office_code', '=', office)
    .where('i.unit_code', 'in', orNone(units))
    .where('d.received_at', '>=', start)
    .where('d.received_at', '<', end)
    .execute();

/** Adoptions in [start, end) of items of `units`, anywhere, with the publication's tier and the issue's size. */
export const adoptions = (db: Db, units: readonly string[], start: Date, end: Date) =>
  db
    .selectFrom('info_adoptions as a')
    .innerJoin('info_items as i', 'i.id', 'a.item_id')
    .leftJoin('info_publications as p', 'p.id', 'a.publication_id')
    .select(['a.id', 'a.item_id', 'a.office_code', 'a.external_body', 'a.external_publication', 'a.adopted_at', 'a.issue_id', 'p.name as publication_name', 'p.tier', 'i.title', 'i.unit_code', 'i.kind', 'i.created_by', 'i.classification'])
    .select((eb) => eb.selectFrom('info_adoptions as o').select((e2) => e2.fn.countAll<string>().as('n')).whereRef('o.issue_id', '=', 'a.issue_id').as('issue_size'))
    .where('i.unit_code', 'in', orNone(units))
    .where('a.adopted_at', '>=', start)
    .where('a.adopted_at', '<', end)
    .orderBy('a.adopted_at')
    .orderBy('a.id')
    .execute();

/** 批示 in [start, end) on items of `units`, with the instructing unit. */
export const instructions = (db: Db, units: readonly string[], start: Date, end: Date) =>
  db
    .selectFrom('report_instructions as r')
    .innerJoin('info_items as i', 'i.id', 'r.info_item_id')
    .select(['r.id', 'r.unit_code as by_unit', 'r.created_at', 'i.id as item_id', 'i.title', 'i.unit_code', 'i.created_by', 'i.classification'])
    .where('i.unit_code', 'in', orNone(units))
    .where('r.created_at', '>=', start)
    .where('r.created_at', '<', end)
    .orderBy('r.created_at')
    .execute();

/** The office's requests with a deadline in [start, end), or the listed ids. */
export const requestRows = (db: Db, by: { office?: string; start?: Date; end?: Date; ids?: readonly string[]; targetUnit?: string }) => {
  let q = db.selectFrom('info_requests as r').selectAll('r');
  if (by.office) q = q.where('r.office_code', '=', by.office);
  if (by.start) q = q.where('r.deadline', '>=', by.start);
  if (by.end) q = q.where('r.deadline', '<', by.end);
  if (by.ids) q = q.where('r.id', 'in', by.ids.length ? [...by.ids] : ['00000000-0000-0000-0000-000000000000']);
  if (by.targetUnit) q = q.where((eb) => eb.exists(eb.selectFrom('info_request_targets as t').select('t.unit_code').whereRef('t.request_id', '=', 'r.id').where('t.unit_code', '=', by.targetUnit!)));
  return q.orderBy('r.deadline', 'desc').limit(500).execute();
};
export type RequestRow = Awaited<ReturnType<typeof requestRows>>[number];

export const requestTargets = (db: Db, ids: readonly string[]) =>
  ids.length ? db.selectFrom('info_request_targets').selectAll().where('request_id', 'in', [...ids]).execute() : Promise.resolve([]);

/** Linked answers; an answer counts from the later of the link and the item's sign-off (submitted items only). */
export const requestAnswers = (db: Db, ids: readonly string[]) =>
  ids.length
    ? db
        .selectFrom('info_request_answers as a')
        .innerJoin('info_items as i', 'i.id', 'a.item_id')
        .select(['a.request_id', 'a.unit_code', 'a.item_id', 'a.linked_at', 'i.title', 'i.state', 'i.submitted_at'])
        .where('a.request_id', 'in', [...ids])
        .execute()
    : Promise.resolve([]);
export type AnswerRow = Awaited<ReturnType<typeof requestAnswers>>[number];

export const userNames = async (db: Db, ids: readonly number[]) => {
  if (!ids.length) return new Map<number, { name: string; unit: string }>();
  const rows = await db.selectFrom('users').select(['id', 'display_name', 'unit_code']).where('id', 'in', [...new Set(ids)]).execute();
  return new Map(rows.map((r) => [r.id, { name: r.display_name, unit: r.unit_code }]));
};

/** Records reminders once each, in one statement; returns those that are new (only they are pushed). */
export async function addReminders(db: Db, rows: readonly { unitCode: string; kind: InfoReminderTable['kind']; ref: string; text: string; at: Date }[]): Promise<{ unitCode: string; text: string }[]> {
  if (!rows.length) return [];
  const inserted = await db
    .insertInto('info_reminders')
    .values(rows.map((r) => ({ unit_code: r.unitCode, kind: r.kind, ref: r.ref, text: r.text, at: r.at })))
    .onConflict((oc) => oc.doNothing())
    .returning(['unit_code', 'text'])
    .execute();
  return inserted.map((r) => ({ unitCode: r.unit_code, text: r.text }));
}
export const remindersOf = (db: Db, unitCode: string) => db.selectFrom('info_reminders').selectAll().where('unit_code', '=', unitCode).orderBy('at', 'desc').limit(50).execute();

export const bulletinRow = (db: Db, office: string, period: string) => db.selectFrom('info_bulletins').selectAll().where('office_code', '=', office).where('period', '=', period).executeTakeFirst();
export const bulletinList = (db: Db, offices: readonly string[]) =>
  db.selectFrom('info_bulletins').select(['id', 'office_code', 'period', 'period_kind', 'published_at', sql<string>`data->>'label'`.as('label')]).where('office_code', 'in', orNone(offices)).orderBy('published_at', 'desc').limit(200).execute();
/** How many bulletins the office published since `from` (the running number of its 发文字号). */
export const bulletinsPublishedIn = async (db: Db, office: string, from: Date) =>
  Number((await db.selectFrom('info_bulletins').select((eb) => eb.fn.countAll<string>().as('n')).where('office_code', '=', office).where('published_at', '>=', from).executeTakeFirst())?.n ?? 0);

/**
 * 印发 under the office's lock: the running number of its 发文字号 is counted and the bulletin stored in one
 * transaction, so two bulletins published at the same instant never share a number. Null: already published.
 */
export async function insertBulletinNumbered(
  db: Kysely<Database>,
  b: { office: string; period: string; periodKind: 'month' | 'quarter' | 'half' | 'year'; yearFrom: Date; by: number; at: Date; data: (n: number) => unknown },
): Promise<string | null> {
  return db.transaction().execute(async (trx) => {
    await sql`select pg_advisory_xact_lock(hashtext(${`info_bulletins:${b.office}`}))`.execute(trx);
    const n = (await bulletinsPublishedIn(trx, b.office, b.yearFrom)) + 1;
    const row = await trx
      .insertInto('info_bulletins')
      .values({ office_code: b.office, period: b.period, period_kind: b.periodKind, data: JSON.stringify(b.data(n)), published_by: b.by, published_at: b.at })
      .onConflict((oc) => oc.columns(['office_code', 'period']).doNothing())
      .returning('id')
      .executeTakeFirst();
    return row ? String(row.id) : null;
  });
}
