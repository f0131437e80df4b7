import { markClassifiedRead, noteAudit } from '../audit/middleware.ts';
import express, { Router, type NextFunction, type Request, type Response } from 'express';
import { z } from 'zod';
import type { AppServices } from '../services.ts';
import { errors } from '../http/errors.ts';
import { BAD_TEXT_MESSAGE, checkPastTime, isCleanText, parse, plausibleMonth, uuidParam } from '../http/validate.ts';
import { currentUser } from '../auth/middleware.ts';
import { hasAnyRole } from '../auth/sessions.ts';
import { clock } from '../clock.ts';
import { incidentDtos } from './incidentFacts.ts';
import { eventDtos, loadRules, loadSettings, reportDtos, reportRows, rulesChanged, visibleIncidentRows } from './repo.ts';
import { invalidatingAfter } from '../../db/readCache.ts';
import { reportPage, waitingList } from './listService.ts';
import { incidentPage } from './incidentList.ts';
import { saveRules } from './writeRepo.ts';
import type { HopAction } from './workflow.ts';
import { incidentListQuery, reportListQuery } from '../../contract/reports.ts';
import { commentBody, createReportBody, demandBody, editReportBody, feedbackBody, hopBody, instructionBody, phoneReportBody, rulesBody } from '../../contract/reports.ts';
import { boardData, boardWorkbook, instructionDtos } from './board.ts';
import { officialDocx } from '../documents/official.ts';
import { officialPdf } from '../documents/officialPdf.ts';
import { reportDocument, reportKindText } from './reportDocument.ts';
import { MIME, sendDownload } from '../http/download.ts';

const createSchema = createReportBody;
const phoneSchema = phoneReportBody;
const editSchema = editReportBody;
const commentSchema = commentBody;
const hopSchema = hopBody;
const demandSchema = demandBody;
const instructionSchema = instructionBody;
const feedbackSchema = feedbackBody;
const rulesSchema = rulesBody;

export const REPORTER_ROLES = ['duty_officer', 'leader'] as const;

/** Accepted attachment types: photos, PDF, Office documents, plain text. */
const ATTACHMENT_TYPES = /^(image\/(png|jpeg|gif|webp)|application\/pdf|text\/plain|application\/(msword|vnd\.ms-excel|vnd\.openxmlformats-officedocument\.[a-z.]+))$/;
export const ATTACHMENT_MAX = 20 * 1024 * 1024;

const boardMonth = (m: unknown): string | undefined => (m === undefined || m === '' ? undefined : parse(z.object({ month: plausibleMonth() }), { month: m }).month);
const checkEventTime = (iso: string): Date => checkPastTime(iso, 'eventTime', '事发时间');

export function reportRoutes(ctx: AppServices): Router {
  const r = Router();
  const { service } = ctx.reports;

  // One page of my unit's reports in every state and the sent reports of every unit below.
  r.get('/', async (req, res) => {
    const user = currentUser(res);
    const page = await reportPage(ctx, user, parse(reportListQuery, req.query));
    markClassifiedRead(res, 'report', page.reports.filter((x) => !x.redacted));
    res.json(page);
  });

  r.get('/waiting', async (_req, res) => {
    const list = await waitingList(ctx, currentUser(res));
    markClassifiedRead(res, 'report', list.waiting.filter((x) => !x.redacted));
    res.json(list);
  });

  // A written report (首报 by default; 续报/终报 with incidentId): stored, submitted for sign-off, or signed.
  r.post('/', async (req, res) => {
    const user = currentUser(res);
    if (!hasAnyRole(user, REPORTER_ROLES)) throw errors.roleForbidden();
    const body = parse(createSchema, req.body);
    const { report, created } = await service.createWritten(user, { ...body, eventTime: checkEventTime(body.eventTime) });
    res.status(created ? 201 : 200).json({ report });
  });

  r.post('/phone', async (req, res) => {
    const user = currentUser(res);
    if (!hasAnyRole(user, REPORTER_ROLES)) throw errors.roleForbidden();
    const body = parse(phoneSchema, req.body);
    const { report, created } = await service.recordPhone(user, { ...body, eventTime: checkEventTime(body.eventTime) });
    res.status(created ? 201 : 200).json({ report });
  });

  // One page of the incidents of my unit and below (the most pressing first by default), or the ones asked for by id.
  r.get('/incidents', async (req, res) => {
    res.json(await incidentPage(ctx, currentUser(res), parse(incidentListQuery, req.query), clock.now()));
  });

  r.post('/incidents/demand', async (req, res) => {
    const user = currentUser(res);
    const body = parse(demandSchema, req.body);
    const id = await service.demand(user, { ...body, eventTime: checkEventTime(body.eventTime) });
    const [incident] = await incidentDtos(ctx.db, ctx.tree, user, await visibleIncidentRows(ctx.db, ctx.tree, user, { ids: [id] }), clock.now());
    res.status(201).json({ incident });
  });

  r.get('/incidents/:id', async (req, res) => {
    const user = currentUser(res);
    const id = uuidParam(req.params.id, '事件');
    const rows = await visibleIncidentRows(ctx.db, ctx.tree, user, { ids: [id] });
    if (!rows.length) throw errors.notFound('事件');
    const now = clock.now();
    const [incident] = await incidentDtos(ctx.db, ctx.tree, user, rows, now);
    const reports = await reportDtos(ctx.db, ctx.tree, user, await reportRows(ctx.db, { incidentIds: [id] }));
    const readable = new Set(reports.map((x) => x.id));
    const cleared = new Set(reports.filter((x) => !x.redacted).map((x) => x.id));
    const timeline = await eventDtos(ctx.db, ctx.tree, id, readable, cleared, !incident!.redacted);
    const instructions = (await instructionDtos(ctx, user, { incidentId: id }));
    res.json({ incident, reports, timeline, instructions, now: now.toISOString() });
  });

  r.get('/instructions', async (req, res) => {
    const user = currentUser(res);
    const box = req.query.box === 'issued' ? 'issued' : 'received';
    res.json({ instructions: await instructionDtos(ctx, user, { box }), now: clock.now().toISOString() });
  });

  r.post('/instructions', async (req, res) => {
    const user = currentUser(res);
    const body = parse(instructionSchema, req.body);
    const id = await service.instruct(user, { ...body, dueAt: body.dueAt ? new Date(body.dueAt) : undefined });
    const [instruction] = await instructionDtos(ctx, user, { ids: [id] });
    res.status(201).json({ instruction });
  });

  r.post('/instructions/:id/feedback', async (req, res) => {
    const user = currentUser(res);
    const id = uuidParam(req.params.id, '批示');
    await service.feedback(user, id, parse(feedbackSchema, req.body));
    const [instruction] = await instructionDtos(ctx, user, { ids: [id] });
    res.json({ instruction });
  });

  r.get('/board', async (req, res) => {
    const user = currentUser(res);
    res.json(await boardData(ctx, user, boardMonth(req.query.month)));
  });

  r.get('/board.xlsx', async (req, res) => {
    const user = currentUser(res);
    const data = await boardData(ctx, user, boardMonth(req.query.month));
    sendDownload(res, MIME.xlsx, { filename: `紧急信息统计-${data.month}.xlsx`, ascii: `board-${data.month}.xlsx`, data: await boardWorkbook(data) });
  });

  r.get('/rules', async (_req, res) => {
    res.json({ rules: await loadRules(ctx.db), settings: await loadSettings(ctx.db) });
  });

  // Region administrators tune the deadline table and the follow-up cadence.
  r.post('/rules', async (req, res) => {
    const user = currentUser(res);
    if (!hasAnyRole(user, ['sys_admin'])) throw errors.roleForbidden();
    const body = parse(rulesSchema, req.body);
    const before = { rules: await loadRules(ctx.db), settings: await loadSettings(ctx.db) };
    await invalidatingAfter(() => ctx.db.transaction().execute((trx) => saveRules(trx, body)), () => rulesChanged(ctx.db));
    const after = { rules: await loadRules(ctx.db), settings: await loadSettings(ctx.db) };
    noteAudit(res, { before, after });
    res.json(after);
  });

  r.get('/attachments/:id', async (req, res) => {
    const user = currentUser(res);
    const a = await service.attachment(user, uuidParam(req.params.id, '附件'));
    res.setHeader('X-Content-Type-Options', 'nosniff');
    sendDownload(res, a.mime, { filename: a.filename, data: a.data });
  });

  r.get('/:id', async (req, res) => {
    const user = currentUser(res);
    const report = await service.get(user, uuidParam(req.params.id, '报告'));
    if (!report.redacted) markClassifiedRead(res, 'report', [report]);
    res.json({ report });
  });

  // 报送单 as an official document (GB/T 9704 layout): Word or PDF, readable by whoever may read the report.
  for (const format of ['docx', 'pdf'] as const) {
    r.get(`/:id/${format}`, async (req, res) => {
      const report = await service.get(currentUser(res), uuidParam(req.params.id, '报告'));
      const unit = ctx.tree.get(report.unitCode);
      const parent = unit?.parentCode ? ctx.tree.get(unit.parentCode) : undefined;
      const model = reportDocument(report, { parentName: parent?.name ?? null, printedAt: clock.now().toISOString() });
      const data = format === 'pdf' ? await officialPdf(model) : await officialDocx(model);
      sendDownload(res, MIME[format], { filename: `${report.unitName}报送单（${reportKindText(report)}）.${format}`, ascii: `report.${format}`, data });
    });
  }

  r.post('/:id/edit', async (req, res) => {
    const user = currentUser(res);
    const body = parse(editSchema, req.body);
    const report = await service.edit(user, uuidParam(req.params.id, '报告'), { ...body, eventTime: body.eventTime ? checkEventTime(body.eventTime) : undefined });
    res.json({ report });
  });

  for (const action of ['submit', 'sign', 'return'] as const) {
    r.post(`/:id/${action}`, async (req, res) => {
      const user = currentUser(res);
      const { comment } = parse(commentSchema, req.body ?? {});
      if (action === 'return' && !comment) throw errors.validation([{ path: 'comment', message: '退回须填写意见' }]);
      res.json({ report: await service.act(user, uuidParam(req.params.id, '报告'), action, comment) });
    });
  }

  const hopActions: Record<string, HopAction> = { acknowledge: 'acknowledge', assess: 'assess', relay: 'relay', 'relay-sign': 'relay_sign', 'relay-return': 'relay_return' };
  for (const [path, action] of Object.entries(hopActions)) {
    r.post(`/:id/${path}`, async (req, res) => {
      const user = currentUser(res);
      const { text: t, comment } = parse(hopSchema, req.body ?? {});
      res.json({ report: await service.hopAct(user, uuidParam(req.params.id, '报告'), action, t, comment) });
    });
  }

  // Upload: the raw file as the body; name in ?filename=, type in Content-Type.
  const raw = express.raw({ type: () => true, limit: ATTACHMENT_MAX });
  const rawBody = (req: Request, res: Response, next: NextFunction) =>
    raw(req, res, (err?: unknown) => next((err as { type?: string } | undefined)?.type === 'entity.too.large' ? errors.attachmentTooLarge() : err));
  r.post('/:id/attachments', rawBody, async (req, res) => {
    const user = currentUser(res);
    const mime = String(req.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
    if (!ATTACHMENT_TYPES.test(mime)) throw errors.attachmentType();
    const data = req.body;
    if (!Buffer.isBuffer(data) || data.length === 0) throw errors.validation([{ path: 'file', message: '附件为空' }]);
    if (data.length > ATTACHMENT_MAX) throw errors.attachmentTooLarge();
    if (typeof req.query.filename === 'string' && !isCleanText(req.query.filename)) throw errors.validation([{ path: 'filename', message: BAD_TEXT_MESSAGE }]);
    const filename = String(req.query.filename ?? 'file').replace(/[\\/\r\n"]/g, '_').slice(0, 200) || 'file';
    res.status(201).json({ report: await service.attach(user, uuidParam(req.params.id, '报告'), { filename, mime, data }) });
  });

  return r;
}

