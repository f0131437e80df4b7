/** Writing and verifying the audit trail (the rules of the chain: chain.ts; SQL: repo.ts). */
import type { AppContext } from '../context.ts';
import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.ts';
import { clock } from '../clock.ts';
import { canonicalJson, firstBrokenLink, GENESIS_HASH, type BrokenLink } from './chain.ts';
import { appendAudit, auditBatch } from './repo.ts';

export interface AuditActor {
  id: number;
  username: string;
  unitCode: string;
}

export interface AuditInput {
  actor?: AuditActor | null;
  /** Who tried, when there is no account (a failed sign-in). */
  username?: string | null;
  remote?: string | null;
  action: string;
  target?: string | null;
  status?: number | null;
  detail?: unknown;
}

/** Longer details are replaced by their size: the trail is a record of acts, not a copy of the data. */
const DETAIL_MAX = 16_000;

/** Appends one entry; a failure is logged loudly but never fails the request that is already done. */
export async function writeAudit(ctx: Pick<AppContext, 'db' | 'log'>, e: AuditInput): Promise<void> {
  let detail = e.detail === undefined ? null : canonicalJson(e.detail);
  if (detail && detail.length > DETAIL_MAX) detail = canonicalJson({ truncated: true, chars: detail.length });
  try {
    await appendAudit(ctx.db, {
      at: clock.now(),
      userId: e.actor?.id ?? null,
      username: e.actor?.username ?? e.username ?? null,
      unitCode: e.actor?.unitCode ?? null,
      remote: e.remote ?? null,
      action: e.action.slice(0, 300),
      target: e.target?.slice(0, 1000) ?? null,
      status: e.status ?? null,
      detail,
    });
  } catch (err) {
    ctx.log.error({ err, action: e.action }, 'AUDIT WRITE FAILED');
  }
}

export interface VerifyResult {
  ok: boolean;
  checked: number;
  broken: (BrokenLink & { at: string | null; action: string | null }) | null;
}

/** Walks the whole chain in id order and names the first entry whose link does not hold. */
export async function verifyAudit(db: Kysely<Database>, batch = 2_000): Promise<VerifyResult> {
  let prev = GENESIS_HASH;
  let after: string | null = null;
  let checked = 0;
  for (;;) {
    const rows = await auditBatch(db, after, batch);
    if (!rows.length) return { ok: true, checked, broken: null };
    const { broken, lastHash } = firstBrokenLink(prev, rows);
    if (broken) {
      const row = rows.find((r) => r.id === broken.id)!;
      checked += rows.indexOf(row);
      return { ok: false, checked, broken: { ...broken, at: row.at.toISOString(), action: row.action } };
    }
    checked += rows.length;
    prev = lastHash;
    after = rows[rows.length - 1]!.id;
  }
}
