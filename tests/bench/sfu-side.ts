/**
 * mediasoup worker binaries measured side by side, at the same time: every binary's worker runs on CPU 0 with its
 * own N PlainTransport + SRTP consumers (transport-cc negotiated, as bench:sfu's receivers) and their CPU time
 * (/proc/<pid>/task/<tid>/schedstat) is read over the same windows, so the shared VM's drift (±25 % between
 * bench:sfu's sequential points) hits every binary alike. Printed only (no assertions).
 *
 * The receivers answer every transport with transport-cc feedback every 100 ms (SFU_SIDE_FEEDBACK=0: none) over
 * SRTCP in SFU_SIDE_SRTP's suite (default AEAD_AES_256_GCM), as bench:sfu's do.
 *  - media windows (SFU_SIDE_MEDIA_WINDOWS, default 6): the paced 720p capture (sfu-capture.ts) goes to every
 *    worker at once (one copy each); µs of CPU per forwarded packet (the consumers' stats) per binary;
 *  - idle windows (SFU_SIDE_IDLE_WINDOWS, default 6): the sender stopped; µs of CPU per second per receiver,
 *    i.e. the per-transport timer work (transport-cc's pacer and estimator ticks, RTCP).
 * Each window prints each binary's ratio to the first; then the medians and ranges of those ratios.
 *
 *   SFU_SIDE_WORKERS="r4=<path>,r5=<path>" SFU_SIDE_N=100 SFU_SIDE_SECONDS=5 \
 *     unshare -n bash -c 'ip link set lo up && exec npx tsx tests/bench/sfu-side.ts'
 *
 * With media, CPU 1 (sender and receivers) handles every binary's fan-out: N × 170 datagrams/s per binary. If
 * the sender falls behind, all binaries get the same fewer packets (the ratios stay fair; the line says so).
 * SFU_SIDE_PERF=<label> records a perf profile of that worker over one more idle window (SFU_SIDE_PERF_OUT=<file>
 * keeps its perf.data).
 */
import { execFile, execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import dgram from 'node:dgram';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadCapture, PacedSender } from './sfu-capture.ts';
import { SRTP_KEY_LENGTHS, TransportCcFeedback, type SrtpSuite } from './sfu-feedback.ts';
import { MS_SSRC, prepareWorkerWrapper, startMediasoup } from './sfu-mediasoup.ts';

const N = Number(process.env.SFU_SIDE_N ?? 100);
const MEDIA_WINDOWS = Number(process.env.SFU_SIDE_MEDIA_WINDOWS ?? 6);
const IDLE_WINDOWS = Number(process.env.SFU_SIDE_IDLE_WINDOWS ?? 6);
const SECONDS = Number(process.env.SFU_SIDE_SECONDS ?? 5);
// The SRTP suite (default AEAD_AES_256_GCM, what Chromium negotiates with mediasoup) and the receivers' feedback.
const SUITE = (process.env.SFU_SIDE_SRTP ?? 'AEAD_AES_256_GCM') as SrtpSuite;
if (!SRTP_KEY_LENGTHS[SUITE]) throw new Error(`SFU_SIDE_SRTP: unknown suite ${SUITE}`);
const FEEDBACK = process.env.SFU_SIDE_FEEDBACK !== '0';
const TCC_URI = 'http://www.ietf.org/id/draft-holmer-rmcat-transport-wide-cc-extensions-01';
const spec = process.env.SFU_SIDE_WORKERS;
if (!spec) throw new Error('SFU_SIDE_WORKERS="label=/path/to/mediasoup-worker,label=/path,..." is required');
const workers = spec.split(',').map((kv) => kv.split('=') as [string, string]);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const cpuNs = (pid: number) => fs.readdirSync(`/proc/${pid}/task`)
  .reduce((ns, t) => ns + Number(fs.readFileSync(`/proc/${pid}/task/${t}/schedstat`, 'utf8').split(' ')[0]), 0);
const median = (xs: number[]) => [...xs].sort((x, y) => x - y)[Math.floor(xs.length / 2)]!;

execFileSync('taskset', ['-a', '-cp', '1', String(process.pid)], { stdio: 'ignore' });
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-sfu-side-'));
await prepareWorkerWrapper(tmp);

// Receivers: bound sockets (what they get is counted from the consumers' stats), shared by all workers. Each
// answers every worker's transport with transport-cc feedback every 100 ms, as bench:sfu's receivers do (by the
// datagram's source port: one transport per worker and socket), unless SFU_SIDE_FEEDBACK=0.
const feedbackByTransport = new Map<number, { socket: dgram.Socket; fb: TransportCcFeedback }>();
const sockets: dgram.Socket[] = [];
for (let i = 0; i < N; i++) {
  const s = dgram.createSocket('udp4');
  s.on('message', (msg, rinfo) => feedbackByTransport.get(rinfo.port)?.fb.onPacket(msg, performance.now() * 1000));
  await new Promise<void>((r) => s.bind(0, '127.0.0.1', r));
  sockets.push(s);
}
const feedbackTimer = setInterval(() => {
  for (const [port, { socket, fb }] of feedbackByTransport) {
    const rtcp = fb.flush();
    if (rtcp) socket.send(rtcp, port, '127.0.0.1');
  }
}, 100);
const sfus: { label: string; ms: Awaited<ReturnType<typeof startMediasoup>> }[] = [];
for (const [label, bin] of workers) {
  const ms = await startMediasoup(bin, '0');
  for (const s of sockets) {
    const keyBase64 = randomBytes(SRTP_KEY_LENGTHS[SUITE].key + SRTP_KEY_LENGTHS[SUITE].salt).toString('base64');
    const { consumer, localPort } = await ms.addReceiver(s.address().port, keyBase64, '127.0.0.1', '127.0.0.1', SUITE);
    const extId = consumer.rtpParameters.headerExtensions?.find((h) => h.uri === TCC_URI)?.id;
    const mediaSsrc = consumer.rtpParameters.encodings?.[0]?.ssrc;
    if (FEEDBACK && extId !== undefined && mediaSsrc !== undefined) {
      const fb = new TransportCcFeedback({ sfuIp: '127.0.0.1', sfuPort: localPort, extId, mediaSsrc, suite: SUITE, keyBase64 });
      feedbackByTransport.set(localPort, { socket: s, fb });
    }
  }
  sfus.push({ label, ms });
}
const sender = new PacedSender(loadCapture());
await sender.bind();
const labels = sfus.map((s) => s.label);
console.log(`${N} receivers on each of ${labels.join(', ')} (all on CPU 0 at once), windows of ${SECONDS} s; ${SUITE}, ` +
  (FEEDBACK ? 'receivers sending transport-cc feedback every 100 ms' : 'no feedback (SFU_SIDE_FEEDBACK=0)'));

const ratios = (xs: number[]) => xs.map((x) => x / xs[0]!);
const line = (w: number, xs: number[], unit: string) => `  window ${String(w + 1).padStart(2)}: ` +
  sfus.map((s, i) => `${s.label} ${xs[i]!.toFixed(unit === 'µs/packet' ? 2 : 1)}` + (i ? ` (${(xs[i]! / xs[0]!).toFixed(2)} × ${labels[0]})` : '')).join(', ');
function summary(what: string, rows: number[][]): void {
  console.log(`${what}: ` + sfus.map((s, i) => {
    const own = rows.map((r) => r[i]!);
    const rel = rows.map((r) => ratios(r)[i]!);
    return `${s.label} median ${median(own).toFixed(2)}` +
      (i ? ` (ratio to ${labels[0]}: median ${median(rel).toFixed(2)}, range ${Math.min(...rel).toFixed(2)}–${Math.max(...rel).toFixed(2)})` : '');
  }).join('; '));
}

/** The worker's forwarded packets and when (performance.now(), ms) the count stood there: its read's midpoint. */
async function timedForwarded(ms: { forwardedPackets(): Promise<number> }): Promise<{ n: number; at: number }> {
  const start = performance.now();
  const n = await ms.forwardedPackets();
  return { n, at: (start + performance.now()) / 2 };
}

// Media: the capture to every worker at once.
if (MEDIA_WINDOWS > 0) {
  sender.sendTo(sfus[0]!.ms.rtpPort, MS_SSRC);
  sender.copyTo(sfus.slice(1).map((s) => s.ms.rtpPort));
  await sleep(2000); // consumers start on the capture's first (key)frame; let RTCP and the pacer settle
  console.log(`media (µs of CPU per forwarded packet; expected ${N} × ${sender.packetRate.toFixed(0)} packets/s per binary):`);
  const rows: number[][] = [];
  for (let w = 0; w < MEDIA_WINDOWS; w++) {
    // Stats first, CPU second at the start; CPU first, stats second at the end: the stats requests' own CPU
    // stays outside the window. Reading N consumers' stats takes a while (up to seconds at N = 300 on a busy
    // worker), so the counts span more than the CPU window: each worker's count is scaled from the midpoints of
    // its two reads to the CPU window (without it, windows read up to 40 % more packets than were sent).
    const f0 = await Promise.all(sfus.map((s) => timedForwarded(s.ms)));
    const c0 = sfus.map((s) => cpuNs(s.ms.pid));
    const s0 = sender.sent;
    const t0 = performance.now();
    await sleep(SECONDS * 1000);
    const c1 = sfus.map((s) => cpuNs(s.ms.pid));
    const secs = (performance.now() - t0) / 1000;
    const s1 = sender.sent;
    const f1 = await Promise.all(sfus.map((s) => timedForwarded(s.ms)));
    const fwd = f1.map((f, i) => ((f.n - f0[i]!.n) * secs * 1000) / (f.at - f0[i]!.at));
    const us = c1.map((c, i) => (c - c0[i]!) / 1000 / fwd[i]!);
    rows.push(us);
    const rate = (s1 - s0) / secs;
    console.log(line(w, us, 'µs/packet') + `; forwarded/s ${fwd.map((f) => (f / secs).toFixed(0)).join(', ')}, sender ${rate.toFixed(0)}/s` +
      (rate < 0.9 * sender.packetRate ? ' (the sender fell behind: CPU 1 is saturated)' : ''));
  }
  summary('media, µs per forwarded packet', rows);
  sender.stop();
  await sleep(1000);
}

// Idle: no media, the N receivers kept.
if (IDLE_WINDOWS > 0) {
  console.log('idle (µs of CPU per second per receiver):');
  const rows: number[][] = [];
  for (let w = 0; w < IDLE_WINDOWS; w++) {
    const t0 = performance.now();
    const a = sfus.map((s) => cpuNs(s.ms.pid));
    await sleep(SECONDS * 1000);
    const secs = (performance.now() - t0) / 1000;
    const us = sfus.map((s, i) => (cpuNs(s.ms.pid) - a[i]!) / 1000 / secs / N);
    rows.push(us);
    console.log(line(w, us, 'µs/s'));
  }
  summary('idle, µs/s per receiver', rows);
}

const perfLabel = process.env.SFU_SIDE_PERF;
if (perfLabel) {
  const target = sfus.find((s) => s.label === perfLabel) ?? sfus[0]!;
  await new Promise<void>((resolve, reject) => execFile('perf', ['record', '-q', '-F', '1999', '--call-graph', 'dwarf,16384',
    '-o', `${tmp}/perf.data`, '-p', String(target.ms.pid), '--', 'sleep', String(SECONDS)], (err) => (err ? reject(err) : resolve())));
  const report = `perf report -q -i ${tmp}/perf.data --stdio -g none`;
  console.log(`perf profile of ${target.label}, idle:\n` + execFileSync('sh', ['-c',
    `echo '-- by binary (self time):' && ${report} --no-children --sort dso --percent-limit 1 2>/dev/null | head -n 12 && ` +
    `echo '-- by function (self time, >= 1.5 %):' && ${report} --no-children --sort dso,symbol --percent-limit 1.5 2>/dev/null | head -n 40`,
  ], { encoding: 'utf8', maxBuffer: 64 << 20 }).replace(/ {3,}/g, '  '));
  // Kept for `perf annotate` / `perf report` by hand.
  if (process.env.SFU_SIDE_PERF_OUT) fs.copyFileSync(`${tmp}/perf.data`, process.env.SFU_SIDE_PERF_OUT);
}
clearInterval(feedbackTimer);
for (const s of sfus) s.ms.close();
for (const s of sockets) s.close();
fs.rmSync(tmp, { recursive: true, force: true });
process.exit(0);
