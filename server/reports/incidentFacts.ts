/**
 * Each incident's deadline facts (the reporting unit and every office above it) and the incidents list's DTOs,
 * read in as few statements as the data allows: the incidents list runs on every duty desk's refresh.
 */
import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../../db/schema.ts';
import type { HopState, ReportKind } from '../../db/tables/reports.ts';
import type { SessionUser } from '../auth/sessions.ts';
import type { OrgTree } from '../org/tree.ts';
import type { Category, IncidentDto, ObligationDto } from '../../contract/reports.ts';
import { evaluateDeadlines, nextFollowupDue, type DeadlineRule, type ChainFacts } from './deadlines.ts';
import { clearedFor, REDACTED_TITLE } from './workflow.ts';
import { loadRules, loadSettings, type Settings } from './rulesRepo.ts';
import type { IncidentRow } from './repo.ts';

type Db = Kysely<Database> | Transaction<Database>;

const iso = (d: Date | null | undefined) => (d ? d.toISOString() : null);

/**
 * What the deadlines need of the incidents' sent reports (by creation) and of every hop of their reports, any
 * state (by receipt): one statement, a row per hop (a report without hops: one row, hop columns null).
 */
async function incidentReportFacts(db: Db, incidentIds: string[]) {
  if (!incidentIds.length) return { sent: [], hops: [] };
  const rows = await db
    .selectFrom('urgent_reports as r')
    .leftJoin('report_hops as h', 'h.report_id', 'r.id')
    .select(['r.id', 'r.incident_id', 'r.kind', 'r.signed_at', 'r.state'])
    .select(['h.id as hop_id', 'h.unit_code', 'h.state as hop_state', 'h.is_copy', 'h.relayed_at', 'h.received_at'])
    .where('r.incident_id', 'in', incidentIds)
    .orderBy('r.created_at', 'asc')
    .orderBy('r.id')
    .execute();
  const sent: { id: string; incident_id: string; kind: ReportKind; signed_at: Date | null }[] = [];
  const hops: { report_id: string; incident_id: string; unit_code: string; state: HopState; is_copy: boolean; relayed_at: Date | null; received_at: Date }[] = [];
  for (const r of rows) {
    if (r.state === 'sent' && sent[sent.length - 1]?.id !== r.id) sent.push({ id: r.id, incident_id: r.incident_id, kind: r.kind, signed_at: r.signed_at });
    if (r.hop_id !== null && r.unit_code !== null && r.hop_state !== null && r.is_copy !== null && r.received_at !== null) {
      hops.push({ report_id: r.id, incident_id: r.incident_id, unit_code: r.unit_code, state: r.hop_state, is_copy: r.is_copy, relayed_at: r.relayed_at, received_at: r.received_at });
    }
  }
  hops.sort((a, b) => a.received_at.getTime() - b.received_at.getTime());
  return { sent, hops };
}
type SentFact = Awaited<ReturnType<typeof incidentReportFacts>>['sent'][number];
type HopFact = Awaited<ReturnType<typeof incidentReportFacts>>['hops'][number];

const groupBy = <T>(xs: T[], key: (x: T) => string) => {
  const m = new Map<string, T[]>();
  for (const x of xs) {
    const k = key(x);
    const g = m.get(k);
    if (g) g.push(x);
    else m.set(k, [x]);
  }
  return m;
};

export interface IncidentFacts {
  deadlines: ObligationDto[];
  followupDueAt: Date | null;
  sent: SentFact[];
  /** Every hop of the incident's reports, whatever their state. */
  hops: HopFact[];
}

/** Deadline facts of each incident's chain (the reporting unit and every office above it). */
export async function obligationsFor(
  db: Db,
  tree: OrgTree,
  incidents: IncidentRow[],
  rules: DeadlineRule[],
  settings: Settings,
  now: Date,
): Promise<Map<string, IncidentFacts>> {
  const out = new Map<string, IncidentFacts>();
  if (!incidents.length) return out;
  const ids = incidents.map((i) => i.id);
  // Three statements at once, none waiting for another's answer.
  const [{ sent: allSent, hops: allHops }, allMisses] = await Promise.all([
    incidentReportFacts(db, ids),
    db.selectFrom('deadline_misses').select(['incident_id', 'unit_code', 'kind', 'recorded_at']).where('incident_id', 'in', ids).execute(),
  ]);
  const sentBy = groupBy(allSent, (r) => r.incident_id);
  const hopsBy = groupBy(allHops, (h) => h.incident_id);
  const missesBy = groupBy(allMisses, (m) => m.incident_id);
  for (const inc of incidents) {
    const mine = sentBy.get(inc.id) ?? [];
    const incHops = hopsBy.get(inc.id) ?? [];
    const misses = missesBy.get(inc.id) ?? [];
    // The reporting unit: its first report of any kind, and its first written one; and its last (for 续报).
    let anyAt: Date | null = null;
    let writtenAt: Date | null = null;
    let lastSent: Date | null = null;
    const kindById = new Map<string, ReportKind>();
    for (const r of mine) {
      kindById.set(r.id, r.kind);
      if (!r.signed_at) continue;
      if (!anyAt || r.signed_at < anyAt) anyAt = r.signed_at;
      if (r.kind !== 'phone' && (!writtenAt || r.signed_at < writtenAt)) writtenAt = r.signed_at;
      if (!lastSent || r.signed_at > lastSent) lastSent = r.signed_at;
    }
    // Each office above: its first relay (not a copy) of a sent report, of any kind and of a written one.
    const relayed = new Map<string, { anyAt: Date | null; writtenAt: Date | null }>();
    for (const h of incHops) {
      const kind = kindById.get(h.report_id);
      if (kind === undefined || h.is_copy || !h.relayed_at) continue;
      const at = relayed.get(h.unit_code) ?? { anyAt: null, writtenAt: null };
      if (!at.anyAt || h.relayed_at < at.anyAt) at.anyAt = h.relayed_at;
      if (kind !== 'phone' && (!at.writtenAt || h.relayed_at < at.writtenAt)) at.writtenAt = h.relayed_at;
      relayed.set(h.unit_code, at);
    }
    const chain: ChainFacts[] = [];
    const own = tree.get(inc.unit_code);
    if (own) chain.push({ unitCode: own.code, level: own.level, anyAt, writtenAt });
    for (const u of tree.ancestors(inc.unit_code)) {
      const at = relayed.get(u.code);
      chain.push({ unitCode: u.code, level: u.level, anyAt: at?.anyAt ?? null, writtenAt: at?.writtenAt ?? null });
    }
    const obligations = inc.legacy ? [] : evaluateDeadlines({ eventTime: inc.event_time, grade: inc.grade, chain, rules, now, warnMinutes: settings.warnMinutes });
    const deadlines: ObligationDto[] = [];
    for (const o of obligations) {
      let lateRecordedAt: string | null = null;
      for (const m of misses) {
        if (m.unit_code === o.unitCode && m.kind === o.kind) {
          lateRecordedAt = m.recorded_at.toISOString();
          break;
        }
      }
      deadlines.push({
        unitCode: o.unitCode,
        unitName: tree.get(o.unitCode)?.name ?? o.unitCode,
        level: o.level,
        kind: o.kind,
        dueAt: o.dueAt.toISOString(),
        metAt: iso(o.metAt),
        status: o.status,
        lateRecordedAt,
      });
    }
    out.set(inc.id, {
      sent: mine,
      hops: incHops,
      followupDueAt: inc.status === 'open' && lastSent ? nextFollowupDue(lastSent, settings.followupTimes) : null,
      deadlines,
    });
  }
  return out;
}

/** Each incident's facts with the rules and settings of now (one read of each, cached by rulesRepo). */
export async function incidentFacts(db: Db, tree: OrgTree, rows: IncidentRow[], now: Date): Promise<Map<string, IncidentFacts>> {
  const [rules, settings] = await Promise.all([loadRules(db), loadSettings(db)]);
  return obligationsFor(db, tree, rows, rules, settings, now);
}

/** One incident as its reader sees it (redacted unless cleared for its 密级). */
export function toIncidentDto(tree: OrgTree, user: SessionUser, inc: IncidentRow, f: IncidentFacts): IncidentDto {
  const hasParent = !!tree.get(user.unitCode)?.parentCode;
  // Waiting here: to acknowledge, to sign a relay, or acknowledged but not yet relayed (where there is a level above).
  const waitingHere = f.hops.filter((h) => h.unit_code === user.unitCode && h.state !== 'relayed' && (h.state !== 'acknowledged' || (hasParent && !h.is_copy))).length;
  const cleared = clearedFor(inc.classification, user.roles, inc.opened_by === user.id);
  const last = f.sent[f.sent.length - 1];
  return {
    id: inc.id,
    unitCode: inc.unit_code,
    unitName: tree.get(inc.unit_code)?.name ?? inc.unit_code,
    title: cleared ? inc.title : REDACTED_TITLE,
    eventTime: inc.event_time.toISOString(),
    place: cleared ? inc.place : '',
    category: inc.category as Category,
    grade: inc.grade,
    classification: inc.classification,
    status: inc.status,
    demandedByUnit: inc.demanded_by_unit,
    demandedByUnitName: inc.demanded_by_unit ? (tree.get(inc.demanded_by_unit)?.name ?? null) : null,
    demandNote: cleared ? inc.demand_note : null,
    createdAt: inc.created_at.toISOString(),
    closedAt: iso(inc.closed_at),
    redacted: !cleared,
    reportCount: f.sent.length,
    lastKind: last?.kind ?? null,
    lastSentAt: iso(last?.signed_at),
    deadlines: f.deadlines,
    followupDueAt: iso(f.followupDueAt),
    waitingHere,
  };
}

export async function incidentDtos(db: Db, tree: OrgTree, user: SessionUser, rows: IncidentRow[], now: Date): Promise<IncidentDto[]> {
  const facts = await incidentFacts(db, tree, rows, now);
  return rows.map((inc) => toIncidentDto(tree, user, inc, facts.get(inc.id)!));
}
