/**
 * Publications (刊物) and their issues (期): compiling adopted items, the office leader's sign-off,
 * publishing to the distribution list's consoles, the Word document, and the archive with search.
 */
import type { SessionUser } from '../auth/sessions.ts';
import { clock } from '../clock.ts';
import type { AppContext } from '../context.ts';
import { unitRoom } from '../realtime/rooms.ts';
import { errors } from '../http/errors.ts';
import { CLASSIFICATIONS, chineseDate, INFO_EVENTS, issueLabel, issueYear } from '../../contract/information.ts';
import type { IssueDto, IssueListQuery, Paged, PublicationBody, PublicationDto } from '../../contract/information.ts';
import { officialDocx, type OfficialDoc } from '../documents/official.ts';
import { officialPdf } from '../documents/officialPdf.ts';
import { adoptionDto, publicationDto } from './dto.ts';
import { infoErrors, refused } from './errors.ts';
import { issueDocument } from './issueDocument.ts';
import * as repo from './repo.ts';
import { checkId } from './service.ts';
import { decideIssue, EDIT_ROLES, type IssueAction } from './workflow.ts';

export class PublishingService {
  constructor(private readonly ctx: AppContext) {}
  private get db() {
    return this.ctx.db;
  }

  /** The office's own publications (and, for reading, those of the offices above it). */
  async publications(user: SessionUser): Promise<PublicationDto[]> {
    const rows = await repo.publicationsOf(this.db, [user.unitCode]);
    return rows.map((p) => publicationDto(this.ctx.tree, p));
  }

  async createPublication(user: SessionUser, b: PublicationBody): Promise<PublicationDto> {
    if (!user.roles.includes('editor')) throw errors.roleForbidden();
    const unknown = [...b.distribution, ...b.cc].filter((c) => !this.ctx.tree.has(c));
    if (unknown.length) throw errors.validation(unknown.map((c) => ({ path: 'distribution', message: `unknown unit ${c}` })));
    const row = await this.db
      .insertInto('info_publications')
      .values({ office_code: user.unitCode, name: b.name, tier: b.tier as 1, max_classification: b.maxClassification as 0, distribution: b.distribution, cc: b.cc })
      .onConflict((oc) => oc.columns(['office_code', 'name']).doNothing())
      .returningAll()
      .executeTakeFirst();
    if (!row) throw errors.dutyConflict('INFO_PUBLICATION_EXISTS', '本单位已有同名刊物');
    return publicationDto(this.ctx.tree, row);
  }

  /** Adopted items of the office not yet in an issue: what the editor compiles from. */
  async unissued(user: SessionUser, publicationId: string) {
    checkId(publicationId, '刊物');
    const pub = await repo.publicationRow(this.db, publicationId);
    if (!pub || pub.office_code !== user.unitCode || !user.roles.some((r) => EDIT_ROLES.includes(r))) throw errors.notFound('刊物');
    const ids = await this.db.selectFrom('info_adoptions').select('id').where('publication_id', '=', publicationId).where('issue_id', 'is', null).execute();
    const rows = await repo.adoptionsOf(this.db, { ids: ids.map((r) => r.id) });
    return rows.map((a) => ({ ...adoptionDto(this.ctx.tree, a), unitName: this.ctx.tree.get(a.item_unit)?.name ?? a.item_unit }));
  }

  /** A new issue numbered in the year of the server clock in UTC+8 (2026年第12期). */
  async createIssue(user: SessionUser, publicationId: string): Promise<IssueDto> {
    checkId(publicationId, '刊物');
    const pub = await repo.publicationRow(this.db, publicationId);
    if (!pub || pub.office_code !== user.unitCode) throw errors.notFound('刊物');
    if (!user.roles.some((r) => EDIT_ROLES.includes(r))) throw errors.roleForbidden();
    const now = clock.now();
    const year = issueYear(now);
    // Two editors starting an issue at once: the unique (publication, year, number) picks one, the other retries.
    for (let attempt = 0; ; attempt++) {
      const number = await repo.nextIssueNumber(this.db, publicationId, year);
      const row = await this.db
        .insertInto('info_issues')
        .values({ publication_id: publicationId, year, number, state: 'compiling', created_by: user.id, created_at: now, signed_by: null, signed_at: null, published_by: null, published_at: null })
        .onConflict((oc) => oc.columns(['publication_id', 'year', 'number']).doNothing())
        .returning('id')
        .executeTakeFirst();
      if (row) return this.issue(user, row.id);
      if (attempt > 3) throw infoErrors.state();
    }
  }

  /** As the archive lists them: published issues go to the units below the office, its distribution and cc. */
  private readable(user: SessionUser, s: repo.IssueRow): boolean {
    if (s.office_code === user.unitCode) return true;
    if (s.state !== 'published') return false;
    return this.ctx.tree.isWithin(user.unitCode, s.office_code) || s.distribution.includes(user.unitCode) || s.cc.includes(user.unitCode);
  }

  private async issueRowFor(user: SessionUser, id: string): Promise<repo.IssueRow> {
    checkId(id, '刊期');
    const s = await repo.issueRow(this.db, id);
    if (!s || !this.readable(user, s)) throw errors.notFound('刊期');
    return s;
  }

  async issue(user: SessionUser, id: string): Promise<IssueDto> {
    const s = await this.issueRowFor(user, id);
    const items = await repo.adoptionsOf(this.db, { issueId: id });
    const names = await repo.userNames(this.db, [s.signed_by]);
    const tree = this.ctx.tree;
    return {
      id: s.id,
      publicationId: s.publication_id,
      publicationName: s.publication_name,
      officeCode: s.office_code,
      officeName: tree.get(s.office_code)?.name ?? s.office_code,
      year: s.year,
      number: s.number,
      label: issueLabel(s.year, s.number),
      state: s.state,
      createdAt: s.created_at.toISOString(),
      signedBy: s.signed_by ? (names.get(s.signed_by) ?? '') : null,
      signedAt: s.signed_at?.toISOString() ?? null,
      publishedAt: s.published_at?.toISOString() ?? null,
      items: items.map((a) => ({ ...adoptionDto(tree, a), unitName: tree.get(a.item_unit)?.name ?? a.item_unit })),
    };
  }

  async archive(user: SessionUser, q: IssueListQuery): Promise<Paged<IssueDto>> {
    const above = this.ctx.tree.ancestors(user.unitCode).map((u) => u.code);
    const { ids, total } = await repo.issueRows(this.db, { ownOffice: user.unitCode, readableOffices: above, unitCode: user.unitCode }, q);
    const rows = await Promise.all(ids.map((id) => this.issue(user, id)));
    return { rows, total, page: q.page, pageSize: q.pageSize };
  }

  /** Sets the issue's items in order: each an adoption into this publication not yet in another issue. */
  async setItems(user: SessionUser, id: string, adoptionIds: string[]): Promise<IssueDto> {
    const s = await this.issueRowFor(user, id);
    const d = decideIssue('compile', { roles: user.roles, atOffice: s.office_code === user.unitCode, state: s.state, itemCount: adoptionIds.length });
    if (!d.ok) throw refused(d);
    const unique = [...new Set(adoptionIds)];
    await this.db.transaction().execute(async (trx) => {
      const rows = unique.length ? await trx.selectFrom('info_adoptions as a').innerJoin('info_items as i', 'i.id', 'a.item_id').select(['a.id', 'a.publication_id', 'a.issue_id', 'i.classification']).where('a.id', 'in', unique).execute() : [];
      for (const aid of unique) {
        const a = rows.find((r) => r.id === aid);
        if (!a || a.publication_id !== s.publication_id || (a.issue_id && a.issue_id !== id)) throw errors.notFound('采用信息');
        // The publication's maximum classification refuses items above it, at compile time too.
        if (a.classification > s.max_classification) throw infoErrors.classification();
      }
      await trx.updateTable('info_adoptions').set({ issue_id: null, issue_position: null }).where('issue_id', '=', id).execute();
      for (const [i, aid] of unique.entries()) await trx.updateTable('info_adoptions').set({ issue_id: id, issue_position: i + 1 }).where('id', '=', aid).execute();
    });
    return this.issue(user, id);
  }

  /** 送签 / 签发 / 退回 / 印发 of an issue. Publishing pushes it to every console on the distribution list. */
  async step(user: SessionUser, id: string, action: Exclude<IssueAction, 'compile'>): Promise<IssueDto> {
    const s = await this.issueRowFor(user, id);
    const count = await this.db.selectFrom('info_adoptions').select((eb) => eb.fn.countAll<string>().as('n')).where('issue_id', '=', id).executeTakeFirstOrThrow();
    const d = decideIssue(action, { roles: user.roles, atOffice: s.office_code === user.unitCode, state: s.state, itemCount: Number(count.n) });
    if (!d.ok) throw refused(d);
    const now = clock.now();
    const patch =
      action === 'sign' ? { state: d.to, signed_by: user.id, signed_at: now } : action === 'publish' ? { state: d.to, published_by: user.id, published_at: now } : { state: d.to };
    await this.db.transaction().execute(async (trx) => {
      const n = await trx.updateTable('info_issues').set(patch).where('id', '=', id).where('state', '=', s.state).executeTakeFirst();
      if (!n.numUpdatedRows) throw infoErrors.state();
      await repo.addEvent(trx, { issueId: id, unitCode: s.office_code, actorId: user.id, action: `issue_${action}`, at: now });
      if (action === 'publish') {
        const items = await trx.selectFrom('info_adoptions').select('item_id').where('issue_id', '=', id).execute();
        for (const unit of await this.itemUnits(trx, items.map((i) => i.item_id))) {
          await repo.addEvent(trx, { issueId: id, unitCode: unit, actorId: user.id, action: 'published', detail: { label: issueLabel(s.year, s.number), publication: s.publication_name }, at: now });
        }
      }
    });
    if (action === 'publish') {
      const officeName = this.ctx.tree.get(s.office_code)?.name ?? '';
      const payload = { id, label: issueLabel(s.year, s.number), publicationName: s.publication_name, officeName };
      for (const u of new Set([s.office_code, ...s.distribution, ...s.cc])) this.ctx.io.to(unitRoom(u)).emit(INFO_EVENTS.issue, payload);
    }
    return this.issue(user, id);
  }

  private async itemUnits(db: AppContext['db'], itemIds: string[]): Promise<string[]> {
    if (!itemIds.length) return [];
    const rows = await db.selectFrom('info_items').select('unit_code').distinct().where('id', 'in', itemIds).execute();
    return rows.map((r) => r.unit_code);
  }

  /** The issue as a Word 简报 (GB/T 9704 shape): only signed or published issues have a 签发人 to print. */
  async docx(user: SessionUser, id: string): Promise<{ filename: string; data: Buffer }> {
    const { name, model } = await this.document(user, id);
    return { filename: `${name}.docx`, data: await officialDocx(model) };
  }

  /** The same 简报 as PDF, from the same model (Chinese in the embedded Noto Sans SC). */
  async pdf(user: SessionUser, id: string): Promise<{ filename: string; data: Buffer }> {
    const { name, model } = await this.document(user, id);
    return { filename: `${name}.pdf`, data: await officialPdf(model) };
  }

  private async document(user: SessionUser, id: string): Promise<{ name: string; model: OfficialDoc }> {
    const dto = await this.issue(user, id);
    if (dto.state !== 'signed' && dto.state !== 'published') throw infoErrors.state();
    const s = (await repo.issueRow(this.db, id))!;
    const maxCls = Math.max(0, ...(await repo.adoptionsOf(this.db, { issueId: id })).map((a) => a.classification));
    const model = issueDocument(dto, {
      tree: this.ctx.tree,
      distribution: s.distribution,
      cc: s.cc,
      classificationMark: maxCls > 0 ? CLASSIFICATIONS[maxCls]!.zh : null,
      date: chineseDate(new Date(dto.publishedAt ?? dto.signedAt!)),
    });
    return { name: `${dto.publicationName}${dto.label}`, model };
  }
}
