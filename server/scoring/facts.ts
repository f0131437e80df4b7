/**
 * Gathers a period's facts for one ranking office into the pure scorer's input: the units it ranks (its
 * children, each counting its whole subtree, and its own departments), what reached the office, adoptions with their distance above it,
 * instructions, commissioned requests with answer times; and the urgent-report timeliness from the duty half.
 */
import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.ts';
import { schemeRules, type PeriodRange, type RankGroup, type UnitClass } from '../../contract/scoring.ts';
import type { OrgTree, OrgUnit } from '../org/tree.ts';
import { loadRules, loadSettings } from '../reports/repo.ts';
import { obligationsFor } from '../reports/incidentFacts.ts';
import * as repo from './repo.ts';
import { answerState, type Distance, type RankedUnit, type RequestFact, type ScoreInput, type SchemeVersion } from './rules.ts';

type Db = Kysely<Database>;

/** A bulletin goes to every unit below the office: 秘密 and above are named by their mark, never their title. */
export const bulletinTitle = (title: string, classification: number) => (classification >= 2 ? '【涉密信息】' : title);

export const unitClassOf = (u: OrgUnit): UnitClass => (u.kind === 'department' ? 'department' : u.level === 2 ? 'city' : 'county');
export const groupOf = (u: OrgUnit): RankGroup => (u.kind === 'department' ? 'department' : 'division');

/** The units an office ranks: its divisions below (the tree's children), then its own departments. */
export const rankedUnitsOf = (tree: OrgTree, office: string): OrgUnit[] => [...tree.children(office), ...tree.departments(office)];

/** Every unit whose items count for the office: each ranked unit's subtree (a department has none below it). */
export const unitsBelow = (tree: OrgTree, office: string): string[] => rankedUnitsOf(tree, office).flatMap((u) => tree.subtree(u.code).map((x) => x.code));

/** The ranked unit (a child of the office) that contains `code`, or null outside / the office itself. */
export function rankedUnitOf(tree: OrgTree, office: string, code: string): string | null {
  if (code === office) return null;
  const chain = [code, ...tree.ancestors(code).map((u) => u.code)];
  const i = chain.indexOf(office);
  return i > 0 ? chain[i - 1]! : null;
}

/** Levels of `adopter` above `office` (0: the office), or -1 when it is not the office or above it. */
export function distanceOf(tree: OrgTree, office: string, adopter: string | null): Distance {
  if (adopter === null) return 'external';
  if (adopter === office) return 0;
  const i = tree.ancestors(office).findIndex((a) => a.code === adopter);
  return i < 0 ? -1 : i + 1;
}

export async function versionsOf(db: Db, office: string): Promise<SchemeVersion[]> {
  const rows = await repo.schemeVersions(db, office);
  return rows.map((r) => ({ effectiveFrom: r.effective_from, rules: schemeRules.parse(r.rules) }));
}

/** Answer time per (request, unit): the earliest linked item counted from max(link, sign-off). */
export function answeredAt(answers: readonly repo.AnswerRow[], requestId: string, unitCode: string): Date | null {
  const times = answers
    .filter((a) => a.request_id === requestId && a.unit_code === unitCode && a.state === 'submitted' && a.submitted_at)
    .map((a) => Math.max(a.linked_at.getTime(), a.submitted_at!.getTime()));
  return times.length ? new Date(Math.min(...times)) : null;
}

export async function requestFacts(db: Db, rows: readonly repo.RequestRow[]): Promise<{ facts: RequestFact[]; answers: repo.AnswerRow[]; targets: { request_id: string; unit_code: string }[] }> {
  const ids = rows.map((r) => r.id);
  const [targets, answers] = await Promise.all([repo.requestTargets(db, ids), repo.requestAnswers(db, ids)]);
  const facts = rows.map((r) => ({
    id: r.id,
    topic: r.topic,
    deadline: r.deadline,
    targets: targets.filter((t) => t.request_id === r.id).map((t) => ({ unitCode: t.unit_code, answeredAt: answeredAt(answers, r.id, t.unit_code) })),
  }));
  return { facts, answers, targets };
}

export async function scoreInput(db: Db, tree: OrgTree, office: string, period: PeriodRange, now: Date): Promise<ScoreInput> {
  const units: RankedUnit[] = rankedUnitsOf(tree, office).map((u) => ({ code: u.code, name: u.name, unitClass: unitClassOf(u) }));
  const below = unitsBelow(tree, office);
  const ranked = (code: string) => rankedUnitOf(tree, office, code);
  const yearStart = new Date(Date.UTC(Number(period.key.slice(0, 4)), 0, 1) - 8 * 3600_000);
  const yearEnd = new Date(Date.UTC(Number(period.key.slice(0, 4)) + 1, 0, 1) - 8 * 3600_000);
  const [versions, rec, ads, ins, reqRows, yearRows] = await Promise.all([
    versionsOf(db, office),
    repo.receipts(db, office, below, period.start, period.end),
    repo.adoptions(db, below, period.start, period.end),
    repo.instructions(db, below, period.start, period.end),
    repo.requestRows(db, { office, start: period.start, end: period.end }),
    period.kind === 'year' ? repo.requestRows(db, { office, start: yearStart, end: yearEnd }) : Promise.resolve([]),
  ]);
  const requests = (await requestFacts(db, reqRows)).facts.map((r) => ({ ...r, targets: r.targets.map((t) => ({ ...t, unitCode: ranked(t.unitCode) ?? t.unitCode })) }));
  const missedInYear: Record<string, number> = {};
  for (const r of (await requestFacts(db, yearRows)).facts) {
    for (const t of r.targets) {
      const u = ranked(t.unitCode);
      if (u && answerState(r.deadline, t.answeredAt, now) === 'missing') missedInYear[u] = (missedInYear[u] ?? 0) + 1;
    }
  }
  const name = (code: string | null) => (code ? (tree.get(code)?.name ?? code) : '');
  return {
    period,
    units,
    versions,
    submissions: rec.map((r) => ({ itemId: r.item_id, unitCode: ranked(r.unit_code)!, kind: r.kind, receivedAt: r.received_at })),
    adoptions: ads.map((a) => ({
      id: a.id,
      itemId: a.item_id,
      itemTitle: bulletinTitle(a.title, a.classification),
      unitCode: ranked(a.unit_code)!,
      kind: a.kind,
      authorId: a.created_by,
      at: a.adopted_at,
      distance: distanceOf(tree, office, a.office_code),
      where: a.office_code ? `${name(a.office_code)}《${a.publication_name ?? ''}》` : `${a.external_body ?? ''}《${a.external_publication ?? ''}》`,
      publication: a.office_code ? `${name(a.office_code)}·${a.publication_name ?? ''}` : `${a.external_body ?? ''}·${a.external_publication ?? ''}`,
      tier: (a.tier ?? null) as 1 | 2 | 3 | null,
      singleItemIssue: a.issue_id !== null && Number(a.issue_size ?? 0) === 1,
    })),
    instructions: ins.map((i) => {
      const d = distanceOf(tree, office, i.by_unit);
      return { id: i.id, itemId: i.item_id, itemTitle: bulletinTitle(i.title, i.classification), unitCode: ranked(i.unit_code)!, authorId: i.created_by, at: i.created_at, distance: d === 'external' ? -1 : d, who: `${name(i.by_unit)}领导` };
    }),
    requests,
    missedInYear,
    now,
  };
}

export interface Timeliness {
  onTime: number;
  late: number;
  missing: number;
  demanded: number;
}

/** 紧急重大信息报送情况: deadlines of incidents that happened in the period, per ranked unit (迟报 / 超时未报 / 漏报). */
export async function timelinessOf(db: Db, tree: OrgTree, office: string, period: PeriodRange, now: Date): Promise<Map<string, Timeliness>> {
  // Departments report no incidents (the duty half never addresses them): their row stays at zero.
  const out = new Map<string, Timeliness>(rankedUnitsOf(tree, office).map((u) => [u.code, { onTime: 0, late: 0, missing: 0, demanded: 0 }]));
  const below = tree.subtree(office).filter((u) => u.code !== office).map((u) => u.code);
  const incidents = await db.selectFrom('incidents').selectAll().where('unit_code', 'in', below.length ? below : ['000000']).where('event_time', '>=', period.start).where('event_time', '<', period.end).where('legacy', '=', false).limit(5000).execute();
  if (!incidents.length) return out;
  const [rules, settings] = await Promise.all([loadRules(db), loadSettings(db)]);
  const facts = await obligationsFor(db, tree, incidents, rules, settings, now);
  for (const inc of incidents) {
    for (const o of facts.get(inc.id)?.deadlines ?? []) {
      const u = rankedUnitOf(tree, office, o.unitCode);
      const row = u ? out.get(u) : undefined;
      if (!row) continue;
      if (o.status === 'met_on_time') row.onTime++;
      else if (o.status === 'met_late') row.late++;
      else if (o.status === 'overdue') row.missing++;
    }
    const u = rankedUnitOf(tree, office, inc.unit_code);
    if (inc.demanded_by_unit && u) out.get(u)!.demanded++;
  }
  return out;
}
