/** HTTP of units' registered phones (system administrator): list, register, change (unit, enabled, password). */
import { Router } from 'express';
import { voicePhoneCreate, voicePhoneUpdate } from '../../contract/voice.ts';
import { currentUser } from '../auth/middleware.ts';
import { errors } from '../http/errors.ts';
import { parse } from '../http/validate.ts';
import type { AppServices } from '../services.ts';
import { phonesService } from './phonesService.ts';

export function voicePhoneRoutes(ctx: AppServices): Router {
  const r = Router();
  const s = phonesService({
    db: ctx.db,
    tree: ctx.tree,
    realm: process.env.VOICE_REALM ?? 'threelevel',
    registeredUntil: (n) => ctx.meetings.registeredUntil(n),
  });
  const numberParam = (v: unknown) => {
    if (typeof v !== 'string' || !/^[0-9+*#]{3,32}$/.test(v)) throw errors.notFound('登记电话');
    return v;
  };
  r.get('/phones', async (_req, res) => res.json({ phones: await s.list(currentUser(res)) }));
  r.post('/phones', async (req, res) => res.status(201).json({ phone: await s.create(currentUser(res), parse(voicePhoneCreate, req.body)) }));
  r.put('/phones/:number', async (req, res) => res.json({ phone: await s.update(currentUser(res), numberParam(req.params.number), parse(voicePhoneUpdate, req.body)) }));
  return r;
}
