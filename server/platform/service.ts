/**
 * Decisions about pushing to the emergency platform (推送应急平台): who may push which report, the
 * leader's sign-off, the automatic push on the region's 签收, withdrawal (Cancel) and re-drive after an
 * Error. Each decision writes its outbox row in the same transaction; the sender delivers afterwards.
 */
import type { Transaction } from 'kysely';
import type { Database } from '../../db/schema.ts';
import type { ReportDeliveryDto } from '../../contract/platform.ts';
import type { SessionUser } from '../auth/sessions.ts';
import { hasAnyRole } from '../auth/sessions.ts';
import { clock } from '../clock.ts';
import type { AppContext } from '../context.ts';
import type { ReportRuntime } from '../reports/runtime.ts';
import { ApiError, errors } from '../http/errors.ts';
import { addEvent } from '../reports/repo.ts';
import { SIGN_ROLES, WORK_ROLES } from '../reports/workflow.ts';
import { buildCap, pushKindOf, type CapReport, type PushKind } from './cap.ts';
import { checkCap, textOf } from './capModel.ts';
import type { PlatformConfig } from './config.ts';
import * as repo from './repo.ts';
import { parseCapXml } from './xml.ts';
import { assertLeaderOnDuty } from './leaderOnDuty.ts';

type Trx = Transaction<Database>;

export const platformErrors = {
  notAtRegion: () => new ApiError(409, 'PLATFORM_NOT_AT_REGION', '该信息尚未报送到自治区，不能推送应急平台'),
  alreadyPushed: () => new ApiError(409, 'PLATFORM_ALREADY_PUSHED', '该信息已推送应急平台'),
  withdrawn: () => new ApiError(409, 'PLATFORM_WITHDRAWN', '该事件已向应急平台撤回，不能再推送'),
  nothingToWithdraw: () => new ApiError(409, 'PLATFORM_NOTHING_SENT', '该事件尚未推送应急平台'),
  notParked: () => new ApiError(409, 'PLATFORM_NOT_PARKED', '该消息不在待处理状态'),
  invalidCap: (details: string[]) => new ApiError(422, 'PLATFORM_INVALID_CAP', '修改后的消息不符合 CAP 1.2', details),
};

export class PlatformService {
  /** Called after a decision committed: the sender looks at once. */
  onQueued: (incidentId: string, reportId: string | null) => void = () => {};

  constructor(
    private readonly ctx: AppContext,
    private readonly cfg: PlatformConfig,
    /** The report workflow this link reads from and feeds (passed in: no import circle through the context). */
    private readonly reports: ReportRuntime,
  ) {}

  private get root() {
    return this.ctx.tree.root.code;
  }

  /** Only the region's own office works the platform link. */
  private atRegion(user: SessionUser, roles = WORK_ROLES): void {
    if (user.unitCode !== this.root) throw errors.scopeForbidden();
    if (!hasAnyRole(user, roles)) throw errors.roleForbidden();
  }

  private async capReport(trx: Trx, reportId: string): Promise<CapReport | null> {
    const r = await trx.selectFrom('urgent_reports').selectAll().where('id', '=', reportId).executeTakeFirst();
    if (!r) return null;
    const chain = [...this.ctx.tree.ancestors(r.unit_code)].reverse().map((u) => u.name);
    const unitName = this.ctx.tree.get(r.unit_code)?.name ?? r.unit_code;
    return {
      reportId: r.id,
      incidentId: r.incident_id,
      kind: r.kind,
      seq: r.seq,
      unitCode: r.unit_code,
      unitName,
      areaName: [...chain, unitName].join(''),
      title: r.title,
      place: r.place,
      category: r.category,
      grade: r.grade,
      classification: r.classification,
      summary: r.summary,
      casualties: r.casualties,
      losses: r.losses,
      measures: r.measures,
      nextSteps: r.next_steps,
      eventTime: r.event_time,
    };
  }

  private async reachedRegion(trx: Trx, reportId: string): Promise<boolean> {
    const hop = await trx.selectFrom('report_hops').select('id').where('report_id', '=', reportId).where('unit_code', '=', this.root).executeTakeFirst();
    return !!hop;
  }

  /** Builds the message and writes the outbox row, inside the caller's transaction. */
  private async enqueue(trx: Trx, r: CapReport, kind: PushKind, by: { decidedBy: number | null; signedBy: number | null; auto: boolean }, now: Date): Promise<number> {
    const prior = await repo.priorMessages(trx, r.incidentId);
    if (prior.some((p) => p.push_kind === 'cancel')) throw platformErrors.withdrawn();
    const id = await repo.reserveOutbox(trx, { incidentId: r.incidentId, reportId: kind === 'cancel' ? null : r.reportId, kind, ...by, now });
    const msg = buildCap(r, kind, prior, { sender: this.cfg.sender, senderName: this.cfg.senderName, areaCode: this.root, orgCode: this.cfg.orgCode, status: this.cfg.status }, now, id);
    const problems = checkCap(msg.tree);
    // Our own builder must never produce a non-conforming message: refuse rather than send it.
    if (problems.length) throw new Error(`CAP model rejected our message: ${problems.join('; ')}`);
    await repo.fillOutbox(trx, id, msg);
    await addEvent(trx, {
      incidentId: r.incidentId,
      reportId: kind === 'cancel' ? null : r.reportId,
      unitCode: this.root,
      actorId: by.signedBy ?? by.decidedBy,
      action: kind === 'cancel' ? 'platform_withdrawn' : 'platform_queued',
      detail: { identifier: msg.identifier, msgType: msg.msgType, auto: by.auto },
      at: now,
    });
    return id;
  }

  /**
   * 推送应急平台: a duty officer asks (waiting for the leader on duty's sign-off); a leader's push is its own
   * sign-off and goes to the outbox at once, together with any waiting request.
   */
  async push(user: SessionUser, reportId: string, note = ''): Promise<PushResult> {
    this.atRegion(user);
    await this.reports.service.readableRow(user, reportId);
    const now = clock.now();
    const leader = hasAnyRole(user, SIGN_ROLES);
    if (leader) await assertLeaderOnDuty(this.ctx.db, this.root, user, now);
    let incidentId = '';
    await this.ctx.db.transaction().execute(async (trx) => {
      if (!(await this.reachedRegion(trx, reportId))) throw platformErrors.notAtRegion();
      const existing = await trx.selectFrom('platform_outbox').select('id').where('report_id', '=', reportId).executeTakeFirst();
      if (existing) throw platformErrors.alreadyPushed();
      const r = (await this.capReport(trx, reportId))!;
      incidentId = r.incidentId;
      if (!leader) {
        await trx.insertInto('platform_push_requests').values({ report_id: reportId, requested_by: user.id, note }).onConflict((oc) => oc.column('report_id').doNothing()).execute();
        await addEvent(trx, { incidentId: r.incidentId, reportId, unitCode: this.root, actorId: user.id, action: 'platform_requested', detail: { note }, at: now });
        return;
      }
      const req = await trx.deleteFrom('platform_push_requests').where('report_id', '=', reportId).returning('requested_by').executeTakeFirst();
      await this.enqueue(trx, r, pushKindOf(r.kind), { decidedBy: req?.requested_by ?? user.id, signedBy: user.id, auto: false }, now);
    });
    if (leader) this.onQueued(incidentId, reportId);
    return { delivery: await this.delivery(user, reportId), incidentId };
  }

  /** Hook inside the reports transaction: the region's 签收 pushes automatically for the grades the rule table names. */
  async onHopInTx(trx: Trx, e: { reportId: string; unitCode: string; action: string }): Promise<string | null> {
    if (e.action !== 'acknowledge' || e.unitCode !== this.root) return null;
    const r = await this.capReport(trx, e.reportId);
    if (!r) return null;
    const rule = await trx.selectFrom('platform_auto_rules').select('auto_push').where('grade', '=', r.grade).executeTakeFirst();
    if (!rule?.auto_push) return null;
    const existing = await trx.selectFrom('platform_outbox').select('id').where('report_id', '=', e.reportId).executeTakeFirst();
    const prior = await repo.priorMessages(trx, r.incidentId);
    if (existing || prior.some((p) => p.push_kind === 'cancel')) return null;
    await this.enqueue(trx, r, pushKindOf(r.kind), { decidedBy: null, signedBy: null, auto: true }, clock.now());
    return r.incidentId;
  }

  /** 撤回: a Cancel naming every message of the incident (leader on duty only). */
  async withdraw(user: SessionUser, incidentId: string): Promise<void> {
    this.atRegion(user, SIGN_ROLES);
    const now = clock.now();
    await assertLeaderOnDuty(this.ctx.db, this.root, user, now);
    await this.ctx.db.transaction().execute(async (trx) => {
      const last = await trx.selectFrom('platform_outbox').select('report_id').where('incident_id', '=', incidentId).where('report_id', 'is not', null).orderBy('id', 'desc').executeTakeFirst();
      if (!last?.report_id) throw platformErrors.nothingToWithdraw();
      const r = (await this.capReport(trx, last.report_id))!;
      await this.enqueue(trx, r, 'cancel', { decidedBy: user.id, signedBy: user.id, auto: false }, now);
    });
    this.onQueued(incidentId, null);
  }

  /** After an Error: the operator may correct the message (same identifier, must conform) and send it again. */
  async redrive(user: SessionUser, id: number, xml?: string): Promise<void> {
    this.atRegion(user);
    const row = await repo.outboxRow(this.ctx.db, id);
    if (!row) throw errors.notFound('消息');
    if (row.state !== 'parked') throw platformErrors.notParked();
    if (xml !== undefined) {
      let problems: string[];
      try {
        const tree = parseCapXml(xml);
        problems = checkCap(tree);
        if (textOf(tree, 'identifier') !== row.identifier) problems.push(`identifier must stay ${row.identifier}`);
        if (textOf(tree, 'sent') !== row.sent_stamp) problems.push(`sent must stay ${row.sent_stamp}`);
      } catch (e) {
        problems = [(e as Error).message];
      }
      if (problems.length) throw platformErrors.invalidCap(problems);
    }
    const now = clock.now();
    await this.ctx.db.transaction().execute(async (trx) => {
      if (!(await repo.redrive(trx, id, now, xml))) throw platformErrors.notParked();
      await addEvent(trx, { incidentId: row.incident_id, reportId: row.report_id, unitCode: this.root, actorId: user.id, action: 'platform_redriven', detail: { identifier: row.identifier, corrected: xml !== undefined }, at: now });
    });
    this.onQueued(row.incident_id, row.report_id);
  }

  /** A report's standing with the platform, for anyone who may read the report. */
  async delivery(user: SessionUser, reportId: string): Promise<ReportDeliveryDto> {
    await this.reports.service.readableRow(user, reportId);
    const [row] = await repo.listOutbox(this.ctx.db, { reportIds: [reportId] });
    const req = await this.ctx.db.selectFrom('platform_push_requests').selectAll().where('report_id', '=', reportId).executeTakeFirst();
    const hop = await this.ctx.db.selectFrom('report_hops').select('id').where('report_id', '=', reportId).where('unit_code', '=', this.root).executeTakeFirst();
    const names = await repo.userNames(this.ctx.db, [row?.decided_by ?? null, row?.signed_by ?? null, req?.requested_by ?? null]);
    return {
      reportId,
      atRegion: !!hop,
      request: req ? { requestedBy: names.get(req.requested_by) ?? '', requestedAt: new Date(req.requested_at).toISOString(), note: req.note } : null,
      message: row ? repo.outboxDto(row, names, user.unitCode === this.root) : null,
    };
  }

  async outbox(user: SessionUser) {
    this.atRegion(user);
    const rows = await repo.listOutbox(this.ctx.db, {});
    const names = await repo.userNames(this.ctx.db, rows.flatMap((r) => [r.decided_by, r.signed_by]));
    return rows.map((r) => repo.outboxDto(r, names, true));
  }

  async rules(user: SessionUser) {
    this.atRegion(user);
    return repo.autoRules(this.ctx.db);
  }

  async saveRules(user: SessionUser, rules: { grade: 1 | 2 | 3 | 4; autoPush: boolean }[]) {
    this.atRegion(user, SIGN_ROLES);
    await repo.saveAutoRules(this.ctx.db, rules);
    return repo.autoRules(this.ctx.db);
  }
}

export interface PushResult {
  delivery: ReportDeliveryDto;
  incidentId: string;
}
