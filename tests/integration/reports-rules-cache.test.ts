/**
 * The deadline rules and report settings are kept in memory (server/reports/rulesRepo.ts): what an
 * administrator saves must show in the very next answer — an incident already listed (so its rules were read
 * and kept) shows the new deadline and the new warning window, on both databases.
 */
process.env.TEST_CLOCK = '1';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { suiteClients, startTestServer, type TestServer } from '../helpers/app.ts';
import { testDatabases } from '../helpers/databases.ts';
import { clock } from '../../server/clock.ts';
import { dropReadCaches } from '../../db/readCache.ts';

// Not today's date: New Year's morning in Beijing.
clock.set('2031-01-01T09:10:00+08:00');

for (const db of testDatabases()) {
  describe(`deadline rules kept in memory (${db.name})`, () => {
    let srv: TestServer;
    const { login, closeAll } = suiteClients(() => srv.baseUrl);
    beforeAll(async () => {
      srv = await startTestServer(await db.open());
    });
    afterAll(async () => {
      closeAll();
      await srv?.close();
      clock.reset();
    });

    it('shows a saved rule and setting in the next incidents answer', async () => {
      const admin = await login('sysadmin');
      const county = await login('150121-leader');
      const eventTime = new Date(clock.now().getTime() - 20 * 60_000).toISOString();
      const r = await county.post('/api/reports', { requestId: randomUUID(), action: 'draft', title: '某镇道路塌陷', eventTime, place: '土左旗某镇', grade: 4, summary: '路面塌陷约十平方米，已设围挡。' });
      expect(r.status).toBe(201);
      const incidentId = r.body.report.incidentId as string;
      const writtenDue = async () => {
        const list = (await county.get('/api/reports/incidents')).body.incidents as { id: string; eventTime: string; deadlines: { unitCode: string; kind: string; dueAt: string; status: string }[] }[];
        const inc = list.find((i) => i.id === incidentId)!;
        const d = inc.deadlines.find((x) => x.unitCode === '150121' && x.kind === 'written')!;
        return { minutes: (Date.parse(d.dueAt) - Date.parse(inc.eventTime)) / 60_000, status: d.status };
      };
      const { rules, settings } = (await admin.get('/api/reports/rules')).body;
      const before = await writtenDue(); // the rules are now read and kept
      const was = rules.find((x: { grade: number; level: number; kind: string }) => x.grade === 4 && x.level === 3 && x.kind === 'written').minutes as number;
      expect(before.minutes).toBe(was);
      expect(before.status).toBe('pending');

      // 20 minutes after the event, due at 30: within a 15-minute warning window ("due soon").
      const changed = rules.map((x: { grade: number; level: number; kind: string }) => (x.grade === 4 && x.level === 3 && x.kind === 'written' ? { ...x, minutes: 30 } : x));
      expect((await admin.post('/api/reports/rules', { rules: changed, ...settings, warnMinutes: 15 })).status).toBe(200);
      expect(await writtenDue()).toEqual({ minutes: 30, status: 'due_soon' });
      // The warning window alone (a setting): 5 minutes, so 10 minutes left is plain "pending" again.
      expect((await admin.post('/api/reports/rules', { rules: changed, ...settings, warnMinutes: 5 })).status).toBe(200);
      expect(await writtenDue()).toEqual({ minutes: 30, status: 'pending' });
      expect((await admin.get('/api/reports/rules')).body.settings.warnMinutes).toBe(5);

      // A refused save changes nothing, and what is kept stays what is stored.
      expect((await county.post('/api/reports/rules', { rules, ...settings })).status).toBe(403);
      expect(await writtenDue()).toEqual({ minutes: 30, status: 'pending' });

      await admin.post('/api/reports/rules', { rules, ...settings });
      dropReadCaches(); // as a lost connection does: the next read goes to the database, same answer
      expect(await writtenDue()).toEqual(before);
    });
  });
}
