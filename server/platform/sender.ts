/**
 * The outbox sender: POSTs due messages to the platform, one at a time per incident and in order,
 * retrying with backoff. At-least-once: a message is resent until an answer is recorded, and the
 * platform deduplicates by identifier. A CAP Error answer parks the incident's queue for an operator.
 */
import type { Kysely } from 'kysely';
import type { Logger } from 'pino';
import type { Database } from '../../db/schema.ts';
import { clock } from '../clock.ts';
import { checkCap, textOf } from './capModel.ts';
import { backoffMs, type PlatformConfig } from './config.ts';
import { dueHeads, nextDue, recordAttempt, type OutboxRow } from './repo.ts';
import { sign, SIGNATURE_HEADER } from './signature.ts';
import { parseCapXml } from './xml.ts';

export type Outcome =
  | { state: 'acked'; ackIdentifier: string; answerXml: string }
  | { state: 'sent'; answerXml: string | null; note?: string }
  | { state: 'parked'; error: string; answerXml: string | null }
  | { state: 'retrying'; error: string };

/** How the platform's HTTP answer to message `identifier` settles it. Pure: table-tested. */
export function interpretAnswer(status: number, body: string, identifier: string): Outcome {
  const retryable = status === 401 || status === 403 || status === 408 || status === 429 || status >= 500;
  if (retryable) return { state: 'retrying', error: `HTTP ${status}` };
  let cap: ReturnType<typeof parseCapXml> | null = null;
  if (body.trim()) {
    try {
      cap = parseCapXml(body);
      if (checkCap(cap).length) cap = null;
    } catch {
      cap = null;
    }
  }
  const type = textOf(cap ?? undefined, 'msgType');
  const refs = (textOf(cap ?? undefined, 'references') ?? '').split(/\s+/);
  const namesOurs = refs.some((r) => r.split(',')[1] === identifier);
  if (cap && type === 'Error') return { state: 'parked', error: `平台返回错误：${textOf(cap, 'note') ?? '（无说明）'}`, answerXml: body };
  if (status >= 400) return { state: 'parked', error: `HTTP ${status}${body ? `: ${body.slice(0, 300)}` : ''}`, answerXml: body || null };
  if (cap && type === 'Ack' && namesOurs) return { state: 'acked', ackIdentifier: textOf(cap, 'identifier')!, answerXml: body };
  return { state: 'sent', answerXml: body || null, note: cap && type === 'Ack' ? 'Ack names another message' : undefined };
}

export class PlatformSender {
  #timer: NodeJS.Timeout | null = null;
  #running = false;
  #again = false;
  #stopped = false;
  /** Called after each recorded attempt (the runtime pushes the new state to the consoles). */
  onAttempt: (row: OutboxRow, o: Outcome) => void = () => {};

  constructor(
    private readonly db: Kysely<Database>,
    private readonly cfg: PlatformConfig,
    private readonly log: Logger,
  ) {}

  start(): void {
    this.#stopped = false;
    this.kick();
  }

  stop(): void {
    this.#stopped = true;
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = null;
  }

  /** Something was queued or re-driven: look now instead of at the next tick. */
  kick(): void {
    if (this.#stopped) return;
    if (this.#running) {
      this.#again = true;
      return;
    }
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = setTimeout(() => void this.#loop(), 0);
  }

  async #loop(): Promise<void> {
    this.#timer = null;
    if (this.#stopped) return;
    this.#running = true;
    try {
      // Bounded: at most 200 rounds before yielding to the timer again.
      for (let round = 0; round < 200 && !this.#stopped; round++) {
        this.#again = false;
        const n = await this.runOnce();
        if (n === 0 && !this.#again) break;
      }
    } catch (err) {
      this.log.warn({ err }, 'platform sender round failed');
    } finally {
      this.#running = false;
      await this.#schedule();
    }
  }

  async #schedule(): Promise<void> {
    if (this.#stopped) return;
    let delay = this.cfg.pollMs;
    try {
      const due = await nextDue(this.db);
      if (due) delay = Math.min(delay, Math.max(10, due.getTime() - clock.now().getTime()));
    } catch {
      // The database may be restarting; try again at the next poll.
    }
    if (this.#stopped) return;
    if (this.#again) delay = 0;
    this.#timer = setTimeout(() => void this.#loop(), delay);
  }

  /** Sends every due head once (in parallel across incidents). Returns how many were attempted. */
  async runOnce(): Promise<number> {
    if (!this.cfg.url) return 0;
    const heads = await dueHeads(this.db, clock.now(), 8);
    await Promise.all(heads.map((h) => this.#deliver(h)));
    return heads.length;
  }

  async #deliver(row: OutboxRow): Promise<void> {
    let outcome: Outcome;
    try {
      const headers: Record<string, string> = { 'content-type': 'application/cap+xml; charset=utf-8' };
      if (this.cfg.sharedKey) headers[SIGNATURE_HEADER] = sign(this.cfg.sharedKey, row.xml);
      const res = await fetch(this.cfg.url!, { method: 'POST', headers, body: row.xml, signal: AbortSignal.timeout(this.cfg.timeoutMs) });
      const body = await res.text();
      outcome = interpretAnswer(res.status, body, row.identifier);
    } catch (e) {
      const err = e as Error & { cause?: { code?: string } };
      outcome = { state: 'retrying', error: err.name === 'TimeoutError' ? `超时（${this.cfg.timeoutMs} ms）` : `连接失败：${err.cause?.code ?? err.message}` };
    }
    const now = clock.now();
    const nextAt = outcome.state === 'retrying' ? new Date(now.getTime() + backoffMs(row.attempts + 1, this.cfg.retryBaseMs, this.cfg.retryMaxMs)) : undefined;
    await recordAttempt(this.db, row.id, {
      state: outcome.state,
      now,
      nextAt,
      error: outcome.state === 'retrying' || outcome.state === 'parked' ? outcome.error : outcome.state === 'sent' ? (outcome.note ?? null) : null,
      answerXml: outcome.state === 'retrying' ? undefined : outcome.answerXml,
      ackIdentifier: outcome.state === 'acked' ? outcome.ackIdentifier : undefined,
    });
    if (outcome.state !== 'acked' && outcome.state !== 'sent') this.log.warn({ identifier: row.identifier, outcome: outcome.state, error: outcome.error }, 'platform delivery not done');
    this.onAttempt(row, outcome);
  }
}

