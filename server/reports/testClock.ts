/** Test-only: move the server clock (TEST_CLOCK=1 only; app.ts mounts this router only then). */
import { Router } from 'express';
import { z } from 'zod';
import type { AppContext } from '../context.ts';
import { clock } from '../clock.ts';
import { parse } from '../http/validate.ts';

export function testClockRoutes(ctx: AppContext): Router {
  const r = Router();
  r.get('/clock', (_req, res) => {
    res.json({ now: clock.now().toISOString(), offsetMs: clock.offsetMs });
  });
  r.post('/clock', async (req, res) => {
    const { advanceMs } = parse(z.object({ advanceMs: z.number().int().min(-864e8).max(864e8) }), req.body);
    clock.advance(advanceMs);
    // Deadlines are re-evaluated at once, so a test sees the consequences without waiting for the next tick.
    await ctx.reports.ticker.check();
    res.json({ now: clock.now().toISOString(), offsetMs: clock.offsetMs });
  });
  return r;
}
