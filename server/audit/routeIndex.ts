/**
 * The route template ("POST /api/reports/:id/sign") of a request, from the app's own router stack: an
 * audit entry names the same route whether the handler answered or threw (Express restores baseUrl
 * before the error handler runs, so req.route alone cannot say it then).
 */
import type { Express } from 'express';

interface LayerLike {
  route?: { path: string | RegExp; methods: Record<string, boolean> };
  handle?: { stack?: LayerLike[] };
  rawPath?: string | RegExp | (string | RegExp)[];
}

interface Template {
  method: string;
  template: string;
  re: RegExp;
  params: number;
}

function walk(stack: LayerLike[], prefix: string, out: Template[]): void {
  for (const layer of stack) {
    if (layer.route && typeof layer.route.path === 'string') {
      const template = prefix + layer.route.path;
      const source = template.replace(/\/$/, '').replace(/[.+?^$()[\]\\|]/g, '\\$&').replace(/:[A-Za-z0-9_]+/g, '[^/]+').replace(/\*[A-Za-z0-9_]+/g, '.*');
      const params = (template.match(/[:*]/g) ?? []).length;
      for (const m of Object.keys(layer.route.methods)) if (m !== '_all') out.push({ method: m.toUpperCase(), template, re: new RegExp(`^${source}/?$`), params });
    } else if (layer.handle?.stack) {
      const p = typeof layer.rawPath === 'string' && layer.rawPath !== '/' ? layer.rawPath : '';
      walk(layer.handle.stack, prefix + p, out);
    }
  }
}

export function routeIndex(app: () => Express): (method: string, path: string) => string | null {
  let all: Template[] | null = null;
  return (method, path) => {
    all ??= (() => {
      const out: Template[] = [];
      walk((app() as unknown as { router: { stack: LayerLike[] } }).router.stack, '', out);
      return out.sort((a, b) => a.params - b.params);
    })();
    const m = method === 'HEAD' ? 'GET' : method;
    const hit = all.find((t) => t.method === m && t.re.test(path));
    return hit ? `${hit.method} ${hit.template}` : null;
  };
}
