/**
 * The console's shape (issue 11): pages talk to the server only through their domain's `api.ts`, so a route's
 * path and wire types live in one place per domain. A `.vue` file that imports the raw client, or spells an
 * `/api/` path, fails here with its name.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '../../console/src');
function vueFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? vueFiles(join(dir, e.name)) : e.name.endsWith('.vue') ? [join(dir, e.name)] : [],
  );
}
const files = vueFiles(root).map((f) => ({ name: relative(root, f), text: readFileSync(f, 'utf8') }));

describe('console pages reach the server only through their api.ts', () => {
  it('finds the pages', () => expect(files.length).toBeGreaterThan(40));
  it('no page imports the raw `api` client', () => {
    const offenders = files.filter((f) => /import\s*\{[^}]*\bapi\b[^}]*\}\s*from\s*'[./]*(shared\/)?api'/.test(f.text)).map((f) => f.name);
    expect(offenders).toEqual([]);
  });
  it('no page spells a fetch of an /api/ path (download links are built in api.ts too)', () => {
    const offenders = files.filter((f) => /(fetch\(|api\.(get|post|put|del)\b)/.test(f.text)).map((f) => f.name);
    expect(offenders).toEqual([]);
  });
});
