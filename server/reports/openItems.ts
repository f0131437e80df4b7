/**
 * What a unit's duty officer must carry over at handover from the urgent-report side: reports awaiting a
 * follow-up or sign-off, reports received and not yet acknowledged/relayed, and leaders' instructions
 * awaiting feedback. The duty handover reads this.
 */
import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.ts';
import type { OrgTree } from '../org/tree.ts';
import { clock } from '../clock.ts';
import { loadRules, loadSettings, obligationsFor } from './repo.ts';
import { CLASSIFIED_FROM } from './workflow.ts';

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

const REDACTED = '【涉密信息】';

export async function openReportItems(db: Kysely<Database>, tree: OrgTree, unitCode: string): Promise<OpenReportItem[]> {
  const now = clock.now();
  const [rules, settings] = await Promise.all([loadRules(db), loadSettings(db)]);
  const items: OpenReportItem[] = [];
  const title = (t: string, c: number) => (c >= CLASSIFIED_FROM ? REDACTED : t);

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
