/**
 * Certificates bound to accounts and the two-factor policy: the security administrator's (安全保密管理员)
 * only. The UKey challenge is issued before login, so it has its own router mounted without a session.
 */
import { Router, type Response } from 'express';
import { z } from 'zod';
import { bindCertificateBody, certificateListQuery, factorPolicyBody, revokeCertificateBody } from '../../contract/certificates.ts';
import type { AppServices } from '../services.ts';
import { noteAudit } from '../audit/middleware.ts';
import { currentUser } from '../auth/middleware.ts';
import { hasAnyRole, type SessionUser } from '../auth/sessions.ts';
import { errors } from '../http/errors.ts';
import { parse } from '../http/validate.ts';
import * as service from './service.ts';

export function certificateRoutes(ctx: AppServices): Router {
  const r = Router();
  const securityAdmin = (res: Response): SessionUser => {
    const user = currentUser(res);
    if (!hasAnyRole(user, ['security_admin'])) throw errors.roleForbidden();
    return user;
  };

  r.get('/', async (req, res) => {
    const admin = securityAdmin(res);
    const q = parse(certificateListQuery, req.query);
    res.json({ certificates: await service.listCertificates(ctx, admin, q.username) });
  });

  r.post('/', async (req, res) => {
    const admin = securityAdmin(res);
    const body = parse(bindCertificateBody, req.body);
    const certificate = await service.bindCertificate(ctx, admin, body.username, body.pem);
    noteAudit(res, { after: { ...certificate } });
    res.status(201).json({ certificate });
  });

  r.post('/:id/revoke', async (req, res) => {
    const admin = securityAdmin(res);
    const id = parse(z.coerce.number().int().positive().max(2_147_483_647), req.params.id);
    const body = parse(revokeCertificateBody, req.body);
    const { before, after } = await service.revokeCertificate(ctx, admin, id, body.reason);
    noteAudit(res, { before, after });
    res.json({ certificate: after });
  });

  r.get('/policy', async (_req, res) => {
    securityAdmin(res);
    res.json(await service.policyView(ctx));
  });

  r.put('/policy', async (req, res) => {
    const admin = securityAdmin(res);
    const body = parse(factorPolicyBody, req.body);
    const before = await service.policyView(ctx);
    const after = await service.setPolicy(ctx, admin, body.rows);
    noteAudit(res, { before: before.rows, after: after.rows });
    res.json(after);
  });

  return r;
}

/** POST /api/auth/ukey/challenge: a single-use nonce for the UKey to sign (no session yet). */
export function ukeyRoutes(ctx: AppServices): Router {
  const r = Router();
  r.post('/challenge', async (_req, res) => {
    res.json(await service.issueChallenge(ctx));
  });
  return r;
}
