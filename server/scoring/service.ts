/**
 * Decisions of scoring: who may read and change an office's scheme, quota progress (a unit its own, an office
 * who is behind), commissioned requests (约稿) and their answers. Server time is clock.now().
 */
import type { SessionUser } from '../auth/sessions.ts';
import { clock } from '../clock.ts';
import type { AppContext } from '../context.ts';
import { ApiError, errors } from '../http/errors.ts';
import { localDateOf, monthKeyOf, periodRange, type AnswerBody, type QuotaProgressDto, type RequestBody, type RequestDto, type SchemeBody, type SchemeVersionDto } from '../../contract/scoring.ts';
import { answeredAt, groupOf, rankedUnitOf, rankedUnitsOf, requestFacts, unitClassOf, versionsOf } from './facts.ts';
import * as repo from './repo.ts';
import { answerState, DEFAULT_VERSION, quotaOf, schemeAt } from './rules.ts';

export const scoringErrors = {
  schemePast: () => new ApiError(422, 'SCORE_SCHEME_PAST', '计分办法的调整只能从今天或以后生效，不能追溯既往'),
  schemeExists: () => new ApiError(409, 'SCORE_SCHEME_EXISTS', '该日期已有一版计分办法，请选择其他生效日期'),
  deadlinePast: () => new ApiError(422, 'SCORE_DEADLINE_PAST', '约稿截止时间须晚于当前时间'),
  targets: () => new ApiError(422, 'SCORE_TARGETS', '约稿对象须是本单位所辖单位'),
  answerItem: () => new ApiError(422, 'SCORE_ANSWER_ITEM', '只能用本单位的信息回复约稿'),
  periodOpen: () => new ApiError(409, 'SCORE_PERIOD_OPEN', '本期尚未结束，期满后才能印发通报'),
  published: () => new ApiError(409, 'SCORE_PUBLISHED', '本期通报已印发'),
};

const OFFICE_ROLES = ['editor', 'leader'] as const;
// A department (内设机构) is ranked by its office, never an office that ranks: it has its office's level.
export const isOfficeStaff = (u: SessionUser) => u.unitLevel < 3 && u.unitKind !== 'department' && u.roles.some((r) => (OFFICE_ROLES as readonly string[]).includes(r));

export class ScoringService {
  constructor(private readonly ctx: AppContext) {}
  private get db() {
    return this.ctx.db;
  }
  private name(code: string) {
    return this.ctx.tree.get(code)?.name ?? code;
  }

  /** The office whose scheme the caller may read: its own, or one above it (the one that ranks it). */
  readableOffice(user: SessionUser, office?: string): string {
    const ranked = user.unitLevel === 3 || user.unitKind === 'department';
    const o = office ?? (ranked ? (this.ctx.tree.get(user.unitCode)?.parentCode ?? user.unitCode) : user.unitCode);
    if (!this.ctx.tree.has(o) || !this.ctx.tree.isWithin(user.unitCode, o)) throw errors.scopeForbidden();
    return o;
  }

  async scheme(user: SessionUser, office?: string): Promise<{ officeCode: string; current: SchemeVersionDto; versions: SchemeVersionDto[] }> {
    const o = this.readableOffice(user, office);
    const rows = await repo.schemeVersions(this.db, o);
    const versions: SchemeVersionDto[] = [
      { id: null, officeCode: o, effectiveFrom: DEFAULT_VERSION.effectiveFrom, rules: DEFAULT_VERSION.rules, note: '默认（常山县模式）', createdBy: null, createdAt: null },
      ...rows.map((r) => ({ id: r.id, officeCode: o, effectiveFrom: r.effective_from, rules: r.rules as SchemeVersionDto['rules'], note: r.note, createdBy: r.display_name, createdAt: r.created_at.toISOString() })),
    ];
    const cur = schemeAt(versions, clock.now());
    return { officeCode: o, current: versions.find((v) => v.effectiveFrom === cur.effectiveFrom)!, versions };
  }

  /** A new version from its date on; today (UTC+8) at the earliest, one per date, never edited. */
  async saveScheme(user: SessionUser, b: SchemeBody) {
    if (!isOfficeStaff(user)) throw errors.roleForbidden();
    const now = clock.now();
    if (b.effectiveFrom < localDateOf(now)) throw scoringErrors.schemePast();
    const row = await this.db
      .insertInto('info_score_schemes')
      .values({ office_code: user.unitCode, effective_from: b.effectiveFrom, rules: JSON.stringify(b.rules), note: b.note, created_by: user.id, created_at: now })
      .onConflict((oc) => oc.columns(['office_code', 'effective_from']).doNothing())
      .returning('id')
      .executeTakeFirst();
    if (!row) throw scoringErrors.schemeExists();
    return this.scheme(user, user.unitCode);
  }

  /** This month's 任务量: an office sees every unit it ranks (who is behind); a unit sees its own progress. */
  async quota(user: SessionUser, view: 'own' | 'office', month?: string): Promise<QuotaProgressDto> {
    const now = clock.now();
    const p = periodRange(month ?? monthKeyOf(now));
    if (!p || p.kind !== 'month') throw errors.validation([{ path: 'month', message: 'YYYY-MM' }]);
    const tree = this.ctx.tree;
    let office: string, units: string[];
    if (view === 'office') {
      if (!isOfficeStaff(user)) throw errors.roleForbidden();
      office = user.unitCode;
      units = rankedUnitsOf(tree, office).map((u) => u.code);
    } else {
      const parent = tree.get(user.unitCode)?.parentCode;
      if (!parent) throw errors.validation([{ path: 'view', message: 'the top office is ranked by nobody' }]);
      office = parent;
      units = [user.unitCode];
    }
    return quotaProgress(this.ctx, office, units, p, now);
  }

  async requests(user: SessionUser, box: 'issued' | 'received'): Promise<RequestDto[]> {
    if (box === 'issued' && !isOfficeStaff(user)) throw errors.roleForbidden();
    const rows = await repo.requestRows(this.db, box === 'issued' ? { office: user.unitCode } : { targetUnit: user.unitCode });
    return this.requestDtos(user, rows, box === 'received');
  }

  private async requestDtos(user: SessionUser, rows: repo.RequestRow[], onlyOwn: boolean): Promise<RequestDto[]> {
    const { targets, answers } = await requestFacts(this.db, rows);
    const now = clock.now();
    return rows.map((r) => ({
      id: r.id,
      officeCode: r.office_code,
      officeName: this.name(r.office_code),
      topic: r.topic,
      requirements: r.requirements,
      deadline: r.deadline.toISOString(),
      createdAt: r.created_at.toISOString(),
      // A target unit sees its own answer only: other units' work is not its business.
      targets: targets
        .filter((t) => t.request_id === r.id && (!onlyOwn || t.unit_code === user.unitCode))
        .map((t) => {
          const at = answeredAt(answers, r.id, t.unit_code);
          const mine = answers.filter((a) => a.request_id === r.id && a.unit_code === t.unit_code && (a.state === 'submitted' || t.unit_code === user.unitCode));
          return { unitCode: t.unit_code, unitName: this.name(t.unit_code), state: answerState(r.deadline, at, now), answeredAt: at?.toISOString() ?? null, items: mine.map((a) => ({ id: a.item_id, title: a.title })) };
        }),
    }));
  }

  /** 约稿 to units below the office; the id is the client's, so a resend creates nothing new. */
  async createRequest(user: SessionUser, b: RequestBody): Promise<RequestDto> {
    if (!isOfficeStaff(user)) throw errors.roleForbidden();
    const now = clock.now();
    const deadline = new Date(b.deadline);
    const tree = this.ctx.tree;
    const targets = [...new Set(b.targets)];
    if (targets.some((t) => t === user.unitCode || !tree.has(t) || !tree.isWithin(t, user.unitCode))) throw scoringErrors.targets();
    const existing = await this.db.selectFrom('info_requests').select(['id', 'office_code']).where('id', '=', b.id).executeTakeFirst();
    if (existing) {
      if (existing.office_code !== user.unitCode) throw errors.duplicate();
    } else {
      if (deadline.getTime() <= now.getTime()) throw scoringErrors.deadlinePast();
      await this.db.transaction().execute(async (trx) => {
        await trx.insertInto('info_requests').values({ id: b.id, office_code: user.unitCode, topic: b.topic, requirements: b.requirements, deadline, created_by: user.id, created_at: now }).execute();
        await trx.insertInto('info_request_targets').values(targets.map((t) => ({ request_id: b.id, unit_code: t }))).execute();
      });
      // Delivered: kept among each target's reminders, and pushed to its open consoles.
      const text = `${this.name(user.unitCode)}约稿：《${b.topic}》`;
      await repo.addReminders(this.db, targets.map((t) => ({ unitCode: t, kind: 'request_new' as const, ref: b.id, text, at: now })));
      for (const t of targets) this.ctx.io.to(`unit:${t}`).emit('information:notice', { itemId: null, issueId: null, action: 'request', text, at: now.toISOString() });
    }
    const rows = await repo.requestRows(this.db, { ids: [b.id] });
    return (await this.requestDtos(user, rows, false))[0]!;
  }

  /** The target unit links one of its items (counted once it is signed off); linking twice is harmless. */
  async answer(user: SessionUser, requestId: string, b: AnswerBody): Promise<RequestDto> {
    if (!user.roles.some((r) => r === 'info_officer' || r === 'editor' || r === 'leader')) throw errors.roleForbidden();
    const [req] = /^[0-9a-f-]{36}$/i.test(requestId) ? await repo.requestRows(this.db, { ids: [requestId], targetUnit: user.unitCode }) : [];
    if (!req) throw errors.notFound('约稿');
    const item = await this.db.selectFrom('info_items').select(['id', 'unit_code']).where('id', '=', b.itemId).executeTakeFirst();
    if (!item || item.unit_code !== user.unitCode) throw scoringErrors.answerItem();
    await this.db.insertInto('info_request_answers').values({ request_id: requestId, unit_code: user.unitCode, item_id: b.itemId, linked_by: user.id, linked_at: clock.now() }).onConflict((oc) => oc.doNothing()).execute();
    return (await this.requestDtos(user, [req], true))[0]!;
  }

  async reminders(user: SessionUser) {
    return (await repo.remindersOf(this.db, user.unitCode)).map((r) => ({ kind: r.kind, ref: r.ref, text: r.text, at: r.at.toISOString() }));
  }
}

/** Progress of `units` against `office`'s quota for month `p`, each by its unit class; behind = not met yet. */
export async function quotaProgress(ctx: AppContext, office: string, units: readonly string[], p: NonNullable<ReturnType<typeof periodRange>>, _now: Date): Promise<QuotaProgressDto> {
  const tree = ctx.tree;
  const v = schemeAt(await versionsOf(ctx.db, office), p.start);
  // One query for the whole office, grouped by the ranked unit that contains each item's unit.
  const below = units.flatMap((code) => tree.subtree(code).map((u) => u.code));
  const rec = await repo.receipts(ctx.db, office, below, p.start, p.end);
  const rows = [];
  let first: ReturnType<typeof quotaOf> | null = null;
  for (const code of units) {
    const mine = rec.filter((r) => rankedUnitOf(tree, office, r.unit_code) === code);
    const q = quotaOf(v.rules, unitClassOf(tree.get(code)!));
    first ??= q;
    const analysis = mine.filter((r) => r.kind === 'analysis').length;
    const met = mine.length >= q.minItems && analysis >= q.minAnalysis;
    const unit = tree.get(code)!;
    rows.push({ unitCode: code, unitName: unit.name, group: groupOf(unit), unitClass: unitClassOf(unit), minItems: q.minItems, minAnalysis: q.minAnalysis, items: mine.length, analysis, met, behind: !met });
  }
  const q = first ?? quotaOf(v.rules, 'any');
  return { month: p.key, officeCode: office, officeName: tree.get(office)?.name ?? office, minItems: q.minItems, minAnalysis: q.minAnalysis, monthEndsAt: p.end.toISOString(), units: rows.sort((a, b) => Number(b.behind) - Number(a.behind) || a.items - b.items || a.unitCode.localeCompare(b.unitCode)) };
}
