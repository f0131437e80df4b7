/**
 * The OpenAPI document (GET /api/openapi.json, generated from contract/api.ts and its zod schemas) lists
 * exactly the routes Express really has, and describes their bodies with the schemas the server parses with.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Client, startTestServer, type TestServer } from '../helpers/app.ts';
import { testDatabases } from '../helpers/databases.ts';
import { expressRoutes } from '../helpers/routes.ts';
import { openApiPath } from '../../server/http/openapi.ts';

const [tdb] = testDatabases();

describe('OpenAPI document', () => {
  let srv: TestServer;
  let client: Client;
  beforeAll(async () => {
    srv = await startTestServer(await tdb!.open());
    client = await Client.login(srv.baseUrl, '150102-duty');
  }, 120_000);
  afterAll(async () => {
    client?.close();
    await srv?.close();
  });

  it('is served to a session and lists every route Express has, and no other', async () => {
    const res = await client.get('/api/openapi.json');
    expect(res.status).toBe(200);
    const doc = res.body as { openapi: string; paths: Record<string, Record<string, unknown>> };
    expect(doc.openapi).toBe('3.1.0');
    const documented = Object.entries(doc.paths).flatMap(([p, ops]) => Object.keys(ops).map((m) => `${m.toUpperCase()} ${p}`)).sort();
    // The test clock is mounted only with TEST_CLOCK=1: it is in the document, and here only if mounted.
    const real = expressRoutes(srv.app.http).map((r) => {
      const [m, p] = r.split(' ') as [string, string];
      return `${m} ${openApiPath(p)}`;
    });
    const optional = ['GET /api/test/clock', 'POST /api/test/clock'];
    expect(real.filter((r) => !documented.includes(r)), 'routes missing from contract/api.ts').toEqual([]);
    expect(documented.filter((r) => !real.includes(r) && !optional.includes(r)), 'documented routes Express does not have').toEqual([]);
  });

  it('describes request bodies from the contract schemas the server validates with', async () => {
    const doc = (await client.get('/api/openapi.json')).body as any;
    const phone = doc.paths['/api/reports/phone'].post.requestBody.content['application/json'].schema;
    expect(phone.required).toEqual(expect.arrayContaining(['requestId', 'title', 'eventTime', 'place', 'grade', 'summary', 'caller', 'callee']));
    expect(phone.properties.category.enum).toEqual(['', 'natural_disaster', 'accident', 'public_health', 'social_security']);
    const meeting = doc.paths['/api/meetings'].post.requestBody.content['application/json'].schema;
    expect(meeting.properties.scope.oneOf ?? meeting.properties.scope.anyOf).toHaveLength(4);
    expect(doc.paths['/api/reports/incidents/{id}'].get.parameters[0]).toMatchObject({ name: 'id', in: 'path', required: true });
    // A route the server refuses without a body field the document calls required: the two agree.
    const refused = await client.post('/api/reports/phone', { requestId: crypto.randomUUID() });
    expect(refused.status).toBe(400);
    expect(refused.body.error.code).toBe('VALIDATION');
  });

  it('renders as a page for a session and is refused without one', async () => {
    const page = await fetch(`${srv.baseUrl}/api/docs`, { headers: { cookie: client.cookie } });
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toContain('text/html');
    expect(await page.text()).toContain('POST /api/reports/phone');
    const anon = await fetch(`${srv.baseUrl}/api/openapi.json`);
    expect(anon.status).toBe(401);
  });
});
