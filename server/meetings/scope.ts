/** Meeting scope over the org tree (三级灵活组织): pure rules, table-tested. */
import type { OrgTree } from '../org/tree.ts';

export type MeetingScope =
  | { kind: 'region' }
  | { kind: 'cityWithCounties'; cityCode: string }
  | { kind: 'level'; level: 2 | 3 }
  | { kind: 'units'; unitCodes: string[] };

export type ScopeResult = { ok: true; unitCodes: string[] } | { ok: false; reason: string; unitCodes?: string[] };

/**
 * The units a meeting convened by `hostCode` includes, host first, then in org order.
 * A host may invite its own subtree, and its parent (a county calling its city).
 */
export function resolveScope(tree: OrgTree, hostCode: string, scope: MeetingScope): ScopeResult {
  const host = tree.get(hostCode);
  if (!host) return { ok: false, reason: 'unknown host unit' };
  let picked: string[];
  switch (scope.kind) {
    case 'region':
      if (host.level !== 1) return { ok: false, reason: 'only the region convenes a region-wide meeting' };
      picked = tree.subtree(host.code).map((u) => u.code);
      break;
    case 'cityWithCounties': {
      const city = tree.get(scope.cityCode);
      if (!city || city.level !== 2) return { ok: false, reason: 'not a city/league', unitCodes: [scope.cityCode] };
      picked = tree.subtree(city.code).map((u) => u.code);
      break;
    }
    case 'level':
      picked = tree.subtree(host.code).filter((u) => u.level === scope.level).map((u) => u.code);
      break;
    case 'units':
      picked = scope.unitCodes;
      break;
  }
  const unknown = picked.filter((c) => !tree.has(c));
  if (unknown.length) return { ok: false, reason: 'unknown units', unitCodes: unknown };
  const outside = picked.filter((c) => !tree.isWithin(c, host.code) && c !== host.parentCode);
  if (outside.length) return { ok: false, reason: 'outside the host unit\'s jurisdiction', unitCodes: outside };

  const set = new Set([host.code, ...picked]);
  if (set.size < 2) return { ok: false, reason: 'a meeting needs at least one other unit' };
  const order = orgOrder(tree);
  const rest = [...set].filter((c) => c !== host.code).sort((a, b) => order.get(a)! - order.get(b)!);
  return { ok: true, unitCodes: [host.code, ...rest] };
}

// Keyed by the tree's version too: units created or moved at run time change the order.
const orderCache = new WeakMap<OrgTree, { version: number; order: Map<string, number> }>();
function orgOrder(tree: OrgTree): Map<string, number> {
  let m = orderCache.get(tree);
  if (!m || m.version !== tree.version) {
    m = { version: tree.version, order: new Map(tree.subtree(tree.root.code).map((u, i) => [u.code, i])) };
    orderCache.set(tree, m);
  }
  return m.order;
}
