/** The report service and its deadline ticker: one pair per running app, held on the AppContext. */
import type { AppContext } from '../context.ts';
import { ReportService } from './service.ts';
import { DeadlineTicker } from './ticker.ts';

export interface ReportRuntime {
  service: ReportService;
  ticker: DeadlineTicker;
}

/** Starts the ticker; the app stops it on close. */
export function createReportRuntime(ctx: AppContext): ReportRuntime {
  const service = new ReportService(ctx);
  const ticker = new DeadlineTicker(ctx);
  service.onChange = (incidentId) => ticker.check([incidentId]).catch((err) => ctx.log.warn({ err }, 'deadline check failed'));
  ticker.start();
  return { service, ticker };
}
