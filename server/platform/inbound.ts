/**
 * CAP messages from the platform: alerts of other agencies (weather, earthquake, flood …), and Ack/Error
 * answers about ours. The route has checked signature, rate and size already; here the body is parsed
 * safely and checked against our CAP model. Anything that fails gets a CAP Error answer and is kept for
 * the operator; nothing else happens. An accepted alert alarms the duty consoles of the units it covers.
 */
import { randomUUID } from 'node:crypto';
import type { SessionUser } from '../auth/sessions.ts';
import { hasAnyRole } from '../auth/sessions.ts';
import { clock } from '../clock.ts';
import type { AppContext } from '../context.ts';
import type { ReportRuntime } from '../reports/runtime.ts';
import { unitRoom } from '../realtime/rooms.ts';
import { errors } from '../http/errors.ts';
import { addEvent } from '../reports/repo.ts';
import { WORK_ROLES } from '../reports/workflow.ts';
import type { InboundAlertDto } from '../../contract/platform.ts';
import { buildAnswer, parseReferences } from './cap.ts';
import { checkCap, childrenOf, textOf, type XNode } from './capModel.ts';
import { categoryFromCap, coverage, GRADE_BY_SEVERITY, lowestCovered } from './area.ts';
import type { PlatformConfig } from './config.ts';
import * as repo from './repo.ts';
import { parseCapXml } from './xml.ts';

export interface InboundAnswer {
  status: number;
  xml: string | null;
}

export class InboundService {
  constructor(
    private readonly ctx: AppContext,
    private readonly cfg: PlatformConfig,
    /** The report workflow this link reads from and feeds (passed in: no import circle through the context). */
    private readonly reports: ReportRuntime,
  ) {}

  private answer(type: 'Ack' | 'Error', about: { sender: string; identifier: string; sent: string } | null, note?: string) {
    return buildAnswer(type, { sender: this.cfg.sender, identifier: `${this.ctx.tree.root.code}-ANS-${randomUUID()}`, now: clock.now() }, about, note).xml;
  }

  private async reject(body: Buffer, error: string, tree: XNode | null): Promise<InboundAnswer> {
    const about = tree && textOf(tree, 'identifier') && textOf(tree, 'sender') && textOf(tree, 'sent') ? { sender: textOf(tree, 'sender')!, identifier: textOf(tree, 'identifier')!, sent: textOf(tree, 'sent')! } : null;
    // Kept for the operator, as text (never parsed again), cut to what the size limit allows anyway.
    await this.ctx.db
      .insertInto('platform_inbound')
      .values({ status: 'rejected', identifier: about?.identifier ?? null, sender: about?.sender ?? null, sent: about?.sent ?? null, msg_type: tree ? (textOf(tree, 'msgType') ?? null) : null, error, xml: body.toString('utf8').slice(0, 64 * 1024) })
      .execute();
    this.ctx.log.warn({ error }, 'platform inbound message rejected');
    return { status: 400, xml: this.answer('Error', about, error) };
  }

  /** Handles one authenticated body. */
  async receive(body: Buffer): Promise<InboundAnswer> {
    let tree: XNode;
    try {
      tree = parseCapXml(body);
    } catch (e) {
      return this.reject(body, (e as Error).message, null);
    }
    const problems = checkCap(tree);
    if (problems.length) return this.reject(body, problems.slice(0, 20).join('; '), tree);
    const sender = textOf(tree, 'sender')!;
    const identifier = textOf(tree, 'identifier')!;
    const sent = textOf(tree, 'sent')!;
    const msgType = textOf(tree, 'msgType')!;
    const now = clock.now();
    const refs = parseReferences(textOf(tree, 'references') ?? '').map((r) => r.identifier);
    // The platform's answers about our messages, arriving on their own.
    if (msgType === 'Ack' || msgType === 'Error') {
      for (const ours of refs) {
        if (msgType === 'Ack') await repo.ackByIdentifier(this.ctx.db, ours, { ackIdentifier: identifier, xml: body.toString('utf8'), now });
        else await repo.parkByIdentifier(this.ctx.db, ours, { error: `平台返回错误：${textOf(tree, 'note') ?? ''}`, xml: body.toString('utf8'), now });
      }
      this.ctx.io.to(unitRoom(this.ctx.tree.root.code)).emit('platform:outbox', {});
      return { status: 200, xml: null };
    }
    const about = { sender, identifier, sent };
    const prior = await repo.findInbound(this.ctx.db, sender, identifier);
    if (prior) return { status: 200, xml: this.answer('Ack', about) };
    // An Update or Cancel names the earlier alerts it replaces (`sender,identifier,sent` each).
    const replaced = msgType === 'Alert' ? [] : await repo.referencedInbound(this.ctx.db, parseReferences(textOf(tree, 'references') ?? ''));
    const latest = replaced.at(-1);
    const info = childrenOf(tree, 'info').find((i) => (textOf(i, 'language') ?? 'en-US').toLowerCase().startsWith('zh')) ?? childrenOf(tree, 'info')[0];
    const areas = childrenOf(info, 'area').map((a) => ({
      areaDesc: textOf(a, 'areaDesc') ?? '',
      geocodes: childrenOf(a, 'geocode').map((g) => ({ valueName: textOf(g, 'valueName') ?? '', value: textOf(g, 'value') ?? '' })),
    }));
    const cov = coverage(this.ctx.tree, areas);
    // A bare Cancel (no info) lifts the earlier alert where it was: same headline, same units.
    const from = !info && latest ? latest : null;
    const row = await this.ctx.db.transaction().execute(async (trx) => {
      const inserted = await trx
        .insertInto('platform_inbound')
        .values({
          status: 'accepted',
          identifier,
          sender,
          sent,
          msg_type: msgType,
          headline: from?.headline ?? textOf(info, 'headline') ?? textOf(info, 'event') ?? '',
          event: from?.event ?? textOf(info, 'event') ?? '',
          severity: from?.severity ?? textOf(info, 'severity') ?? '',
          area_desc: from?.area_desc ?? areas.map((a) => a.areaDesc).join('；'),
          description: [textOf(info, 'description'), textOf(info, 'instruction')].filter(Boolean).join('\n'),
          geocodes: from?.geocodes ?? areas.flatMap((a) => a.geocodes.map((g) => g.value)),
          unit_codes: from?.unit_codes ?? cov.unitCodes,
          matched_by: from?.matched_by ?? cov.matchedBy,
          error: null,
          xml: body.toString('utf8'),
          incident_id: null,
          meeting_id: null,
          supersedes: latest?.id ?? null,
        })
        .onConflict((oc) => oc.columns(['sender', 'identifier']).where('status', '<>', 'rejected').doNothing())
        .returningAll()
        .executeTakeFirst();
      if (inserted && replaced.length) {
        await repo.markReplaced(trx, replaced.map((r) => r.id), inserted.id, msgType === 'Cancel' ? now : null);
      }
      return inserted;
    });
    if (row) {
      await this.notify(row);
      // The replaced alerts change state on every console that shows them (their alarm stops there).
      for (const r of replaced) {
        const fresh = await repo.inboundById(this.ctx.db, r.id);
        if (fresh) await this.notify(fresh);
      }
    }
    return { status: 200, xml: this.answer('Ack', about) };
  }

  /** The units an alert covers and the offices above them: who sees it and whose console alarms. */
  private viewers(r: repo.InboundRow): string[] {
    const out = new Set<string>([this.ctx.tree.root.code]);
    for (const c of r.unit_codes) {
      out.add(c);
      for (const a of this.ctx.tree.ancestors(c)) out.add(a.code);
    }
    return [...out];
  }

  private async notify(r: repo.InboundRow): Promise<void> {
    for (const code of this.viewers(r)) {
      const dto = repo.inboundDto(r, this.ctx.tree, undefined);
      this.ctx.io.to(unitRoom(code)).emit('platform:alert', { alert: dto });
    }
  }

  private mayView(user: SessionUser, r: repo.InboundRow): boolean {
    if (user.unitCode === this.ctx.tree.root.code) return true;
    return r.status === 'accepted' && this.viewers(r).includes(user.unitCode);
  }

  async list(user: SessionUser): Promise<InboundAlertDto[]> {
    const root = user.unitCode === this.ctx.tree.root.code;
    const mine = this.ctx.tree.subtree(user.unitCode).map((u) => u.code);
    const rows = await repo.listInbound(this.ctx.db, root ? 'all' : mine);
    const acks = await repo.acksOf(this.ctx.db, rows.map((r) => r.id), user.unitCode);
    return rows.map((r) => repo.inboundDto(r, this.ctx.tree, acks.get(r.id)));
  }

  async get(user: SessionUser, id: string): Promise<repo.InboundRow> {
    const r = /^[0-9a-f-]{36}$/i.test(id) ? await repo.inboundById(this.ctx.db, id) : undefined;
    if (!r || !this.mayView(user, r)) throw errors.notFound('预警信息');
    return r;
  }

  async dto(user: SessionUser, r: repo.InboundRow): Promise<InboundAlertDto> {
    const acks = await repo.acksOf(this.ctx.db, [r.id], user.unitCode);
    return repo.inboundDto(r, this.ctx.tree, acks.get(r.id));
  }

  /** 确认: the unit's duty officer has seen it; its alarm stops (for this unit only). */
  async acknowledge(user: SessionUser, id: string): Promise<InboundAlertDto> {
    if (!hasAnyRole(user, WORK_ROLES)) throw errors.roleForbidden();
    const r = await this.get(user, id);
    if (r.status !== 'accepted') throw errors.reportState({ reason: 'rejected message' });
    await this.ctx.db
      .insertInto('platform_inbound_acks')
      .values({ inbound_id: r.id, unit_code: user.unitCode, acknowledged_by: user.id, acknowledged_at: clock.now() })
      .onConflict((oc) => oc.columns(['inbound_id', 'unit_code']).doNothing())
      .execute();
    this.ctx.io.to(unitRoom(user.unitCode)).emit('platform:alert-ack', { id: r.id });
    return this.dto(user, r);
  }

  /** 立为事件: opens an incident in the caller's unit from the alert (once per alert). */
  async openIncident(user: SessionUser, id: string): Promise<string> {
    if (!hasAnyRole(user, WORK_ROLES)) throw errors.roleForbidden();
    const r = await this.get(user, id);
    if (r.status !== 'accepted') throw errors.reportState({ reason: 'rejected message' });
    if (r.incident_id) return r.incident_id;
    const tree = parseCapXml(r.xml);
    const info = childrenOf(tree, 'info')[0];
    const now = clock.now();
    const onset = textOf(info, 'onset') ?? r.sent;
    const incidentId = await this.ctx.db.transaction().execute(async (trx) => {
      const inc = await trx
        .insertInto('incidents')
        .values({
          unit_code: user.unitCode,
          title: (r.headline || r.event || '应急平台预警').slice(0, 200),
          event_time: onset && !Number.isNaN(Date.parse(onset)) ? new Date(onset) : now,
          place: (r.area_desc || '见预警信息').slice(0, 300),
          category: categoryFromCap(childrenOf(info, 'category').map((c) => c.text)),
          grade: GRADE_BY_SEVERITY[r.severity] ?? 4,
          classification: 0,
          status: 'open',
          demanded_by_unit: null,
          demand_note: null,
          opened_by: user.id,
          created_at: now,
          closed_at: null,
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      await addEvent(trx, { incidentId: inc.id, unitCode: user.unitCode, actorId: user.id, action: 'incident_opened', detail: { title: r.headline, fromPlatformAlert: r.identifier }, at: now });
      const upd = await trx.updateTable('platform_inbound').set({ incident_id: inc.id }).where('id', '=', r.id).where('incident_id', 'is', null).returning('id').executeTakeFirst();
      if (!upd) throw errors.reportState({ reason: 'incident already opened' });
      return inc.id;
    });
    this.ctx.io.to(unitRoom(user.unitCode)).emit('incident:changed', { id: incidentId });
    await this.reports.ticker.check([incidentId]).catch(() => undefined);
    return incidentId;
  }

  /** 要求报告 (漏报 check): demands a report from each affected unit below the caller. */
  async demandReports(user: SessionUser, id: string, note = ''): Promise<string[]> {
    const r = await this.get(user, id);
    if (r.status !== 'accepted') throw errors.reportState({ reason: 'rejected message' });
    const targets = lowestCovered(this.ctx.tree, r.unit_codes).filter((c) => c !== user.unitCode && this.ctx.tree.isWithin(c, user.unitCode));
    if (!targets.length) throw errors.scopeForbidden({ reason: 'no affected unit below yours' });
    const onset = r.sent && !Number.isNaN(Date.parse(r.sent)) ? new Date(r.sent) : clock.now();
    const ids: string[] = [];
    for (const unitCode of targets) {
      ids.push(
        await this.reports.service.demand(user, {
          unitCode,
          title: (r.headline || r.event || '应急平台预警').slice(0, 200),
          eventTime: onset.getTime() > clock.now().getTime() ? clock.now() : onset,
          place: (r.area_desc || '见预警信息').slice(0, 300),
          grade: GRADE_BY_SEVERITY[r.severity] ?? 4,
          note: note || `应急平台预警（${r.sender}）：请核实本地情况并报告`,
        }),
      );
    }
    return ids;
  }
}
