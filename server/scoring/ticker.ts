/**
 * The reminder watch, on the one server clock: in the last three days of a month (UTC+8) every unit still
 * behind its quota is reminded once; in the last 24 hours before a commissioned request's deadline every
 * target that has not answered is reminded once. Reminders are rows (sent once, kept) and socket notices.
 */
import { clock } from '../clock.ts';
import type { AppContext } from '../context.ts';
import { monthKeyOf, periodRange } from '../../contract/scoring.ts';
import { rankedUnitsOf, requestFacts } from './facts.ts';
import * as repo from './repo.ts';
import { quotaReminderMonth, requestReminderDue } from './rules.ts';
import { quotaProgress } from './service.ts';

export class ScoringTicker {
  #timer: NodeJS.Timeout | null = null;
  #running: Promise<void> = Promise.resolve();
  constructor(private readonly ctx: AppContext) {}

  start(intervalMs = 60_000): void {
    if (this.#timer) return;
    this.#timer = setInterval(() => void this.check().catch((err) => this.ctx.log.warn({ err }, 'scoring reminders failed')), intervalMs);
    this.#timer.unref();
  }
  stop(): void {
    if (this.#timer) clearInterval(this.#timer);
    this.#timer = null;
  }

  /** One pass (serialized with a running one). */
  check(): Promise<void> {
    const next = this.#running.then(() => this.#check());
    this.#running = next.catch(() => undefined);
    return next;
  }

  #push(unitCode: string, action: string, text: string, at: Date): void {
    this.ctx.io.to(`unit:${unitCode}`).emit('information:notice', { itemId: null, issueId: null, action, text, at: at.toISOString() });
  }

  async #check(): Promise<void> {
    const now = clock.now();
    const { db, tree } = this.ctx;
    const p = periodRange(monthKeyOf(now))!;
    const month = quotaReminderMonth(p, now);
    if (month) {
      for (const office of [tree.root, ...tree.atLevel(2)]) {
        const children = rankedUnitsOf(tree, office.code).map((u) => u.code);
        if (!children.length) continue;
        const progress = await quotaProgress(this.ctx, office.code, children, p, now);
        const due = progress.units
          .filter((x) => x.behind)
          .map((u) => ({ unitCode: u.unitCode, kind: 'quota' as const, ref: month, at: now, text: `${p.label}任务量尚未完成：已报送${u.items}条（应≥${u.minItems}条），综合分析${u.analysis}条（应≥${u.minAnalysis}条），请在月底前报送` }));
        for (const r of await repo.addReminders(db, due)) this.#push(r.unitCode, 'quota_reminder', r.text, now);
      }
    }
    const soon = await repo.requestRows(db, { start: now, end: new Date(now.getTime() + 24 * 3600_000) });
    const { facts } = await requestFacts(db, soon);
    for (const r of facts) {
      if (!requestReminderDue(r.deadline, now)) continue;
      const text = `约稿《${r.topic}》将于${new Date(r.deadline.getTime() + 8 * 3600_000).toISOString().slice(0, 16).replace('T', ' ')}截止，请尽快报送`;
      const due = r.targets.filter((x) => !x.answeredAt).map((t) => ({ unitCode: t.unitCode, kind: 'request' as const, ref: r.id, text, at: now }));
      for (const x of await repo.addReminders(db, due)) this.#push(x.unitCode, 'request_reminder', x.text, now);
    }
  }
}
