/** Scoring data the access matrix acts on: a 约稿 of 呼和浩特市 to 新城区, its published bulletin of last month. */
import { randomUUID } from 'node:crypto';
import type { Client } from '../helpers/app.ts';
import { clock } from '../../server/clock.ts';
import { localDateOf, monthKeyOf, periodRange } from '../../contract/scoring.ts';

export interface ScoringFixtures {
  request: string;
  requestTopic: string;
  /** 新城区's own item to answer with. */
  item: string;
  /** Last month (published by the city), the month before (still to publish), this month (a draft). */
  published: string;
  toPublish: string;
  current: string;
  bulletin: string;
  /** A date a year ahead: a scheme version may start then. */
  future: string;
}

export async function makeScoringFixtures(as: (u: string) => Promise<Client>, ok: <T extends { status: number; body: any }>(r: T, what: string) => T): Promise<ScoringFixtures> {
  const [city, officer] = await Promise.all(['150100-editor', '150102-info'].map(as));
  const now = clock.now();
  const current = monthKeyOf(now);
  const published = periodRange(current)!.previous;
  const toPublish = periodRange(published)!.previous;
  const requestTopic = `矩阵约稿${randomUUID().slice(0, 6)}`;
  const id = randomUUID();
  ok(await city.post('/api/scoring/requests', { id, topic: requestTopic, requirements: '矩阵要求', deadline: new Date(now.getTime() + 10 * 86_400_000).toISOString(), targets: ['150102'] }), 'scoring request');
  const item = randomUUID();
  ok(await officer.request('PUT', `/api/information/items/${item}`, { kind: 'analysis', title: '矩阵约稿回复', body: '正文', classification: 0 }), 'scoring answer item');
  const bulletin = ok(await city.post('/api/scoring/bulletins', { period: published }), 'bulletin').body.bulletin.id as string;
  return { request: id, requestTopic, item, published, toPublish, current, bulletin, future: localDateOf(new Date(now.getTime() + 400 * 86_400_000)) };
}
