/**
 * npm run bench (voice access): CPU of phone legs — 1 call, then 20 in one meeting — while each phone plays
 * Debian sipp's recorded G.711 voice. Figures only. Counted: the GStreamer processes (one encoder per call, one
 * decoder per meeting: meetingMixer.ts), this Node process
 * (SIP, RTP pacing, relays) and the mediasoup worker, over the same window; and how steady the 20 ms
 * packets toward the phones were (packets sent per call per second, 50 is exact).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pino from 'pino';
import { resolveWorkerBin } from '../../sfu/workerBin.ts';

process.env.MEDIASOUP_WORKER_BIN = resolveWorkerBin();
const { Client, startTestServer } = await import('../helpers/app.ts');
const { connectDb } = await import('../../db/connect.ts');
const { VoiceService } = await import('../../server/voice/voiceService.ts');
const { accessNumberOf, registerUnitPhone } = await import('../../server/voice/voiceRepo.ts');
const { runSipp, SIPP_PCAPS } = await import('../helpers/sipp.ts');

const TICK = 100; // USER_HZ on Linux
const cpuTicks = (pid: number): number => {
  try {
    const f = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    return Number(f[11]) + Number(f[12]); // utime + stime
  } catch {
    return 0;
  }
};
const children = (name: string): number[] =>
  fs.readdirSync('/proc').filter((d) => /^\d+$/.test(d)).map(Number).filter((pid) => {
    try {
      const st = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
      return st.includes(`(${name})`) && Number(st.split(') ')[1]!.split(' ')[1]) === process.pid;
    } catch {
      return false;
    }
  });

const db = await connectDb({ dataDir: 'memory://' });
const srv = await startTestServer(db);
const { ctx } = srv.app;
const voice = await VoiceService.start(
  { db: ctx.db, tree: ctx.tree, hub: ctx.meetings, log: pino({ level: 'silent' }) },
  { host: '127.0.0.1', port: 0, accessNumber: '8000', maxCalls: 30, maxCallMinutes: 5, promptDir: path.join(os.tmpdir(), 'threelevel-voice-prompts') },
);
const chair = await Client.login(srv.baseUrl, '150000-leader');
const res = await chair.post('/api/meetings', { title: '语音接入压测', scope: { kind: 'level', level: 3 } });
if (res.status !== 201) throw new Error(`meeting not created: ${res.status} ${JSON.stringify(res.body)}`);
const units: string[] = res.body.meeting.units.filter((u: { role: string }) => u.role === 'sub').map((u: { code: string }) => u.code).slice(0, 20);
const phones = units.map((_, i) => `0471990${String(i).padStart(4, '0')}`);
for (const [i, u] of units.entries()) await registerUnitPhone(ctx.db, phones[i]!, u);
const accessNumber = String(await accessNumberOf(ctx.db, res.body.meeting.id));
const workerPid = srv.pool.slots[0]?.worker.pid;

async function measure(n: number): Promise<string> {
  // sipp plays a pcap in the background: each 4.7 s recording, then a pause as long, five times (~45 s a call).
  const voiceSteps = Array.from({ length: 5 }, () => [{ pcap: `${SIPP_PCAPS}/g711a.pcap` }, { pause: 9000 }]).flat();
  const run = runSipp(
    { caller: '[field0]', mediaPort: 'sipp', steps: [{ pause: 300 }, ...voiceSteps, 'bye'] },
    { service: accessNumber, target: `127.0.0.1:${voice.port}`, calls: n, injection: phones.slice(0, n), timeoutSec: 90, mediaBase: 20000 },
  );
  const t0 = Date.now();
  while ([...voice.calls.values()].filter((c) => c.leg?.producer).length < n && Date.now() - t0 < 30_000) await new Promise((r) => setTimeout(r, 200));
  await new Promise((r) => setTimeout(r, 2000)); // past the "joined" prompts
  const gst = children('gst-launch-1.0');
  const before = { gst: gst.reduce((s, p) => s + cpuTicks(p), 0), node: cpuTicks(process.pid), worker: workerPid ? cpuTicks(workerPid) : 0 };
  const sentBefore = [...voice.calls.values()].reduce((s, c) => s + c.rtp.stats.sent, 0);
  const start = performance.now();
  await new Promise((r) => setTimeout(r, 8000));
  const secs = (performance.now() - start) / 1000;
  const pctOf = (d: number) => `${((d / TICK / secs) * 100).toFixed(1)}%`;
  const sent = [...voice.calls.values()].reduce((s, c) => s + c.rtp.stats.sent, 0) - sentBefore;
  const line = `${n} phone leg${n > 1 ? 's' : ''}: gateways (${gst.length} gst-launch) ${pctOf(gst.reduce((s, p) => s + cpuTicks(p), 0) - before.gst)} CPU, node ${pctOf(cpuTicks(process.pid) - before.node)}, mediasoup worker ${workerPid ? pctOf(cpuTicks(workerPid) - before.worker) : 'n/a'}; ${(sent / n / secs).toFixed(1)} packets/s to each phone (50 = steady 20 ms)`;
  const r = await run;
  return r.code === 0 ? line : `${line} [sipp exit ${r.code}]`;
}

console.log(`voice: ${await measure(1)}`);
console.log(`voice: ${await measure(20)}`);
chair.close();
await voice.close();
await srv.close();
