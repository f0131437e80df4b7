/**
 * npm run bench (figures, not pass/fail): the chair's site list at the scale of the region. The real server on
 * loopback (PGlite in memory, one mediasoup worker, the built console), a region meeting whose 115 other sites
 * join as socket clients without media (116 sites with the chair), and the chair's console in real Chromium.
 *
 * For a series of changes — a site raises and lowers its hand, the chair mutes and unmutes it, it leaves and
 * rejoins — printed: the time from the change being sent to the site's row in the chair's list showing it.
 * Measured in the page: a MutationObserver on the row's data-states (the state tags the row shows) records the
 * instant the row changes (performance.timeOrigin + now, epoch ms) and the next animation frame after it; the
 * start is taken where the change is sent: in Node for a site's own socket (the two clocks are aligned by a
 * bracketed round trip, its uncertainty printed), in the page for the chair's click. Also printed: the 115 rows'
 * first render after opening the meeting, re-rendering all of them (state filter 举手 → 全部), long tasks.
 *
 * Runs in a loopback-only network namespace (scripts/bench-chair-list.sh). BENCH_CHAIR_ROUNDS (default 20).
 */
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { chromium } from '@playwright/test';
import config from '../../playwright.config.ts';
import { resolveWorkerBin } from '../../sfu/workerBin.ts';
import type { Socket } from '../helpers/app.ts';

process.env.MEDIASOUP_WORKER_BIN = resolveWorkerBin();
const { Client, request, startTestServer } = await import('../helpers/app.ts');
const { connectDb } = await import('../../db/connect.ts');
const { DEMO_PASSWORD } = await import('../../server/seed/demo.ts');

const ROUNDS = Number(process.env.BENCH_CHAIR_ROUNDS ?? 20);
const root = path.resolve(import.meta.dirname, '../..');
const epoch = () => performance.timeOrigin + performance.now();
const pct = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))]!;
const fmt = (xs: number[]) => `p50 ${pct(xs, 50).toFixed(1)} ms, p95 ${pct(xs, 95).toFixed(1)} ms, max ${Math.max(...xs).toFixed(1)} ms (${xs.length}x)`;
const load = () => os.loadavg().map((x) => x.toFixed(2)).join(' ');
const started = performance.now();
const progress = (what: string) => process.stderr.write(`  … ${what} (${((performance.now() - started) / 1000).toFixed(0)} s)\n`);

console.log(`chair's site list at region scale — ${new Date().toISOString()}, ${os.cpus().length} cores, load average ${load()}`);
const db = await connectDb({ dataDir: 'memory://' });
const srv = await startTestServer(db, { staticDir: path.join(root, 'dist', 'console') });

// The region's meeting: the region leader chairs; every other unit is a site.
const leader = await Client.login(srv.baseUrl, '150000-leader');
const { body } = await leader.post('/api/meetings', { title: '全区视频调度会（主席列表基准）', scope: { kind: 'region' } });
const meetingId = body.meeting.id as string;
const subs = (body.meeting.units as { code: string; role: string }[]).filter((u) => u.role === 'sub').map((u) => u.code);
/** For a quick look: only the first N sites join (the list still has every invited unit). */
const joining = subs.slice(0, Number(process.env.BENCH_CHAIR_SITES ?? subs.length));
const sites = new Map<string, Socket>();
for (let i = 0; i < joining.length; i += 10) {
  await Promise.all(
    joining.slice(i, i + 10).map(async (code) => {
      const s = await (await Client.login(srv.baseUrl, `${code}-venue`)).socket();
      await request(s, 'meeting:join', { meetingId });
      sites.set(code, s);
    }),
  );
}
progress(`${sites.size} sites joined (${subs.length + 1} with the chair)`);

// The e2e suite's Chromium and flags (Debian chromium, fake media, autoplay): one place for both.
const browser = await chromium.launch(config.use?.launchOptions);
const context = await browser.newContext({ baseURL: srv.baseUrl, locale: 'zh-CN', timezoneId: 'Asia/Shanghai', permissions: ['camera', 'microphone'] });
const page = await context.newPage();
page.on('pageerror', (e) => console.error(`chair page error: ${e.message}`));

// tsx keeps function names by wrapping them in __name(): the page needs it too, as the identity.
await page.addInitScript({ content: 'window.__name = (f) => f;' });
/** In the page: watch a row until its data-states has (or has lost) a state; the first render; long tasks. */
await page.addInitScript((rowsWanted: number) => {
  localStorage.setItem('tl.camera', '360');
  const now = () => performance.timeOrigin + performance.now();
  const w = window as unknown as Record<string, unknown>;
  const longTasks: number[] = [];
  try {
    new PerformanceObserver((list) => list.getEntries().forEach((e) => longTasks.push(e.duration))).observe({ entryTypes: ['longtask'] });
  } catch {
    /* no long-task timing in this browser: none counted */
  }
  w.__longTasks = longTasks;
  const rows = () => document.querySelectorAll('[data-testid="ctl-site"]');
  // The first time every site's row is there (joined or not: the list is the meeting's invited units).
  const first = new MutationObserver(() => {
    if (rows().length !== rowsWanted) return;
    w.__firstRows = performance.now();
    first.disconnect();
  });
  w.__present = () => [...rows()].filter((el) => !(el.getAttribute('data-states') ?? '').split(' ').includes('absent')).map((el) => el.getAttribute('data-unit-code'));
  first.observe(document, { subtree: true, childList: true });
  const watches = new Map<number, Promise<{ seen: number; frame: number }>>();
  let next = 0;
  const frameAfter = (seen: number, resolve: (v: { seen: number; frame: number }) => void) => requestAnimationFrame(() => resolve({ seen, frame: now() }));
  w.__arm = (code: string, state: string, present: boolean): number => {
    const id = next++;
    const row = () => document.querySelector(`[data-testid="ctl-site"][data-unit-code="${code}"]`);
    const ok = () => ((row()?.getAttribute('data-states') ?? '').split(' ').includes(state) === present);
    if (ok()) throw new Error(`${code} already ${present ? 'has' : 'lacks'} ${state}`);
    watches.set(
      id,
      new Promise((resolve) => {
        const mo = new MutationObserver(() => {
          if (!ok()) return;
          mo.disconnect();
          frameAfter(now(), resolve);
        });
        mo.observe(document.querySelector('.chair')!, { subtree: true, attributes: true, attributeFilter: ['data-states'], childList: true });
      }),
    );
    return id;
  };
  w.__wait = (id: number) => watches.get(id)!;
  /** Clicks a button of a site's row (the chair's mute/unmute) and returns the instant of the click. */
  w.__click = (code: string, testid: string): number => {
    const b = document.querySelector<HTMLButtonElement>(`[data-testid="ctl-site"][data-unit-code="${code}"] [data-testid="${testid}"]`);
    if (!b || b.disabled) throw new Error(`no ${testid} for ${code}`);
    const t0 = now();
    b.click();
    return t0;
  };
  /** Re-render every row: the state filter 举手 (no row), then 全部; resolves with DOM and frame times. */
  w.__rerender = async (): Promise<{ dom: number; frame: number }> => {
    const pick = (st: string) => document.querySelector<HTMLElement>(`[data-testid="ctl-site-state"] [data-state="${st}"]`)!.click();
    const settle = (cond: () => boolean) =>
      new Promise<void>((resolve) => {
        if (cond()) return resolve();
        const mo = new MutationObserver(() => cond() && (mo.disconnect(), resolve()));
        mo.observe(document.querySelector('.chair')!, { subtree: true, childList: true });
      });
    pick('hand');
    await settle(() => rows().length === 0);
    await new Promise((r) => requestAnimationFrame(() => r(null)));
    const t0 = performance.now();
    pick('all');
    await settle(() => rows().length === rowsWanted);
    const dom = performance.now() - t0;
    await new Promise((r) => requestAnimationFrame(() => r(null)));
    return { dom, frame: performance.now() - t0 };
  };
}, subs.length);

// The chair signs in as a user does, then opens the meeting.
await page.goto('/', { waitUntil: 'domcontentloaded' });
await page.getByTestId('login-username').fill('150000-leader');
await page.getByTestId('login-password').fill(DEMO_PASSWORD);
await page.getByTestId('login-submit').click();
await page.getByTestId('current-user').waitFor({ timeout: 60_000 });
const t0 = performance.now();
await page.goto(`/meetings/${meetingId}`);
try {
  await page.waitForFunction(() => typeof (window as unknown as { __firstRows?: number }).__firstRows === 'number', null, { timeout: 120_000 });
} catch (e) {
  const rowsNow = await page.locator('[data-testid="ctl-site"]').count();
  console.error('bench hooks in the page:', await page.evaluate(() => Object.keys(window).filter((k) => k.startsWith('__'))));
  if (process.env.BENCH_CHAIR_SHOT) await page.screenshot({ path: process.env.BENCH_CHAIR_SHOT });
  throw new Error(`the chair's list never had ${subs.length} rows (${rowsNow} now): ${String(e)}`);
}
const firstRows = await page.evaluate(() => (window as unknown as { __firstRows: number }).__firstRows);
progress(`chair console open, ${subs.length} rows in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
// Every connected site reads present (a socket the loaded machine dropped stays absent: left out of the series).
const present = () => page.evaluate(() => (window as unknown as { __present(): string[] }).__present());
const connected = joining.filter((code) => sites.get(code)!.connected);
for (let i = 0; i < 60 && (await present()).length < connected.length; i++) await new Promise((r) => setTimeout(r, 1000));
const shown = new Set(await present());
const usable = connected.filter((code) => shown.has(code));
progress(`${usable.length} of ${subs.length} sites connected and shown present`);
if (usable.length === 0) throw new Error('no site shows present in the chair\'s list');

// The page's clock against ours: a bracketed read, repeated, the tightest kept.
let offset = 0;
let uncertainty = Infinity;
for (let i = 0; i < 20; i++) {
  const a = epoch();
  const p = await page.evaluate(() => performance.timeOrigin + performance.now());
  const b = epoch();
  if ((b - a) / 2 < uncertainty) {
    uncertainty = (b - a) / 2;
    offset = p - (a + b) / 2;
  }
}

type Watch = { seen: number; frame: number };
const arm = (code: string, state: string, present: boolean) => page.evaluate(([c, s, p]) => (window as unknown as { __arm(c: string, s: string, p: boolean): number }).__arm(c, s, p), [code, state, present] as const);
const waitFor = (id: number) => page.evaluate((i) => (window as unknown as { __wait(i: number): Promise<Watch> }).__wait(i), id);
const series: Record<string, { dom: number[]; frame: number[] }> = {};
const record = (what: string, sentAtPage: number, w: Watch) => {
  const s = (series[what] ??= { dom: [], frame: [] });
  s.dom.push(w.seen - sentAtPage);
  s.frame.push(w.frame - sentAtPage);
};
/** A change a site sends on its own socket; its start is our clock moved onto the page's. */
async function bySite(what: string, code: string, state: string, present: boolean, send: () => Promise<unknown>): Promise<void> {
  const id = await arm(code, state, present);
  const sent = epoch() + offset;
  await send();
  record(what, sent, await waitFor(id));
}
/** A change the chair makes by clicking its row's button; its start is the click, in the page. */
async function byChair(what: string, code: string, state: string, present: boolean, testid: string): Promise<void> {
  const id = await arm(code, state, present);
  const sent = await page.evaluate(([c, t]) => (window as unknown as { __click(c: string, t: string): number }).__click(c, t), [code, testid] as const);
  record(what, sent, await waitFor(id));
}

// Sites spread over the list (its top, middle and end), a different one each round.
const pickSite = (i: number) => usable[(i * 37) % usable.length]!;
for (let i = 0; i < ROUNDS; i++) {
  const code = pickSite(i);
  const s = sites.get(code)!;
  await bySite('site raises its hand', code, 'hand', true, () => request(s, 'control', { command: { type: 'raiseHand' } }));
  await bySite('site lowers its hand', code, 'hand', false, () => request(s, 'control', { command: { type: 'lowerHand' } }));
  await byChair('chair mutes the site', code, 'muted', true, 'ctl-mute');
  await byChair('chair unmutes the site', code, 'muted', false, 'ctl-unmute');
  await bySite('site leaves', code, 'absent', true, () => request(s, 'meeting:leave', {}));
  await bySite('site rejoins', code, 'absent', false, () => request(s, 'meeting:join', { meetingId }));
}
progress(`${ROUNDS} rounds of changes`);

const rerender: { dom: number[]; frame: number[] } = { dom: [], frame: [] };
for (let i = 0; i < 10; i++) {
  const r = await page.evaluate(() => (window as unknown as { __rerender(): Promise<{ dom: number; frame: number }> }).__rerender());
  rerender.dom.push(r.dom);
  rerender.frame.push(r.frame);
}
const longTasks = await page.evaluate(() => (window as unknown as { __longTasks: number[] }).__longTasks);

console.log(`sites: ${subs.length + 1} (the chair and ${subs.length} rows, ${usable.length} of them connected through the run); clocks aligned to ±${uncertainty.toFixed(2)} ms`);
console.log(`first render, opening the meeting → all ${subs.length} rows in the list: ${firstRows.toFixed(0)} ms after navigation start`);
console.log(`re-render all ${subs.length} rows (filter 举手 → 全部): DOM ${fmt(rerender.dom)}; to next frame ${fmt(rerender.frame)}`);
console.log('change sent → the row shows it (DOM; to the next frame):');
for (const [what, s] of Object.entries(series)) console.log(`  ${what.padEnd(24)} ${fmt(s.dom)}; frame ${fmt(s.frame)}`);
const all = Object.values(series).flatMap((s) => s.dom);
console.log(`  ${'all changes'.padEnd(24)} ${fmt(all)}`);
console.log(`long tasks (>50 ms) in the chair's page: ${longTasks.length}, longest ${longTasks.length ? Math.max(...longTasks).toFixed(0) : 0} ms; load average now ${load()}`);

// To look at it: BENCH_CHAIR_SHOT=/tmp/chair.png.
if (process.env.BENCH_CHAIR_SHOT) await page.screenshot({ path: process.env.BENCH_CHAIR_SHOT, fullPage: true });
await browser.close();
for (const s of sites.values()) s.close();
await srv.close();
process.exit(0);
