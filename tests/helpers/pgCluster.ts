/**
 * A throwaway Postgres cluster of its own (initdb + pg_ctl, unix socket only) for tests that stop, kill and
 * restart Postgres under the server. As root, the Postgres binaries run as the `postgres` user.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export interface PgCluster {
  /** postgres:// URL of the `postgres` database over the unix socket. */
  url: string;
  start(): void;
  stop(mode: 'immediate' | 'fast'): void;
  destroy(): void;
}

export function pgBinDir(): string | null {
  const root = '/usr/lib/postgresql';
  if (!fs.existsSync(root)) return null;
  const versions = fs.readdirSync(root).filter((v) => fs.existsSync(path.join(root, v, 'bin', 'initdb')));
  versions.sort((a, b) => Number(a) - Number(b));
  return versions.length ? path.join(root, versions.at(-1)!, 'bin') : null;
}

export function createPgCluster(): PgCluster {
  const bin = pgBinDir();
  if (!bin) throw new Error('no Postgres binaries in /usr/lib/postgresql');
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tl-pgc-'));
  const asPg = process.getuid?.() === 0;
  if (asPg) execFileSync('chown', ['postgres', dir]);
  const run = (cmd: string, args: string[], timeout = 30_000) =>
    asPg ? execFileSync('runuser', ['-u', 'postgres', '--', path.join(bin, cmd), ...args], { stdio: 'pipe', timeout }) : execFileSync(path.join(bin, cmd), args, { stdio: 'pipe', timeout });
  const data = path.join(dir, 'data');
  run('initdb', ['-D', data, '-A', 'trust', '-U', 'postgres', '-E', 'UTF8', '--locale=C.UTF-8']);
  const opts = `-c listen_addresses='' -k ${dir} -c fsync=off -c full_page_writes=off -c max_connections=40`;
  const cluster: PgCluster = {
    url: `postgresql://postgres@localhost/postgres?host=${dir}`,
    start: () => void run('pg_ctl', ['-D', data, '-l', path.join(dir, 'log'), '-w', '-t', '30', '-o', opts, 'start']),
    stop: (mode) => void run('pg_ctl', ['-D', data, '-m', mode, '-w', '-t', '30', 'stop']),
    destroy: () => {
      try {
        run('pg_ctl', ['-D', data, '-m', 'immediate', 'stop'], 10_000);
      } catch {
        // already stopped
      }
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
  cluster.start();
  return cluster;
}
