/**
 * Server-side recordings of meetings: the list/download routes (rows and files: recordingsRepo.ts).
 * Who may see and download them: users with a convener role (leader, venue_operator) of any invited
 * unit; administrators do not (三员分立). Duty officers do not (recordings are meeting
 * records, handed out by the leaders).
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Router } from 'express';
import { z } from 'zod';
import { currentUser } from '../auth/middleware.ts';
import { hasAnyRole, type SessionUser } from '../auth/sessions.ts';
import type { AppServices } from '../services.ts';
import { errors } from '../http/errors.ts';
import { passedPin } from './pin.ts';
import { findMeeting, type MeetingDto } from './repo.ts';
import { listRecordings, recordingsRoot } from './recordingsRepo.ts';

export const RECORDING_ROLES = ['leader', 'venue_operator'] as const;

/** GET /api/meetings/:id/recordings and /:id/recordings/:recId (the file itself). */
export function recordingRoutes(ctx: AppServices, r: Router): void {
  const allowed = async (user: SessionUser, id: string): Promise<MeetingDto> => {
    const meeting = z.uuid().safeParse(id).success ? await findMeeting(ctx.db, ctx.tree, id) : null;
    if (!meeting) throw errors.notFound('会议');
    const invited = meeting.units.some((u) => u.code === user.unitCode);
    if (!invited || !hasAnyRole(user, RECORDING_ROLES)) throw errors.roleForbidden();
    // A PIN meeting's recordings are for the sites that passed its PIN.
    if (!(await passedPin(ctx.db, meeting, user.unitCode))) throw errors.meetingPinRequired();
    return meeting;
  };

  r.get('/:id/recordings', async (req, res) => {
    const meeting = await allowed(currentUser(res), req.params.id);
    const control = await ctx.meetings.controlState(meeting.id);
    res.json({ recordings: await listRecordings(ctx.db, meeting.id), recording: control?.recording ?? null });
  });

  r.get('/:id/recordings/:recId', async (req, res) => {
    const meeting = await allowed(currentUser(res), req.params.id);
    const recId = Number(req.params.recId);
    const rec = Number.isInteger(recId) && recId > 0 ? (await listRecordings(ctx.db, meeting.id)).find((x) => x.id === recId) : undefined;
    if (!rec) throw errors.notFound('录像');
    // The name comes from our own row; basename keeps it inside the meeting's folder whatever it holds.
    const file = path.join(recordingsRoot(), meeting.id, path.basename(rec.fileName));
    if (!fs.existsSync(file)) throw errors.notFound('录像文件');
    const name = `录像-${meeting.title}-${rec.fileName}`;
    res.setHeader('content-type', 'video/webm');
    res.setHeader('content-length', String(fs.statSync(file).size));
    res.setHeader('content-disposition', `attachment; filename*=UTF-8''${encodeURIComponent(name)}`);
    await new Promise<void>((resolve, reject) => {
      const stream = fs.createReadStream(file);
      stream.on('error', reject);
      res.on('close', () => {
        stream.destroy();
        resolve();
      });
      stream.pipe(res);
    });
  });
}
