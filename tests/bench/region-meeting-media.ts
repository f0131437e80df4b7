/**
 * The sites' synthetic media for the region bench's run through the server (region-meeting-sites.ts starts
 * this process): per site a UDP sender (Opus for the unmuted, VP8 in three simulcast layers answering PLI/FIR
 * with a keyframe) and a receiving socket. In a process of its own, as a site's encoder and decoder do not wait
 * for its console's JavaScript nor for the other 115 consoles': a keyframe request is answered at the pump's
 * next 10 ms tick, and a keyframe's arrival is timed by a loop that does nothing else.
 */
import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import * as rtp from '../helpers/syntheticRtp.ts';

/** The sites' process → this one; every message is answered with `{ id, data }`. */
export type ToMedia = { id: number } & (
  | { type: 'open'; index: number; audio: 'loud' | 'quiet' | null }
  /** The site's send transport's port, and its receive transport's (where a receiver's PLI goes). */
  | { type: 'send'; index: number; port: number; recvPort: number }
  /** The switch starts: from now on keyframe requests, keyframes sent and keyframes received are timed from `at`. */
  | { type: 'switch'; at: number }
  /** Arrival (ms after the switch) of the first 720p keyframe on each SSRC that has one. */
  | { type: 'keyframes'; ssrcs: number[]; target: number }
);

const LAYER_BYTES = [300, 700, 1100];
const now = () => performance.timeOrigin + performance.now();
const rate = Number(process.argv[2]);
const layerPps = [20, 50, 168].map((p) => p * rate);
/** A browser's receive buffer is not the kernel's 208 KiB default: do not let a slow tick drop what a browser would get. */
const BUFFER = 4 * 1024 * 1024;

interface Media {
  ssrcs: { mic: number; cam: [number, number, number] };
  audio: 'loud' | 'quiet' | null;
  sink: rtp.RtpSink;
  sender?: rtp.RtpSender;
  recvPort?: number;
  keyframeDue: Set<number>;
  seq: number[];
  pliAt: number[];
  keySentAt: number[];
}
const sites = new Map<number, Media>();
const firstKey = new Map<number, number>();
let tSwitch = 0;

/** RcvbufErrors of /proc/net/snmp: datagrams the kernel dropped because a socket's buffer was full. */
function udpDrops(): number {
  const [head, values] = readFileSync('/proc/net/snmp', 'utf8').split('\n').filter((l) => l.startsWith('Udp:'));
  return Number(values!.split(/\s+/)[head!.split(/\s+/).indexOf('RcvbufErrors')]);
}
let drops0 = 0;
/** Drops per local UDP port (/proc/net/udp's last column), to tell whose buffer overflowed. */
function dropsByPort(): Map<number, number> {
  const out = new Map<number, number>();
  for (const line of readFileSync('/proc/net/udp', 'utf8').split('\n').slice(1)) {
    const f = line.trim().split(/\s+/);
    if (f.length < 13) continue;
    out.set(parseInt(f[1]!.split(':')[1]!, 16), Number(f.at(-1)));
  }
  return out;
}
let byPort0 = new Map<number, number>();

/**
 * 720p that cannot be decoded (its keyframe was lost): as a browser's receiver does, ask for one (PLI), at most
 * every 100 ms per stream. Without it one dropped keyframe left a receiver dark until someone else asked.
 */
const lastAsk = new Map<number, number>();
/** Streams (consumer SSRCs) that have had a keyframe, since they began. */
const decodable = new Set<number>();
let askedAgain = new Set<number>();
function askAgain(index: number, ssrc: number): void {
  const s = sites.get(index);
  const t = now();
  if (!s?.recvPort || t - (lastAsk.get(ssrc) ?? 0) < 100) return;
  lastAsk.set(ssrc, t);
  askedAgain.add(ssrc);
  s.sink.socket.send(rtp.pliPacket(ssrc), s.recvPort, '127.0.0.1');
}

const t0 = now();
const pump = () => {
  const elapsed = (now() - t0) / 1000;
  for (const s of sites.values()) {
    if (!s.sender) continue;
    if (s.audio) while (s.seq[3]! < elapsed * 50) s.sender.send(rtp.opusPacket(s.ssrcs.mic, ++s.seq[3]!, s.audio === 'loud' ? -25 : -100));
    for (let l = 0; l < 3; l++) {
      while (s.seq[l]! < elapsed * layerPps[l]! || s.keyframeDue.has(l)) {
        const key = s.keyframeDue.delete(l);
        if (key && l === 2 && tSwitch) s.keySentAt.push(now() - tSwitch);
        s.sender.send(rtp.vp8Packet(s.ssrcs.cam[l]!, ++s.seq[l]!, s.seq[l]!, key, LAYER_BYTES[l]!));
      }
    }
  }
  setTimeout(pump, 10);
};
pump();

async function handle(m: ToMedia): Promise<unknown> {
  switch (m.type) {
    case 'open': {
      const i = m.index;
      const sink = await rtp.RtpSink.open();
      sink.socket.setRecvBufferSize(BUFFER);
      sink.onPacket = (msg) => {
        if (msg.length < LAYER_BYTES[2]!) return;
        const ssrc = rtp.ssrcOf(msg);
        const key = rtp.isVp8Keyframe(msg);
        if (key) decodable.add(ssrc);
        else if (!decodable.has(ssrc)) askAgain(i, ssrc);
        if (key && tSwitch && !firstKey.has(ssrc)) firstKey.set(ssrc, now() - tSwitch);
      };
      const ssrcs = { mic: 10_000 + i, cam: [20_000 + i * 3, 20_001 + i * 3, 20_002 + i * 3] as [number, number, number] };
      sites.set(i, { ssrcs, audio: m.audio, sink, keyframeDue: new Set([0, 1, 2]), seq: [0, 0, 0, 0], pliAt: [], keySentAt: [] });
      return { sinkPort: sink.port, ssrcs };
    }
    case 'send': {
      const s = sites.get(m.index)!;
      const sender = await rtp.RtpSender.open(m.port);
      sender.socket.setRecvBufferSize(BUFFER);
      sender.onRtcp((msg) => {
        for (const ssrc of rtp.keyframeRequests(msg)) {
          const l = s.ssrcs.cam.indexOf(ssrc);
          if (l >= 0) s.keyframeDue.add(l);
          if (l === 2 && tSwitch) s.pliAt.push(now() - tSwitch);
        }
      });
      // Align the streams' start with now (fractional rates accumulate from here).
      const elapsed = (now() - t0) / 1000;
      s.seq = [...layerPps.map((p) => Math.floor(elapsed * p)), Math.floor(elapsed * 50)];
      s.sender = sender;
      s.recvPort = m.recvPort;
      return {};
    }
    case 'switch':
      tSwitch = m.at;
      firstKey.clear();
      askedAgain = new Set();
      drops0 = udpDrops();
      byPort0 = dropsByPort();
      for (const s of sites.values()) {
        s.pliAt = [];
        s.keySentAt = [];
      }
      return {};
    case 'keyframes': {
      const t = sites.get(m.target)!;
      return {
        arrived: m.ssrcs.flatMap((x) => (firstKey.has(x) ? [[x, firstKey.get(x)!]] : [])),
        pliAt: t.pliAt,
        keySentAt: t.keySentAt,
        drops: udpDrops() - drops0,
        askedAgain: askedAgain.size,
        dropsAt: [...dropsByPort()].map(([port, n]) => [port, n - (byPort0.get(port) ?? 0)]).filter(([, n]) => n! > 0).sort((a, b) => b[1]! - a[1]!).slice(0, 4),
        mine: [...sites.values()].flatMap((x) => [x.sink.port, ...(x.sender ? [x.sender.socket.address().port] : [])]),
      };
    }
  }
}

process.on('message', (m: ToMedia) => {
  void handle(m).then((data) => process.send!({ id: m.id, data }));
});
