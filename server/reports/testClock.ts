/**
 * Test-only: set or move the server clock (TEST_CLOCK=1 only; app.ts mounts this router only then).
 * `{ setIso }` puts "now" at an absolute instant (it runs on from there) and makes sure the demo roster
 * covers that week, as it would if the demo had been seeded that day; `{ advanceMs }` moves it by an amount.
 */
import { Router } from 'express';
import { z } from 'zod';
import type { AppServices } from '../services.ts';
import { clock } from '../clock.ts';
import { parse } from '../http/validate.ts';
import { seedDemoRoster } from '../seed/duty.ts';

const body = z.union([
  z.object({ advanceMs: z.number().int().min(-864e8).max(864e8) }),
  z.object({ setIso: z.iso.datetime({ offset: true }) }),
  z.object({ reset: z.literal(true) }),
]);

export function testClockRoutes(ctx: AppServices): Router {
  const r = Router();
  r.get('/clock', (_req, res) => {
    res.json({ now: clock.now().toISOString(), offsetMs: clock.offsetMs });
  });
  r.post('/clock', async (req, res) => {
    const b = parse(body, req.body);
    if ('advanceMs' in b) clock.advance(b.advanceMs);
    else if ('setIso' in b) {
      clock.set(b.setIso);
      await seedDemoRoster(ctx.db, clock.now());
    } else clock.reset();
    // Deadlines are re-evaluated at once, so a test sees the consequences without waiting for the next tick.
    await ctx.reports.ticker.check();
    await ctx.scoring.check();
    res.json({ now: clock.now().toISOString(), offsetMs: clock.offsetMs });
  });
  return r;
}
