/**
 * Entry PIN (入会密码): set on create (4–8 digits, stored scrypt-hashed, never returned); every invited site
 * must give it on meeting:join (missing and wrong PINs are refused with stable codes); the chair's unit is exempt.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { suiteClients, request, startTestServer, type TestServer } from '../helpers/app.ts';
import { testDatabases } from '../helpers/databases.ts';

// Eight digits: a four-digit PIN turns up by chance inside the answer's random UUIDs (a run saw "…-801f-4821-…"),
// and the "never returned" check would fail for a PIN that was never sent.
const PIN = '73915826';

describe.each(testDatabases())('meeting PIN ($name)', (db) => {
  let srv: TestServer;
  const { login, closeAll } = suiteClients(() => srv.baseUrl);
  let meetingId = '';

  beforeAll(async () => {
    srv = await startTestServer(await db.open());
  });
  afterAll(async () => {
    closeAll();
    await srv?.close();
  });

  it('refuses a PIN that is not 4–8 digits', async () => {
    const city = await login('150100-leader');
    for (const pin of ['123', '123456789', '12ab', '']) {
      const res = await city.post('/api/meetings', { title: '防汛会商', pin, scope: { kind: 'cityWithCounties', cityCode: '150100' } });
      expect(res.status, pin).toBe(400);
      expect(res.body.error.code).toBe('VALIDATION');
    }
  });

  it('stores only a hash and tells the sites a PIN is needed, not the PIN', async () => {
    const city = await login('150100-leader');
    const res = await city.post('/api/meetings', { title: '防汛会商', pin: PIN, scope: { kind: 'cityWithCounties', cityCode: '150100' } });
    expect(res.status).toBe(201);
    expect(res.body.meeting.hasPin).toBe(true);
    expect(JSON.stringify(res.body)).not.toContain(PIN);
    meetingId = res.body.meeting.id;
    const row = await srv.app.ctx.db.selectFrom('meetings').select('pin_hash').where('id', '=', meetingId).executeTakeFirstOrThrow();
    expect(row.pin_hash).toMatch(/^scrypt\$/);
    expect(row.pin_hash).not.toContain(PIN);
    const county = await login('150102-venue');
    const list = await county.get('/api/meetings');
    const m = list.body.meetings.find((x: any) => x.id === meetingId);
    expect(m.hasPin).toBe(true);
    expect(JSON.stringify(m)).not.toContain('scrypt');
  });

  it('a site without the PIN or with a wrong one is refused; the right PIN joins', async () => {
    const s = await (await login('150102-venue')).socket();
    await expect(request(s, 'meeting:join', { meetingId })).rejects.toMatchObject({ code: 'MEETING_PIN_REQUIRED' });
    await expect(request(s, 'meeting:join', { meetingId, pin: '0000' })).rejects.toMatchObject({ code: 'MEETING_PIN_WRONG', message: '入会密码不正确' });
    const joined = await request(s, 'meeting:join', { meetingId, pin: PIN });
    expect(joined.chair).toBe(false);
    const attendance = await srv.app.ctx.db.selectFrom('meeting_attendance').select('unit_code').where('meeting_id', '=', meetingId).execute();
    expect(attendance.map((a) => a.unit_code)).toEqual(['150102']);
  });

  it("the chair's unit joins without the PIN, any of its users", async () => {
    const chair = await (await login('150100-leader')).socket();
    expect((await request(chair, 'meeting:join', { meetingId })).chair).toBe(true);
    const duty = await (await login('150100-duty')).socket();
    await request(duty, 'meeting:join', { meetingId });
  });

  it('stops guessing: after 5 wrong PINs the unit is refused for a while, even with the right one', async () => {
    const s = await (await login('150104-venue')).socket();
    for (const pin of ['0001', '0002', '0003', '0004', '0005']) {
      await expect(request(s, 'meeting:join', { meetingId, pin })).rejects.toMatchObject({ code: 'MEETING_PIN_WRONG' });
    }
    await expect(request(s, 'meeting:join', { meetingId, pin: PIN })).rejects.toMatchObject({ code: 'MEETING_PIN_LOCKED' });
    // Another unit is not affected.
    const other = await (await login('150105-venue')).socket();
    await request(other, 'meeting:join', { meetingId, pin: PIN });
  });

  it('a meeting without a PIN needs none', async () => {
    const city = await login('150100-leader');
    const res = await city.post('/api/meetings', { title: '例会', scope: { kind: 'cityWithCounties', cityCode: '150100' } });
    expect(res.body.meeting.hasPin).toBe(false);
    const s = await (await login('150103-venue')).socket();
    await request(s, 'meeting:join', { meetingId: res.body.meeting.id });
  });
});
