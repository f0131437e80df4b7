import { Router } from 'express';
import { z } from 'zod';
import type { AppContext } from '../context.ts';
import { unitRoom } from '../context.ts';
import { errors } from '../http/errors.ts';
import { parse } from '../http/validate.ts';
import { currentUser } from '../auth/middleware.ts';
import { hasAnyRole } from '../auth/sessions.ts';
import { resolveScope } from './scope.ts';
import { insertMeeting, listMeetingsForUnit } from './repo.ts';

const unitCode = z.string().regex(/^\d{6}$/);
const scopeSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('region') }),
  z.object({ kind: z.literal('cityWithCounties'), cityCode: unitCode }),
  z.object({ kind: z.literal('level'), level: z.union([z.literal(2), z.literal(3)]) }),
  z.object({ kind: z.literal('units'), unitCodes: z.array(unitCode).min(1).max(500) }),
]);
const createSchema = z.object({
  title: z.string().trim().min(1).max(200),
  startsAt: z.iso.datetime({ offset: true }).optional(),
  durationMin: z.number().int().min(1).max(1440).default(60),
  scope: scopeSchema,
});

export const CONVENER_ROLES = ['admin', 'leader', 'venue_operator'] as const;

export function meetingRoutes(ctx: AppContext): Router {
  const r = Router();

  r.get('/', async (req, res) => {
    const user = currentUser(res);
    res.json({ meetings: await listMeetingsForUnit(ctx.db, ctx.tree, user.unitCode) });
  });

  r.post('/', async (req, res) => {
    const user = currentUser(res);
    if (!hasAnyRole(user, CONVENER_ROLES)) throw errors.roleForbidden();
    const body = parse(createSchema, req.body);
    const scope = resolveScope(ctx.tree, user.unitCode, body.scope);
    if (!scope.ok) throw errors.scopeForbidden({ reason: scope.reason, unitCodes: scope.unitCodes });
    const meeting = await insertMeeting(ctx.db, ctx.tree, {
      title: body.title,
      hostUnitCode: user.unitCode,
      createdBy: user.id,
      startsAt: body.startsAt ? new Date(body.startsAt) : new Date(),
      durationMin: body.durationMin,
      unitCodes: scope.unitCodes,
    });
    for (const u of meeting.units) ctx.io.to(unitRoom(u.code)).emit('meeting:new', meeting);
    ctx.log.info({ meetingId: meeting.id, units: meeting.units.length, by: user.username }, 'meeting created');
    res.status(201).json({ meeting });
  });

  return r;
}
