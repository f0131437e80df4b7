/**
 * Near-duplicate items against the real server, on PGlite and Postgres: the submitter's check before sending,
 * the flag the receiving editor sees beside the match, the short-text (pg_trgm) and long-text (MinHash bands)
 * paths, the configurable threshold — and what the warning must not reveal: another unit's unsent drafts are
 * never compared, and a match the viewer may not read gives no unit, title, text or figure.
 */
process.env.TEST_CLOCK = '1';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Client, startTestServer, type TestServer } from '../helpers/app.ts';
import { testDatabases } from '../helpers/databases.ts';
import { clock } from '../../server/clock.ts';
import { FEW_WORDS_CHANGED, IDENTICAL, ORIGINAL, REORDERED, SAME_TOPIC, SHORT, SHORT_CHANGED } from '../helpers/infoTexts.ts';

type Text = { title: string; body: string };
const review = { containsSecrets: false, fitToPublish: true, figuresChecked: true };

describe.each(testDatabases())('near-duplicate items on $name', (target) => {
  let srv: TestServer;
  const clients = new Map<string, Client>();
  const as = async (u: string) => clients.get(u) ?? clients.set(u, await Client.login(srv.baseUrl, u)).get(u)!;

  beforeAll(async () => {
    srv = await startTestServer(await target.open());
  }, 180_000);
  afterAll(async () => {
    for (const c of clients.values()) c.close();
    await srv?.close();
    clock.reset();
    delete process.env.INFO_DUPLICATE_THRESHOLD;
  });

  const draft = async (unit: string, t: Text) => {
    const id = randomUUID();
    const res = await (await as(`${unit}-info`)).request('PUT', `/api/information/items/${id}`, { kind: 'dynamic', title: t.title, body: t.body, classification: 0 });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    return id;
  };
  const send = async (unit: string, id: string) => {
    expect((await (await as(`${unit}-info`)).post(`/api/information/items/${id}/submit`, {})).status).toBe(200);
    const res = await (await as(`${unit}-leader`)).post(`/api/information/items/${id}/signoff`, { decision: 'sign', review, classification: 0 });
    expect(res.body.item?.state, JSON.stringify(res.body)).toBe('submitted');
  };
  const check = async (unit: string, id: string) => {
    const res = await (await as(`${unit}-info`)).get(`/api/information/items/${id}/similar`);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    return res.body as { threshold: number; matches: any[] };
  };
  const inboxRow = async (office: string, itemId: string) => ((await (await as(`${office}-editor`)).get('/api/information/inbox?pageSize=100')).body.rows as any[]).find((r) => r.itemId === itemId);
  const flags = async (office: string, itemId: string, who = 'editor') => {
    const row = await inboxRow(office, itemId);
    return (await (await as(`${office}-${who}`)).get(`/api/information/deliveries/${row.deliveryId}/duplicates`)).body;
  };
  const shared = (segs: { text: string; shared: boolean }[]) => segs.filter((s) => s.shared).map((s) => s.text).join('');

  it('warns the submitter, flags the editor, and reveals nothing it may not', async () => {
    clock.set(new Date('2026-07-26T01:30:00Z'));
    // Another county's unsent draft of the very same text: never compared with anything.
    const unsent = await draft('150103', IDENTICAL);
    const original = await draft('150102', ORIGINAL);
    expect((await check('150102', original)).matches).toEqual([]);
    await send('150102', original);
    expect((await inboxRow('150100', original)).duplicateSimilarity).toBeNull();

    // The same unit again, paragraphs reordered: identical, shown in full with the shared passages.
    const again = await draft('150102', REORDERED);
    const mine = await check('150102', again);
    expect(mine.threshold).toBe(0.6);
    expect(mine.matches).toHaveLength(1);
    const [m] = mine.matches;
    expect(m).toMatchObject({ level: 'identical', visible: true, itemId: original, unitName: '新城区', title: ORIGINAL.title });
    expect(m.similarity).toBeGreaterThan(0.95);
    expect(shared(m.theirs)).toContain('截至7月25日，全区共紧急转移安置受灾群众1.2万人');

    // A sibling county's reworded copy: it learns that a match exists, not whose, what, when or how close.
    const copy = await draft('150103', FEW_WORDS_CHANGED);
    const seen = await check('150103', copy);
    expect(seen.matches).toEqual([{ level: 'similar', visible: false, similarity: null, itemId: null, unitName: null, title: null, submittedAt: null, mine: null, theirs: null }]);
    expect(JSON.stringify(seen)).not.toContain('新城区');
    // A different item on the same topic is not a duplicate; nor is the sibling's own unsent draft.
    const topic = await draft('150103', SAME_TOPIC);
    expect((await check('150103', topic)).matches).toEqual([]);
    expect((await check('150103', unsent)).matches.map((x: any) => x.visible)).toEqual([false]); // only 新城区's submitted one

    // Sent anyway: the city editor (above both counties) sees the flag beside the match, passages marked.
    await send('150103', copy);
    const row = await inboxRow('150100', copy);
    expect(row.duplicateSimilarity).toBeGreaterThan(0.75);
    expect(row.duplicateSimilarity).toBeLessThan(0.95);
    const f = await flags('150100', copy);
    expect(f.flags).toHaveLength(1);
    expect(f.flags[0]).toMatchObject({ visible: true, itemId: original, unitName: '新城区', method: 'minhash', level: 'similar' });
    expect(shared(f.flags[0].mine)).toContain('下拨自治区级自然灾害救助资金2000万元');
    expect(f.flags[0].mine.some((s: any) => !s.shared && s.text.includes('兴安盟'))).toBe(true);
    await send('150103', topic);
    expect((await inboxRow('150100', topic)).duplicateSimilarity).toBeNull();

    // Another city's county sends the same item: the region sees whose it was; 包头市 only that, and how close.
    const elsewhere = await draft('150202', IDENTICAL);
    await send('150202', elsewhere);
    const atRegion = await inboxRow('150000', elsewhere);
    expect(atRegion).toBeUndefined(); // not a direct reporting point: it reached its city only
    const atCity = await flags('150200', elsewhere);
    expect(atCity.flags.length).toBe(2); // the original and the sibling's copy
    for (const x of atCity.flags) expect(x).toMatchObject({ visible: false, itemId: null, title: null, mine: null });
    expect(atCity.flags[0].similarity).toBe(1);
    expect(JSON.stringify(atCity)).not.toContain('截至7月25日');
  });

  it('finds short items through pg_trgm, and the threshold is configurable', async () => {
    clock.set(new Date('2026-08-31T15:59:00Z'));
    const first = await draft('150102', SHORT);
    await send('150102', first);
    const changed = await draft('150102', SHORT_CHANGED);
    const c = await check('150102', changed);
    expect(c.matches.map((x) => [x.itemId, x.level])).toEqual([[first, 'similar']]);
    await send('150102', changed);
    const f = await flags('150100', changed);
    expect(f.flags.map((x: any) => x.method)).toEqual(['trgm']);

    // 新城区 redrafts 回民区's reworded copy (sent in the first test): at 0.6 it matches that copy (unreadable:
    // level only), 东河区's copy of the original (unreadable) and its own original (0.85); at 0.9 only the first.
    const reworded = await draft('150102', FEW_WORDS_CHANGED);
    const loose = (await check('150102', reworded)).matches.map((x) => [x.visible, x.level, x.title]);
    expect(loose[0]).toEqual([false, 'identical', null]);
    expect(loose.slice(1)).toHaveLength(2);
    expect(loose.slice(1)).toEqual(expect.arrayContaining([[false, 'similar', null], [true, 'similar', ORIGINAL.title]]));
    process.env.INFO_DUPLICATE_THRESHOLD = '0.9';
    try {
      const strict = await check('150102', reworded);
      expect(strict.threshold).toBe(0.9);
      expect(strict.matches.map((x) => [x.visible, x.level, x.title])).toEqual([[false, 'identical', null]]);
    } finally {
      delete process.env.INFO_DUPLICATE_THRESHOLD;
    }
  });

  it('answers only the item’s own unit and the receiving office', async () => {
    const id = await draft('150102', { title: '权限检查用信息', body: '正文内容，用于检查相似信息接口的权限。' });
    expect((await (await as('150103-info')).get(`/api/information/items/${id}/similar`)).status).toBe(404);
    expect((await (await as('150100-editor')).get(`/api/information/items/${id}/similar`)).status).toBe(404);
    expect((await (await as('150102-info')).get('/api/information/items/not-a-uuid/similar')).status).toBe(404);
    await send('150102', id);
    const row = await inboxRow('150100', id);
    expect((await (await as('150100-duty')).get(`/api/information/deliveries/${row.deliveryId}/duplicates`)).status).toBe(403);
    expect((await (await as('150200-editor')).get(`/api/information/deliveries/${row.deliveryId}/duplicates`)).status).toBe(404);
    expect((await (await as('150102-info')).get(`/api/information/deliveries/${row.deliveryId}/duplicates`)).status).toBe(404);
    expect((await new Client(srv.baseUrl).get(`/api/information/deliveries/${row.deliveryId}/duplicates`)).status).toBe(401);
  });
});
