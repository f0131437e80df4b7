/**
 * Where the mediasoup worker binary is. mediasoup reads MEDIASOUP_WORKER_BIN once, when it is first
 * imported, so call this before importing anything that imports mediasoup.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

export function resolveWorkerBin(env: NodeJS.ProcessEnv = process.env): string {
  if (env.MEDIASOUP_WORKER_BIN && isExecutable(env.MEDIASOUP_WORKER_BIN)) return env.MEDIASOUP_WORKER_BIN;
  // mediasoup's own prebuilt (downloaded by its postinstall where the internet is reachable).
  const pkgDir = mediasoupPackageDir();
  const prebuilt = path.join(pkgDir, 'worker', 'out', 'Release', 'mediasoup-worker');
  if (isExecutable(prebuilt)) return prebuilt;
  // Our offline build (sfu/worker-build/ensure-worker.sh), keyed by mediasoup version.
  const version: string = JSON.parse(fs.readFileSync(path.join(pkgDir, 'package.json'), 'utf8')).version;
  const cacheDir = env.MEDIASOUP_WORKER_CACHE || path.join(os.homedir(), '.cache', 'threelevel-mediasoup');
  const cached = fs.existsSync(cacheDir)
    ? fs.readdirSync(cacheDir).filter((f) => f.startsWith(`mediasoup-worker-${version}-r`) && !f.includes('.tmp.'))
      .sort(byRevision).reverse()
    : [];
  for (const f of cached) if (isExecutable(path.join(cacheDir, f))) return path.join(cacheDir, f);
  throw new Error(
    `no mediasoup worker binary for mediasoup ${version}: run "bash sfu/worker-build/ensure-worker.sh" (npm start does it)`,
  );
}

/** mediasoup's exports hide its package.json: walk up from its entry point instead. */
function mediasoupPackageDir(): string {
  let dir = path.dirname(require.resolve('mediasoup'));
  while (!fs.existsSync(path.join(dir, 'package.json')) || JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8')).name !== 'mediasoup') {
    const up = path.dirname(dir);
    if (up === dir) throw new Error('mediasoup package not found');
    dir = up;
  }
  return dir;
}

// Cached names: mediasoup-worker-<version>-r<N>-<flavour>, e.g. r5-openssl (the default recipe), r5-nss, r5-lto-v3
// (opt-in): the newest revision first and, within one, the default flavour; a build being installed
// (<name>.tmp.<pid>) is skipped.
const revision = (f: string) => parseInt(f.slice(f.lastIndexOf('-r') + 2), 10) || 0;
const rank = (f: string) => revision(f) * 2 + (f.endsWith('-openssl') ? 1 : 0);
const byRevision = (a: string, b: string) => rank(a) - rank(b);

function isExecutable(p: string): boolean {
  try {
    fs.accessSync(p, fs.constants.X_OK);
    return fs.statSync(p).isFile();
  } catch {
    return false;
  }
}
