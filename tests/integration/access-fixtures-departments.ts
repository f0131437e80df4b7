/** Department (内设机构) data the access matrix acts on: items of 新城区's 办公室 (150102-01), made through the API. */
import { randomUUID } from 'node:crypto';
import type { Client } from '../helpers/app.ts';

export interface DepartmentFixtures {
  /** 150102-01's unsent draft and an item awaiting its head's sign-off. */
  draft: string;
  draftTitle: string;
  pending: string;
  /** Signed by 150102-01's head: delivered to 新城区 only. */
  submitted: string;
  submittedTitle: string;
}

const review = { containsSecrets: false, fitToPublish: true, figuresChecked: true };

export async function makeDepartmentFixtures(as: (u: string) => Promise<Client>, ok: <T extends { status: number; body: any }>(r: T, what: string) => T): Promise<DepartmentFixtures> {
  const [officer, head] = await Promise.all(['150102-01-info', '150102-01-leader'].map(as));
  const save = async (title: string) => {
    const id = randomUUID();
    ok(await officer.request('PUT', `/api/information/items/${id}`, { kind: 'dynamic', title, body: '新城区办公室矩阵测试。', classification: 0 }), 'department draft');
    return id;
  };
  const draftTitle = `矩阵科室草稿${randomUUID().slice(0, 6)}`;
  const draft = await save(draftTitle);
  const pending = await save(`矩阵科室待签${randomUUID().slice(0, 6)}`);
  ok(await officer.post(`/api/information/items/${pending}/submit`, {}), 'department submit');
  const submittedTitle = `矩阵科室已报${randomUUID().slice(0, 6)}`;
  const submitted = await save(submittedTitle);
  ok(await head.post(`/api/information/items/${submitted}/signoff`, { decision: 'sign', review, classification: 0 }), 'department signoff');
  return { draft, draftTitle, pending, submitted, submittedTitle };
}
