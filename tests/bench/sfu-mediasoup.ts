/**
 * mediasoup for the SFU bench: one worker per binary (old and new builds side by side), one plain-RTP producer
 * fed by the paced sender, one PlainTransport + SRTP consumer per receiver, as a site's console would get.
 * mediasoup picks its binary once per process, so MEDIASOUP_WORKER_BIN points at a tiny exec wrapper that
 * runs whichever binary BENCH_WORKER_BIN names when the worker is spawned (same pid: exec).
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import type { types } from 'mediasoup';
import { EXT_ABS_SEND_TIME, EXT_TRANSPORT_CC, PAYLOAD_TYPE } from './sfu-capture.ts';

export const MS_SSRC = 0x1a2b3c4d;
let mediasoup: typeof import('mediasoup');

export async function prepareWorkerWrapper(dir: string): Promise<void> {
  const wrapper = path.join(dir, 'mediasoup-worker');
  fs.writeFileSync(wrapper, '#!/bin/sh\nexec "$BENCH_WORKER_BIN" "$@"\n', { mode: 0o755 });
  process.env.MEDIASOUP_WORKER_BIN = wrapper;
  mediasoup = await import('mediasoup');
}

export interface MediasoupSfu {
  pid: number;
  router: types.Router;
  producerId: string;
  rtpPort: number;
  /**
   * A consumer on its own PlainTransport (listening on `from`) sending SRTP to `to`:`port`; the transport's own
   * port is where the receiver's RTCP goes (rtcp-mux), protected with srtpKeyBase64.
   */
  addReceiver(port: number, srtpKeyBase64: string, from?: string, to?: string, suite?: types.SrtpCryptoSuite): Promise<{ consumer: types.Consumer; localPort: number }>;
  forwardedPackets(): Promise<number>;
  /** Each receiver transport's transport-cc estimate (availableOutgoingBitrate), b/s: moves only with feedback. */
  estimates(): Promise<number[]>;
  /** io_uring submissions (sends) so far, or undefined when the worker runs without io_uring. */
  uringSends(): Promise<number | undefined>;
  /** io_uring's misses (no free SQE or user-data entry: the send went through libuv), or undefined. */
  uringMisses(): Promise<number | undefined>;
  removeReceivers(): void;
  close(): void;
}

export async function startMediasoup(bin: string, cpu: string): Promise<MediasoupSfu> {
  process.env.BENCH_WORKER_BIN = bin;
  const worker = await mediasoup.createWorker({ logLevel: 'error' });
  execFileSync('taskset', ['-a', '-cp', cpu, String(worker.pid)], { stdio: 'ignore' });
  const router = await worker.createRouter({
    mediaCodecs: [{ kind: 'video', mimeType: 'video/VP8', clockRate: 90000 }],
  });
  const inbound = await router.createPlainTransport({ listenInfo: { protocol: 'udp', ip: '127.0.0.1' }, rtcpMux: true, comedia: true });
  const producer = await inbound.produce({
    kind: 'video',
    rtpParameters: {
      codecs: [{
        mimeType: 'video/VP8', payloadType: PAYLOAD_TYPE, clockRate: 90000,
        rtcpFeedback: [{ type: 'nack' }, { type: 'nack', parameter: 'pli' }, { type: 'ccm', parameter: 'fir' }, { type: 'transport-cc' }],
      }],
      headerExtensions: [
        { uri: 'http://www.webrtc.org/experiments/rtp-hdrext/abs-send-time', id: EXT_ABS_SEND_TIME },
        { uri: 'http://www.ietf.org/id/draft-holmer-rmcat-transport-wide-cc-extensions-01', id: EXT_TRANSPORT_CC },
      ],
      encodings: [{ ssrc: MS_SSRC }],
      rtcp: { cname: 'bench', reducedSize: true },
    },
  });
  let outbound: { transport: types.PlainTransport; consumer: types.Consumer }[] = [];
  return {
    pid: worker.pid,
    router,
    producerId: producer.id,
    rtpPort: inbound.tuple.localPort,
    async addReceiver(port, key, from = '127.0.0.1', to = '127.0.0.1', suite = 'AES_CM_128_HMAC_SHA1_80') {
      const transport = await router.createPlainTransport({
        listenInfo: { protocol: 'udp', ip: from }, rtcpMux: true, comedia: false, enableSrtp: true,
        srtpCryptoSuite: suite,
      });
      await transport.connect({ ip: to, port, srtpParameters: { cryptoSuite: suite, keyBase64: key } });
      // The receiver advertises what a browser does (all of the router's capabilities: NACK, PLI, transport-cc).
      const consumer = await transport.consume({ producerId: producer.id, rtpCapabilities: router.rtpCapabilities });
      outbound.push({ transport, consumer });
      return { consumer, localPort: transport.tuple.localPort };
    },
    async forwardedPackets() {
      // All requests at once: the read is shorter, so the count stands nearer one instant.
      const stats = await Promise.all(outbound.map(({ consumer }) => consumer.getStats()));
      return stats.flat().reduce((n, s) => (s.type === 'outbound-rtp' ? n + s.packetCount : n), 0);
    },
    async estimates() {
      const out: number[] = [];
      for (const { transport } of outbound) {
        const b = (await transport.getStats())[0]?.availableOutgoingBitrate;
        if (b !== undefined) out.push(b);
      }
      return out;
    },
    async uringSends() {
      return (await worker.dump()).liburing?.sqeProcessCount;
    },
    async uringMisses() {
      const u = (await worker.dump()).liburing;
      return u ? u.sqeMissCount + u.userDataMissCount : undefined;
    },
    removeReceivers() {
      for (const { transport } of outbound) transport.close();
      outbound = [];
    },
    close: () => worker.close(),
  };
}
