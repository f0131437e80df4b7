import { Router } from 'express';
import type { AppContext } from '../context.ts';

export function orgRoutes(ctx: AppContext): Router {
  const r = Router();
  // The tree itself is not secret: every unit needs it to address meetings and reports.
  r.get('/tree', (_req, res) => {
    res.json({ root: ctx.tree.toNested() });
  });
  return r;
}
