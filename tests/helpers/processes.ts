/** Child processes for tests: the platform simulator and our server, started with tsx, killable with -9. */
import { spawn, type ChildProcess } from 'node:child_process';
import net from 'node:net';
import path from 'node:path';

const ROOT = path.resolve(import.meta.dirname, '../..');

export interface Proc {
  child: ChildProcess;
  port: number;
  output: () => string;
  kill9(): Promise<void>;
  stop(): Promise<void>;
}

/** A free loopback port (the namespace is private, so it stays free). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as net.AddressInfo;
      s.close(() => resolve(port));
    });
  });
}

/** Runs `script` under tsx and resolves once it prints `<marker> port=N`. */
export function startProc(script: string, env: Record<string, string>, marker: string, timeoutMs = 60_000): Promise<Proc> {
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(ROOT, script)], { cwd: ROOT, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  // Never outlive the test runner, whatever happens to the test.
  const reap = () => child.exitCode === null && child.kill('SIGKILL');
  process.once('exit', reap);
  void exited.then(() => process.off('exit', reap));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${script} did not start in ${timeoutMs} ms:\n${out}`)), timeoutMs);
    const onData = (d: Buffer) => {
      out += d.toString();
      if (out.length > 200_000) out = out.slice(-100_000);
      const m = new RegExp(`${marker} port=(\\d+)`).exec(out);
      if (m) {
        clearTimeout(timer);
        resolve({
          child,
          port: Number(m[1]),
          output: () => out,
          kill9: async () => {
            if (child.exitCode === null) child.kill('SIGKILL');
            await exited;
          },
          stop: async () => {
            if (child.exitCode === null) child.kill('SIGTERM');
            await Promise.race([exited, new Promise((r) => setTimeout(r, 10_000))]);
            if (child.exitCode === null) child.kill('SIGKILL');
            await exited;
          },
        });
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`${script} exited with ${code}:\n${out}`));
    });
  });
}

/** The simulator's control API. */
export class SimControl {
  constructor(readonly port: number) {}
  get capUrl() {
    return `http://127.0.0.1:${this.port}/cap`;
  }
  async call(p: string, body: unknown = {}): Promise<any> {
    const res = await fetch(`http://127.0.0.1:${this.port}${p}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    return res.json();
  }
  stats = () => this.call('/control/stats');
  fault = (mode: string, o: { count?: number; afterStore?: boolean; delayMs?: number } = {}) => this.call('/control/fault', { mode, ...o });
  sendAlert = (fields: Record<string, unknown>) => this.call('/control/send-alert', fields);
}

/** Polls `check` until it returns a truthy value or `ms` pass (bounded). */
export async function waitFor<T>(what: string, check: () => Promise<T | null | undefined | false>, ms = 30_000, everyMs = 150): Promise<T> {
  const until = Date.now() + ms;
  let last: unknown;
  while (Date.now() < until) {
    try {
      const v = await check();
      if (v) return v;
    } catch (e) {
      last = e;
    }
    await new Promise((r) => setTimeout(r, everyMs));
  }
  throw new Error(`timed out waiting for ${what}${last ? `: ${(last as Error).message}` : ''}`);
}
