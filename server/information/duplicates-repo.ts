/** SQL of near-duplicate detection: fingerprints, candidates (GIN on band keys, pg_trgm on short texts), flags. */
import { sql, type Kysely } from 'kysely';
import type { Database } from '../../db/schema.ts';
import { HASHES, type Fingerprint } from './similarity.ts';

type Db = Kysely<Database>;

export const upsertFingerprint = (db: Db, itemId: string, fp: Fingerprint, at: Date) =>
  db
    .insertInto('info_fingerprints')
    .values({ item_id: itemId, text_len: fp.textLen, minhash: fp.minhash, bands: fp.bands, short_text: fp.shortText, submitted_at: at })
    .onConflict((oc) => oc.column('item_id').doUpdateSet({ text_len: fp.textLen, minhash: fp.minhash, bands: fp.bands, short_text: fp.shortText, submitted_at: at }))
    .execute();

export interface Candidate {
  item_id: string;
  method: 'trgm' | 'minhash';
  score: number;
}

/**
 * Submitted items (other than `exclude`) sharing a band key with the signature, scored by the signature's
 * agreement; and for a short text, those pg_trgm finds similar (the `%` operator, trigram GIN index).
 * Only items in state 'submitted' take part: nobody's unsent work is ever compared.
 */
export function candidatesQuery(db: Db, fp: Fingerprint, exclude: string | null, floor: number, limit = 20) {
  const notSelf = exclude ? sql`and f.item_id <> ${exclude}::uuid` : sql``;
  const trgm = fp.shortText
    ? sql`union all
      select f.item_id, 'trgm' as method, similarity(f.short_text, ${fp.shortText})::float8 as score
      from info_fingerprints f where f.short_text is not null and f.short_text % ${fp.shortText} ${notSelf}`
    : sql``;
  // Materialised first: the index finds the few sharers of a band, then each one's item is looked up by its
  // key (a scalar subquery: a join here made the planner guess many hits and scan every item).
  return sql<Candidate>`
    with hits as materialized (
      select f.item_id, 'minhash' as method,
        (select count(*) from generate_series(1, ${HASHES}::int) g where f.minhash[g] = (${fp.minhash}::int4[])[g])::float8 / ${HASHES}::int as score
      from info_fingerprints f
      where f.bands && ${fp.bands}::int4[] ${notSelf}
      ${trgm}
    )
    select h.item_id, h.method, max(h.score) as score
    from hits h
    where h.score >= ${floor} and (select i.state from info_items i where i.id = h.item_id) = 'submitted'
    group by h.item_id, h.method
    order by score desc
    limit ${limit}`;
}

/**
 * Band keys of distinct texts are unique, so ANALYZE finds no common elements and the planner guesses that a
 * tenth of all fingerprints overlap: at a million items it then scans the table or JIT-compiles the query
 * (seconds, for what the GIN index answers in milliseconds). For this one query the index plan is forced.
 */
async function withIndexPlan<T>(db: Db, run: (db: Db) => Promise<T>): Promise<T> {
  const go = async (trx: Db) => {
    const { rows } = await sql<{ s: string; j: string }>`select current_setting('enable_seqscan') as s, current_setting('jit') as j`.execute(trx);
    await sql`select set_config('enable_seqscan', 'off', true), set_config('jit', 'off', true)`.execute(trx);
    try {
      return await run(trx);
    } finally {
      await sql`select set_config('enable_seqscan', ${rows[0]!.s}, true), set_config('jit', ${rows[0]!.j}, true)`.execute(trx);
    }
  };
  return db.isTransaction ? go(db) : db.transaction().execute(go);
}

export async function candidates(db: Db, fp: Fingerprint, exclude: string | null, floor: number): Promise<Candidate[]> {
  const { rows } = await withIndexPlan(db, (d) => candidatesQuery(d, fp, exclude, floor).execute(d));
  return rows.map((r) => ({ ...r, score: Number(r.score) }));
}

export async function replaceFlags(db: Db, itemId: string, flags: { matchId: string; similarity: number; method: 'trgm' | 'minhash' }[], at: Date) {
  await db.deleteFrom('info_duplicate_flags').where('item_id', '=', itemId).execute();
  if (!flags.length) return;
  await db
    .insertInto('info_duplicate_flags')
    .values(flags.map((f) => ({ item_id: itemId, match_item_id: f.matchId, similarity: f.similarity, method: f.method, detected_at: at })))
    .execute();
}

export const flagsOf = (db: Db, itemId: string) =>
  db.selectFrom('info_duplicate_flags').selectAll().where('item_id', '=', itemId).orderBy('similarity', 'desc').execute();
