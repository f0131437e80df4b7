/**
 * The audit trail's hash chain (pure): each entry's hash is sha256 over the previous entry's hash and the
 * entry's canonical form, so changing, removing or reordering any entry breaks every link from there on.
 */
import { createHash } from 'node:crypto';

export const GENESIS_HASH = '0'.repeat(64);

/** What is chained: everything of an entry but its id and hashes (detail is stored as canonical JSON text). */
export interface ChainedEntry {
  at: Date;
  userId: number | null;
  username: string | null;
  unitCode: string | null;
  remote: string | null;
  action: string;
  target: string | null;
  status: number | null;
  detail: string | null;
}

/** JSON with object keys sorted at every depth: one text per value, whatever order it was built in. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(sortKeys(value));
}

function sortKeys(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(sortKeys);
  if (v && typeof v === 'object' && !(v instanceof Date)) {
    return Object.fromEntries(
      Object.keys(v as object)
        .sort()
        .map((k) => [k, sortKeys((v as Record<string, unknown>)[k])]),
    );
  }
  return v;
}

export function canonicalEntry(e: ChainedEntry): string {
  return JSON.stringify([e.at.toISOString(), e.userId, e.username, e.unitCode, e.remote, e.action, e.target, e.status, e.detail]);
}

export function entryHash(prevHash: string, e: ChainedEntry): string {
  return createHash('sha256').update(prevHash).update('\n').update(canonicalEntry(e)).digest('hex');
}

export interface StoredEntry extends ChainedEntry {
  id: string;
  prevHash: string;
  hash: string;
}

export type BrokenLink = { id: string; reason: 'PREV_HASH' | 'HASH' };

/**
 * The first broken link of a run of entries in id order, given the hash before the run: an entry whose
 * prev_hash is not its predecessor's hash (one was removed or reordered), or whose content no longer gives
 * its hash (it was changed).
 */
export function firstBrokenLink(prevHash: string, entries: readonly StoredEntry[]): { broken: BrokenLink | null; lastHash: string } {
  let prev = prevHash;
  for (const e of entries) {
    if (e.prevHash !== prev) return { broken: { id: e.id, reason: 'PREV_HASH' }, lastHash: prev };
    if (entryHash(prev, e) !== e.hash) return { broken: { id: e.id, reason: 'HASH' }, lastHash: prev };
    prev = e.hash;
  }
  return { broken: null, lastHash: prev };
}
