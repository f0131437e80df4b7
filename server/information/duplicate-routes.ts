/** HTTP of near-duplicate items (mounted inside /api/information): the submitter's check, the editor's flags. */
import { Router } from 'express';
import type { AppContext } from '../context.ts';
import { currentUser } from '../auth/middleware.ts';
import { DuplicateService } from './duplicates.ts';

export function duplicateRoutes(ctx: AppContext): Router {
  const dups = new DuplicateService(ctx);
  const r = Router();
  r.get('/items/:id/similar', async (req, res) => res.json(await dups.check(currentUser(res), String(req.params.id))));
  r.get('/deliveries/:id/duplicates', async (req, res) => res.json(await dups.flags(currentUser(res), String(req.params.id))));
  return r;
}
