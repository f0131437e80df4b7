/**
 * Which of our units an inbound alert's area covers, pure: by GB/T 2260 geocode where the alert has one
 * (a township or village code counts for its county), else by unit names found in areaDesc (the most
 * specific name wins: "呼和浩特市新城区" is 新城区, not the whole city). A covered unit brings its subtree.
 */
import type { OrgTree } from '../org/tree.ts';

export interface AlertArea {
  areaDesc: string;
  geocodes: { valueName: string; value: string }[];
}

export interface Coverage {
  unitCodes: string[];
  matchedBy: 'geocode' | 'description' | 'none';
}

/** The unit code a geocode value names, if it is one of ours (6 digits, or a longer code under one). */
function unitOfCode(tree: OrgTree, value: string): string | null {
  const v = value.trim();
  if (!/^\d{6}(\d{3}|\d{6})?$/.test(v)) return null;
  const six = v.slice(0, 6);
  if (tree.has(six)) return six;
  return null;
}

/** Drops units whose descendant also matched, then expands every match to its subtree (org order). */
function expand(tree: OrgTree, matched: Set<string>): string[] {
  const specific = [...matched].filter((c) => ![...matched].some((o) => o !== c && tree.isWithin(o, c)));
  const out = new Set<string>();
  for (const c of specific) for (const u of tree.subtree(c)) out.add(u.code);
  const order = new Map(tree.subtree(tree.root.code).map((u, i) => [u.code, i]));
  return [...out].sort((a, b) => order.get(a)! - order.get(b)!);
}

export function coverage(tree: OrgTree, areas: AlertArea[]): Coverage {
  const byCode = new Set<string>();
  for (const a of areas) for (const g of a.geocodes) {
    const u = unitOfCode(tree, g.value);
    if (u) byCode.add(u);
  }
  if (byCode.size) return { unitCodes: expand(tree, byCode), matchedBy: 'geocode' };
  const text = areas.map((a) => a.areaDesc).join(' ');
  const byName = new Set<string>();
  for (const u of tree.subtree(tree.root.code)) if (u.name && text.includes(u.name)) byName.add(u.code);
  if (byName.size) return { unitCodes: expand(tree, byName), matchedBy: 'description' };
  return { unitCodes: [], matchedBy: 'none' };
}

/** The most specific covered units (no covered unit below them): whom to demand reports from. */
export function lowestCovered(tree: OrgTree, codes: string[]): string[] {
  const set = new Set(codes);
  return codes.filter((c) => !tree.children(c).some((k) => set.has(k.code)));
}

/** CAP severity → our grade (for an incident opened from an alert). */
export const GRADE_BY_SEVERITY: Record<string, 1 | 2 | 3 | 4> = { Extreme: 1, Severe: 2, Moderate: 3, Minor: 4, Unknown: 4 };

/** CAP category → our GB/T 35561 top category. */
export function categoryFromCap(cats: string[]): string {
  if (cats.some((c) => c === 'Geo' || c === 'Met' || c === 'Env')) return 'natural_disaster';
  if (cats.includes('Health')) return 'public_health';
  if (cats.includes('Security')) return 'social_security';
  if (cats.some((c) => ['Safety', 'Rescue', 'Fire', 'Transport', 'Infra', 'CBRNE'].includes(c))) return 'accident';
  return '';
}
