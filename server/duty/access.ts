/** Who may read and write a unit's duty data, and the push that tells a unit and the levels above it. */
import type { SessionUser } from '../auth/sessions.ts';
import { hasAnyRole } from '../auth/sessions.ts';
import type { AppContext } from '../context.ts';
import { errors } from '../http/errors.ts';
import { unitRooms, upChain } from '../realtime/rooms.ts';

export const DUTY_ROLES = ['duty_officer', 'leader'] as const;
export const MANAGER_ROLES = ['leader'] as const;
type DutyRole = (typeof DUTY_ROLES)[number];

/** Unit to read: the caller's own unit or one below it (levels above read levels below). */
export function readUnit(ctx: Pick<AppContext, 'tree'>, user: SessionUser, code: unknown): string {
  const unit = typeof code === 'string' && code ? code : user.unitCode;
  if (!ctx.tree.has(unit)) throw errors.notFound('单位');
  if (!ctx.tree.isWithin(unit, user.unitCode)) throw errors.scopeForbidden();
  return unit;
}

/** Unit to write: only the caller's own, and only with one of `roles`. */
export function writeUnit(user: SessionUser, code: unknown, roles: readonly DutyRole[]): string {
  if (!hasAnyRole(user, roles)) throw errors.roleForbidden();
  const unit = typeof code === 'string' && code ? code : user.unitCode;
  if (unit !== user.unitCode) throw errors.dutyUnitForbidden();
  return unit;
}

/** The roster changed: tell the unit and every level above (they watch "on duty now"). */
export function pushRosterChanged(ctx: AppContext, unitCode: string): void {
  ctx.io.to(unitRooms(upChain(ctx.tree, unitCode))).emit('duty:roster', { unitCode });
}
