/**
 * Finding an item's near-duplicates among the region's submitted items: candidates from Postgres (band keys,
 * pg_trgm), confirmed by the exact shingle Jaccard; and recording them when an item is signed off.
 */
import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.ts';
import * as dups from './duplicates-repo.ts';
import * as repo from './repo.ts';
import { comparedText, duplicateConfig, fingerprint, shinglesOf, similarity } from './similarity.ts';

type Db = Kysely<Database>;
/** MinHash estimates scatter by about ±0.06 at 64 hashes: candidates from a little below the threshold are confirmed exactly. */
const ESTIMATE_MARGIN = 0.15;
const MAX_MATCHES = 5;

export interface Match {
  item: repo.ItemRow;
  similarity: number;
  method: 'trgm' | 'minhash';
}

/** The submitted items of the region at least `threshold` like the text, best first (exact Jaccard). */
export async function findMatches(db: Db, text: { title: string; body: string }, exclude: string | null): Promise<Match[]> {
  const { threshold } = duplicateConfig();
  const fp = fingerprint(text.title, text.body);
  const cands = await dups.candidates(db, fp, exclude, Math.max(0, threshold - ESTIMATE_MARGIN));
  if (!cands.length) return [];
  const rows = new Map((await repo.itemRowsByIds(db, [...new Set(cands.map((c) => c.item_id))])).map((r) => [r.id, r]));
  const mine = shinglesOf(comparedText(text.title, text.body)); // once, not per candidate
  const out = new Map<string, Match>();
  for (const c of cands) {
    const item = rows.get(c.item_id);
    if (!item || out.has(item.id)) continue;
    const s = similarity(mine, comparedText(item.title, item.body));
    if (s >= threshold) out.set(item.id, { item, similarity: s, method: c.method });
  }
  return [...out.values()].sort((a, b) => b.similarity - a.similarity).slice(0, MAX_MATCHES);
}

/** Called in the sign-off transaction: stores the fingerprint and flags what the item matched. */
export async function recordSubmission(trx: Db, item: { id: string; title: string; body: string }, at: Date): Promise<void> {
  const matches = await findMatches(trx, item, item.id);
  await dups.replaceFlags(trx, item.id, matches.map((m) => ({ matchId: m.item.id, similarity: Math.round(m.similarity * 1000) / 1000, method: m.method })), at);
  await dups.upsertFingerprint(trx, item.id, fingerprint(item.title, item.body), at);
}
