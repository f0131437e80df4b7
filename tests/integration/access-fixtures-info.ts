/** Routine-information data the access matrix acts on, made through the API as the county, city and region would. */
import { randomUUID } from 'node:crypto';
import type { Client } from '../helpers/app.ts';

export interface InfoFixtures {
  /** 新城区 drafts: one to read and save, one to submit; one awaiting sign-off. */
  draft: string;
  draftTitle: string;
  toSubmit: string;
  pending: string;
  /** Signed by 新城区, its delivery at 呼和浩特市 still received (read, acknowledge). */
  submitted: string;
  submittedTitle: string;
  /** Deliveries at the city, one per action that consumes it. */
  deliveries: { ack: string; adopt: string; reject: string; ret: string; forward: string };
  /** Adopted by the city into 政务信息, not in an issue (external adoption, instructions, compiling). */
  adopted: string;
  adoption: string;
  /** The city's 政务信息. */
  publication: string;
  /** Issues of 政务信息 at each step. */
  issues: { compiling: string; toSubmit: string; pending: string; signed: string; published: string };
  /** A published issue of the region's 要情快报 (sent to the cities), read by every unit below the region. */
  regionIssue: string;
  /** The city leader's 批示 on the adopted item, addressed to 新城区. */
  instruction: string;
  directPoint: string;
  /** 新城区's information officer (user id). */
  officer: number;
}

type As = (u: string) => Promise<Client>;
const review = { containsSecrets: false, fitToPublish: true, figuresChecked: true };

export async function makeInfoFixtures(as: As, ok: <T extends { status: number; body: any }>(r: T, what: string) => T): Promise<InfoFixtures> {
  const [officer, leader, city, cityLeader, region, regionLeader] = await Promise.all(['150102-info', '150102-leader', '150100-editor', '150100-leader', '150000-editor', '150000-leader'].map(as));
  const save = async (title = `矩阵政务信息${randomUUID().slice(0, 6)}`) => {
    const id = randomUUID();
    ok(await officer.request('PUT', `/api/information/items/${id}`, { kind: 'dynamic', title, body: '新城区开展矩阵测试。', classification: 0 }), 'info draft');
    return id;
  };
  /** Signed off by the county leader: returns the city's delivery. */
  const signed = async (id: string) => {
    const item = ok(await leader.post(`/api/information/items/${id}/signoff`, { decision: 'sign', review, classification: 0 }), 'info signoff').body.item;
    return item.deliveries.find((d: any) => d.officeCode === '150100').id as string;
  };
  const publication = (ok(await city.get('/api/information/publications'), 'publications').body.publications as any[]).find((p) => p.name === '政务信息').id as string;
  const adoptedOne = async () => {
    const id = await save();
    const delivery = await signed(id);
    ok(await city.post(`/api/information/deliveries/${delivery}/adopt`, { publicationId: publication, title: '矩阵采用', body: '矩阵采用正文' }), 'info adopt');
    const unissued = ok(await city.get(`/api/information/publications/${publication}/unissued`), 'unissued').body.adoptions as any[];
    return { id, delivery, adoption: unissued.find((a) => a.itemId === id).id as string };
  };
  const issueWith = async (adoption: string | null, steps: ('submit' | 'sign' | 'publish')[]) => {
    const issue = ok(await city.post('/api/information/issues', { publicationId: publication }), 'issue').body.issue.id as string;
    if (adoption) ok(await city.post(`/api/information/issues/${issue}/items`, { adoptionIds: [adoption] }), 'issue items');
    for (const s of steps) {
      if (s === 'submit') ok(await city.post(`/api/information/issues/${issue}/submit`, {}), 'issue submit');
      if (s === 'sign') ok(await cityLeader.post(`/api/information/issues/${issue}/signoff`, { decision: 'sign' }), 'issue sign');
      if (s === 'publish') ok(await city.post(`/api/information/issues/${issue}/publish`, {}), 'issue publish');
    }
    return issue;
  };

  const draftTitle = `矩阵信息草稿${randomUUID().slice(0, 6)}`;
  const draft = await save(draftTitle);
  const toSubmit = await save();
  const pending = await save();
  ok(await officer.post(`/api/information/items/${pending}/submit`, {}), 'info submit');
  const submittedTitle = `矩阵信息已报${randomUUID().slice(0, 6)}`;
  const submitted = await save(submittedTitle);
  const deliveries = { ack: await signed(submitted), adopt: await signed(await save()), reject: await signed(await save()), ret: await signed(await save()), forward: '' };
  const a = await adoptedOne();
  deliveries.forward = a.delivery;
  const forIssues = [await adoptedOne(), await adoptedOne(), await adoptedOne(), await adoptedOne()];
  const issues = {
    compiling: await issueWith(null, []),
    toSubmit: await issueWith(forIssues[0]!.adoption, []),
    pending: await issueWith(forIssues[1]!.adoption, ['submit']),
    signed: await issueWith(forIssues[2]!.adoption, ['submit', 'sign']),
    published: await issueWith(forIssues[3]!.adoption, ['submit', 'sign', 'publish']),
  };
  // Forwarded by the city, adopted by the region into 要情快报, issued, signed, published.
  const up = await adoptedOne();
  ok(await city.post(`/api/information/deliveries/${up.delivery}/forward`, {}), 'info forward');
  const atRegion = (ok(await region.get('/api/information/inbox'), 'region inbox').body.rows as any[]).find((r) => r.itemId === up.id).deliveryId as string;
  const regionPub = (ok(await region.get('/api/information/publications'), 'region publications').body.publications as any[]).find((p) => p.name === '要情快报').id as string;
  ok(await region.post(`/api/information/deliveries/${atRegion}/adopt`, { publicationId: regionPub, title: '矩阵要情', body: '矩阵要情正文' }), 'region adopt');
  const regionAdoption = (ok(await region.get(`/api/information/publications/${regionPub}/unissued`), 'region unissued').body.adoptions as any[]).find((x) => x.itemId === up.id).id as string;
  const regionIssue = ok(await region.post('/api/information/issues', { publicationId: regionPub }), 'region issue').body.issue.id as string;
  ok(await region.post(`/api/information/issues/${regionIssue}/items`, { adoptionIds: [regionAdoption] }), 'region issue items');
  ok(await region.post(`/api/information/issues/${regionIssue}/submit`, {}), 'region issue submit');
  ok(await regionLeader.post(`/api/information/issues/${regionIssue}/signoff`, { decision: 'sign' }), 'region issue sign');
  ok(await region.post(`/api/information/issues/${regionIssue}/publish`, {}), 'region issue publish');
  const instruction = ok(await cityLeader.post(`/api/information/items/${a.id}/instructions`, { text: '矩阵批示' }), 'info instruction').body.instruction.id as string;
  const points = ok(await region.post('/api/information/direct-points', { unitCode: '150125', note: '矩阵直报点' }), 'direct point').body.points as any[];
  const me = ok(await officer.get('/api/auth/me'), 'me').body.user.id as number;
  return { draft, draftTitle, toSubmit, pending, submitted, submittedTitle, deliveries, adopted: a.id, adoption: a.adoption, publication, issues, regionIssue, instruction, directPoint: points.find((p) => p.unitCode === '150125').id, officer: me };
}
