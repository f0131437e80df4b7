/** The platform link of a running app: decisions, inbound, and the sender loop (stopped on close). */
import type { AppContext } from '../context.ts';
import type { ReportRuntime } from '../reports/runtime.ts';
import { unitRoom } from '../realtime/rooms.ts';
import { platformConfigFromEnv, type PlatformConfig } from './config.ts';
import { InboundService } from './inbound.ts';
import { PlatformSender } from './sender.ts';
import { PlatformService } from './service.ts';

export interface PlatformRuntime {
  config: PlatformConfig;
  service: PlatformService;
  inbound: InboundService;
  sender: PlatformSender;
}

export function createPlatformRuntime(ctx: AppContext, reportRuntime: ReportRuntime, overrides: Partial<PlatformConfig> = {}): PlatformRuntime {
  const config = { ...platformConfigFromEnv(process.env, ctx.tree.root.code), ...overrides };
  const service = new PlatformService(ctx, config, reportRuntime);
  const inbound = new InboundService(ctx, config, reportRuntime);
  const sender = new PlatformSender(ctx.db, config, ctx.log);
  const notify = (incidentId: string) => {
    // Content-free: consoles that show the delivery state refetch it.
    ctx.io.to(unitRoom(ctx.tree.root.code)).emit('platform:outbox', { incidentId });
  };
  service.onQueued = (incidentId) => {
    notify(incidentId);
    sender.kick();
  };
  sender.onAttempt = (row) => notify(row.incident_id);
  // The region's 签收 may push automatically (same transaction); after it commits the sender looks at once.
  const reports = reportRuntime.service;
  reports.onHopInTx = (trx, e) => service.onHopInTx(trx, e);
  const before = reports.onChange;
  reports.onChange = async (incidentId) => {
    await before(incidentId);
    notify(incidentId);
    sender.kick();
  };
  if (!config.url) ctx.log.info('PLATFORM_URL is not set: messages for the emergency platform wait in the outbox (待推送)');
  sender.start();
  return { config, service, inbound, sender };
}
