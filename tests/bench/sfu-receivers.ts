/**
 * The SFU bench's receivers when they live in a network namespace of their own (SFU_BENCH_NET=veth, see
 * sfu-net.ts): a child process started with `ip netns exec`, talking to the bench over Node's IPC channel.
 * Plain UDP sockets that count what arrives (they do not decrypt: SRTP adds its 10-byte tag), as the loopback
 * receivers in sfu.ts do.
 *
 * Messages in: { type: 'ports', n } (bind until n sockets exist, answer their ports), { type: 'counts' },
 * { type: 'feedback', port, config } (transport-cc feedback from that receiver, sfu-feedback.ts; config null: stop;
 * port -1: stop all).
 * Messages out: { type: 'ports', ports }, { type: 'counts', received, bytes, rcvbuf }, { type: 'feedback' }.
 */
import dgram from 'node:dgram';
import fs from 'node:fs';
import { FeedbackSenders, type FeedbackConfig } from './sfu-feedback.ts';

const host = process.argv[2] ?? '';
if (!host || !process.send) throw new Error('sfu-receivers.ts: run by the SFU bench (host argument and an IPC channel)');
const send = (m: object) => process.send!(m);

let received = 0;
let bytes = 0;
const sockets: dgram.Socket[] = [];
const feedback = new FeedbackSenders();

/** This namespace's UDP receive errors (full socket buffers, bad checksums). */
function rcvErrors(): number {
  const lines = fs.readFileSync('/proc/net/snmp', 'utf8').split('\n').filter((l) => l.startsWith('Udp:'));
  const [names, values] = lines.map((l) => l.split(/\s+/));
  return ['RcvbufErrors', 'InErrors'].reduce((n, k) => n + Number(values![names!.indexOf(k)]), 0);
}

process.on('message', (m: { type: string; n?: number; port?: number; config?: FeedbackConfig | null }) => {
  void (async () => {
    if (m.type === 'ports') {
      while (sockets.length < (m.n ?? 0)) {
        const s = dgram.createSocket('udp4');
        s.on('message', (msg) => { received++; bytes += msg.length; feedback.onPacket(s, msg); });
        await new Promise<void>((r) => s.bind(0, host, r));
        sockets.push(s);
      }
      send({ type: 'ports', ports: sockets.slice(0, m.n).map((s) => s.address().port) });
    } else if (m.type === 'feedback') {
      const socket = sockets.find((s) => s.address().port === m.port);
      if (m.port === -1) feedback.clear();
      else if (socket) feedback.set(socket, m.config ?? null);
      send({ type: 'feedback' });
    } else if (m.type === 'counts') {
      send({ type: 'counts', received, bytes, rcvbuf: rcvErrors() });
    }
  })();
});
// The bench ended (or died): nothing else would close these sockets.
process.on('disconnect', () => process.exit(0));
send({ type: 'ready' });
