/**
 * 24-hour duty (值班) over HTTP: roster, swaps, on duty now, handover, duty log. HTTP only — bodies are
 * parsed with the contract's schemas; unit and role are checked by the services (rosterService.ts,
 * swapService.ts, handoverService.ts, logService.ts).
 */
import express, { Router } from 'express';
import { currentUser } from '../auth/middleware.ts';
import type { AppServices } from '../services.ts';
import { parse } from '../http/validate.ts';
import * as body from '../../contract/dutyRequests.ts';
import { readUnit } from './access.ts';
import { settingsFor, slotHistory, unitPeople } from './repo.ts';
import { listSwaps } from './swapRepo.ts';
import { exportRoster, fillRoster, importRoster, onDutyNow, rosterFor, saveDutySettings, setSlot } from './rosterService.ts';
import { decideSwap, requestSwap } from './swapService.ts';
import { acknowledgeCarried, closeShift, handoverById, handoverState, takeOver } from './handoverService.ts';
import { createLogEntry, editLogEntry, logEntryRevisions, logFor } from './logService.ts';
import { MIME, sendDownload } from '../http/download.ts';


export function dutyRoutes(ctx: AppServices): Router {
  const r = Router();
  const { db } = ctx;

  // ------------------------------------------------------------------ settings and people

  r.get('/settings', async (req, res) => {
    const unit = readUnit(ctx, currentUser(res), req.query.unit);
    res.json({ unitCode: unit, settings: await settingsFor(db, unit) });
  });

  r.post('/settings', async (req, res) => {
    res.json(await saveDutySettings(ctx, currentUser(res), parse(body.dutySettingsBody, req.body)));
  });

  r.get('/people', async (req, res) => {
    const unit = readUnit(ctx, currentUser(res), req.query.unit);
    res.json({ people: await unitPeople(db, unit) });
  });

  // ------------------------------------------------------------------ roster

  r.get('/roster', async (req, res) => {
    const user = currentUser(res);
    const unit = readUnit(ctx, user, req.query.unit); // scope before validation: an outsider learns nothing from messages
    const q = parse(body.rosterQuery, { from: req.query.from, to: req.query.to });
    res.json(await rosterFor(ctx, user, unit, q.from, q.to));
  });

  r.get('/roster/history', async (req, res) => {
    const unit = readUnit(ctx, currentUser(res), req.query.unit);
    const q = parse(body.rosterHistoryQuery, { start: req.query.start });
    res.json({ versions: await slotHistory(db, unit, new Date(q.start)) });
  });

  r.post('/roster/slot', async (req, res) => {
    res.json(await setSlot(ctx, currentUser(res), parse(body.rosterSlotBody, req.body)));
  });

  r.post('/roster/fill', async (req, res) => {
    res.json(await fillRoster(ctx, currentUser(res), parse(body.rosterFillBody, req.body)));
  });

  r.get('/roster/export', async (req, res) => {
    const unit = readUnit(ctx, currentUser(res), req.query.unit);
    const q = parse(body.rosterExportQuery, { month: req.query.month });
    const { unitName, buf } = await exportRoster(ctx, unit, q.month);
    const filename = `${unitName}-${q.month}-值班表.xlsx`;
    sendDownload(res, MIME.xlsx, { filename, ascii: `roster-${unit}-${q.month}.xlsx`, data: buf });
  });

  // Body: the .xlsx file itself. mode=strict (default): any bad row → nothing imported; mode=valid: import the good rows.
  r.post('/roster/import', express.raw({ type: () => true, limit: '5mb' }), async (req, res) => {
    const mode = req.query.mode === 'valid' ? 'valid' : 'strict';
    res.json(await importRoster(ctx, currentUser(res), req.query.unit, req.body, mode));
  });

  // ------------------------------------------------------------------ on duty now

  r.get('/now', async (_req, res) => {
    res.json(await onDutyNow(ctx, currentUser(res)));
  });

  // ------------------------------------------------------------------ swaps

  r.get('/swaps', async (req, res) => {
    const unit = readUnit(ctx, currentUser(res), req.query.unit);
    res.json({ swaps: await listSwaps(db, unit) });
  });

  r.post('/swaps', async (req, res) => {
    const { swap, created } = await requestSwap(ctx, currentUser(res), parse(body.swapBody, req.body));
    res.status(created ? 201 : 200).json({ swap });
  });

  const note = (b: unknown) => parse(body.swapDecisionBody, b ?? {}).note;
  r.post('/swaps/:id/approve', async (req, res) => {
    res.json({ swap: await decideSwap(ctx, currentUser(res), req.params.id, 'approve', note(req.body)) });
  });
  r.post('/swaps/:id/reject', async (req, res) => {
    res.json({ swap: await decideSwap(ctx, currentUser(res), req.params.id, 'reject', note(req.body)) });
  });
  r.post('/swaps/:id/cancel', async (req, res) => {
    res.json({ swap: await decideSwap(ctx, currentUser(res), req.params.id, 'cancel', '') });
  });

  // ------------------------------------------------------------------ handover (交接班)

  r.get('/handover', async (req, res) => {
    res.json(await handoverState(ctx, currentUser(res), req.query.unit));
  });

  r.get('/handovers/:id', async (req, res) => {
    res.json({ handover: await handoverById(ctx, currentUser(res), req.params.id) });
  });

  r.post('/handovers', async (req, res) => {
    const { handover, created } = await closeShift(ctx, currentUser(res), parse(body.handoverBody, req.body));
    res.status(created ? 201 : 200).json({ handover });
  });

  r.post('/handovers/:id/ack', async (req, res) => {
    res.json({ handover: await acknowledgeCarried(ctx, currentUser(res), req.params.id, parse(body.handoverAckBody, req.body ?? {})) });
  });

  r.post('/handovers/:id/accept', async (req, res) => {
    res.json({ handover: await takeOver(ctx, currentUser(res), req.params.id) });
  });

  // ------------------------------------------------------------------ duty log (值班日志)

  r.get('/log', async (req, res) => {
    const unit = readUnit(ctx, currentUser(res), req.query.unit);
    res.json({ entries: await logFor(ctx, unit, parse(body.logListQuery, req.query)) });
  });

  r.post('/log', async (req, res) => {
    const { entry, created } = await createLogEntry(ctx, currentUser(res), parse(body.logCreateBody, req.body));
    res.status(created ? 201 : 200).json({ entry });
  });

  r.post('/log/:id', async (req, res) => {
    res.json({ entry: await editLogEntry(ctx, currentUser(res), req.params.id, () => parse(body.logEditBody, req.body)) });
  });

  r.get('/log/:id/revisions', async (req, res) => {
    res.json({ revisions: await logEntryRevisions(ctx, currentUser(res), req.params.id) });
  });

  return r;
}
