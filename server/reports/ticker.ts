/**
 * The deadline watch: every 15 s (and right after any change or a test clock move) it re-evaluates the
 * deadlines of recent incidents with clock.now(), warns the obligated office before a deadline, records a
 * missed deadline as 迟报 exactly once (server time, immutable) and escalates it to the office above, and
 * reminds the reporting unit when a 续报 is due.
 */
import type { AppContext } from '../context.ts';
import { clock } from '../clock.ts';
import { loadRules, loadSettings, recordMisses } from './repo.ts';
import { obligationsFor } from './incidentFacts.ts';
import { upChain } from '../realtime/rooms.ts';
import { pushNotice } from './push.ts';
import type { DeadlinePush } from '../../contract/socket.ts';
import { isLate } from './deadlines.ts';

const WINDOW_DAYS = 30;

export class DeadlineTicker {
  readonly #warned = new Set<string>();
  readonly #reminded = new Set<string>();
  #timer: NodeJS.Timeout | null = null;
  #running: Promise<void> = Promise.resolve();

  constructor(private readonly ctx: AppContext) {}

  start(intervalMs = 15_000): void {
    if (this.#timer) return;
    this.#timer = setInterval(() => void this.check().catch((err) => this.ctx.log.warn({ err }, 'deadline check failed')), intervalMs);
    this.#timer.unref();
  }

  stop(): void {
    if (this.#timer) clearInterval(this.#timer);
    this.#timer = null;
  }

  /** Runs one evaluation (serialized with any running one). Without ids: every incident of the last 30 days. */
  check(ids?: string[]): Promise<void> {
    const next = this.#running.then(() => this.#check(ids));
    this.#running = next.catch(() => undefined);
    return next;
  }

  /**
   * A deadline alert carries what the toast shows (unit, kind, grade, due time). The incident's title goes only
   * to its own unit, and only when unclassified: offices above learn that something is late, never the content
   * of work not sent to them.
   */
  #pushAlert(event: 'deadline:warning' | 'deadline:missed' | 'followup:due', inc: { id: string; unit_code: string; title: string; classification: number }, units: string[], payload: DeadlinePush): void {
    const others = units.filter((u) => u !== inc.unit_code);
    if (others.length < units.length) pushNotice(this.ctx, event, [inc.unit_code], inc.classification === 0 ? { ...payload, title: inc.title } : payload);
    if (others.length) pushNotice(this.ctx, event, others, payload);
  }

  async #check(ids?: string[]): Promise<void> {
    const now = clock.now();
    const { db, tree } = this.ctx;
    let q = db.selectFrom('incidents').selectAll();
    q = ids ? q.where('id', 'in', ids.length ? ids : ['00000000-0000-0000-0000-000000000000']) : q.where('event_time', '>', new Date(now.getTime() - WINDOW_DAYS * 86_400_000));
    const incidents = await q.execute();
    if (!incidents.length) return;
    const [rules, settings] = await Promise.all([loadRules(db), loadSettings(db)]);
    const facts = await obligationsFor(db, tree, incidents, rules, settings, now);
    const misses = [];
    for (const inc of incidents) {
      const f = facts.get(inc.id)!;
      for (const o of f.deadlines) {
        const key = `${inc.id}:${o.unitCode}:${o.kind}`;
        if (isLate(o.status) && !o.lateRecordedAt) misses.push({ incidentId: inc.id, unitCode: o.unitCode, kind: o.kind, dueAt: new Date(o.dueAt) });
        if (o.status === 'due_soon' && !this.#warned.has(key)) {
          this.#warned.add(key);
          const payload = { incidentId: inc.id, unitCode: o.unitCode, unitName: o.unitName, kind: o.kind, grade: inc.grade, dueAt: o.dueAt };
          this.#pushAlert('deadline:warning', inc, [o.unitCode], payload);
        }
      }
      if (f.followupDueAt && f.followupDueAt.getTime() <= now.getTime()) {
        const key = `${inc.id}:${f.followupDueAt.toISOString()}`;
        if (!this.#reminded.has(key)) {
          this.#reminded.add(key);
          this.#pushAlert('followup:due', inc, [inc.unit_code], { incidentId: inc.id, unitCode: inc.unit_code, unitName: this.ctx.tree.get(inc.unit_code)?.name ?? inc.unit_code, grade: inc.grade, dueAt: f.followupDueAt.toISOString() });
        }
      }
    }
    if (!misses.length) return;
    const recorded = await recordMisses(db, misses, now);
    for (const m of recorded) {
      const unit = tree.get(m.unitCode);
      const inc = incidents.find((i) => i.id === m.incidentId)!;
      const payload = { incidentId: m.incidentId, unitCode: m.unitCode, unitName: unit?.name ?? m.unitCode, kind: m.kind, grade: inc.grade, dueAt: m.dueAt.toISOString(), recordedAt: now.toISOString() };
      // The late office and the office above it (escalation); everyone up the chain sees the incident change.
      this.#pushAlert('deadline:missed', inc, [m.unitCode, ...(unit?.parentCode ? [unit.parentCode] : [])], payload);
      pushNotice(this.ctx, 'incident:changed', upChain(tree, inc.unit_code), { id: m.incidentId });
    }
  }
}
