import { Router } from 'express';
import { z } from 'zod';
import type { AppServices } from '../services.ts';
import { unitRoom } from '../realtime/rooms.ts';
import { errors } from '../http/errors.ts';
import { parse } from '../http/validate.ts';
import { currentUser } from '../auth/middleware.ts';
import { hasAnyRole } from '../auth/sessions.ts';
import { resolveScope } from './scope.ts';
import { newWorkbook, workbookBuffer } from '../documents/workbook.ts';
import { passedPin } from './pin.ts';
import { recordingRoutes } from './recordings.ts';
import { findMeeting, insertMeeting, listAttendance, listMeetingsForUnit, type MeetingDto } from './repo.ts';
import type { SessionUser } from '../auth/sessions.ts';
import { hashPassword } from '../auth/password.ts';
import { clock } from '../clock.ts';
import { createMeetingBody } from '../../contract/meetings.ts';
import { MIME, sendDownload } from '../http/download.ts';

const createSchema = createMeetingBody;

export const CONVENER_ROLES = ['leader', 'venue_operator'] as const;
/** A start this long before now still counts as "now" (the form was filled in a minute ago). */
export const START_GRACE_MS = 5 * 60_000;

export function meetingRoutes(ctx: AppServices): Router {
  const r = Router();

  r.get('/', async (req, res) => {
    const user = currentUser(res);
    // now: the server's clock, so the consoles' countdowns do not follow a PC clock that is off.
    res.json({ meetings: await listMeetingsForUnit(ctx.db, ctx.tree, user.unitCode), now: clock.now().toISOString() });
  });

  r.post('/', async (req, res) => {
    const user = currentUser(res);
    if (!hasAnyRole(user, CONVENER_ROLES)) throw errors.roleForbidden();
    const body = parse(createSchema, req.body);
    const now = clock.now();
    const startsAt = body.startsAt ? new Date(body.startsAt) : now;
    if (startsAt.getTime() < now.getTime() - START_GRACE_MS) throw errors.meetingStartPast();
    const scope = resolveScope(ctx.tree, user.unitCode, body.scope);
    if (!scope.ok) throw errors.scopeForbidden({ reason: scope.reason, unitCodes: scope.unitCodes });
    const meeting = await insertMeeting(ctx.db, ctx.tree, {
      title: body.title,
      hostUnitCode: user.unitCode,
      createdBy: user.id,
      startsAt,
      durationMin: body.durationMin,
      unitCodes: scope.unitCodes,
      pinHash: body.pin ? await hashPassword(body.pin) : null,
    });
    for (const u of meeting.units) ctx.io.to(unitRoom(u.code)).emit('meeting:new', meeting);
    ctx.log.info({ meetingId: meeting.id, units: meeting.units.length, by: user.username }, 'meeting created');
    res.status(201).json({ meeting });
  });

  /** The organiser: the chair (main venue's convener roles); administrators are not organisers (三员分立). */
  const organiser = async (user: SessionUser, id: string): Promise<MeetingDto> => {
    const meeting = z.uuid().safeParse(id).success ? await findMeeting(ctx.db, ctx.tree, id) : null;
    if (!meeting) throw errors.notFound('会议');
    if (!ctx.meetings.isChair(user, meeting.hostUnitCode)) throw errors.controlForbidden();
    return meeting;
  };

  /** The chair's control state, for any invited unit. */
  r.get('/:id/control', async (req, res) => {
    const user = currentUser(res);
    const meeting = z.uuid().safeParse(req.params.id).success ? await findMeeting(ctx.db, ctx.tree, req.params.id) : null;
    if (!meeting) throw errors.notFound('会议');
    if (!meeting.units.some((u) => u.code === user.unitCode)) throw errors.meetingNotInvited();
    if (!(await passedPin(ctx.db, meeting, user.unitCode))) throw errors.meetingPinRequired();
    res.json({ control: await ctx.meetings.controlState(meeting.id) });
  });

  /** Check-in (签到): who joined when, left when, for how long. */
  r.get('/:id/attendance', async (req, res) => {
    const meeting = await organiser(currentUser(res), req.params.id);
    const attendance = await listAttendance(ctx.db, ctx.tree, meeting.id);
    // Invited units that never joined, as in the Excel export (未入会单位).
    const attended = new Set(attendance.map((a) => a.unitCode));
    const absent = meeting.units.filter((u) => !attended.has(u.code)).map((u) => ({ unitCode: u.code, unitName: u.name }));
    res.json({ attendance, absent });
  });

  r.get('/:id/attendance.xlsx', async (req, res) => {
    const meeting = await organiser(currentUser(res), req.params.id);
    const rows = await listAttendance(ctx.db, ctx.tree, meeting.id);
    const wb = newWorkbook();
    const ws = wb.addWorksheet('签到');
    ws.addRow([meeting.title]);
    ws.addRow([`主会场：${meeting.hostUnitName}`, `开始：${fmt(meeting.startsAt)}`]);
    ws.addRow([]);
    ws.addRow(['单位代码', '单位', '人员', '入会时间', '离会时间', '时长（分钟）']).font = { bold: true };
    for (const a of rows) ws.addRow([a.unitCode, a.unitName, a.userName, fmt(a.joinedAt), a.leftAt ? fmt(a.leftAt) : '', Math.round(a.seconds / 6) / 10]);
    const attended = new Set(rows.map((a) => a.unitCode));
    const absent = meeting.units.filter((u) => !attended.has(u.code));
    if (absent.length) {
      ws.addRow([]);
      ws.addRow(['未入会单位']).font = { bold: true };
      for (const u of absent) ws.addRow([u.code, u.name]);
    }
    ws.columns.forEach((c, i) => (c.width = [10, 16, 12, 20, 20, 12][i] ?? 12));
    sendDownload(res, MIME.xlsx, { filename: `签到-${meeting.title}.xlsx`, ascii: 'attendance.xlsx', data: await workbookBuffer(wb) });
  });

  /** Site health at a glance for the organiser (from the SFU's own stats). */
  r.get('/:id/health', async (req, res) => {
    const meeting = await organiser(currentUser(res), req.params.id);
    res.json({ sites: await ctx.meetings.health(meeting.id) });
  });

  /** Server-side recordings: list and download (server/meetings/recordings.ts). */
  recordingRoutes(ctx, r);

  return r;
}

/** Beijing time for the spreadsheet (the bureaus read local time). */
function fmt(iso: string): string {
  return new Date(iso).toLocaleString('zh-CN', { timeZone: 'Asia/Shanghai', hour12: false });
}
