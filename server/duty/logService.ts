/**
 * The duty log (值班日志): every call, document and event the officer registers. Idempotent create by
 * requestId, optimistic edits by revision (a stale edit is refused and the form keeps what was typed),
 * every revision kept.
 */
import { z } from 'zod';
import type { SessionUser } from '../auth/sessions.ts';
import { clock } from '../clock.ts';
import type { AppContext } from '../context.ts';
import { errors } from '../http/errors.ts';
import { checkPastTime } from '../http/validate.ts';
import { unitRoom } from '../realtime/rooms.ts';
import type { LogCreateBody, LogEditBody, LogListQuery } from '../../contract/dutyRequests.ts';
import type { LogEntryDto } from '../../contract/duty.ts';
import { DUTY_ROLES, writeUnit } from './access.ts';
import { getLogEntry, insertLog, listLog, logByRequestId, logRevisions, updateLog } from './logRepo.ts';
import { localMidnight } from './rules.ts';

const checkCallTime = (t: string) => checkPastTime(t, 'callTime', '来电时间');

/** `unit`: already checked as readable by the caller (access.ts readUnit). */
export async function logFor(ctx: AppContext, unit: string, q: LogListQuery): Promise<LogEntryDto[]> {
  return listLog(ctx.db, unit, q, q.date ? new Date(localMidnight(q.date)!) : null);
}

export async function createLogEntry(ctx: AppContext, user: SessionUser, body: LogCreateBody): Promise<{ entry: LogEntryDto; created: boolean }> {
  const unit = writeUnit(user, undefined, DUTY_ROLES);
  checkCallTime(body.callTime);
  const { requestId, ...fields } = body;
  const entry = await ctx.db.transaction().execute((trx) => insertLog(trx, { requestId, unitCode: unit, fields, by: user.id, at: clock.now() }));
  if (!entry) {
    const prior = await logByRequestId(ctx.db, requestId);
    if (!prior || prior.createdBy !== user.id) throw errors.requestIdConflict();
    return { entry: prior.entry, created: false };
  }
  ctx.io.to(unitRoom(unit)).emit('duty:log', entry);
  return { entry, created: true };
}

async function findEntry(ctx: AppContext, user: SessionUser, id: string): Promise<LogEntryDto> {
  if (!z.uuid().safeParse(id).success) throw errors.notFound('值班记录');
  const cur = await getLogEntry(ctx.db, id);
  if (!cur || !ctx.tree.isWithin(cur.unitCode, user.unitCode)) throw errors.notFound('值班记录');
  return cur;
}

export async function editLogEntry(ctx: AppContext, user: SessionUser, id: string, parseBody: () => LogEditBody): Promise<LogEntryDto> {
  const cur = await findEntry(ctx, user, id);
  writeUnit(user, cur.unitCode, DUTY_ROLES);
  const body = parseBody(); // after the unit check: an outsider learns nothing from validation messages
  checkCallTime(body.callTime);
  const { revision, ...fields } = body;
  const entry = await ctx.db.transaction().execute(async (trx) => {
    const e = await updateLog(trx, { id: cur.id, revision, fields, by: user.id, at: clock.now() });
    if (!e) throw errors.dutyConflict('DUTY_LOG_STALE', '该记录已被他人修改，请刷新后再改（您填写的内容仍保留在表单中）');
    return e;
  });
  ctx.io.to(unitRoom(entry.unitCode)).emit('duty:log', entry);
  return entry;
}

export async function logEntryRevisions(ctx: AppContext, user: SessionUser, id: string) {
  const cur = await findEntry(ctx, user, id);
  return logRevisions(ctx.db, cur.id);
}
