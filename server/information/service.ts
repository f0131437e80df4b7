/**
 * Decisions of the item's life: saving drafts, sign-off with the secrecy review, delivery to the receiving
 * offices, 签收 / 采用 / 不采用 / 退回 / 转报, external adoptions, and leaders' instructions on items.
 * Server time comes from clock.now(); every step is written with its event in one transaction.
 */
import type { SessionUser } from '../auth/sessions.ts';
import { clock } from '../clock.ts';
import type { AppContext } from '../context.ts';
import { unitRoom } from '../realtime/rooms.ts';
import { errors } from '../http/errors.ts';
import type { AdoptBody, ExternalAdoptionBody, FeedbackBody, InboxQuery, InstructBody, ItemDto, ItemListQuery, NoticePush, Paged, InboxRowDto, SaveItemBody, SignoffBody } from '../../contract/information.ts';
import { INFO_EVENTS } from '../../contract/information.ts';
import { inboxDto, itemDtos, sightOf } from './dto.ts';
import { recordSubmission } from './duplicate-matching.ts';
import { infoErrors, refused } from './errors.ts';
import * as repo from './repo.ts';
import { receivingOffices } from './visibility.ts';
import { decideDelivery, decideItem, type DeliveryAction } from './workflow.ts';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
export const checkId = (id: string, what: string) => {
  if (!UUID.test(id)) throw errors.notFound(what);
};

/** Notices the submitting unit receives (history only otherwise). */
export const NOTICE_ACTIONS = ['signed', 'returned_signoff', 'acknowledged', 'adopted', 'not_adopted', 'returned', 'forwarded', 'instructed', 'external_adopted', 'published'] as const;

export class InformationService {
  constructor(private readonly ctx: AppContext) {}

  private get db() {
    return this.ctx.db;
  }

  /** Tells the unit's consoles at once (content-free enough to go to the whole room). */
  notify(unitCode: string, n: Omit<NoticePush, 'at'>, at: Date): void {
    this.ctx.io.to(unitRoom(unitCode)).emit(INFO_EVENTS.notice, { ...n, at: at.toISOString() });
  }
  private changed(units: string[], itemId: string): void {
    for (const u of new Set(units)) this.ctx.io.to(unitRoom(u)).emit(INFO_EVENTS.changed, { itemId });
  }

  async dtos(user: SessionUser, rows: repo.ItemRow[]): Promise<ItemDto[]> {
    return itemDtos(this.db, this.ctx.tree, user, rows, (u) => repo.signoffUserOf(this.db, u));
  }

  /** One item as the viewer may see it; unreadable is reported as missing (no probing of ids). */
  async one(user: SessionUser, id: string): Promise<ItemDto> {
    checkId(id, '信息');
    const row = await repo.itemRow(this.db, id);
    const [dto] = row ? await this.dtos(user, [row]) : [];
    if (!dto) throw errors.notFound('信息');
    return dto;
  }

  async history(user: SessionUser, id: string) {
    const item = await this.one(user, id);
    const own = item.unitCode === user.unitCode;
    const revisions = (await repo.revisionsOf(this.db, id)).map((r) => ({ version: r.version, title: r.title, body: r.body, editedAt: r.edited_at.toISOString(), note: r.note, editedBy: r.display_name }));
    // Outside the unit only the signed text and later edits are shown: unsent drafts stay inside.
    return own ? revisions : revisions.filter((r) => r.version >= item.version);
  }

  async list(user: SessionUser, q: ItemListQuery): Promise<Paged<ItemDto>> {
    const { ids, total } = await repo.listItems(this.db, user.unitCode, q);
    const rows = await repo.itemRowsByIds(this.db, ids);
    const order = new Map(ids.map((id, i) => [id, i]));
    rows.sort((a, b) => order.get(a.id)! - order.get(b.id)!);
    return { rows: await this.dtos(user, rows), total, page: q.page, pageSize: q.pageSize };
  }

  async inbox(user: SessionUser, q: InboxQuery): Promise<Paged<InboxRowDto>> {
    if (!user.roles.some((r) => r === 'editor' || r === 'leader')) throw errors.roleForbidden();
    const { rows, total } = await repo.inboxRows(this.db, user.unitCode, q);
    const names = await repo.userNames(this.db, rows.map((r) => r.signed_by));
    return { rows: rows.map((r) => inboxDto(this.ctx.tree, user, r, names)), total, page: q.page, pageSize: q.pageSize };
  }

  /** Creates (id chosen by the client, so a retried first save is harmless) or updates a draft. */
  async save(user: SessionUser, id: string, b: SaveItemBody): Promise<ItemDto> {
    checkId(id, '信息');
    const kind = await this.db.selectFrom('info_kinds').select('code').where('code', '=', b.kind).executeTakeFirst();
    if (!kind) throw infoErrors.kind();
    const now = clock.now();
    await this.db.transaction().execute(async (trx) => {
      const row = await trx.selectFrom('info_items').selectAll().where('id', '=', id).forUpdate().executeTakeFirst();
      if (!row) {
        const d = decideItem('save', { roles: user.roles, ownUnit: true, state: 'draft' });
        if (!d.ok) throw refused(d);
        await trx
          .insertInto('info_items')
          .values({ id, unit_code: user.unitCode, kind: b.kind, title: b.title, body: b.body, classification: b.classification as 0, state: 'draft', version: 1, created_by: user.id, created_at: now, updated_at: now, signed_by: null, signed_at: null, review_contains_secrets: null, review_fit_to_publish: null, review_figures_checked: null, submitted_at: null })
          .execute();
        await repo.addRevision(trx, { itemId: id, version: 1, title: b.title, body: b.body, by: user.id, at: now, note: 'draft' });
        await repo.addEvent(trx, { itemId: id, unitCode: user.unitCode, actorId: user.id, action: 'created', at: now });
        return;
      }
      if (row.unit_code !== user.unitCode) throw infoErrors.idConflict();
      const same = row.title === b.title && row.body === b.body && row.kind === b.kind && row.classification === b.classification;
      if (same) return; // a retried save changes nothing
      const d = decideItem('save', { roles: user.roles, ownUnit: true, state: row.state });
      if (!d.ok) throw refused(d);
      if (b.baseVersion !== undefined && b.baseVersion !== row.version) throw infoErrors.versionConflict();
      const version = row.version + 1;
      await trx.updateTable('info_items').set({ kind: b.kind, title: b.title, body: b.body, classification: b.classification as 0, state: 'draft', version, updated_at: now }).where('id', '=', id).execute();
      await repo.addRevision(trx, { itemId: id, version, title: b.title, body: b.body, by: user.id, at: now, note: 'draft' });
    });
    return this.one(user, id);
  }

  /** 送审: the draft goes to the unit's leader (or its 分管领导). */
  async submit(user: SessionUser, id: string): Promise<ItemDto> {
    const row = await this.ownRow(user, id);
    const d = decideItem('submit', { roles: user.roles, ownUnit: true, state: row.state });
    if (!d.ok) {
      if (row.state === 'pending_signoff') return this.one(user, id); // repeated click
      throw refused(d);
    }
    const now = clock.now();
    await this.db.transaction().execute(async (trx) => {
      await trx.updateTable('info_items').set({ state: 'pending_signoff', updated_at: now }).where('id', '=', id).where('state', '=', row.state).execute();
      await repo.addEvent(trx, { itemId: id, unitCode: row.unit_code, actorId: user.id, action: 'submitted_signoff', at: now });
    });
    this.changed([row.unit_code], id);
    return this.one(user, id);
  }

  /** 审核签发 with the 保密审查, then delivery to the parent office (and the region for a 直报点); or 退回. */
  async signoff(user: SessionUser, id: string, b: SignoffBody): Promise<ItemDto> {
    const row = await this.ownRow(user, id);
    const named = await repo.signoffUserOf(this.db, row.unit_code);
    const otherSigner = named !== null && named !== user.id;
    const now = clock.now();
    if (b.decision === 'return') {
      const d = decideItem('return', { roles: user.roles, ownUnit: true, state: row.state, otherSigner });
      if (!d.ok) throw refused(d);
      await this.db.transaction().execute(async (trx) => {
        await trx.updateTable('info_items').set({ state: 'returned', sign_comment: b.comment, updated_at: now }).where('id', '=', id).execute();
        await repo.addEvent(trx, { itemId: id, unitCode: row.unit_code, actorId: user.id, action: 'returned_signoff', detail: { comment: b.comment }, at: now });
      });
      this.notify(row.unit_code, { itemId: id, issueId: null, action: 'returned_signoff', text: `《${row.title}》被退回：${b.comment}` }, now);
      return this.one(user, id);
    }
    const d = decideItem('sign', { roles: user.roles, ownUnit: true, state: row.state, otherSigner, review: b.review, classification: b.classification });
    if (!d.ok) throw refused(d);
    const tree = this.ctx.tree;
    const offices = receivingOffices(tree.get(row.unit_code)?.parentCode ?? null, await repo.openDirectOffices(this.db, row.unit_code));
    await this.db.transaction().execute(async (trx) => {
      const n = await trx
        .updateTable('info_items')
        .set({
          state: 'submitted',
          classification: b.classification as 0,
          signed_by: user.id,
          signed_at: now,
          signed_version: row.version,
          sign_comment: b.comment,
          review_contains_secrets: b.review.containsSecrets,
          review_fit_to_publish: b.review.fitToPublish,
          review_figures_checked: b.review.figuresChecked,
          submitted_at: now,
          updated_at: now,
        })
        .where('id', '=', id)
        .where('state', '=', row.state)
        .executeTakeFirst();
      if (!n.numUpdatedRows) throw infoErrors.state();
      await recordSubmission(trx, row, now); // fingerprint + near-duplicate flags for the receiving editors
      for (const o of offices) {
        // A resubmission after 退回修改 reopens the same delivery; its first receipt time stays.
        await trx
          .insertInto('info_deliveries')
          .values({ item_id: id, office_code: o.office, route: o.route, from_office_code: null, state: 'received', received_at: now, acknowledged_at: null, acknowledged_by: null, decided_at: null, decided_by: null, forwarded_at: null })
          .onConflict((oc) =>
            oc
              .columns(['item_id', 'office_code'])
              .doUpdateSet({ state: 'received', acknowledged_at: null, acknowledged_by: null, decided_at: null, decided_by: null, reason: '' })
              .where('info_deliveries.state', '=', 'returned'),
          )
          .execute();
      }
      await repo.addEvent(trx, { itemId: id, unitCode: row.unit_code, actorId: user.id, action: 'signed', detail: { review: b.review, classification: b.classification, offices: offices.map((o) => o.office) }, at: now });
    });
    this.changed([row.unit_code, ...offices.map((o) => o.office)], id);
    return this.one(user, id);
  }

  /** 签收 / 不采用 / 退回修改 / 转报 at the receiving office. */
  async handle(user: SessionUser, deliveryId: string, action: Exclude<DeliveryAction, 'adopt'>, reason = ''): Promise<void> {
    const { d, item } = await this.deliveryFor(user, deliveryId);
    const parent = this.ctx.tree.get(d.office_code)?.parentCode ?? null;
    const dec = decideDelivery(action, { roles: user.roles, atOffice: d.office_code === user.unitCode, state: d.state, hasParent: !!parent, forwarded: !!d.forwarded_at });
    if (!dec.ok) {
      if (action === 'acknowledge' && d.state !== 'received') return; // already signed for: harmless
      throw refused(dec);
    }
    const now = clock.now();
    const office = this.ctx.tree.get(d.office_code)?.name ?? d.office_code;
    const texts: Record<typeof action, string> = {
      acknowledge: `《${item.title}》已被${office}签收`,
      reject: `《${item.title}》${office}未采用：${reason}`,
      return: `《${item.title}》被${office}退回修改：${reason}`,
      forward: `《${item.title}》已由${office}转报${parent ? (this.ctx.tree.get(parent)?.name ?? '') : ''}`,
    };
    const eventName = { acknowledge: 'acknowledged', reject: 'not_adopted', return: 'returned', forward: 'forwarded' }[action];
    await this.db.transaction().execute(async (trx) => {
      if (action === 'acknowledge') {
        await trx.updateTable('info_deliveries').set({ state: 'acknowledged', acknowledged_at: now, acknowledged_by: user.id }).where('id', '=', d.id).execute();
      } else if (action === 'reject' || action === 'return') {
        await trx
          .updateTable('info_deliveries')
          .set({ state: dec.to, decided_at: now, decided_by: user.id, reason, acknowledged_at: d.acknowledged_at ?? now, acknowledged_by: d.acknowledged_by ?? user.id })
          .where('id', '=', d.id)
          .execute();
        if (action === 'return') await trx.updateTable('info_items').set({ state: 'returned', updated_at: now }).where('id', '=', item.id).execute();
      } else {
        const exists = await trx.selectFrom('info_deliveries').select('id').where('item_id', '=', item.id).where('office_code', '=', parent!).executeTakeFirst();
        if (exists) throw infoErrors.done();
        await trx.updateTable('info_deliveries').set({ forwarded_at: now }).where('id', '=', d.id).execute();
        await trx
          .insertInto('info_deliveries')
          .values({ item_id: item.id, office_code: parent!, route: 'forward', from_office_code: d.office_code, state: 'received', received_at: now, acknowledged_at: null, acknowledged_by: null, decided_at: null, decided_by: null, forwarded_at: null })
          .execute();
      }
      await repo.addEvent(trx, { itemId: item.id, unitCode: item.unit_code, actorId: user.id, action: eventName, detail: { office: d.office_code, reason }, at: now });
    });
    this.notify(item.unit_code, { itemId: item.id, issueId: null, action: eventName, text: texts[action] }, now);
    this.changed([item.unit_code, d.office_code, ...(action === 'forward' && parent ? [parent] : [])], item.id);
  }

  /** 采用 into one of the office's publications; the edited text is the adoption's, the item keeps its own. */
  async adopt(user: SessionUser, deliveryId: string, b: AdoptBody): Promise<void> {
    const { d, item } = await this.deliveryFor(user, deliveryId);
    const pub = await repo.publicationRow(this.db, b.publicationId);
    if (!pub) throw errors.notFound('刊物');
    if (pub.office_code !== d.office_code) throw infoErrors.publicationOffice();
    const dec = decideDelivery('adopt', { roles: user.roles, atOffice: d.office_code === user.unitCode, state: d.state, classification: item.classification, maxClassification: pub.max_classification });
    if (!dec.ok) throw refused(dec);
    const now = clock.now();
    await this.db.transaction().execute(async (trx) => {
      await trx
        .updateTable('info_deliveries')
        .set({ state: 'adopted', decided_at: now, decided_by: user.id, acknowledged_at: d.acknowledged_at ?? now, acknowledged_by: d.acknowledged_by ?? user.id })
        .where('id', '=', d.id)
        .execute();
      await trx.insertInto('info_adoptions').values({ item_id: item.id, office_code: d.office_code, publication_id: pub.id, external_body: null, external_publication: null, title: b.title, body: b.body, adopted_by: user.id, adopted_at: now, issue_id: null, issue_position: null }).execute();
      if (b.title !== item.title || b.body !== item.body) {
        await repo.addRevision(trx, { itemId: item.id, version: item.version, title: b.title, body: b.body, by: user.id, at: now, note: `edited for ${pub.name}` });
      }
      await repo.addEvent(trx, { itemId: item.id, unitCode: item.unit_code, actorId: user.id, action: 'adopted', detail: { office: d.office_code, publication: pub.name }, at: now });
    });
    const office = this.ctx.tree.get(d.office_code)?.name ?? '';
    this.notify(item.unit_code, { itemId: item.id, issueId: null, action: 'adopted', text: `《${item.title}》被${office}《${pub.name}》采用` }, now);
    this.changed([item.unit_code, d.office_code], item.id);
  }

  /** An adoption by a higher body outside the system, recorded by an editor of an office that received the item. */
  async external(user: SessionUser, itemId: string, b: ExternalAdoptionBody): Promise<ItemDto> {
    checkId(itemId, '信息');
    if (!user.roles.includes('editor')) throw errors.roleForbidden();
    const item = await repo.itemRow(this.db, itemId);
    const ds = item ? await repo.deliveriesOf(this.db, [itemId]) : [];
    if (!item || !ds.some((d) => d.office_code === user.unitCode && d.state === 'adopted')) throw errors.notFound('已采用信息');
    const now = clock.now();
    await this.db.transaction().execute(async (trx) => {
      await trx.insertInto('info_adoptions').values({ item_id: itemId, office_code: null, publication_id: null, external_body: b.body, external_publication: b.publication, title: b.title ?? item.title, body: item.body, adopted_by: user.id, adopted_at: now, issue_id: null, issue_position: null }).execute();
      await repo.addEvent(trx, { itemId, unitCode: item.unit_code, actorId: user.id, action: 'external_adopted', detail: { body: b.body, publication: b.publication, recordedBy: user.unitCode }, at: now });
    });
    this.notify(item.unit_code, { itemId, issueId: null, action: 'external_adopted', text: `《${item.title}》被${b.body}《${b.publication}》采用` }, now);
    return this.one(user, itemId);
  }

  /** 领导批示 on an adopted item: a task for the item's unit (the incident instructions' tables). */
  async instruct(user: SessionUser, itemId: string, b: InstructBody): Promise<string> {
    checkId(itemId, '信息');
    if (!user.roles.includes('leader')) throw errors.roleForbidden();
    const item = await repo.itemRow(this.db, itemId);
    const ds = item ? await repo.deliveriesOf(this.db, [itemId]) : [];
    if (!item || item.unit_code === user.unitCode || sightOf(this.ctx.tree, user, item, ds.map((d) => d.office_code)) === 'none') throw errors.notFound('信息');
    const adopted = await this.db.selectFrom('info_adoptions').select('id').where('item_id', '=', itemId).executeTakeFirst();
    if (!adopted) throw infoErrors.notAdopted();
    const now = clock.now();
    const id = await this.db.transaction().execute(async (trx) => {
      const ins = await trx
        .insertInto('report_instructions')
        .values({ incident_id: null, info_item_id: itemId, report_id: null, unit_code: user.unitCode, author_id: user.id, text: b.text, due_at: b.dueAt ? new Date(b.dueAt) : null, created_at: now })
        .returning('id')
        .executeTakeFirstOrThrow();
      await trx.insertInto('instruction_targets').values({ instruction_id: ins.id, unit_code: item.unit_code, done_at: null }).execute();
      await repo.addEvent(trx, { itemId, unitCode: item.unit_code, actorId: user.id, action: 'instructed', detail: { text: b.text, by: user.unitCode }, at: now });
      return ins.id;
    });
    this.notify(item.unit_code, { itemId, issueId: null, action: 'instructed', text: `${user.unitName}${user.displayName}对《${item.title}》作出批示：${b.text}` }, now);
    return id;
  }

  /** 反馈 by the item's unit; `done` closes the task. */
  async feedback(user: SessionUser, instructionId: string, b: FeedbackBody): Promise<void> {
    checkId(instructionId, '批示');
    if (!user.roles.some((r) => r === 'info_officer' || r === 'leader' || r === 'editor')) throw errors.roleForbidden();
    const target = await this.db
      .selectFrom('instruction_targets as t')
      .innerJoin('report_instructions as i', 'i.id', 't.instruction_id')
      .select(['t.done_at', 'i.unit_code as issuer', 'i.info_item_id'])
      .where('t.instruction_id', '=', instructionId)
      .where('t.unit_code', '=', user.unitCode)
      .where('i.info_item_id', 'is not', null)
      .executeTakeFirst();
    if (!target) throw errors.notFound('批示');
    if (target.done_at) throw infoErrors.done();
    const now = clock.now();
    await this.db.transaction().execute(async (trx) => {
      await trx.insertInto('instruction_feedback').values({ instruction_id: instructionId, unit_code: user.unitCode, author_id: user.id, text: b.text, done: b.done, created_at: now }).execute();
      if (b.done) await trx.updateTable('instruction_targets').set({ done_at: now }).where('instruction_id', '=', instructionId).where('unit_code', '=', user.unitCode).execute();
      await repo.addEvent(trx, { itemId: target.info_item_id, unitCode: target.issuer, actorId: user.id, action: 'feedback', detail: { text: b.text, done: b.done, from: user.unitCode }, at: now });
    });
    this.notify(target.issuer, { itemId: target.info_item_id, issueId: null, action: 'feedback', text: `${user.unitName}反馈批示落实情况：${b.text}` }, now);
  }

  private async ownRow(user: SessionUser, id: string): Promise<repo.ItemRow> {
    checkId(id, '信息');
    const row = await repo.itemRow(this.db, id);
    if (!row || row.unit_code !== user.unitCode) throw errors.notFound('信息');
    return row;
  }

  /** A delivery the viewer's office handles; others' deliveries are reported as missing. */
  private async deliveryFor(user: SessionUser, id: string) {
    checkId(id, '收件');
    const d = await repo.deliveryRow(this.db, id);
    if (!d || d.office_code !== user.unitCode) throw errors.notFound('收件');
    const item = (await repo.itemRow(this.db, d.item_id))!;
    return { d, item };
  }
}
