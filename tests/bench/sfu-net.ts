/**
 * Where bench:sfu's receivers live, and so whose CPU the kernel's delivery of each forwarded datagram lands on.
 *
 * - `loopback` (the default): the receivers are UDP sockets in the bench's own process, on 127.0.0.1. Loopback delivers a
 *   datagram inside the sender's own send call (its softirq runs as the send returns), so the SFU's CPU time
 *   includes the receivers' whole kernel path: IP and UDP input, the socket lookup, queueing and waking the
 *   receiving process. On a real network that half runs on other machines.
 * - `veth`: the receivers are a child process (sfu-receivers.ts) in a network namespace of their
 *   own, reached over a veth pair whose receiving end has threaded NAPI (`ethtool -K … gro on`, `threaded` = 1)
 *   with its kernel thread pinned to the receivers' CPU. The SFU's send then ends where a NIC driver's would:
 *   the datagram is queued on the peer's ring and the NAPI thread is woken, and the delivery runs on the other
 *   CPU. Ring overflows are counted (the veth's tx drops) and printed with the other losses.
 *   Measured 2026-12-02 (N = 150, two runs each): no cheaper for the SFU than loopback — mediasoup r5 11.0 and
 *   11.9 µs per packet against 10.8 and 11.5, Janus 11.0 and 10.8 against 9.1 and 9.3 (Janus sends each datagram
 *   with its own sendto, so the NAPI thread is woken far more often): waking the other CPU costs what the
 *   delivery did. Kept to answer that question again, not the default.
 *
 * The sender stays on loopback in both: what the SFU pays to receive the one incoming stream is the same.
 * Needs root in a network namespace of the bench's own (scripts/bench-sfu.sh: `unshare -n -m`); the named
 * namespace and the veth pair are deleted when the bench exits. The veth child imports ReceiverPool from here, so
 * this module does nothing when imported.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import dgram from 'node:dgram';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { FeedbackSenders, type FeedbackConfig } from './sfu-feedback.ts';

export type NetKind = 'loopback' | 'veth';
export interface RxCounts { received: number; bytes: number; rcvbuf: number }
export interface BenchNet {
  kind: NetKind;
  /** The address the SFU sends from (its consumers' listen IP) and the receivers' address. */
  sfuIp: string;
  rxIp: string;
  /** Ports of the first n receivers (created as needed). */
  ports(n: number): Promise<number[]>;
  counts(): Promise<RxCounts>;
  /** Make the receiver at this port send transport-cc feedback to the SFU (sfu-feedback.ts), or stop (null). */
  feedback(port: number, config: FeedbackConfig | null): Promise<void>;
  /** No receiver sends feedback any more (before the receivers go to another SFU). */
  stopFeedback(): Promise<void>;
  /** Datagrams dropped on the way (veth: the peer's ring was full); 0 on loopback. */
  dropped(): number;
  describe(): string;
  close(): void;
}

/** One of this network namespace's UDP counters (/proc/net/snmp). */
export function udpCounter(name: 'OutDatagrams' | 'SndbufErrors' | 'RcvbufErrors' | 'InErrors'): number {
  const lines = fs.readFileSync('/proc/net/snmp', 'utf8').split('\n').filter((l) => l.startsWith('Udp:'));
  const [names, values] = lines.map((l) => l.split(/\s+/));
  return Number(values![names!.indexOf(name)]);
}

/**
 * The receivers themselves: plain UDP sockets on `host` that count what arrives (they do not decrypt: SRTP adds
 * its tag) and, where asked, answer with transport-cc feedback. In the bench's process (loopback) or in the
 * veth namespace's child (sfu-receivers.ts).
 */
export class ReceiverPool {
  private readonly sockets: dgram.Socket[] = [];
  private readonly feedbacks = new FeedbackSenders();
  private received = 0;
  private bytes = 0;

  constructor(private readonly host: string) {}

  async ports(n: number): Promise<number[]> {
    while (this.sockets.length < n) {
      const s = dgram.createSocket('udp4');
      s.on('message', (m) => { this.received++; this.bytes += m.length; this.feedbacks.onPacket(s, m); });
      await new Promise<void>((r) => s.bind(0, this.host, r));
      this.sockets.push(s);
    }
    return this.sockets.slice(0, n).map((s) => s.address().port);
  }

  /** What arrived so far, and this namespace's UDP receive errors (full socket buffers, bad checksums). */
  counts(): RxCounts {
    return { received: this.received, bytes: this.bytes, rcvbuf: udpCounter('RcvbufErrors') + udpCounter('InErrors') };
  }

  feedback(port: number, config: FeedbackConfig | null): void {
    const socket = this.sockets.find((s) => s.address().port === port);
    if (!socket) throw new Error(`no receiver at port ${port}`);
    this.feedbacks.set(socket, config);
  }

  stopFeedback(): void { this.feedbacks.clear(); }

  close(): void { this.feedbacks.close(); for (const s of this.sockets) s.close(); }
}

function loopbackNet(): BenchNet {
  const pool = new ReceiverPool('127.0.0.1');
  return {
    kind: 'loopback', sfuIp: '127.0.0.1', rxIp: '127.0.0.1',
    ports: (n) => pool.ports(n),
    counts: async () => pool.counts(),
    feedback: async (port, config) => pool.feedback(port, config),
    stopFeedback: async () => pool.stopFeedback(),
    dropped: () => 0,
    describe: () => 'receivers on loopback (the kernel delivers each datagram on the SFU\'s CPU, inside its send)',
    close: () => pool.close(),
  };
}

const SFU_DEV = 'sfu0';
const RX_DEV = 'sfu1';

/** The veth's tx drops (/proc/net/dev is this namespace's: field 12 is tx "drop"). */
function txDropped(dev: string): number {
  const line = fs.readFileSync('/proc/net/dev', 'utf8').split('\n').find((l) => l.trim().startsWith(`${dev}:`));
  return line ? Number(line.split(':')[1]!.trim().split(/\s+/)[11]) : 0;
}

async function vethNet(rxCpu: string): Promise<BenchNet> {
  const ns = `sfu-rx-${process.pid}`;
  const sh = (cmd: string[]) => execFileSync(cmd[0]!, cmd.slice(1), { stdio: ['ignore', 'ignore', 'pipe'] });
  const sfuIp = '10.201.0.1';
  const rxIp = '10.201.0.2';
  const spawned: { child?: ChildProcess } = {};
  const cleanup = () => {
    spawned.child?.kill('SIGKILL');
    try { sh(['ip', 'netns', 'del', ns]); } catch { /* already gone */ }
  };
  process.once('exit', cleanup);
  sh(['ip', 'netns', 'add', ns]);
  sh(['ip', 'link', 'add', SFU_DEV, 'type', 'veth', 'peer', 'name', RX_DEV, 'netns', ns]);
  sh(['ip', 'addr', 'add', `${sfuIp}/24`, 'dev', SFU_DEV]);
  sh(['ip', 'link', 'set', SFU_DEV, 'up']);
  // `ip netns exec` mounts the namespace's own /sys, where `threaded` is written.
  sh(['ip', 'netns', 'exec', ns, 'sh', '-ec', `ip link set lo up; ip addr add ${rxIp}/24 dev ${RX_DEV}; ` +
    `ip link set ${RX_DEV} up; ethtool -K ${RX_DEV} gro on; echo 1 > /sys/class/net/${RX_DEV}/threaded`]);
  // The NAPI thread (a kernel thread named napi/<dev>-<id>) runs the delivery: keep it off the SFU's CPU.
  const napi = fs.readdirSync('/proc').filter((p) => /^\d+$/.test(p)).filter((p) => {
    try { return fs.readFileSync(`/proc/${p}/comm`, 'utf8').startsWith(`napi/${RX_DEV}-`); } catch { return false; }
  });
  if (!napi.length) throw new Error(`no NAPI thread for ${RX_DEV}: threaded NAPI did not start`);
  for (const pid of napi) sh(['taskset', '-cp', rxCpu, pid]);

  const script = path.join(path.dirname(fileURLToPath(import.meta.url)), 'sfu-receivers.ts');
  const child = spawn('ip', ['netns', 'exec', ns, 'taskset', '-c', rxCpu, process.execPath, '--import', 'tsx', script, rxIp], {
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  spawned.child = child;
  const waiting = new Map<string, (m: any) => void>();
  child.on('message', (m: any) => { waiting.get(m.type)?.(m); waiting.delete(m.type); });
  const ask = (type: string, body: object = {}) => new Promise<any>((resolve, reject) => {
    waiting.set(type, resolve);
    if (type !== 'ready') child.send({ type, ...body });
    setTimeout(() => reject(new Error(`receivers did not answer "${type}"`)), 30_000).unref();
  });
  await ask('ready');
  return {
    kind: 'veth', sfuIp, rxIp,
    ports: async (n) => (await ask('ports', { n })).ports as number[],
    async counts() {
      const m = await ask('counts');
      return { received: m.received, bytes: m.bytes, rcvbuf: m.rcvbuf };
    },
    async feedback(port, config) { await ask('feedback', { port, config }); },
    async stopFeedback() { await ask('feedback', { port: -1, config: null }); },
    dropped: () => txDropped(SFU_DEV),
    describe: () => `receivers behind a veth pair in their own namespace (threaded NAPI ${napi.map((p) => `pid ${p}`).join(', ')} ` +
      `on CPU ${rxCpu}: the SFU's send ends at the peer's ring, as at a NIC's)`,
    close() {
      process.removeListener('exit', cleanup);
      cleanup();
    },
  };
}

export async function benchNet(kind: NetKind, rxCpu: string): Promise<BenchNet> {
  if (kind === 'loopback') return loopbackNet();
  if (kind === 'veth') return vethNet(rxCpu);
  throw new Error(`SFU_BENCH_NET must be "veth" or "loopback", not "${String(kind)}"`);
}
