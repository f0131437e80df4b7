/** SQL of the information domain: reads and writes, no decisions. Transactions are passed in as `db`. */
import { sql, type Kysely } from 'kysely';
import type { Database } from '../../db/schema.ts';
import type { InboxQuery, ItemListQuery } from '../../contract/information.ts';

type Db = Kysely<Database>;
const NONE = '00000000-0000-0000-0000-000000000000';
const orNone = (ids: readonly string[]) => (ids.length ? [...ids] : [NONE]);

export const itemRow = (db: Db, id: string) => db.selectFrom('info_items').selectAll().where('id', '=', id).executeTakeFirst();
export type ItemRow = NonNullable<Awaited<ReturnType<typeof itemRow>>>;

export const itemRowsByIds = (db: Db, ids: readonly string[]) => db.selectFrom('info_items').selectAll().where('id', 'in', orNone(ids)).execute();

export async function userNames(db: Db, ids: readonly (number | null)[]): Promise<Map<number, string>> {
  const list = [...new Set(ids.filter((x): x is number => x !== null))];
  if (!list.length) return new Map();
  const rows = await db.selectFrom('users').select(['id', 'display_name']).where('id', 'in', list).execute();
  return new Map(rows.map((r) => [r.id, r.display_name]));
}

export const deliveriesOf = (db: Db, itemIds: readonly string[]) =>
  db.selectFrom('info_deliveries').selectAll().where('item_id', 'in', orNone(itemIds)).orderBy('received_at').execute();
export type DeliveryRow = Awaited<ReturnType<typeof deliveriesOf>>[number];

export const deliveryRow = (db: Db, id: string) => db.selectFrom('info_deliveries').selectAll().where('id', '=', id).executeTakeFirst();

export const adoptionsOf = (db: Db, by: { itemIds?: readonly string[]; issueId?: string; ids?: readonly string[] }) => {
  let q = db
    .selectFrom('info_adoptions as a')
    .leftJoin('info_publications as p', 'p.id', 'a.publication_id')
    .leftJoin('info_issues as s', 's.id', 'a.issue_id')
    .innerJoin('users as u', 'u.id', 'a.adopted_by')
    .innerJoin('info_items as i', 'i.id', 'a.item_id')
    .selectAll('a')
    .select(['p.name as publication_name', 'p.tier', 'p.max_classification', 's.year as issue_year', 's.number as issue_number', 'u.display_name as adopted_by_name', 'i.unit_code as item_unit', 'i.classification'])
    .orderBy('a.issue_position')
    .orderBy('a.adopted_at');
  if (by.itemIds) q = q.where('a.item_id', 'in', orNone(by.itemIds));
  if (by.issueId) q = q.where('a.issue_id', '=', by.issueId);
  if (by.ids) q = q.where('a.id', 'in', orNone(by.ids));
  return q.execute();
};
export type AdoptionRow = Awaited<ReturnType<typeof adoptionsOf>>[number];

/** The unit's own items, or (box 'signoff') those waiting for its leader. */
export async function listItems(db: Db, unitCode: string, q: ItemListQuery): Promise<{ ids: string[]; total: number }> {
  let base = db.selectFrom('info_items').where('unit_code', '=', unitCode);
  if (q.box === 'signoff') base = base.where('state', '=', 'pending_signoff');
  if (q.state) base = base.where('state', '=', q.state);
  const [{ n }] = [await base.select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow()];
  const col = q.sort === 'title' ? 'title' : 'updated_at';
  const rows = await base
    .select('id')
    .orderBy(col, q.order)
    .orderBy('id')
    .limit(q.pageSize)
    .offset((q.page - 1) * q.pageSize)
    .execute();
  return { ids: rows.map((r) => r.id), total: Number(n) };
}

/** What was delivered to an office, with filters and paging done in SQL. */
export async function inboxRows(db: Db, officeCode: string, q: InboxQuery) {
  let base = db
    .selectFrom('info_deliveries as d')
    .innerJoin('info_items as i', 'i.id', 'd.item_id')
    .innerJoin('units as u', 'u.code', 'i.unit_code')
    .where('d.office_code', '=', officeCode);
  if (q.unit) base = base.where('i.unit_code', '=', q.unit);
  if (q.kind) base = base.where('i.kind', '=', q.kind);
  if (q.state) base = base.where('d.state', '=', q.state);
  // Without a filter on the item, the count needs no join (every delivery has its item and unit): at scale
  // that is an index count instead of a join over all items.
  let counted = db.selectFrom('info_deliveries as d').where('d.office_code', '=', officeCode);
  if (q.state) counted = counted.where('d.state', '=', q.state);
  const { n } = await (q.unit || q.kind ? base : counted).select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow();
  const col = q.sort === 'unit' ? 'u.sort_order' : q.sort === 'title' ? 'i.title' : 'd.received_at';
  const rows = await base
    .selectAll('i')
    .select(['d.id as delivery_id', 'd.route', 'd.from_office_code', 'd.state as delivery_state', 'd.reason', 'd.received_at', 'd.forwarded_at'])
    // While the county revises a returned item, the office sees the text it received (the signed version).
    .select((eb) => eb.selectFrom('info_item_revisions as v').select('v.title').whereRef('v.item_id', '=', 'i.id').whereRef('v.version', '=', 'i.signed_version').where('v.note', '=', 'draft').limit(1).as('signed_title'))
    .select((eb) => eb.selectFrom('info_item_revisions as v').select('v.body').whereRef('v.item_id', '=', 'i.id').whereRef('v.version', '=', 'i.signed_version').where('v.note', '=', 'draft').limit(1).as('signed_body'))
    // A forward carries the text the forwarding office adopted (its edit), not the county's draft.
    .select((eb) => eb.selectFrom('info_adoptions as f').select('f.title').whereRef('f.item_id', '=', 'i.id').whereRef('f.office_code', '=', 'd.from_office_code').limit(1).as('forwarded_title'))
    .select((eb) => eb.selectFrom('info_adoptions as f').select('f.body').whereRef('f.item_id', '=', 'i.id').whereRef('f.office_code', '=', 'd.from_office_code').limit(1).as('forwarded_body'))
    .select((eb) =>
      eb
        .selectFrom('info_adoptions as a')
        .select('a.id')
        .whereRef('a.item_id', '=', 'i.id')
        .where('a.office_code', '=', officeCode)
        .limit(1)
        .as('adoption_id'),
    )
    .select((eb) => eb.selectFrom('info_duplicate_flags as g').select((e) => e.fn.max('g.similarity').as('m')).whereRef('g.item_id', '=', 'i.id').as('duplicate_similarity'))
    .orderBy(col, q.order)
    .orderBy('d.id')
    .limit(q.pageSize)
    .offset((q.page - 1) * q.pageSize)
    .execute();
  return { rows, total: Number(n) };
}

export const addEvent = (db: Db, e: { itemId?: string | null; issueId?: string | null; unitCode: string; actorId: number | null; action: string; detail?: Record<string, unknown>; at: Date }) =>
  db
    .insertInto('info_events')
    .values({ item_id: e.itemId ?? null, issue_id: e.issueId ?? null, unit_code: e.unitCode, actor_id: e.actorId, action: e.action, detail: JSON.stringify(e.detail ?? {}), at: e.at })
    .execute();

export const addRevision = (db: Db, r: { itemId: string; version: number; title: string; body: string; by: number; at: Date; note: string }) =>
  db.insertInto('info_item_revisions').values({ item_id: r.itemId, version: r.version, title: r.title, body: r.body, edited_by: r.by, edited_at: r.at, note: r.note }).execute();

export const revisionsOf = (db: Db, itemId: string) =>
  db
    .selectFrom('info_item_revisions as r')
    .innerJoin('users as u', 'u.id', 'r.edited_by')
    .select(['r.version', 'r.title', 'r.body', 'r.edited_at', 'r.note', 'u.display_name'])
    .where('r.item_id', '=', itemId)
    .orderBy('r.id')
    .execute();

export const noticesOf = (db: Db, unitCode: string, actions: readonly string[]) =>
  db.selectFrom('info_events').selectAll().where('unit_code', '=', unitCode).where('action', 'in', [...actions]).orderBy('id', 'desc').limit(50).execute();

export const openDirectOffices = async (db: Db, unitCode: string) =>
  (await db.selectFrom('info_direct_points').select('office_code').where('unit_code', '=', unitCode).where('dropped_at', 'is', null).execute()).map((r) => r.office_code);

export const directPoints = (db: Db, officeCode: string) =>
  db.selectFrom('info_direct_points').selectAll().where('office_code', '=', officeCode).orderBy('added_at', 'desc').execute();

export const signoffUserOf = async (db: Db, unitCode: string) =>
  (await db.selectFrom('info_unit_settings').select('signoff_user_id').where('unit_code', '=', unitCode).executeTakeFirst())?.signoff_user_id ?? null;

export const publicationsOf = (db: Db, officeCodes: readonly string[]) =>
  db.selectFrom('info_publications').selectAll().where('office_code', 'in', officeCodes.length ? [...officeCodes] : ['000000']).orderBy('office_code').orderBy('sort_order').execute();

export const publicationRow = (db: Db, id: string) => db.selectFrom('info_publications').selectAll().where('id', '=', id).executeTakeFirst();

export const issueRow = (db: Db, id: string) =>
  db
    .selectFrom('info_issues as s')
    .innerJoin('info_publications as p', 'p.id', 's.publication_id')
    .selectAll('s')
    .select(['p.name as publication_name', 'p.office_code', 'p.distribution', 'p.cc', 'p.max_classification'])
    .where('s.id', '=', id)
    .executeTakeFirst();
export type IssueRow = NonNullable<Awaited<ReturnType<typeof issueRow>>>;

/** Issues an office may see: its own (any state) and published ones addressed to / below it; `q` searches their items. */
export async function issueRows(db: Db, v: { ownOffice: string; readableOffices: readonly string[]; unitCode: string }, q: { q?: string; publicationId?: string; page: number; pageSize: number }) {
  let base = db
    .selectFrom('info_issues as s')
    .innerJoin('info_publications as p', 'p.id', 's.publication_id')
    .where((eb) =>
      eb.or([
        eb('p.office_code', '=', v.ownOffice),
        eb.and([
          eb('s.state', '=', 'published'),
          eb.or([eb('p.office_code', 'in', orNone(v.readableOffices)), sql<boolean>`${v.unitCode} = any(p.distribution)`, sql<boolean>`${v.unitCode} = any(p.cc)`]),
        ]),
      ]),
    );
  if (q.publicationId) base = base.where('s.publication_id', '=', q.publicationId);
  if (q.q) {
    const like = `%${q.q.replace(/[\\%_]/g, (c) => '\\' + c)}%`;
    base = base.where((eb) =>
      eb.or([
        eb('p.name', 'ilike', like),
        eb.exists(eb.selectFrom('info_adoptions as a').select('a.id').whereRef('a.issue_id', '=', 's.id').where((e2) => e2.or([e2('a.title', 'ilike', like), e2('a.body', 'ilike', like)]))),
      ]),
    );
  }
  const { n } = await base.select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow();
  const rows = await base
    .select('s.id')
    .orderBy('s.year', 'desc')
    .orderBy('s.number', 'desc')
    .orderBy('s.created_at', 'desc')
    .limit(q.pageSize)
    .offset((q.page - 1) * q.pageSize)
    .execute();
  return { ids: rows.map((r) => r.id), total: Number(n) };
}

export async function nextIssueNumber(db: Db, publicationId: string, year: number): Promise<number> {
  const r = await db
    .selectFrom('info_issues')
    .select((eb) => eb.fn.max('number').as('n'))
    .where('publication_id', '=', publicationId)
    .where('year', '=', year)
    .executeTakeFirst();
  return Number(r?.n ?? 0) + 1;
}

/** Instructions on items: addressed to `unitCode`, or issued by units within `issuers`. */
export function itemInstructionRows(db: Db, by: { unitCode: string; issuers: readonly string[]; box: 'received' | 'issued'; itemId?: string; ids?: readonly string[] }) {
  let q = db
    .selectFrom('report_instructions as r')
    .innerJoin('info_items as i', 'i.id', 'r.info_item_id')
    .innerJoin('users as a', 'a.id', 'r.author_id')
    .selectAll('r')
    .select(['a.display_name as author_name', 'i.title as item_title', 'i.id as item_id']);
  if (by.box === 'issued') q = q.where('r.unit_code', 'in', [...by.issuers]);
  else q = q.where((eb) => eb.exists(eb.selectFrom('instruction_targets as t').select('t.unit_code').whereRef('t.instruction_id', '=', 'r.id').where('t.unit_code', '=', by.unitCode)));
  if (by.itemId) q = q.where('r.info_item_id', '=', by.itemId);
  if (by.ids) q = q.where('r.id', 'in', orNone(by.ids));
  return q.orderBy('r.created_at', 'desc').limit(200).execute();
}
