/** The people and lists around the items: 信息员 and 分管领导, 直报点 with history, notices, 批示 on items. */

import type { SessionUser } from '../auth/sessions.ts';
import { clock } from '../clock.ts';
import type { AppContext } from '../context.ts';
import { errors } from '../http/errors.ts';
import type { DirectPointBody, DirectPointDto, InfoInstructionDto, KindDto, NoticeDto, OfficerDto, OfficersBody } from '../../contract/information.ts';
import * as repo from './repo.ts';
import { NOTICE_ACTIONS, checkId } from './service.ts';

export class DeskService {
  constructor(private readonly ctx: AppContext) {}
  private get db() {
    return this.ctx.db;
  }

  async kinds(): Promise<KindDto[]> {
    const rows = await this.db.selectFrom('info_kinds').selectAll().orderBy('sort_order').execute();
    return rows.map((k) => ({ code: k.code, name: k.name, nameEn: k.name_en }));
  }

  /** The unit's officers (实名制, with phone), its 分管领导, and the accounts it may name. */
  async officers(user: SessionUser, unitCode = user.unitCode) {
    if (!this.ctx.tree.has(unitCode) || !this.ctx.tree.isWithin(unitCode, user.unitCode)) throw errors.scopeForbidden();
    const rows = await this.db
      .selectFrom('info_officers as o')
      .innerJoin('users as u', 'u.id', 'o.user_id')
      .select(['o.user_id', 'o.phone', 'u.display_name', 'u.username'])
      .where('o.unit_code', '=', unitCode)
      .orderBy('o.named_at')
      .execute();
    const officers: OfficerDto[] = rows.map((r) => ({ userId: r.user_id, name: r.display_name, username: r.username, phone: r.phone }));
    const signoffUserId = await repo.signoffUserOf(this.db, unitCode);
    const people = await this.db.selectFrom('users').select(['id', 'display_name', 'roles']).where('unit_code', '=', unitCode).orderBy('id').execute();
    return { unitCode, officers, signoffUserId, people: people.map((p) => ({ id: p.id, name: p.display_name, roles: p.roles })) };
  }

  /** The unit's leader names its officers and its 分管领导. */
  async setOfficers(user: SessionUser, b: OfficersBody) {
    if (!user.roles.includes('leader')) throw errors.roleForbidden();
    const ids = [...new Set([...b.officers.map((o) => o.userId), ...(b.signoffUserId ? [b.signoffUserId] : [])])];
    const members = await this.db.selectFrom('users').select(['id', 'roles']).where('id', 'in', ids).where('unit_code', '=', user.unitCode).execute();
    if (members.length !== ids.length) throw errors.scopeForbidden({ reason: 'not a member of the unit' });
    if (b.signoffUserId && !members.find((m) => m.id === b.signoffUserId)?.roles.includes('leader')) throw errors.validation([{ path: 'signoffUserId', message: '分管领导须为本单位领导' }]);
    const now = clock.now();
    await this.db.transaction().execute(async (trx) => {
      await trx.deleteFrom('info_officers').where('unit_code', '=', user.unitCode).execute();
      await trx.insertInto('info_officers').values(b.officers.map((o) => ({ unit_code: user.unitCode, user_id: o.userId, phone: o.phone, named_at: now }))).execute();
      await trx
        .insertInto('info_unit_settings')
        .values({ unit_code: user.unitCode, signoff_user_id: b.signoffUserId, updated_at: now })
        .onConflict((oc) => oc.column('unit_code').doUpdateSet({ signoff_user_id: b.signoffUserId, updated_at: now }))
        .execute();
      await repo.addEvent(trx, { unitCode: user.unitCode, actorId: user.id, action: 'officers_named', detail: { officers: b.officers, signoffUserId: b.signoffUserId }, at: now });
    });
    return this.officers(user);
  }

  /** The region's 直报点, open and dropped (the history). */
  async directPoints(user: SessionUser): Promise<DirectPointDto[]> {
    const office = this.ctx.tree.root.code;
    if (user.unitCode !== office) throw errors.scopeForbidden();
    return (await repo.directPoints(this.db, office)).map((p) => ({
      id: p.id,
      unitCode: p.unit_code,
      unitName: this.ctx.tree.get(p.unit_code)?.name ?? p.unit_code,
      addedAt: p.added_at.toISOString(),
      droppedAt: p.dropped_at?.toISOString() ?? null,
      note: p.note,
    }));
  }

  async addDirectPoint(user: SessionUser, b: DirectPointBody): Promise<DirectPointDto[]> {
    const office = this.ctx.tree.root.code;
    if (user.unitCode !== office || !user.roles.some((r) => r === 'editor' || r === 'leader')) throw errors.roleForbidden();
    const unit = this.ctx.tree.get(b.unitCode);
    // A direct point reports past its parent: the region's own children already report to it.
    if (!unit || unit.level < 3 || unit.kind === 'department') throw errors.validation([{ path: 'unitCode', message: '直报点须为旗县级单位' }]);
    await this.db
      .insertInto('info_direct_points')
      .values({ unit_code: b.unitCode, office_code: office, added_at: clock.now(), added_by: user.id, dropped_at: null, dropped_by: null, note: b.note })
      .onConflict((oc) => oc.columns(['unit_code', 'office_code']).where('dropped_at', 'is', null).doNothing())
      .execute();
    return this.directPoints(user);
  }

  async dropDirectPoint(user: SessionUser, id: string): Promise<DirectPointDto[]> {
    checkId(id, '直报点');
    const office = this.ctx.tree.root.code;
    if (user.unitCode !== office || !user.roles.some((r) => r === 'editor' || r === 'leader')) throw errors.roleForbidden();
    await this.db.updateTable('info_direct_points').set({ dropped_at: clock.now(), dropped_by: user.id }).where('id', '=', id).where('office_code', '=', office).where('dropped_at', 'is', null).execute();
    return this.directPoints(user);
  }

  async notices(user: SessionUser): Promise<NoticeDto[]> {
    const rows = await repo.noticesOf(this.db, user.unitCode, [...NOTICE_ACTIONS, 'feedback']);
    const itemIds = [...new Set(rows.map((r) => r.item_id).filter((x): x is string => !!x))];
    const titles = new Map((await repo.itemRowsByIds(this.db, itemIds)).map((i) => [i.id, i.title]));
    const tree = this.ctx.tree;
    return rows.map((r) => {
      const d = r.detail as Record<string, string>;
      const office = tree.get(d.office ?? d.by ?? d.from ?? '')?.name ?? '';
      const title = r.item_id ? `《${titles.get(r.item_id) ?? ''}》` : `《${d.publication ?? ''}》${d.label ?? ''}`;
      return { id: r.id, itemId: r.item_id, issueId: r.issue_id, action: r.action, text: `${title} ${office}`.trim(), at: r.at.toISOString() };
    });
  }

  /** 批示 on items: received by the unit, or issued by it and the units below (督办, with overdue marked). */
  async instructions(user: SessionUser, box: 'received' | 'issued', itemId?: string): Promise<InfoInstructionDto[]> {
    const tree = this.ctx.tree;
    const issuers = tree.subtree(user.unitCode).map((u) => u.code);
    const rows = await repo.itemInstructionRows(this.db, { unitCode: user.unitCode, issuers, box, itemId });
    if (!rows.length) return [];
    const ids = rows.map((r) => r.id);
    const [targets, feedback] = await Promise.all([
      this.db.selectFrom('instruction_targets').selectAll().where('instruction_id', 'in', ids).execute(),
      this.db
        .selectFrom('instruction_feedback as f')
        .innerJoin('users as u', 'u.id', 'f.author_id')
        .selectAll('f')
        .select('u.display_name')
        .where('f.instruction_id', 'in', ids)
        .orderBy('f.created_at')
        .execute(),
    ]);
    const now = clock.now().getTime();
    const name = (c: string) => tree.get(c)?.name ?? c;
    return rows.map((r) => ({
      id: r.id,
      itemId: r.item_id,
      itemTitle: r.item_title,
      unitCode: r.unit_code,
      unitName: name(r.unit_code),
      authorName: r.author_name,
      text: r.text,
      dueAt: r.due_at?.toISOString() ?? null,
      createdAt: r.created_at.toISOString(),
      targets: targets
        .filter((t) => t.instruction_id === r.id)
        .map((t) => ({ unitCode: t.unit_code, unitName: name(t.unit_code), doneAt: t.done_at?.toISOString() ?? null, overdue: !t.done_at && !!r.due_at && r.due_at.getTime() < now })),
      feedback: feedback.filter((f) => f.instruction_id === r.id).map((f) => ({ unitName: name(f.unit_code), authorName: f.display_name, text: f.text, done: f.done, createdAt: f.created_at.toISOString() })),
    }));
  }
}

