/**
 * npm run bench:sfu — what one forwarded 720p VP8 packet costs the SFU, printed only (no assertions).
 *
 * One recorded 720p VP8 stream (sfu-capture.ts, ~1.5 Mb/s, Chrome-like pacing) is fanned out over SRTP to N
 * receivers on loopback, by each mediasoup worker binary (PlainTransport + SRTP consumers) and by Janus (Debian
 * package; VideoRoom remote publisher + SRTP rtp_forward), one at a time, interleaved, N after N. The SFUs are
 * pinned to CPU 0, this process (sender, receivers) to CPU 1. SFU CPU time comes from /proc/<pid>/task/<tid>/schedstat (all threads);
 * forwarded packets from the worker's stats (mediasoup) and the namespace's kernel UDP counters (both).
 * Run inside a private network namespace (scripts/bench-sfu.sh does: `unshare -n -m`).
 * Where the receivers are (SFU_BENCH_NET, sfu-net.ts): `loopback` (default) in this process, where the kernel's
 * delivery to them runs inside the SFU's send and is counted as its CPU; `veth` behind a veth pair in a namespace
 * of their own, so the SFU's send ends at the peer's ring, as at a NIC's.
 *
 * Env: SFU_BENCH_WORKERS="label=/path,label=/path" (default: the worker npm start uses),
 *      SFU_BENCH_N="50,150,300", SFU_BENCH_SECONDS=8, SFU_BENCH_ROUNDS=2, SFU_BENCH_JANUS=0 to skip Janus,
 *      SFU_BENCH_PERF=<label> (or 1: the first) to print a perf profile of that SFU at the largest N,
 *      SFU_BENCH_WEBRTC_N=50 (0: skip) for the WebRtcTransport point (real ICE + DTLS-SRTP, sfu-webrtc.ts) of the
 *      first worker binary, at that one N, beside its PlainTransport points (with the SFU's transport-cc estimates:
 *      those receivers send transport-cc feedback),
 *      SFU_BENCH_IDLE=2 seconds after each point with the sender stopped and the N receivers kept: the SFU's CPU
 *      then is its per-transport timer work (RTCP, transport-cc, pacer), which the point's µs/packet splits off.
 */
import { execFile, execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { resolveWorkerBin } from '../../sfu/workerBin.ts';
import { loadCapture, PacedSender, TARGET_KBPS, FPS } from './sfu-capture.ts';
import { janusAvailable, JANUS_REMOTE_SSRC, startJanus } from './sfu-janus.ts';
import { MS_SSRC, prepareWorkerWrapper, startMediasoup } from './sfu-mediasoup.ts';
import { SRTP_KEY_LENGTHS, type SrtpSuite } from './sfu-feedback.ts';
import { benchNet, udpCounter, type NetKind } from './sfu-net.ts';
import { webRtcReceivers } from './sfu-webrtc.ts';

const SFU_CPU = '0';
const OWN_CPU = '1';
const Ns = (process.env.SFU_BENCH_N ?? '50,150,300').split(',').map(Number);
const SECONDS = Number(process.env.SFU_BENCH_SECONDS ?? 8);
const ROUNDS = Number(process.env.SFU_BENCH_ROUNDS ?? 2);
const WEBRTC_N = Number(process.env.SFU_BENCH_WEBRTC_N ?? Ns[0]);
const IDLE_SECONDS = Number(process.env.SFU_BENCH_IDLE ?? 2);
const NET = (process.env.SFU_BENCH_NET ?? 'loopback') as NetKind;
const FEEDBACK = process.env.SFU_BENCH_FEEDBACK !== '0';
const TCC_URI = 'http://www.ietf.org/id/draft-holmer-rmcat-transport-wide-cc-extensions-01';
// The SRTP suites of the mediasoup points, one SFU entry each: AEAD_AES_256_GCM is what Chromium's DTLS handshake
// with mediasoup chooses (tests/e2e with MEDIASOUP_LOG_TAGS=dtls); Janus's rtp_forward offers only AES_CM.
const SUITES = (process.env.SFU_BENCH_SRTP ?? 'AEAD_AES_256_GCM,AES_CM_128_HMAC_SHA1_80').split(',') as SrtpSuite[];
const SUITE_LABEL: Record<SrtpSuite, string> = { AEAD_AES_256_GCM: 'gcm256', AEAD_AES_128_GCM: 'gcm128', AES_CM_128_HMAC_SHA1_80: 'cm80' };
for (const s of SUITES) if (!SUITE_LABEL[s]) throw new Error(`SFU_BENCH_SRTP: unknown suite ${s} (${Object.keys(SUITE_LABEL).join(', ')})`);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

if (os.cpus().length < 2) throw new Error('bench:sfu needs 2 CPUs (the SFU on one, sender and receivers on the other)');
execFileSync('taskset', ['-a', '-cp', OWN_CPU, String(process.pid)], { stdio: 'ignore' });

/** On-CPU nanoseconds of all threads of a process (schedstat: ns precision, unlike /proc/<pid>/stat's ticks). */
function cpuNs(pid: number): number {
  let ns = 0;
  for (const t of fs.readdirSync(`/proc/${pid}/task`)) ns += Number(fs.readFileSync(`/proc/${pid}/task/${t}/schedstat`, 'utf8').split(' ')[0]);
  return ns;
}
/** The namespace's UDP counters (only the bench's processes live in it). */
const udpOut = () => udpCounter('OutDatagrams');
// Receivers: plain UDP sockets that count what arrives (they do not decrypt: SRTP adds its 10-byte tag).
const net = await benchNet(NET, OWN_CPU);
const receiverPorts = (n: number) => net.ports(n);
// What the WebRTC point's relay received from the SFU (its receivers are another worker's transports).
let relayed = 0;
let relayedBytes = 0;
async function receivedSoFar(): Promise<{ rx: number; rxBytes: number; rcvbuf: number }> {
  const c = await net.counts();
  return { rx: relayed + c.received, rxBytes: relayedBytes + c.bytes, rcvbuf: c.rcvbuf };
}

/**
 * Where datagrams can be lost, summed: the sender's socket (SndbufErrors: also a full backlog, which UDP reports
 * as ENOBUFS and counts here), the veth's ring (its tx drops), the receivers' buffers (RcvbufErrors), and the
 * per-CPU input backlog (/proc/net/softnet_stat's second column: machine-wide, not per namespace).
 */
function lossCounters(rcvbuf: number): { sndbuf: number; ring: number; rcvbuf: number; backlog: number } {
  const backlog = fs.readFileSync('/proc/net/softnet_stat', 'utf8').trim().split('\n')
    .reduce((n, l) => n + parseInt(l.split(/\s+/)[1] ?? '0', 16), 0);
  return { sndbuf: udpCounter('SndbufErrors'), ring: net.dropped(), rcvbuf, backlog };
}

interface Sfu {
  label: string;
  pid: number;
  rtpPort: number;
  ssrc: number;
  setReceivers(n: number): Promise<void>;
  forwarded(): Promise<number | undefined>;
  stop(): Promise<void>;
  /** Measured at this N only (the WebRtcTransport point). */
  onlyAt?: number;
  /** Datagrams the SFU sent, when the namespace's UDP counter also counts others (the WebRTC relay's). */
  sfuDatagrams?(): number;
  /** io_uring sends so far (mediasoup; undefined without io_uring). */
  uringSends?(): Promise<number | undefined>;
  /** io_uring sends that found no free queue entry or buffer and went through libuv instead. */
  uringMisses?(): Promise<number | undefined>;
  /** Packets the receivers decrypted (WebRTC point: the receiving worker's stats). */
  decrypted?(): Promise<number>;
  /** The SFU's transport-cc estimates per receiver, b/s (WebRTC point: the receivers send transport-cc feedback). */
  estimates?(): Promise<number[]>;
}

// Resolved before prepareWorkerWrapper() points MEDIASOUP_WORKER_BIN at the wrapper.
const workers = process.env.SFU_BENCH_WORKERS
  ? process.env.SFU_BENCH_WORKERS.split(',').map((kv) => kv.split('=') as [string, string])
  : [[path.basename(resolveWorkerBin()), resolveWorkerBin()] as [string, string]];
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-sfu-'));
await prepareWorkerWrapper(tmp);

const sfus: Sfu[] = [];
for (const [label, bin] of workers) for (const suite of SUITES) {
  const ms = await startMediasoup(bin, SFU_CPU);
  sfus.push({
    label: SUITES.length > 1 ? `${label} ${SUITE_LABEL[suite]}` : label, pid: ms.pid, rtpPort: ms.rtpPort, ssrc: MS_SSRC,
    async setReceivers(n) {
      ms.removeReceivers();
      await net.stopFeedback();
      for (const port of await receiverPorts(n)) {
        const keyBase64 = randomBytes(SRTP_KEY_LENGTHS[suite].key + SRTP_KEY_LENGTHS[suite].salt).toString('base64');
        const { consumer, localPort } = await ms.addReceiver(port, keyBase64, net.sfuIp, net.rxIp, suite);
        const extId = consumer.rtpParameters.headerExtensions?.find((h) => h.uri === TCC_URI)?.id;
        const mediaSsrc = consumer.rtpParameters.encodings?.[0]?.ssrc;
        if (FEEDBACK && extId !== undefined && mediaSsrc !== undefined) {
          await net.feedback(port, { sfuIp: net.sfuIp, sfuPort: localPort, extId, mediaSsrc, suite, keyBase64 });
        }
      }
    },
    forwarded: () => ms.forwardedPackets(),
    ...(FEEDBACK ? { estimates: () => ms.estimates() } : {}),
    uringSends: () => ms.uringSends(),
    uringMisses: () => ms.uringMisses(),
    async stop() { ms.close(); },
  });
}
if (WEBRTC_N > 0) {
  // The first binary again, on its own worker (CPU 0), fanning out over WebRtcTransports; the receiving worker
  // runs the same binary on CPU 1 with the sender and the relay.
  const [label, bin] = workers[0]!;
  const ms = await startMediasoup(bin, SFU_CPU);
  const rxWorker = await (await import('mediasoup')).createWorker({ logLevel: 'error' });
  execFileSync('taskset', ['-a', '-cp', OWN_CPU, String(rxWorker.pid)], { stdio: 'ignore' });
  let fromSfu = 0;
  const rx = await webRtcReceivers(ms.router, ms.producerId, rxWorker, (m) => { fromSfu++; relayed++; relayedBytes += m.length; });
  sfus.push({
    label: `${label} webrtc`, pid: ms.pid, rtpPort: ms.rtpPort, ssrc: MS_SSRC, onlyAt: WEBRTC_N,
    setReceivers: (n) => rx.set(n),
    forwarded: () => rx.forwardedPackets(),
    sfuDatagrams: () => fromSfu,
    decrypted: () => rx.decryptedPackets(),
    estimates: () => rx.estimates(),
    async stop() { rx.close(); rxWorker.close(); ms.close(); },
  });
}
if (process.env.SFU_BENCH_JANUS !== '0' && janusAvailable()) {
  const janus = await startJanus(path.join(tmp, 'janus'), SFU_CPU);
  let forwards: number[] = [];
  sfus.push({
    label: 'janus', pid: janus.pid, rtpPort: janus.rtpPort, ssrc: JANUS_REMOTE_SSRC,
    async setReceivers(n) {
      for (const id of forwards) await janus.unforward(id);
      forwards = [];
      await net.stopFeedback(); // Janus's forwarders do no congestion control
      for (const port of await receiverPorts(n)) forwards.push(await janus.forward(port, randomBytes(30).toString('base64'), net.rxIp));
    },
    forwarded: async () => undefined,
    stop: () => janus.stop(),
  });
} else if (process.env.SFU_BENCH_JANUS !== '0') {
  console.log('Janus not installed (Debian package "janus"): mediasoup only');
}

// The host's speed, read before and after: on this shared VM the same binary's µs per packet moves by up to 1.7 ×
// between hours, and AES-256-GCM on one 1,120-byte packet (OpenSSL's own loop, on the SFU's CPU) moves with it, so
// figures from different runs compare through this line (0.94 µs on a quiet hour, 2026-12-02).
function hostSpeed(): string {
  try {
    const out = execFileSync('taskset', ['-c', SFU_CPU, 'openssl', 'speed', '-evp', 'aes-256-gcm', '-bytes', '1120',
      '-seconds', '1'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
    const kBps = Number(/AES-256-GCM\s+([\d.]+)k/.exec(out)?.[1]);
    return kBps > 0 ? `AES-256-GCM ${((1120 / (kBps * 1000)) * 1e6).toFixed(2)} µs per 1,120-byte packet on CPU ${SFU_CPU}` : 'unknown';
  } catch {
    return 'unknown (no openssl command)';
  }
}
console.log(`host speed before: ${hostSpeed()}`);

const frames = loadCapture();
const sender = new PacedSender(frames);
await sender.bind();
const kbps = (frames.reduce((n, f) => n + f.length, 0) * 8 * FPS) / frames.length / 1000;
console.log(`capture: ${frames.length} frames 1280x720 VP8 @ ${FPS} fps, ${kbps.toFixed(0)} kb/s (target ${TARGET_KBPS}), ` +
  `${sender.packetRate.toFixed(0)} RTP packets/s; SFUs on CPU ${SFU_CPU}, sender and receivers on CPU ${OWN_CPU}; ` +
  `${net.describe()}${WEBRTC_N > 0 ? '; the WebRtcTransport point\'s relay on loopback' : ''}`);

interface Point { idleUsPerPacket?: number; usPerPacket: number; forwarded: number; kernel: number; receivedShare: number; pktPerStream: number; srtpOverhead: number }
const results = new Map<string, Point[]>();

async function phase(sfu: Sfu, n: number, perf = false): Promise<void> {
  await sfu.setReceivers(n);
  sender.sendTo(sfu.rtpPort, sfu.ssrc);
  await sleep(1500); // consumers start on the capture's first (key)frame; let RTCP and the pacer settle
  const t0 = performance.now();
  const out = () => sfu.sfuDatagrams?.() ?? udpOut();
  const decryptedBefore = sfu.decrypted?.() ?? Promise.resolve(0);
  const uringBefore = await sfu.uringSends?.();
  const uringMissBefore = await sfu.uringMisses?.();
  const a = { cpu: cpuNs(sfu.pid), out: out(), sent: sender.sent, ...(await receivedSoFar()), fwd: await sfu.forwarded() };
  const lossBefore = lossCounters(a.rcvbuf);
  let profile = '';
  // DWARF call graphs (the worker has no frame pointers), so the entry points' totals are inclusive. Recorded
  // asynchronously (a synchronous exec would block this process's event loop, i.e. the sender: the profile would
  // show the SFU with no media, only its timers); reported after the sender stopped.
  if (perf) {
    await new Promise<void>((resolve, reject) => execFile('perf', ['record', '-q', '-F', '1999', '--call-graph', 'dwarf,16384',
      '-o', `${tmp}/perf.data`, '-p', String(sfu.pid), '--', 'sleep', String(SECONDS)], (err) => (err ? reject(err) : resolve())));
  } else await sleep(SECONDS * 1000);
  const b = { cpu: cpuNs(sfu.pid), out: out(), sent: sender.sent, ...(await receivedSoFar()), fwd: await sfu.forwarded() };
  const decrypted = sfu.decrypted ? [await decryptedBefore, await sfu.decrypted()] : undefined;
  const estimates = (await sfu.estimates?.())?.sort((x, y) => x - y);
  const uringAfter = await sfu.uringSends?.();
  const uringMissAfter = await sfu.uringMisses?.();
  const lossAfter = lossCounters(b.rcvbuf);
  const secs = (performance.now() - t0) / 1000;
  sender.stop();
  if (perf) {
    const report = `perf report -q -i ${tmp}/perf.data --stdio -g none`;
    profile = execFileSync('sh', ['-c',
      `echo '-- by binary (self time):' && ${report} --no-children --sort dso --percent-limit 1 2>/dev/null | head -n 12 && ` +
      `echo '-- by function (self time, >= 1.5 %):' && ${report} --no-children --sort dso,symbol --percent-limit 1.5 2>/dev/null | head -n 40 && ` +
      `echo '-- inclusive time of the entry points:' && ${report} --children --sort symbol 2>/dev/null | ` +
      `grep -E 'uv__run_timers|uv__io_poll|uv__udp_io|UdpSocketHandle::OnUvRecv|OnTransportProducerRtpPacketReceived|` +
      `Consumer::SendRtpPacket|SrtpSession::EncryptRtp|UdpSocketHandle::Send|DepLibUring::Submit|onTimer|` +
      `TransportCongestionControl|RtpTransportControllerSend|PacedSender|RTC::Transport::On|SendRtcp|entry_SYSCALL|__schedule' | ` +
      `sed -E 's/ +- +- *$//' | head -n 30`,
    ], { encoding: 'utf8', maxBuffer: 64 << 20 });
  }
  let idleCpuPerSec: number | undefined;
  if (IDLE_SECONDS > 0 && !perf) {
    await sleep(500);
    const i0 = { cpu: cpuNs(sfu.pid), t: performance.now() };
    await sleep(IDLE_SECONDS * 1000);
    idleCpuPerSec = (cpuNs(sfu.pid) - i0.cpu) / ((performance.now() - i0.t) / 1000);
  }
  // Its receivers go, so their timers do not run on the SFUs' CPU during the other SFUs' points.
  await sfu.setReceivers(0);
  const sent = b.sent - a.sent;
  // The SFU's datagrams: RTP to receivers plus its RTCP (< 1 %); over WebRTC as the relay received them.
  const kernel = b.out - a.out - (sfu.sfuDatagrams ? 0 : sent);
  const forwarded = a.fwd !== undefined && b.fwd !== undefined ? b.fwd - a.fwd : kernel;
  const rx = b.rx - a.rx;
  const point: Point = {
    idleUsPerPacket: idleCpuPerSec === undefined ? undefined : (idleCpuPerSec * secs) / 1000 / forwarded,
    usPerPacket: (b.cpu - a.cpu) / 1000 / forwarded, forwarded, kernel, receivedShare: rx / forwarded,
    pktPerStream: sent / secs, srtpOverhead: rx ? (b.rxBytes - a.rxBytes) / rx : 0,
  };
  const key = `${sfu.label}@${n}`;
  // The profiled point (perf's own overhead on the SFU's CPU) is printed, not counted in the medians.
  if (!perf) results.set(key, [...(results.get(key) ?? []), point]);
  // Per datagram the kernel counted too: with io_uring's zero-copy sends the worker counts a packet sent only when
  // the kernel's notification comes back, which on loopback lags (the receiver must read it first).
  console.log(`  ${sfu.label.padEnd(32)} N=${String(n).padStart(4)}: ${point.usPerPacket.toFixed(2)} µs/packet ` +
    `(${((b.cpu - a.cpu) / 1000 / kernel).toFixed(2)} µs per datagram the kernel counted), ` +
    `${(forwarded / secs).toFixed(0)} forwarded/s (kernel ${(kernel / secs).toFixed(0)}/s, sender ${point.pktPerStream.toFixed(0)}/s), ` +
    `receivers got ${(point.receivedShare * 100).toFixed(1)} %` +
    (sfu.uringSends ? (uringBefore === undefined || uringAfter === undefined ? ', io_uring off'
      : `, io_uring sent ${(((uringAfter - uringBefore) / forwarded) * 100).toFixed(0)} %`) : '') +
    (decrypted ? `, decrypted ${(((decrypted[1]! - decrypted[0]!) / forwarded) * 100).toFixed(1)} % (ICE + DTLS-SRTP)` : '') +
    (estimates?.length ? `, transport-cc estimates ${(estimates[0]! / 1e3).toFixed(0)}–${(estimates[estimates.length - 1]! / 1e3).toFixed(0)} ` +
      `kb/s (median ${(estimates[Math.floor(estimates.length / 2)]! / 1e3).toFixed(0)}, ${estimates.length} of ${n} receivers)` : '') +
    (point.idleUsPerPacket === undefined ? '' : `\n    of which ${point.idleUsPerPacket.toFixed(2)} µs/packet is what it spends with no media ` +
      `(${((idleCpuPerSec! / 1e3) / n).toFixed(1)} µs/s per receiver: timers, RTCP, transport-cc), ` +
      `${(point.usPerPacket - point.idleUsPerPacket).toFixed(2)} µs the packet path`));
  // A starved sender (loaded machine) sends fewer packets: per-second costs (timers, RTCP) then inflate µs/packet.
  if (point.pktPerStream < 0.9 * sender.packetRate) console.log('    (sender fell behind the capture: this machine is too loaded for sound figures)');
  if (forwarded < 0.9 * n * sent) console.log(`    (the SFU forwarded only ${(forwarded / (n * sent)).toFixed(2)} of N × sent)`);
  const lost = {
    sndbuf: lossAfter.sndbuf - lossBefore.sndbuf, ring: lossAfter.ring - lossBefore.ring,
    rcvbuf: lossAfter.rcvbuf - lossBefore.rcvbuf, backlog: lossAfter.backlog - lossBefore.backlog,
  };
  const misses = uringMissBefore !== undefined && uringMissAfter !== undefined ? uringMissAfter - uringMissBefore : undefined;
  if (lost.sndbuf || lost.ring || lost.rcvbuf || lost.backlog || misses) {
    console.log(`    lost: ${lost.sndbuf} at the sending socket (SndbufErrors/ENOBUFS), ${lost.ring} at the veth's ring, ${lost.rcvbuf} at the receivers' ` +
      `buffers, ${lost.backlog} in the input backlog` + (misses ? `; ${misses} sends fell back from io_uring to libuv (queue full)` : ''));
  }
  if (profile) console.log(`perf profile of ${sfu.label} at N=${n}:\n${profile}`);
}

const allNs = [...new Set([...Ns, ...(WEBRTC_N > 0 ? [WEBRTC_N] : [])])].sort((a, b) => a - b);
for (let round = 0; round < ROUNDS; round++) {
  console.log(`round ${round + 1}/${ROUNDS}`);
  for (const n of allNs) {
    // Alternate the order so drift on a shared machine does not favour one SFU.
    const order = (round % 2 ? [...sfus].reverse() : sfus).filter((s) => (s.onlyAt === undefined ? Ns.includes(n) : s.onlyAt === n));
    for (const sfu of order) await phase(sfu, n);
  }
}
if (process.env.SFU_BENCH_PERF) {
  const target = sfus.find((s) => s.label === process.env.SFU_BENCH_PERF) ?? sfus[0]!;
  await phase(target, Ns[Ns.length - 1]!, true);
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const cell = (label: string, n: number) => {
  const pts = results.get(`${label}@${n}`) ?? [];
  return pts.length ? median(pts.map((p) => p.usPerPacket)) : NaN;
};
const rate = median([...results.values()].flat().map((p) => p.pktPerStream));
console.log(`\nSFU CPU per forwarded packet (median of ${ROUNDS}), streams per core = 1 s / (µs per packet × ${rate.toFixed(0)} packets/s):`);
const janus = sfus.find((s) => s.label === 'janus');
for (const n of allNs) {
  const cols = sfus.filter((s) => (s.onlyAt === undefined ? Ns.includes(n) : s.onlyAt === n)).map((s) => {
    const us = cell(s.label, n);
    const ratio = janus && s !== janus ? ` (${(us / cell('janus', n)).toFixed(2)} × janus)` : '';
    const idle = (results.get(`${s.label}@${n}`) ?? []).map((p) => p.idleUsPerPacket).filter((x) => x !== undefined);
    const split = idle.length ? ` [${(us - median(idle)).toFixed(1)} packet path + ${median(idle).toFixed(1)} idle timers]` : '';
    return `${s.label}: ${us.toFixed(2)} µs${split} ≈ ${Math.round(1e6 / (us * rate))} streams/core${ratio}`;
  });
  console.log(`  N=${String(n).padStart(4)}  ${cols.join(' | ')}`);
}
const overhead = median([...results.values()].flat().map((p) => p.srtpOverhead).filter(Boolean));
console.log(`mean datagram: sent ${(sender.sentBytes / sender.sent).toFixed(0)} B, received ${overhead.toFixed(0)} B ` +
  '(SRTP adds a 10-byte tag; mediasoup also rewrites the header extensions per consumer)');

console.log(`host speed after: ${hostSpeed()}`);

for (const sfu of sfus) await sfu.stop();
net.close();
fs.rmSync(tmp, { recursive: true, force: true });
process.exit(0);
