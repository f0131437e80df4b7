/**
 * Nothing fails silently and nothing grows without bound in the meeting hub: a control change the database
 * refuses is refused to the chair (not acked ok and forgotten at the next restart); one site cannot create
 * transports, producers or chat messages without limit. Real server, real mediasoup worker, PGlite.
 */
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Socket } from 'socket.io-client';
import { Client, request, startTestServer, type TestServer } from '../helpers/app.ts';
import { testDatabases } from '../helpers/databases.ts';
import { CHAT_PER_MINUTE } from '../../server/meetings/hub.ts';
import { MAX_PRODUCERS_PER_PEER, MAX_TRANSPORTS_PER_PEER } from '../../sfu/errors.ts';

const [db] = testDatabases();
const opus = (ssrc: number) => ({
  codecs: [{ mimeType: 'audio/opus', payloadType: 111, clockRate: 48000, channels: 2, parameters: {}, rtcpFeedback: [] }],
  headerExtensions: [],
  encodings: [{ ssrc }],
  rtcp: { cname: `t${ssrc}` },
});

describe(`meeting hub limits and failed writes (${db!.name})`, () => {
  let srv: TestServer;
  const clients: Client[] = [];
  let meetingId = '';
  let chair: Socket;
  let site: Socket;
  const codeOf = (p: Promise<unknown>) => p.then(() => 'OK', (e: { code: string }) => e.code);

  beforeAll(async () => {
    srv = await startTestServer(await db!.open());
    const city = await Client.login(srv.baseUrl, '150100-leader');
    const county = await Client.login(srv.baseUrl, '150102-venue');
    clients.push(city, county);
    meetingId = (await city.post('/api/meetings', { title: '限额测试会', scope: { kind: 'cityWithCounties', cityCode: '150100' } })).body.meeting.id;
    chair = await city.socket();
    site = await county.socket();
    await request(chair, 'meeting:join', { meetingId });
    await request(site, 'meeting:join', { meetingId });
  });
  afterAll(async () => {
    clients.forEach((c) => c.close());
    await srv?.close();
  });

  it('a control change the database does not store is refused to the chair, and not applied', async () => {
    const { db: kdb } = srv.app.ctx;
    // The database refuses every write to the meeting (as it did for a banner with a NUL in it).
    // Test set-up as the database owner: the application's own role (tl_app) may not create functions or triggers.
    const asOwner = (run: (c: typeof kdb) => Promise<unknown>) =>
      kdb.connection().execute(async (c) => {
        await sql`reset role`.execute(c);
        try {
          await run(c);
        } finally {
          await sql`set role tl_app`.execute(c);
        }
      });
    await asOwner(async (c) => {
      await sql`create function refuse_meeting_write() returns trigger language plpgsql as $$ begin raise exception 'write refused for the test'; end $$`.execute(c);
      await sql`create trigger refuse_meeting_write before update on meetings for each row execute function refuse_meeting_write()`.execute(c);
    });
    try {
      const r = await codeOf(request(chair, 'control', { command: { type: 'muteAll', lock: true } }));
      expect(r).toBe('CONTROL_NOT_SAVED');
      const state = await srv.app.ctx.meetings.controlState(meetingId);
      expect(state!.muteLocked).toEqual([]); // not applied in memory either: what the chair sees is what is stored
      expect(await codeOf(request(chair, 'control', { command: { type: 'banner', text: '请各会场注意' } }))).toBe('CONTROL_NOT_SAVED');
    } finally {
      await asOwner(async (c) => {
        await sql`drop trigger refuse_meeting_write on meetings`.execute(c);
        await sql`drop function refuse_meeting_write()`.execute(c);
      });
    }
    // Stored again: the change is applied and it is in the database.
    const ok = await request(chair, 'control', { command: { type: 'banner', text: '请各会场注意' } });
    expect(ok.control.banner).toBe('请各会场注意');
    const row = await kdb.selectFrom('meetings').select('control').where('id', '=', meetingId).executeTakeFirstOrThrow();
    expect(JSON.stringify(row.control)).toContain('请各会场注意');
  });

  it('one site gets at most a few transports and producers, with a stable code beyond', async () => {
    const ids: string[] = [];
    for (let i = 0; i < MAX_TRANSPORTS_PER_PEER; i++) ids.push((await request(site, 'transport:create', { direction: i % 2 ? 'recv' : 'send' })).id);
    expect(await codeOf(request(site, 'transport:create', { direction: 'send' }))).toBe('TRANSPORT_LIMIT');
    for (let i = 0; i < MAX_PRODUCERS_PER_PEER; i++) await request(site, 'produce', { transportId: ids[0], kind: 'audio', rtpParameters: opus(1000 + i), appData: { source: 'mic' } });
    expect(await codeOf(request(site, 'produce', { transportId: ids[0], kind: 'audio', rtpParameters: opus(2000), appData: { source: 'mic' } }))).toBe('PRODUCER_LIMIT');
  });

  it('chat is bounded per site and minute', async () => {
    const codes: string[] = [];
    for (let i = 0; i < CHAT_PER_MINUTE + 5; i++) codes.push(await codeOf(request(site, 'chat', { text: `消息 ${i}` })));
    expect(codes.filter((c) => c === 'OK')).toHaveLength(CHAT_PER_MINUTE);
    expect(codes.slice(CHAT_PER_MINUTE)).toEqual(Array(5).fill('CHAT_RATE_LIMITED'));
    // Another site is not affected by this one's flood.
    expect(await codeOf(request(chair, 'chat', { text: '收到' }))).toBe('OK');
  });
});
