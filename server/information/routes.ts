/** HTTP of routine government information (/api/information): parse, call the services, answer. */
import { markClassifiedRead } from '../audit/middleware.ts';
import { Router } from 'express';
import { z } from 'zod';
import type { AppContext } from '../context.ts';
import { currentUser } from '../auth/middleware.ts';
import { parse } from '../http/validate.ts';
import {
  adoptBody,
  createIssueBody,
  directPointBody,
  externalAdoptionBody,
  feedbackBody,
  inboxQuery,
  instructBody,
  issueItemsBody,
  issueListQuery,
  issueSignBody,
  itemListQuery,
  officersBody,
  publicationBody,
  reasonBody,
  saveItemBody,
  signoffBody,
} from '../../contract/information.ts';
import { registerDepartmentBody } from '../../contract/informationDepartments.ts';
import { DepartmentService } from './departments.ts';
import { DeskService } from './desk.ts';
import { duplicateRoutes } from './duplicate-routes.ts';
import { PublishingService } from './publishing.ts';
import { InformationService } from './service.ts';
import { MIME, sendDownload } from '../http/download.ts';

const id = (v: unknown) => String(v);

export function informationRoutes(ctx: AppContext): Router {
  const items = new InformationService(ctx);
  const pubs = new PublishingService(ctx);
  const desk = new DeskService(ctx);
  const departments = new DepartmentService(ctx);
  const r = Router();

  r.get('/kinds', async (_req, res) => res.json({ kinds: await desk.kinds() }));

  // Items: the officer's desk and the leader's sign-off queue.
  r.get('/items', async (req, res) => {
    const page = await items.list(currentUser(res), parse(itemListQuery, req.query));
    markClassifiedRead(res, 'item', page.rows);
    res.json(page);
  });
  r.get('/items/:id', async (req, res) => {
    const item = await items.one(currentUser(res), id(req.params.id));
    markClassifiedRead(res, 'item', [item]);
    res.json({ item });
  });
  r.get('/items/:id/history', async (req, res) => res.json({ revisions: await items.history(currentUser(res), id(req.params.id)) }));
  r.put('/items/:id', async (req, res) => res.json({ item: await items.save(currentUser(res), id(req.params.id), parse(saveItemBody, req.body)) }));
  r.post('/items/:id/submit', async (req, res) => res.json({ item: await items.submit(currentUser(res), id(req.params.id)) }));
  r.post('/items/:id/signoff', async (req, res) => res.json({ item: await items.signoff(currentUser(res), id(req.params.id), parse(signoffBody, req.body)) }));
  r.post('/items/:id/external', async (req, res) => res.json({ item: await items.external(currentUser(res), id(req.params.id), parse(externalAdoptionBody, req.body)) }));
  r.post('/items/:id/instructions', async (req, res) => {
    const user = currentUser(res);
    const iid = await items.instruct(user, id(req.params.id), parse(instructBody, req.body));
    const [instruction] = (await desk.instructions(user, 'issued', id(req.params.id))).filter((x) => x.id === iid);
    res.status(201).json({ instruction });
  });

  // The editor's inbox: what was submitted to this office.
  r.get('/inbox', async (req, res) => res.json(await items.inbox(currentUser(res), parse(inboxQuery, req.query))));
  r.post('/deliveries/:id/acknowledge', async (req, res) => {
    await items.handle(currentUser(res), id(req.params.id), 'acknowledge');
    res.json({ ok: true });
  });
  r.post('/deliveries/:id/adopt', async (req, res) => {
    await items.adopt(currentUser(res), id(req.params.id), parse(adoptBody, req.body));
    res.json({ ok: true });
  });
  r.post('/deliveries/:id/reject', async (req, res) => {
    await items.handle(currentUser(res), id(req.params.id), 'reject', parse(reasonBody, req.body).reason);
    res.json({ ok: true });
  });
  r.post('/deliveries/:id/return', async (req, res) => {
    await items.handle(currentUser(res), id(req.params.id), 'return', parse(reasonBody, req.body).reason);
    res.json({ ok: true });
  });
  r.post('/deliveries/:id/forward', async (req, res) => {
    await items.handle(currentUser(res), id(req.params.id), 'forward');
    res.json({ ok: true });
  });

  // Publications and issues.
  r.get('/publications', async (_req, res) => res.json({ publications: await pubs.publications(currentUser(res)) }));
  r.post('/publications', async (req, res) => res.status(201).json({ publication: await pubs.createPublication(currentUser(res), parse(publicationBody, req.body)) }));
  r.get('/publications/:id/unissued', async (req, res) => res.json({ adoptions: await pubs.unissued(currentUser(res), id(req.params.id)) }));
  r.get('/issues', async (req, res) => res.json(await pubs.archive(currentUser(res), parse(issueListQuery, req.query))));
  r.post('/issues', async (req, res) => res.status(201).json({ issue: await pubs.createIssue(currentUser(res), parse(createIssueBody, req.body).publicationId) }));
  r.get('/issues/:id', async (req, res) => res.json({ issue: await pubs.issue(currentUser(res), id(req.params.id)) }));
  r.post('/issues/:id/items', async (req, res) => res.json({ issue: await pubs.setItems(currentUser(res), id(req.params.id), parse(issueItemsBody, req.body).adoptionIds) }));
  r.post('/issues/:id/submit', async (req, res) => res.json({ issue: await pubs.step(currentUser(res), id(req.params.id), 'submit') }));
  r.post('/issues/:id/signoff', async (req, res) => res.json({ issue: await pubs.step(currentUser(res), id(req.params.id), parse(issueSignBody, req.body).decision) }));
  r.post('/issues/:id/publish', async (req, res) => res.json({ issue: await pubs.step(currentUser(res), id(req.params.id), 'publish') }));
  r.get('/issues/:id/docx', async (req, res) => {
    const doc = await pubs.docx(currentUser(res), id(req.params.id));
    sendDownload(res, MIME.docx, { ...doc, ascii: 'issue.docx' });
  });
  r.get('/issues/:id/pdf', async (req, res) => {
    const doc = await pubs.pdf(currentUser(res), id(req.params.id));
    sendDownload(res, MIME.pdf, { ...doc, ascii: 'issue.pdf' });
  });

  // Instructions (批示) on items, feedback by the unit.
  r.get('/instructions', async (req, res) => {
    const { box } = parse(z.object({ box: z.enum(['received', 'issued']).default('received') }), req.query);
    res.json({ instructions: await desk.instructions(currentUser(res), box) });
  });
  r.post('/instructions/:id/feedback', async (req, res) => {
    await items.feedback(currentUser(res), id(req.params.id), parse(feedbackBody, req.body));
    res.json({ ok: true });
  });

  // People: officers, 分管领导, direct reporting points; notices.
  r.get('/officers', async (req, res) => res.json(await desk.officers(currentUser(res), parse(z.object({ unit: z.string().regex(/^[0-9]{6}(-[0-9]{2})?$/).optional() }), req.query).unit)));
  r.put('/officers', async (req, res) => res.json(await desk.setOfficers(currentUser(res), parse(officersBody, req.body))));
  r.get('/direct-points', async (_req, res) => res.json({ points: await desk.directPoints(currentUser(res)) }));
  r.post('/direct-points', async (req, res) => res.json({ points: await desk.addDirectPoint(currentUser(res), parse(directPointBody, req.body)) }));
  r.post('/direct-points/:id/drop', async (req, res) => res.json({ points: await desk.dropDirectPoint(currentUser(res), id(req.params.id)) }));
  // Departments (内设机构) registered as submitting units below the office.
  r.get('/departments', async (req, res) => res.json({ departments: await departments.list(currentUser(res), parse(z.object({ office: z.string().regex(/^[0-9]{6}$/).optional() }), req.query).office) }));
  r.post('/departments', async (req, res) => res.status(201).json({ department: await departments.register(currentUser(res), parse(registerDepartmentBody, req.body)) }));
  r.get('/notices', async (_req, res) => res.json({ notices: await desk.notices(currentUser(res)) }));
  r.use(duplicateRoutes(ctx)); // near-duplicate check and flags (part 3)
  return r;
}
