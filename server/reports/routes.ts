import { Router } from 'express';
import { z } from 'zod';
import type { AppContext } from '../context.ts';
import { unitRoom } from '../context.ts';
import { errors } from '../http/errors.ts';
import { parse } from '../http/validate.ts';
import { currentUser } from '../auth/middleware.ts';
import { hasAnyRole } from '../auth/sessions.ts';
import { insertReport, listReportsOfUnits } from './repo.ts';

const createSchema = z.object({
  requestId: z.uuid(),
  title: z.string().trim().min(1).max(200),
  eventTime: z.iso.datetime({ offset: true }),
  place: z.string().trim().min(1).max(300),
  grade: z.union([z.literal(1), z.literal(2), z.literal(3), z.literal(4)]),
  summary: z.string().trim().min(1).max(20000),
});

export const REPORTER_ROLES = ['duty_officer', 'leader', 'admin'] as const;

export function reportRoutes(ctx: AppContext): Router {
  const r = Router();

  // A unit sees its own reports and those of every unit below it.
  r.get('/', async (_req, res) => {
    const user = currentUser(res);
    const units = ctx.tree.subtree(user.unitCode).map((u) => u.code);
    res.json({ reports: await listReportsOfUnits(ctx.db, ctx.tree, units) });
  });

  r.post('/', async (req, res) => {
    const user = currentUser(res);
    if (!hasAnyRole(user, REPORTER_ROLES)) throw errors.roleForbidden();
    const body = parse(createSchema, req.body);
    const eventTime = new Date(body.eventTime);
    if (eventTime.getTime() > Date.now() + 5 * 60_000) {
      throw errors.validation([{ path: 'eventTime', message: '事发时间不能晚于当前时间' }]);
    }
    const { report, created } = await insertReport(ctx.db, ctx.tree, {
      ...body,
      eventTime,
      unitCode: user.unitCode,
      createdBy: user.id,
    });
    if (created) {
      // Own level first, then every level above, live (本级先知道，上级随即可见).
      for (const code of [user.unitCode, ...ctx.tree.ancestors(user.unitCode).map((u) => u.code)]) {
        ctx.io.to(unitRoom(code)).emit('report:new', report);
      }
      ctx.log.info({ reportId: report.id, unit: user.unitCode, grade: report.grade }, 'urgent report submitted');
    }
    res.status(created ? 201 : 200).json({ report });
  });

  return r;
}
