/**
 * What a unit's duty officer must carry over at handover from the urgent-report side: reports awaiting a
 * follow-up or sign-off, reports received and not yet acknowledged/relayed, and leaders' instructions
 * awaiting feedback. The duty handover reads this.
 */
import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.ts';
import type { OrgTree } from '../org/tree.ts';
import { clock } from '../clock.ts';
import { loadRules, loadSettings } from './repo.ts';
import { obligationsFor } from './incidentFacts.ts';
import { CLASSIFIED_FROM, REDACTED_TITLE } from './workflow.ts';

export interface OpenReportItem {
  kind: 'report_followup' | 'report_signoff' | 'report_relay' | 'instruction_feedback';
  /**
   * report_signoff, report_relay: the report's id; report_followup: the incident's id (open in the console at
   * /reports/incidents/:id); instruction_feedback: the instruction's id.
   */
  id: string;
  title: string;
  /** When it is due, if a rule gives a deadline (ISO). */
  dueAt: string | null;
}

export async function openReportItems(db: Kysely<Database>, tree: OrgTree, unitCode: string): Promise<OpenReportItem[]> {
  const now = clock.now();
  const [rules, settings] = await Promise.all([loadRules(db), loadSettings(db)]);
  const items: OpenReportItem[] = [];
  const title = (t: string, c: number) => (c >= CLASSIFIED_FROM ? REDACTED_TITLE : t);

  // Open incidents of this unit: their deadlines and the next 续报.
  const incidents = await db.selectFrom('incidents').selectAll().where('unit_code', '=', unitCode).where('status', '=', 'open').execute();
  const facts = await obligationsFor(db, tree, incidents, rules, settings, now);
  const dueOf = (incidentId: string) => {
    const f = facts.get(incidentId);
    const mine = f?.deadlines.filter((d) => d.unitCode === unitCode && !d.metAt).map((d) => d.dueAt).sort()[0];
    return mine ?? f?.followupDueAt?.toISOString() ?? null;
  };

  const signoff = await db
    .selectFrom('urgent_reports')
    .select(['id', 'incident_id', 'title', 'classification'])
    .where('unit_code', '=', unitCode)
    .where('state', 'in', ['draft', 'pending_signoff', 'returned'])
    .execute();
  for (const r of signoff) items.push({ kind: 'report_signoff', id: r.id, title: title(r.title, r.classification), dueAt: dueOf(r.incident_id) });

  for (const inc of incidents) {
    if (signoff.some((r) => r.incident_id === inc.id)) continue;
    items.push({ kind: 'report_followup', id: inc.id, title: title(inc.title, inc.classification), dueAt: dueOf(inc.id) });
  }

  const hasParent = !!tree.get(unitCode)?.parentCode;
  const hops = await db
    .selectFrom('report_hops as h')
    .innerJoin('urgent_reports as r', 'r.id', 'h.report_id')
    .innerJoin('incidents as i', 'i.id', 'r.incident_id')
    .select(['r.id', 'r.title', 'r.classification', 'r.incident_id', 'h.state', 'h.is_copy', 'i.event_time', 'i.grade', 'i.unit_code'])
    .where('h.unit_code', '=', unitCode)
    .where('h.state', '<>', 'relayed')
    .execute();
  const hopIncidents = await db.selectFrom('incidents').selectAll().where('id', 'in', hops.length ? hops.map((h) => h.incident_id) : ['00000000-0000-0000-0000-000000000000']).execute();
  const hopFacts = await obligationsFor(db, tree, hopIncidents, rules, settings, now);
  for (const h of hops) {
    if (h.state === 'acknowledged' && (!hasParent || h.is_copy)) continue;
    const due = hopFacts.get(h.incident_id)?.deadlines.filter((d) => d.unitCode === unitCode && !d.metAt).map((d) => d.dueAt).sort()[0] ?? null;
    items.push({ kind: 'report_relay', id: h.id, title: title(h.title, h.classification), dueAt: due });
  }

  const instr = await db
    .selectFrom('instruction_targets as t')
    .innerJoin('report_instructions as i', 'i.id', 't.instruction_id')
    .innerJoin('incidents as inc', 'inc.id', 'i.incident_id')
    .select(['i.id', 'i.text', 'i.due_at', 'inc.classification'])
    .where('t.unit_code', '=', unitCode)
    .where('t.done_at', 'is', null)
    .execute();
  for (const i of instr) items.push({ kind: 'instruction_feedback', id: i.id, title: title(i.text.slice(0, 80), i.classification), dueAt: i.due_at?.toISOString() ?? null });

  return items.sort((a, b) => (a.dueAt ?? '9').localeCompare(b.dueAt ?? '9'));
}

/** What a reader outside the unit sees instead of the title of work the unit has not sent. */
export const UNSENT_TITLE = '（本单位尚未报送，内容仅本单位可见）';
/** Kinds whose title is unsent work until a report is sent: stored without a title, resolved at read. */
export const UNSENT_KINDS: ReadonlySet<string> = new Set(['report_signoff', 'report_followup']);

/**
 * Open items (or stored handover items) of `ownerUnit` as `readerUnit` may see them. Drafts and reports
 * awaiting sign-off are the unit's own: outside it only the fact (kind, due time) shows. A follow-up item's
 * incident title shows to units above once something was sent for it (or they demanded the report).
 */
export async function itemsForReader<T extends { kind: string; refId: string; title: string }>(
  db: Kysely<Database>,
  ownerUnit: string,
  readerUnit: string,
  items: T[],
): Promise<T[]> {
  const own = ownerUnit === readerUnit;
  const reportIds = items.filter((i) => i.kind === 'report_signoff' && i.refId).map((i) => i.refId);
  const incidentIds = items.filter((i) => i.kind === 'report_followup' && i.refId).map((i) => i.refId);
  const reports = own && reportIds.length ? await db.selectFrom('urgent_reports').select(['id', 'title', 'classification']).where('id', 'in', reportIds).execute() : [];
  const incidents = incidentIds.length
    ? await db
        .selectFrom('incidents as i')
        .select(['i.id', 'i.title', 'i.classification', 'i.demanded_by_unit'])
        .select((eb) => eb.exists(eb.selectFrom('urgent_reports as r').select('r.id').whereRef('r.incident_id', '=', 'i.id').where('r.state', '=', 'sent')).as('sent'))
        .where('i.id', 'in', incidentIds)
        .execute()
    : [];
  const title = (t: string, c: number) => (c >= CLASSIFIED_FROM ? REDACTED_TITLE : t);
  return items.map((it) => {
    if (it.kind === 'report_signoff') {
      const r = reports.find((x) => x.id === it.refId);
      return own && r ? { ...it, title: title(r.title, r.classification) } : { ...it, refId: own ? it.refId : '', title: own ? it.title : UNSENT_TITLE };
    }
    if (it.kind === 'report_followup') {
      const inc = incidents.find((x) => x.id === it.refId);
      const visible = inc && (own || inc.sent || inc.demanded_by_unit !== null);
      return visible ? { ...it, title: title(inc.title, inc.classification) } : { ...it, refId: own ? it.refId : '', title: own ? it.title : UNSENT_TITLE };
    }
    return it;
  });
}
