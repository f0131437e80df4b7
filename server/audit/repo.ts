/** SQL of the audit trail: append under one lock (the chain needs one order), page, and read in id order. */
import { sql, type Kysely } from 'kysely';
import type { Database } from '../../db/schema.ts';
import { entryHash, GENESIS_HASH, type ChainedEntry, type StoredEntry } from './chain.ts';

type Db = Kysely<Database>;
/** pg_advisory_xact_lock key of the chain's tail (any constant; "16" for the issue). */
const CHAIN_LOCK = 1_600_016;

export async function appendAudit(db: Db, e: ChainedEntry): Promise<void> {
  await db.transaction().execute(async (trx) => {
    await sql`select pg_advisory_xact_lock(${CHAIN_LOCK})`.execute(trx);
    const last = await trx.selectFrom('audit_log').select('hash').orderBy('id', 'desc').limit(1).executeTakeFirst();
    const prevHash = last?.hash ?? GENESIS_HASH;
    await trx
      .insertInto('audit_log')
      .values({ at: e.at, user_id: e.userId, username: e.username, unit_code: e.unitCode, remote: e.remote, action: e.action, target: e.target, status: e.status, detail: e.detail, prev_hash: prevHash, hash: entryHash(prevHash, e) })
      .execute();
  });
}

const toStored = (r: { id: string; at: Date; user_id: number | null; username: string | null; unit_code: string | null; remote: string | null; action: string; target: string | null; status: number | null; detail: string | null; prev_hash: string; hash: string }): StoredEntry => ({
  id: String(r.id),
  at: r.at,
  userId: r.user_id,
  username: r.username,
  unitCode: r.unit_code,
  remote: r.remote,
  action: r.action,
  target: r.target,
  status: r.status,
  detail: r.detail,
  prevHash: r.prev_hash,
  hash: r.hash,
});

/** Entries after `afterId` in id order, a batch at a time (verification walks the whole table). */
export async function auditBatch(db: Db, afterId: string | null, limit: number): Promise<StoredEntry[]> {
  let q = db.selectFrom('audit_log').selectAll().orderBy('id').limit(limit);
  if (afterId !== null) q = q.where('id', '>', afterId);
  return (await q.execute()).map(toStored);
}

export interface AuditFilter {
  from?: Date;
  to?: Date;
  username?: string;
  action?: string;
  /** Only these units (the reader's subtree); undefined: every unit and the entries of no unit. */
  unitCodes?: string[];
}

function filtered(db: Db, f: AuditFilter) {
  let q = db.selectFrom('audit_log');
  if (f.from) q = q.where('at', '>=', f.from);
  if (f.to) q = q.where('at', '<', f.to);
  if (f.username) q = q.where('username', '=', f.username);
  if (f.action) q = q.where('action', 'ilike', `%${f.action.replace(/[\\%_]/g, (c) => `\\${c}`)}%`);
  if (f.unitCodes) q = q.where('unit_code', 'in', f.unitCodes);
  return q;
}

export async function pageAudit(db: Db, f: AuditFilter, offset: number, limit: number): Promise<{ total: number; rows: StoredEntry[] }> {
  const [count, rows] = await Promise.all([
    filtered(db, f).select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow(),
    filtered(db, f).selectAll().orderBy('id', 'desc').offset(offset).limit(limit).execute(),
  ]);
  return { total: Number(count.n), rows: rows.map(toStored) };
}
