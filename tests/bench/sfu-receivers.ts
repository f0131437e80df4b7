/**
 * The SFU bench's receivers when they live in a network namespace of their own (SFU_BENCH_NET=veth, see
 * sfu-net.ts): a child process started with `ip netns exec`, talking to the bench over Node's IPC channel.
 * Plain UDP sockets that count what arrives (they do not decrypt: SRTP adds its 10-byte tag), as the loopback
 * receivers in sfu.ts do.
 *
 * Messages in: { type: 'ports', n } (bind until n sockets exist, answer their ports), { type: 'counts' }.
 * Messages out: { type: 'ports', ports }, { type: 'counts', received, bytes, rcvbuf }.
 */
import dgram from 'node:dgram';
import fs from 'node:fs';

const host = process.argv[2] ?? '';
if (!host || !process.send) throw new Error('sfu-receivers.ts: run by the SFU bench (host argument and an IPC channel)');
const send = (m: object) => process.send!(m);

let received = 0;
let bytes = 0;
const sockets: dgram.Socket[] = [];

/** This namespace's UDP receive errors (full socket buffers, bad checksums). */
function rcvErrors(): number {
  const lines = fs.readFileSync('/proc/net/snmp', 'utf8').split('\n').filter((l) => l.startsWith('Udp:'));
  const [names, values] = lines.map((l) => l.split(/\s+/));
  return ['RcvbufErrors', 'InErrors'].reduce((n, k) => n + Number(values![names!.indexOf(k)]), 0);
}

process.on('message', (m: { type: string; n?: number }) => {
  void (async () => {
    if (m.type === 'ports') {
      while (sockets.length < (m.n ?? 0)) {
        const s = dgram.createSocket({ type: 'udp4', recvBufferSize: 1 << 20 });
        s.on('message', (msg) => { received++; bytes += msg.length; });
        await new Promise<void>((r) => s.bind(0, host, r));
        sockets.push(s);
      }
      send({ type: 'ports', ports: sockets.slice(0, m.n).map((s) => s.address().port) });
    } else if (m.type === 'counts') {
      send({ type: 'counts', received, bytes, rcvbuf: rcvErrors() });
    }
  })();
});
// The bench ended (or died): nothing else would close these sockets.
process.on('disconnect', () => process.exit(0));
send({ type: 'ready' });
