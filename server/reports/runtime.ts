/** One report service and one deadline ticker per running app, shared by the report and test-clock routes. */
import type { AppContext } from '../context.ts';
import { ReportService } from './service.ts';
import { DeadlineTicker } from './ticker.ts';

export interface ReportRuntime {
  service: ReportService;
  ticker: DeadlineTicker;
}

const runtimes = new WeakMap<AppContext, ReportRuntime>();

export function reportRuntime(ctx: AppContext): ReportRuntime {
  let rt = runtimes.get(ctx);
  if (!rt) {
    const service = new ReportService(ctx);
    const ticker = new DeadlineTicker(ctx);
    service.onChange = (incidentId) => ticker.check([incidentId]).catch((err) => ctx.log.warn({ err }, 'deadline check failed'));
    ticker.start();
    // The ticker stops with the server (io.close() closes the HTTP server).
    ctx.io.httpServer?.once('close', () => ticker.stop());
    rt = { service, ticker };
    runtimes.set(ctx, rt);
  }
  return rt;
}
