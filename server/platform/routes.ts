/**
 * HTTP of the platform link. `platformEdgeRoutes` (mounted at /platform, outside the session check) is where
 * the platform talks to us: the signed, rate- and size-limited CAP endpoint and the token-protected Atom
 * feed. `platformRoutes` (at /api/platform) is the consoles' API.
 */
import express, { Router, type NextFunction, type Request, type Response } from 'express';
import { z } from 'zod';
import { autoRulesSchema, conveneSchema, demandSchema, pushRequestSchema, redriveSchema, withdrawSchema } from '../../contract/platform.ts';
import { currentUser, sessionToken } from '../auth/middleware.ts';
import { resolveSession } from '../auth/sessionCheck.ts';
import { clock } from '../clock.ts';
import type { AppServices } from '../services.ts';
import { ApiError, errors } from '../http/errors.ts';
import { parse } from '../http/validate.ts';
import { convene } from './convene.ts';
import { atomFeed } from './feed.ts';
import { sentMessages } from './repo.ts';
import { SIGNATURE_HEADER, verify } from './signature.ts';
import { MAX_CAP_BYTES } from './xml.ts';

const tooLarge = () => new ApiError(413, 'PLATFORM_TOO_LARGE', `消息过大（上限 ${MAX_CAP_BYTES / 1024} KB）`);
// 403, not 401: the platform is not a session user; its key (the HMAC) is what is refused.
const badSignature = () => new ApiError(403, 'PLATFORM_SIGNATURE', '签名无效');
const rateLimited = () => new ApiError(429, 'PLATFORM_RATE_LIMITED', '请求过于频繁，请稍后再试');
const closed = () => new ApiError(503, 'PLATFORM_INBOUND_CLOSED', '未配置共享密钥，不接收应急平台消息');

/** Fixed one-minute windows per client address; the map is pruned as windows pass. */
function rateLimiter(perMinute: number) {
  const windows = new Map<string, { start: number; count: number }>();
  return (key: string): boolean => {
    const now = Date.now();
    if (windows.size > 10_000) for (const [k, w] of windows) if (now - w.start > 60_000) windows.delete(k);
    const w = windows.get(key);
    if (!w || now - w.start > 60_000) {
      windows.set(key, { start: now, count: 1 });
      return true;
    }
    return ++w.count <= perMinute;
  };
}

export function platformEdgeRoutes(ctx: AppServices): Router {
  const r = Router();
  const cfg = ctx.platform.config;
  const allow = rateLimiter(cfg.inboundPerMinute);
  const raw = express.raw({ type: () => true, limit: MAX_CAP_BYTES });

  r.post(
    '/cap',
    (req: Request, _res: Response, next: NextFunction) => {
      if (!cfg.sharedKey) return next(closed());
      if (!allow(req.ip ?? '')) return next(rateLimited());
      const len = Number(req.headers['content-length'] ?? 0);
      if (len > MAX_CAP_BYTES) return next(tooLarge());
      raw(req, _res, (err?: unknown) => next(err ? ((err as { type?: string }).type === 'entity.too.large' ? tooLarge() : errors.validation([{ path: '', message: 'unreadable body' }])) : undefined));
    },
    async (req, res) => {
      const body = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
      // Nothing unsigned is parsed, stored or answered in CAP.
      if (!verify(cfg.sharedKey!, body, req.headers[SIGNATURE_HEADER] as string | undefined)) throw badSignature();
      const answer = await ctx.platform.inbound.receive(body);
      if (!answer.xml) return void res.status(answer.status).end();
      res.status(answer.status).type('application/cap+xml; charset=utf-8').send(answer.xml);
    },
  );

  r.get('/feed.atom', async (req, res) => {
    // A pulling platform presents the feed token; the region's own staff may read it with their session.
    const auth = req.headers.authorization ?? '';
    if (!cfg.feedToken || auth !== `Bearer ${cfg.feedToken}`) {
      const user = await resolveSession(ctx, sessionToken(req.headers.cookie));
      if (!user) throw errors.authRequired();
      if (user.unitCode !== ctx.tree.root.code) throw errors.scopeForbidden();
    }
    const rows = await sentMessages(ctx.db);
    res.type('application/atom+xml; charset=utf-8').send(atomFeed(rows, { selfUrl: `${req.protocol}://${req.get('host')}${req.originalUrl}`, sender: cfg.sender, senderName: cfg.senderName, now: clock.now() }));
  });
  return r;
}

const uuid = (s: string) => {
  if (!z.uuid().safeParse(s).success) throw errors.notFound('记录');
  return s;
};

export function platformRoutes(ctx: AppServices): Router {
  const r = Router();
  const svc = () => ctx.platform.service;
  const inbound = () => ctx.platform.inbound;

  r.get('/outbox', async (_req, res) => res.json({ messages: await svc().outbox(currentUser(res)), configured: !!ctx.platform.config.url }));
  r.get('/reports/:id/delivery', async (req, res) => res.json({ delivery: await svc().delivery(currentUser(res), uuid(req.params.id)) }));
  r.post('/reports/:id/push', async (req, res) => {
    const body = parse(pushRequestSchema, req.body ?? {});
    const out = await svc().push(currentUser(res), uuid(req.params.id), body.note ?? '');
    res.json({ delivery: out.delivery });
  });
  r.post('/outbox/:id/redrive', async (req, res) => {
    const id = Number(req.params.id);
    if (!Number.isSafeInteger(id) || id <= 0) throw errors.notFound('消息');
    await svc().redrive(currentUser(res), id, parse(redriveSchema, req.body ?? {}).xml);
    res.json({ ok: true });
  });
  r.post('/withdraw', async (req, res) => {
    await svc().withdraw(currentUser(res), parse(withdrawSchema, req.body).incidentId);
    res.json({ ok: true });
  });
  r.get('/rules', async (_req, res) => res.json({ rules: await svc().rules(currentUser(res)) }));
  r.post('/rules', async (req, res) => res.json({ rules: await svc().saveRules(currentUser(res), parse(autoRulesSchema, req.body).rules) }));

  r.get('/alerts', async (_req, res) => res.json({ alerts: await inbound().list(currentUser(res)) }));
  r.get('/alerts/:id', async (req, res) => {
    const user = currentUser(res);
    const row = await inbound().get(user, uuid(req.params.id));
    res.json({ alert: await inbound().dto(user, row), xml: row.xml });
  });
  r.post('/alerts/:id/ack', async (req, res) => res.json({ alert: await inbound().acknowledge(currentUser(res), uuid(req.params.id)) }));
  r.post('/alerts/:id/incident', async (req, res) => res.json({ incidentId: await inbound().openIncident(currentUser(res), uuid(req.params.id)) }));
  r.post('/alerts/:id/demand', async (req, res) => {
    const body = parse(demandSchema, req.body ?? {});
    res.json({ incidentIds: await inbound().demandReports(currentUser(res), uuid(req.params.id), body.note) });
  });
  r.post('/convene', async (req, res) => res.status(201).json(await convene(ctx, inbound(), currentUser(res), parse(conveneSchema, req.body))));
  return r;
}
