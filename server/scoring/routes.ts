/** HTTP of information scoring (/api/scoring): schemes, quotas, commissioned requests, bulletins and exports. */
import { Router, type Response } from 'express';
import { z } from 'zod';
import type { AppContext } from '../context.ts';
import { currentUser } from '../auth/middleware.ts';
import { parse } from '../http/validate.ts';
import { answerBody, bulletinQuery, publishBody, requestBody, schemeBody } from '../../contract/scoring.ts';
import { BulletinService } from './bulletins.ts';
import { ScoringService } from './service.ts';
import { MIME, sendDownload } from '../http/download.ts';

const unit = z.string().regex(/^[0-9]{6}$/);
const send = (res: Response, type: string, doc: { filename: string; data: Buffer }) => {
  sendDownload(res, type, { ...doc, ascii: 'bulletin' });
};

export function scoringRoutes(ctx: AppContext): Router {
  const s = new ScoringService(ctx);
  const b = new BulletinService(ctx);
  const r = Router();

  r.get('/scheme', async (req, res) => res.json(await s.scheme(currentUser(res), parse(z.object({ office: unit.optional() }), req.query).office)));
  r.put('/scheme', async (req, res) => res.json(await s.saveScheme(currentUser(res), parse(schemeBody, req.body))));

  r.get('/quota', async (req, res) => {
    const q = parse(z.object({ view: z.enum(['own', 'office']).default('own'), month: z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/).optional() }), req.query);
    res.json({ progress: await s.quota(currentUser(res), q.view, q.month) });
  });
  r.get('/reminders', async (_req, res) => res.json({ reminders: await s.reminders(currentUser(res)) }));

  r.get('/requests', async (req, res) => res.json({ requests: await s.requests(currentUser(res), parse(z.object({ box: z.enum(['issued', 'received']).default('received') }), req.query).box) }));
  r.post('/requests', async (req, res) => res.status(201).json({ request: await s.createRequest(currentUser(res), parse(requestBody, req.body)) }));
  r.post('/requests/:id/answers', async (req, res) => res.json({ request: await s.answer(currentUser(res), String(req.params.id), parse(answerBody, req.body)) }));

  r.get('/bulletins', async (_req, res) => res.json({ bulletins: await b.list(currentUser(res)) }));
  r.post('/bulletins', async (req, res) => res.status(201).json({ bulletin: await b.publish(currentUser(res), parse(publishBody, req.body).period) }));
  r.get('/bulletins/:period', async (req, res) => {
    const q = parse(bulletinQuery, { ...req.query, period: req.params.period });
    res.json({ bulletin: await b.get(currentUser(res), q.period, q.office) });
  });
  r.get('/bulletins/:period/docx', async (req, res) => {
    const q = parse(bulletinQuery, { ...req.query, period: req.params.period });
    send(res, MIME.docx, await b.document(currentUser(res), q.period, 'docx', q.office));
  });
  r.get('/bulletins/:period/pdf', async (req, res) => {
    const q = parse(bulletinQuery, { ...req.query, period: req.params.period });
    send(res, MIME.pdf, await b.document(currentUser(res), q.period, 'pdf', q.office));
  });
  r.get('/bulletins/:period/xlsx', async (req, res) => {
    const q = parse(bulletinQuery, { ...req.query, period: req.params.period });
    send(res, MIME.xlsx, await b.xlsx(currentUser(res), q.period, q.office));
  });
  return r;
}
