/**
 * The OpenAPI 3.1 document, generated from the contract (contract/api.ts: every route with its zod request
 * schemas, turned into JSON Schema by zod's own z.toJSONSchema), and a plain page that renders it (no
 * scripts from elsewhere: the CSP allows none).
 */
import { Router } from 'express';
import { z } from 'zod';
import { API_ROUTES, type ApiRoute } from '../../contract/api.ts';

/** Express ":id" → OpenAPI "{id}"; a router's root "/api/meetings/" → "/api/meetings". */
export const openApiPath = (expressPath: string) => expressPath.replace(/:([A-Za-z]+)/g, '{$1}').replace(/(.)\/$/, '$1');

const jsonSchema = (s: z.ZodType) => z.toJSONSchema(s, { target: 'draft-2020-12', io: 'input', unrepresentable: 'any' }) as Record<string, unknown>;
const errorSchema = {
  type: 'object',
  properties: { error: { type: 'object', properties: { code: { type: 'string' }, message: { type: 'string' }, details: {} }, required: ['code', 'message'] } },
};

function operation(r: ApiRoute, method: string, path: string): Record<string, unknown> {
  const params = [...path.matchAll(/\{([A-Za-z]+)\}/g)].map((m) => ({ name: m[1], in: 'path', required: true, schema: { type: 'string' } }));
  const query = r.query ? Object.entries((jsonSchema(r.query).properties ?? {}) as Record<string, unknown>).map(([name, schema]) => ({ name, in: 'query', schema })) : [];
  const ok = r.produces ? { content: { [r.produces]: {} } } : { content: { 'application/json': {} } };
  return {
    operationId: `${method}${path.replace(/[^A-Za-z0-9]+(.)?/g, (_m, c: string | undefined) => (c ? c.toUpperCase() : ''))}`,
    summary: r.summary,
    tags: [path.split('/')[path.startsWith('/api/') ? 2 : 1] ?? 'app'],
    ...(params.length || query.length ? { parameters: [...params, ...query] } : {}),
    ...(r.body ? { requestBody: { required: true, content: { 'application/json': { schema: jsonSchema(r.body) } } } } : {}),
    ...(r.public ? { security: [] } : {}),
    responses: {
      '200': { description: 'OK', ...ok },
      '4XX': { description: 'Refused: a stable code and a Chinese message', content: { 'application/json': { schema: errorSchema } } },
    },
  };
}

export function openApiDocument(routes: ApiRoute[] = API_ROUTES): Record<string, unknown> {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const r of routes) {
    const [method, expressPath] = r.route.split(' ') as [string, string];
    const path = openApiPath(expressPath);
    (paths[path] ??= {})[method.toLowerCase()] = operation(r, method.toLowerCase(), path);
  }
  return {
    openapi: '3.1.0',
    info: { title: '三级视频会议与值班指挥 API', version: '0.1.0', description: 'Generated from contract/ (zod). Socket.io events: contract/socket.ts.' },
    components: { securitySchemes: { session: { type: 'apiKey', in: 'cookie', name: 'tl_session' } } },
    security: [{ session: [] }],
    paths,
  };
}

const esc = (s: string) => s.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]!);

/** The document as one readable page: every operation with its request schema. */
export function openApiPage(doc = openApiDocument()): string {
  const rows: string[] = [];
  for (const [path, ops] of Object.entries(doc.paths as Record<string, Record<string, { summary: string; requestBody?: { content: Record<string, { schema: unknown }> } }>>)) {
    for (const [method, op] of Object.entries(ops)) {
      const body = op.requestBody ? `<details><summary>request body</summary><pre>${esc(JSON.stringify(op.requestBody.content['application/json']!.schema, null, 2))}</pre></details>` : '';
      rows.push(`<section><h3><code>${method.toUpperCase()} ${esc(path)}</code></h3><p>${esc(op.summary)}</p>${body}</section>`);
    }
  }
  return `<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><title>API · 三级视频会议与值班指挥</title>
<style>body{font:14px/1.5 system-ui,sans-serif;max-width:960px;margin:2em auto;padding:0 1em}h3{margin:1.2em 0 .2em;font-size:15px}pre{background:#f5f5f5;padding:.6em;overflow:auto}</style></head>
<body><h1>三级视频会议与值班指挥 API</h1><p>OpenAPI 3.1: <a href="/api/openapi.json">/api/openapi.json</a> (generated from <code>contract/</code>).</p>${rows.join('\n')}</body></html>`;
}

/** GET /api/openapi.json and GET /api/docs (the document is built once). */
export function openApiRoutes(): Router {
  const r = Router();
  const doc = openApiDocument();
  const page = openApiPage(doc);
  r.get('/openapi.json', (_req, res) => res.json(doc));
  r.get('/docs', (_req, res) => res.type('html').send(page));
  return r;
}
