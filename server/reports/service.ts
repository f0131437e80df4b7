/**
 * The urgent-report workflow as operations: each checks the caller's unit and role on the server,
 * runs in one transaction with server time (clock.now()), appends to the timeline, then pushes live.
 */
import type { Transaction } from 'kysely';
import type { Database } from '../../db/schema.ts';
import type { Classification, Grade, ReportKind } from '../../db/tables/reports.ts';
import type { SessionUser } from '../auth/sessions.ts';
import { hasAnyRole } from '../auth/sessions.ts';
import { clock } from '../clock.ts';
import type { AppContext } from '../context.ts';
import { errors } from '../http/errors.ts';
import { addEvent, loadSettings, mayReadReport, reportDtos, reportRows, visibleIncidentRows, type ReportDto, type ReportRow, type Settings } from './repo.ts';
import { pushNotice, pushReport, upChain } from './push.ts';
import {
  attachmentById,
  hopAt,
  incidentById,
  incidentTaskOf,
  insertAttachment,
  insertCopy,
  insertFeedback,
  insertIncident,
  insertInstruction,
  insertReport,
  nextFollowupSeq,
  updateHopIn,
  updateIncident,
  updateReportIn,
  upsertReceipt,
} from './writeRepo.ts';
import { clearedFor, decideHop, decideReport, WORK_ROLES, SIGN_ROLES, type HopAction, type Denial } from './workflow.ts';

type Trx = Transaction<Database>;

export interface ReportFields {
  title: string;
  eventTime: Date;
  place: string;
  address?: string;
  category?: string;
  grade: Grade;
  classification?: Classification;
  summary: string;
  casualties?: string;
  losses?: string;
  cause?: string;
  measures?: string;
  nextSteps?: string;
}

const denied = (why: Denial) => (why === 'ROLE' ? errors.roleForbidden() : why === 'UNIT' ? errors.scopeForbidden() : errors.reportState());

function columns(f: Partial<ReportFields>) {
  const out: Record<string, unknown> = {};
  if (f.title !== undefined) out.title = f.title;
  if (f.eventTime !== undefined) out.event_time = f.eventTime;
  if (f.place !== undefined) out.place = f.place;
  if (f.address !== undefined) out.address = f.address;
  if (f.category !== undefined) out.category = f.category;
  if (f.grade !== undefined) out.grade = f.grade;
  if (f.classification !== undefined) out.classification = f.classification;
  if (f.summary !== undefined) out.summary = f.summary;
  if (f.casualties !== undefined) out.casualties = f.casualties;
  if (f.losses !== undefined) out.losses = f.losses;
  if (f.cause !== undefined) out.cause = f.cause;
  if (f.measures !== undefined) out.measures = f.measures;
  if (f.nextSteps !== undefined) out.next_steps = f.nextSteps;
  return out;
}

export class ReportService {
  /** Called after every change so deadlines are re-evaluated (and 迟报 recorded) at once. */
  onChange: (incidentId: string) => Promise<void> = async () => {};
  /** Runs inside a hop action's transaction (e.g. the emergency platform's push on the region's 签收). */
  onHopInTx: (trx: Trx, e: { reportId: string; unitCode: string; action: HopAction }) => Promise<unknown> = async () => {};

  constructor(private readonly ctx: AppContext) {}

  private async one(user: SessionUser | null, id: string): Promise<ReportDto> {
    const [dto] = await reportDtos(this.ctx.db, this.ctx.tree, user, await reportRows(this.ctx.db, { ids: [id] }));
    if (!dto) throw errors.notFound('紧急信息');
    return dto;
  }

  /** A report the caller may read, else 404 (existence is not revealed). */
  async readableRow(user: SessionUser, id: string): Promise<ReportRow> {
    if (!/^[0-9a-f-]{36}$/i.test(id)) throw errors.notFound('紧急信息');
    const [row] = await reportRows(this.ctx.db, { ids: [id] });
    if (!row || !mayReadReport(this.ctx.tree, user, row)) throw errors.notFound('紧急信息');
    return row;
  }

  get(user: SessionUser, id: string) {
    return this.readableRow(user, id).then(() => this.one(user, id));
  }

  /** Delivers a sent report one level up (and, for the gravest grades, a direct copy to the top). */
  private async deliver(trx: Trx, settings: Settings, r: { id: string; incident_id: string; unit_code: string; grade: number }, fromUnit: string, now: Date): Promise<string[]> {
    const parent = this.ctx.tree.get(fromUnit)?.parentCode;
    if (!parent) return [];
    const reached = [parent];
    // A direct copy already at this office becomes its regular, relayed receipt (the first receipt time stays).
    await upsertReceipt(trx, r.id, parent, fromUnit, now);
    await addEvent(trx, { incidentId: r.incident_id, reportId: r.id, unitCode: parent, actorId: null, action: 'received', detail: { from: fromUnit }, at: now });
    const top = this.ctx.tree.root.code;
    if (fromUnit === r.unit_code && r.grade <= settings.directCopyMaxGrade && top !== parent && top !== fromUnit) {
      if (await insertCopy(trx, r.id, top, fromUnit, now)) {
        reached.push(top);
        await addEvent(trx, { incidentId: r.incident_id, reportId: r.id, unitCode: top, actorId: null, action: 'copied', detail: { from: fromUnit }, at: now });
      }
    }
    return reached;
  }

  private async incidentOfMine(trx: Trx, user: SessionUser, incidentId: string) {
    const inc = await incidentById(trx, incidentId);
    if (!inc || !this.ctx.tree.isWithin(inc.unit_code, user.unitCode)) throw errors.notFound('事件');
    if (inc.unit_code !== user.unitCode) throw errors.scopeForbidden();
    if (inc.status === 'closed') throw errors.reportState({ reason: 'incident closed' });
    return inc;
  }

  private async openIncident(trx: Trx, user: SessionUser, f: ReportFields, now: Date): Promise<string> {
    const id = await insertIncident(trx, {
        unit_code: user.unitCode,
        title: f.title,
        event_time: f.eventTime,
        place: f.place,
        category: f.category ?? '',
        grade: f.grade,
        classification: f.classification ?? 0,
        status: 'open',
        demanded_by_unit: null,
        demand_note: null,
        opened_by: user.id,
        created_at: now,
        closed_at: null,
      });
    await addEvent(trx, { incidentId: id, unitCode: user.unitCode, actorId: user.id, action: 'incident_opened', detail: { title: f.title, grade: f.grade }, at: now });
    return id;
  }

  private async existing(user: SessionUser, requestId: string): Promise<ReportDto | null> {
    const [prior] = await reportRows(this.ctx.db, { requestId });
    if (!prior) return null;
    if (prior.created_by !== user.id) throw errors.requestIdConflict();
    return this.one(user, prior.id);
  }

  /** 电话报: the record of a call, in seconds. It is a fact at once (sent) and reaches the office above. */
  async recordPhone(user: SessionUser, b: ReportFields & { requestId: string; incidentId?: string; caller: string; callee: string }): Promise<{ report: ReportDto; created: boolean }> {
    if (!hasAnyRole(user, WORK_ROLES)) throw errors.roleForbidden();
    const prior = await this.existing(user, b.requestId);
    if (prior) return { report: prior, created: false };
    const now = clock.now();
    const settings = await loadSettings(this.ctx.db);
    let reached: string[] = [];
    let id = '';
    let incidentId = '';
    try {
      await this.ctx.db.transaction().execute(async (trx) => {
        incidentId = b.incidentId ? (await this.incidentOfMine(trx, user, b.incidentId)).id : await this.openIncident(trx, user, b, now);
        const row = await insertReport(trx, {
            request_id: b.requestId,
            incident_id: incidentId,
            kind: 'phone',
            state: 'sent',
            unit_code: user.unitCode,
            ...(columns(b) as object),
            title: b.title,
            event_time: b.eventTime,
            place: b.place,
            grade: b.grade,
            summary: b.summary,
            caller: b.caller,
            callee: b.callee,
            created_by: user.id,
            submitted_at: now,
            signed_by: user.id,
            signed_at: now,
          });
        id = row.id;
        await addEvent(trx, { incidentId, reportId: id, unitCode: user.unitCode, actorId: user.id, action: 'phone_recorded', detail: { caller: b.caller, callee: b.callee }, at: now });
        reached = await this.deliver(trx, settings, row, user.unitCode, now);
      });
    } catch (e) {
      if ((e as { code?: string }).code === '23505') {
        const again = await this.existing(user, b.requestId);
        if (again) return { report: again, created: false };
      }
      throw e;
    }
    await this.afterSent(id, incidentId, user.unitCode, reached);
    return { report: await this.one(user, id), created: true };
  }

  private async afterSent(reportId: string, incidentId: string, unitCode: string, reached: string[]): Promise<void> {
    const chain = upChain(this.ctx, unitCode);
    await pushReport(this.ctx, 'report:new', reportId, chain);
    for (const u of reached) await pushReport(this.ctx, 'report:received', reportId, [u], { unitCode: u });
    pushNotice(this.ctx, 'incident:changed', chain, { id: incidentId });
    await this.onChange(incidentId);
  }

  /** A written report (首报, 续报, 终报): stored as a draft, submitted for sign-off, or signed at once by a leader. */
  async createWritten(
    user: SessionUser,
    b: ReportFields & { requestId: string; incidentId?: string; kind: Exclude<ReportKind, 'phone'>; action: 'draft' | 'submit' | 'sign' },
  ): Promise<{ report: ReportDto; created: boolean }> {
    if (!hasAnyRole(user, WORK_ROLES)) throw errors.roleForbidden();
    if (b.action === 'sign' && !hasAnyRole(user, SIGN_ROLES)) throw errors.roleForbidden();
    if (!b.incidentId && b.kind !== 'initial') throw errors.validation([{ path: 'incidentId', message: '续报和终报须属于一个已有事件' }]);
    const prior = await this.existing(user, b.requestId);
    if (prior) return { report: prior, created: false };
    const now = clock.now();
    let id = '';
    try {
      await this.ctx.db.transaction().execute(async (trx) => {
        const incidentId = b.incidentId ? (await this.incidentOfMine(trx, user, b.incidentId)).id : await this.openIncident(trx, user, b, now);
        const seq = b.kind === 'followup' ? await nextFollowupSeq(trx, incidentId) : 0;
        const row = await insertReport(trx, {
            request_id: b.requestId,
            incident_id: incidentId,
            kind: b.kind,
            seq,
            state: 'draft',
            unit_code: user.unitCode,
            ...(columns(b) as object),
            title: b.title,
            event_time: b.eventTime,
            place: b.place,
            grade: b.grade,
            summary: b.summary,
            created_by: user.id,
          });
        id = row.id;
        await addEvent(trx, { incidentId, reportId: id, unitCode: user.unitCode, actorId: user.id, action: 'drafted', detail: { kind: b.kind, seq }, at: now });
      });
    } catch (e) {
      if ((e as { code?: string }).code === '23505') {
        const again = await this.existing(user, b.requestId);
        if (again) return { report: again, created: false };
      }
      throw e;
    }
    if (b.action === 'draft') {
      await pushReport(this.ctx, 'report:update', id, [user.unitCode]);
      return { report: await this.one(user, id), created: true };
    }
    return { report: await this.act(user, id, b.action), created: true };
  }

  /** Edits a draft (or a returned report). Every change keeps the previous values in the timeline. */
  async edit(user: SessionUser, id: string, f: Partial<ReportFields>): Promise<ReportDto> {
    const row = await this.readableRow(user, id);
    const d = decideReport('edit', { roles: user.roles, ownUnit: row.unit_code === user.unitCode, state: row.state, kind: row.kind });
    if (!d.ok) throw denied(d.why);
    const next = columns(f);
    const before: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(next)) {
      const old = (row as unknown as Record<string, unknown>)[k];
      const same = old instanceof Date && v instanceof Date ? old.getTime() === v.getTime() : old === v;
      if (same) delete next[k];
      else before[k] = old instanceof Date ? old.toISOString() : old;
    }
    if (!Object.keys(next).length) return this.one(user, id);
    const now = clock.now();
    await this.ctx.db.transaction().execute(async (trx) => {
      if (!(await updateReportIn(trx, id, ['draft', 'returned'], next))) throw errors.reportState();
      await addEvent(trx, { incidentId: row.incident_id, reportId: id, unitCode: user.unitCode, actorId: user.id, action: 'edited', detail: { before }, at: now });
    });
    await pushReport(this.ctx, 'report:update', id, [row.unit_code]);
    return this.one(user, id);
  }

  /** submit (送审) / sign (签发) / return (退回) in the report's own unit. */
  async act(user: SessionUser, id: string, action: 'submit' | 'sign' | 'return', comment?: string): Promise<ReportDto> {
    const row = await this.readableRow(user, id);
    const d = decideReport(action, { roles: user.roles, ownUnit: row.unit_code === user.unitCode, state: row.state, kind: row.kind });
    if (!d.ok) {
      // A repeated click after a lost response: already where the caller wanted it.
      if (d.why === 'STATE' && ((action === 'sign' && row.state === 'sent') || (action === 'submit' && row.state === 'pending_signoff'))) return this.one(user, id);
      throw denied(d.why);
    }
    const now = clock.now();
    const settings = await loadSettings(this.ctx.db);
    let reached: string[] = [];
    await this.ctx.db.transaction().execute(async (trx) => {
      // After the 终报 an incident takes no more reports: a draft left over cannot go out any more.
      const inc = (await incidentById(trx, row.incident_id))!;
      if (inc.status === 'closed' && action !== 'return') throw errors.reportState({ reason: 'incident closed' });
      const set: Record<string, unknown> = { state: d.to };
      if (action === 'submit') set.submitted_at = now;
      if (action === 'sign') Object.assign(set, { signed_by: user.id, signed_at: now, sign_comment: comment ?? null, submitted_at: row.submitted_at ?? now });
      if (action === 'return') set.sign_comment = comment ?? null;
      if (!(await updateReportIn(trx, id, [row.state], set))) throw errors.reportState();
      await addEvent(trx, { incidentId: row.incident_id, reportId: id, unitCode: user.unitCode, actorId: user.id, action: action === 'submit' ? 'submitted' : action === 'sign' ? 'signed' : 'returned', detail: comment ? { comment } : {}, at: now });
      if (action === 'sign') {
        const upd: Record<string, unknown> = { classification: Math.max(inc.classification, row.classification) };
        // An incident opened by a phone report (no category) takes the category of its first written report.
        if (row.kind !== 'phone' && row.category && row.category !== inc.category) upd.category = row.category;
        if (row.kind !== 'phone' && inc.grade !== row.grade) {
          upd.grade = row.grade;
          await addEvent(trx, { incidentId: row.incident_id, reportId: id, unitCode: user.unitCode, actorId: user.id, action: 'grade_changed', detail: { from: inc.grade, to: row.grade }, at: now });
        }
        if (row.kind === 'final') {
          Object.assign(upd, { status: 'closed', closed_at: now });
          await addEvent(trx, { incidentId: row.incident_id, reportId: id, unitCode: user.unitCode, actorId: user.id, action: 'incident_closed', detail: {}, at: now });
        }
        await updateIncident(trx, row.incident_id, upd);
        reached = await this.deliver(trx, settings, row, row.unit_code, now);
      }
    });
    if (action === 'sign') await this.afterSent(id, row.incident_id, row.unit_code, reached);
    else {
      await pushReport(this.ctx, 'report:update', id, [row.unit_code]);
      pushNotice(this.ctx, 'incident:changed', [row.unit_code], { id: row.incident_id });
    }
    return this.one(user, id);
  }

  /**
   * At a receiving office: 签收, 研判, 上报 (submit for sign-off), 签发 of the relay, or its return.
   * `text`: the assessment (研判) or the reason of a return; `comment`: the leader's sign-off comment (签发意见).
   */
  async hopAct(user: SessionUser, id: string, action: HopAction, text?: string, comment?: string): Promise<ReportDto> {
    const row = await this.readableRow(user, id);
    const hop = await hopAt(this.ctx.db, id, user.unitCode);
    if (!hop) throw errors.scopeForbidden();
    const parent = this.ctx.tree.get(user.unitCode)?.parentCode ?? null;
    const d = decideHop(action, { roles: user.roles, atHopUnit: true, state: hop.state, kind: row.kind, hasParent: !!parent, isCopy: hop.is_copy });
    if (!d.ok) {
      if (d.why === 'STATE' && ((action === 'acknowledge' && hop.state !== 'received') || (action === 'relay_sign' && hop.state === 'relayed'))) return this.one(user, id);
      throw denied(d.why);
    }
    if (!clearedFor(row.classification, user.roles) && action !== 'acknowledge') throw errors.reportClassified();
    const now = clock.now();
    const settings = await loadSettings(this.ctx.db);
    let reached: string[] = [];
    await this.ctx.db.transaction().execute(async (trx) => {
      const set: Record<string, unknown> = { state: d.to };
      if (action === 'acknowledge') Object.assign(set, { acknowledged_at: now, acknowledged_by: user.id });
      if (action === 'assess') set.assessment = text ?? '';
      if (action === 'relay') {
        set.relay_by = user.id;
        if (text) set.assessment = text;
      }
      if (action === 'relay_sign') {
        if (text) set.assessment = text;
        set.relay_sign_comment = comment || null;
      }
      if (d.to === 'relayed') Object.assign(set, { relayed_at: now, relay_signed_by: action === 'relay_sign' ? user.id : null, relay_by: hop.relay_by ?? user.id });
      if (!(await updateHopIn(trx, hop.id, hop.state, set))) throw errors.reportState();
      const names: Record<HopAction, string> = { acknowledge: 'acknowledged', assess: 'assessed', relay: d.to === 'relayed' ? 'relayed' : 'relay_submitted', relay_sign: 'relayed', relay_return: 'relay_returned' };
      const detail = { ...(text ? { text } : {}), ...(action === 'relay_sign' && comment ? { comment } : {}) };
      await addEvent(trx, { incidentId: row.incident_id, reportId: id, unitCode: user.unitCode, actorId: user.id, action: names[action], detail, at: now });
      if (d.to === 'relayed') reached = await this.deliver(trx, settings, row, user.unitCode, now);
      await this.onHopInTx(trx, { reportId: id, unitCode: user.unitCode, action });
    });
    const chain = upChain(this.ctx, row.unit_code);
    await pushReport(this.ctx, 'report:update', id, chain);
    for (const u of reached) await pushReport(this.ctx, 'report:received', id, [u], { unitCode: u });
    pushNotice(this.ctx, 'incident:changed', chain, { id: row.incident_id });
    await this.onChange(row.incident_id);
    return this.one(user, id);
  }

  /** 漏报: a level above learned first; it opens the incident for a unit below and demands its report. */
  async demand(user: SessionUser, b: { unitCode: string; title: string; eventTime: Date; place: string; grade: Grade; note: string }): Promise<string> {
    if (!hasAnyRole(user, WORK_ROLES)) throw errors.roleForbidden();
    if (b.unitCode === user.unitCode || !this.ctx.tree.isWithin(b.unitCode, user.unitCode)) throw errors.scopeForbidden();
    const now = clock.now();
    const incidentId = await this.ctx.db.transaction().execute(async (trx) => {
      const id = await insertIncident(trx, {
          unit_code: b.unitCode,
          title: b.title,
          event_time: b.eventTime,
          place: b.place,
          category: '',
          grade: b.grade,
          classification: 0,
          status: 'open',
          demanded_by_unit: user.unitCode,
          demand_note: b.note,
          opened_by: user.id,
          created_at: now,
          closed_at: null,
        });
      await addEvent(trx, { incidentId: id, unitCode: user.unitCode, actorId: user.id, action: 'report_demanded', detail: { unit: b.unitCode, note: b.note }, at: now });
      return id;
    });
    pushNotice(this.ctx, 'incident:changed', upChain(this.ctx, b.unitCode), { id: incidentId });
    pushNotice(this.ctx, 'incident:demanded', [b.unitCode], { id: incidentId, byUnit: user.unitCode, byUnitName: user.unitName });
    await this.onChange(incidentId);
    return incidentId;
  }

  /** 领导批示: an instruction on an incident, sent down to named units as a task. */
  async instruct(user: SessionUser, b: { incidentId: string; reportId?: string; text: string; unitCodes: string[]; dueAt?: Date }): Promise<string> {
    if (!hasAnyRole(user, SIGN_ROLES)) throw errors.roleForbidden();
    // Only on what the issuer may read (404 as for reading it): an incident nothing was sent for, or a
    // report of another incident or still unsent, stays the unit's own (V2).
    const [inc] = await visibleIncidentRows(this.ctx.db, this.ctx.tree, user, { ids: [b.incidentId] });
    if (!inc) throw errors.notFound('事件');
    if (b.reportId) {
      const [rep] = /^[0-9a-f-]{36}$/i.test(b.reportId) ? await reportRows(this.ctx.db, { ids: [b.reportId] }) : [];
      if (!rep || rep.incident_id !== inc.id || !mayReadReport(this.ctx.tree, user, rep)) throw errors.notFound('紧急信息');
    }
    const bad = b.unitCodes.filter((u) => !this.ctx.tree.isWithin(u, user.unitCode));
    if (bad.length) throw errors.scopeForbidden({ unitCodes: bad });
    const now = clock.now();
    const insId = await this.ctx.db.transaction().execute(async (trx) => {
      const id = await insertInstruction(trx, { incidentId: inc.id, reportId: b.reportId ?? null, unitCode: user.unitCode, authorId: user.id, text: b.text, dueAt: b.dueAt ?? null, at: now, targets: [...new Set(b.unitCodes)] });
      await addEvent(trx, { incidentId: inc.id, reportId: b.reportId ?? null, unitCode: user.unitCode, actorId: user.id, action: 'instructed', detail: { text: b.text, units: b.unitCodes, dueAt: b.dueAt?.toISOString() ?? null }, at: now });
      return id;
    });
    pushNotice(this.ctx, 'instruction:new', b.unitCodes, { id: insId, incidentId: inc.id, byUnitName: user.unitName });
    pushNotice(this.ctx, 'incident:changed', upChain(this.ctx, inc.unit_code), { id: inc.id });
    return insId;
  }

  /** 反馈 by a target unit; `done` closes the task for that unit. */
  async feedback(user: SessionUser, instructionId: string, b: { text: string; done: boolean }): Promise<void> {
    if (!hasAnyRole(user, WORK_ROLES)) throw errors.roleForbidden();
    if (!/^[0-9a-f-]{36}$/i.test(instructionId)) throw errors.notFound('批示');
    // Instructions on information items are answered in /api/information.
    const target = await incidentTaskOf(this.ctx.db, instructionId, user.unitCode);
    if (!target) throw errors.notFound('批示');
    if (target.done_at) throw errors.reportState({ reason: 'instruction done' });
    const now = clock.now();
    const feedbackId = await this.ctx.db.transaction().execute(async (trx) => {
      const id = await insertFeedback(trx, { instructionId, unitCode: user.unitCode, authorId: user.id, text: b.text, done: b.done, at: now });
      await addEvent(trx, { incidentId: target.incident_id, reportId: target.report_id, unitCode: user.unitCode, actorId: user.id, action: 'feedback', detail: { text: b.text, done: b.done }, at: now });
      return id;
    });
    // The instructing office is told who answered (its leaders are alerted); the text only for unclassified incidents.
    pushNotice(this.ctx, 'instruction:feedback', [target.issuer, user.unitCode], {
      id: instructionId,
      incidentId: target.incident_id,
      feedbackId: String(feedbackId),
      issuer: target.issuer,
      unitCode: user.unitCode,
      unitName: user.unitName,
      authorName: user.displayName,
      done: b.done,
      ...(target.classification < 2 ? { text: b.text } : {}),
    });
  }

  async attach(user: SessionUser, reportId: string, file: { filename: string; mime: string; data: Buffer }): Promise<ReportDto> {
    const row = await this.readableRow(user, reportId);
    const d = decideReport('attach', { roles: user.roles, ownUnit: row.unit_code === user.unitCode, state: row.state, kind: row.kind });
    if (!d.ok) throw denied(d.why);
    const now = clock.now();
    await this.ctx.db.transaction().execute(async (trx) => {
      await insertAttachment(trx, { reportId, filename: file.filename, mime: file.mime, data: file.data, by: user.id, at: now });
      await addEvent(trx, { incidentId: row.incident_id, reportId, unitCode: user.unitCode, actorId: user.id, action: 'attached', detail: { filename: file.filename, size: file.data.length }, at: now });
    });
    await pushReport(this.ctx, 'report:update', reportId, [row.unit_code]);
    return this.one(user, reportId);
  }

  async attachment(user: SessionUser, id: string) {
    if (!/^[0-9a-f-]{36}$/i.test(id)) throw errors.notFound('附件');
    const a = await attachmentById(this.ctx.db, id);
    if (!a) throw errors.notFound('附件');
    const row = await this.readableRow(user, a.report_id);
    if (!clearedFor(row.classification, user.roles, row.created_by === user.id)) throw errors.reportClassified();
    return a;
  }
}
