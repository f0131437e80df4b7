/**
 * 一键召集: one action convenes a video meeting of exactly the units concerned — the units an alert covers
 * (within the convener's scope), or an incident's reporting chain up to the convener — with the convener's
 * own unit as main venue (主会场). Uses the meetings domain's insert, and invites with a sound.
 */
import type { SessionUser } from '../auth/sessions.ts';
import { hasAnyRole } from '../auth/sessions.ts';
import { clock } from '../clock.ts';
import type { AppContext } from '../context.ts';
import { unitRoom } from '../realtime/rooms.ts';
import { ApiError, errors } from '../http/errors.ts';
import { insertMeeting } from '../meetings/repo.ts';
import { SIGN_ROLES } from '../reports/workflow.ts';
import type { ConveneResult, PlatformConvenedPush } from '../../contract/platform.ts';
import type { InboundService } from './inbound.ts';
import { assertLeaderOnDuty } from './leaderOnDuty.ts';
import type { OrgTree } from '../org/tree.ts';

const nobody = () => new ApiError(409, 'PLATFORM_NO_UNITS', '没有可召集的单位（受影响单位不在本单位管辖范围内）');

/** The alert's covered units the convener may invite, main venue first. Pure. */
export function alertInvitees(tree: OrgTree, host: string, covered: string[]): string[] {
  return [host, ...covered.filter((c) => c !== host && tree.isWithin(c, host))];
}

/** The reporting chain from the incident's unit up to the convener, main venue first. Pure. */
export function chainInvitees(tree: OrgTree, host: string, incidentUnit: string): string[] | null {
  if (!tree.isWithin(incidentUnit, host)) return null;
  const chain = [incidentUnit];
  for (const a of tree.ancestors(incidentUnit)) {
    if (a.code === host) break;
    chain.push(a.code);
  }
  return [host, ...chain.filter((c) => c !== host)];
}

export async function convene(ctx: AppContext, inbound: InboundService, user: SessionUser, target: { alertId: string } | { incidentId: string }): Promise<ConveneResult> {
  if (!hasAnyRole(user, SIGN_ROLES)) throw errors.roleForbidden();
  await assertLeaderOnDuty(ctx.db, user.unitCode, user, clock.now());
  let units: string[];
  let title: string;
  let alertId: string | null = null;
  if ('alertId' in target) {
    const r = await inbound.get(user, target.alertId);
    if (r.status !== 'accepted') throw errors.reportState({ reason: 'rejected message' });
    units = alertInvitees(ctx.tree, user.unitCode, r.unit_codes);
    title = `应急会商：${r.headline || r.event}`.slice(0, 200);
    alertId = r.id;
  } else {
    const inc = /^[0-9a-f-]{36}$/i.test(target.incidentId) ? await ctx.db.selectFrom('incidents').selectAll().where('id', '=', target.incidentId).executeTakeFirst() : undefined;
    const chain = inc ? chainInvitees(ctx.tree, user.unitCode, inc.unit_code) : null;
    if (!inc || !chain) throw errors.notFound('事件');
    units = chain;
    title = `应急会商：${inc.title}`.slice(0, 200);
  }
  if (units.length < 2) throw nobody();
  const meeting = await insertMeeting(ctx.db, ctx.tree, { title, hostUnitCode: user.unitCode, createdBy: user.id, startsAt: clock.now(), durationMin: 60, unitCodes: units });
  if (alertId) await ctx.db.updateTable('platform_inbound').set({ meeting_id: meeting.id }).where('id', '=', alertId).execute();
  const push: PlatformConvenedPush = { meetingId: meeting.id, title: meeting.title, hostUnitName: meeting.hostUnitName };
  for (const u of meeting.units) {
    ctx.io.to(unitRoom(u.code)).emit('meeting:new', meeting);
    ctx.io.to(unitRoom(u.code)).emit('platform:convened', push);
  }
  ctx.log.info({ meetingId: meeting.id, units: units.length, by: user.username }, 'meeting convened from platform');
  return { meetingId: meeting.id, units, hostUnitCode: user.unitCode };
}
