/**
 * The SFU bench's receivers when they live in a network namespace of their own (SFU_BENCH_NET=veth, see
 * sfu-net.ts): a child process started with `ip netns exec`, talking to the bench over Node's IPC channel.
 * The same receivers (sfu-net.ts's ReceiverPool) as the loopback ones in the bench's own process.
 *
 * Messages in: { type: 'ports', n } (bind until n sockets exist, answer their ports), { type: 'counts' },
 * { type: 'feedback', port, config } (transport-cc feedback from that receiver, sfu-feedback.ts; config null: stop;
 * port -1: stop all).
 * Messages out: { type: 'ports', ports }, { type: 'counts', received, bytes, rcvbuf }, { type: 'feedback' }.
 */
import type { FeedbackConfig } from './sfu-feedback.ts';
import { ReceiverPool } from './sfu-net.ts';

const host = process.argv[2] ?? '';
if (!host || !process.send) throw new Error('sfu-receivers.ts: run by the SFU bench (host argument and an IPC channel)');
const send = (m: object) => process.send!(m);
const pool = new ReceiverPool(host);

process.on('message', (m: { type: string; n?: number; port?: number; config?: FeedbackConfig | null }) => {
  void (async () => {
    if (m.type === 'ports') {
      send({ type: 'ports', ports: await pool.ports(m.n ?? 0) });
    } else if (m.type === 'feedback') {
      if (m.port === -1) pool.stopFeedback();
      else pool.feedback(m.port!, m.config ?? null);
      send({ type: 'feedback' });
    } else if (m.type === 'counts') {
      send({ type: 'counts', ...pool.counts() });
    }
  })();
});
// The bench ended (or died): nothing else would close these sockets.
process.on('disconnect', () => process.exit(0));
send({ type: 'ready' });
