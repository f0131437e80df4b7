/**
 * The receiver's transport-cc feedback steers what a site gets: with a clear path the SFU's send-side
 * estimate (GoogCC) rises and the consumer climbs to the simulcast layer the site asked for; behind a
 * bottleneck the feedback shows the queue growing, the estimate falls and the consumer drops to the layer
 * that fits. This is the loop the worker recipe's transport-cc patches touch (the shared timer, the pacer's
 * idle tick, the estimator on the packet path): a real worker, real SRTP on loopback, feedback as a browser
 * sends it (tests/bench/sfu-feedback.ts); the bottleneck is simulated in the receiver's arrival times (a
 * 300 kb/s link with a queue), the only stand-in here.
 */
import dgram from 'node:dgram';
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { types } from 'mediasoup';
import { resolveWorkerBin } from '../../sfu/workerBin.ts';
import { RtpSender, vp8Packet, vp8SimulcastParameters } from '../helpers/syntheticRtp.ts';
import { SRTP_KEY_LENGTHS, TransportCcFeedback } from '../bench/sfu-feedback.ts';

process.env.MEDIASOUP_WORKER_BIN = resolveWorkerBin();
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const TCC_URI = 'http://www.ietf.org/id/draft-holmer-rmcat-transport-wide-cc-extensions-01';
const SUITE = 'AEAD_AES_256_GCM' as const;
const SSRCS: [number, number, number] = [0x6100, 0x6200, 0x6300];
// 100 packets/s per layer: about 190, 510 and 950 kb/s on the wire.
const LAYER_BYTES = [200, 600, 1150];
const BOTTLENECK_BPS = 300_000;

describe('transport-cc feedback steers the simulcast layer', () => {
  let worker: types.Worker;
  let sender: RtpSender;
  let socket: dgram.Socket;
  let mediaTimer: NodeJS.Timeout;
  let feedbackTimer: NodeJS.Timeout;
  beforeAll(async () => {
    const mediasoup = await import('mediasoup');
    worker = await mediasoup.createWorker({ logLevel: 'error' });
  });
  afterAll(() => {
    clearInterval(mediaTimer);
    clearInterval(feedbackTimer);
    sender?.close();
    socket?.close();
    worker?.close();
  });

  it('climbs to the top layer on a clear path, drops to the bottom one behind a 300 kb/s bottleneck', async () => {
    const router = await worker.createRouter({ mediaCodecs: [{ kind: 'video', mimeType: 'video/VP8', clockRate: 90000 }] });
    const inbound = await router.createPlainTransport({ listenInfo: { protocol: 'udp', ip: '127.0.0.1' }, rtcpMux: true, comedia: true });
    const producer = await inbound.produce({ kind: 'video', rtpParameters: vp8SimulcastParameters(SSRCS) });
    sender = await RtpSender.open(inbound);
    const wantKey = new Set<number>(SSRCS);
    sender.onRtcp(() => SSRCS.forEach((s) => wantKey.add(s))); // any PLI/FIR: keyframes on every layer
    let seq = 0;
    mediaTimer = setInterval(() => {
      seq++;
      SSRCS.forEach((s, i) => sender.send(vp8Packet(s, seq, seq, wantKey.delete(s), LAYER_BYTES[i]!)));
      // mediasoup switches simulcast layers only between streams whose sender reports map their timestamps
      // onto one clock, as a browser's do: one SR per layer every 500 ms.
      if (seq % 50 === 1) SSRCS.forEach((s) => sender.send(senderReport(s, seq * 3000)));
    }, 10);

    socket = dgram.createSocket('udp4');
    await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', resolve));
    const out = await router.createPlainTransport({
      listenInfo: { protocol: 'udp', ip: '127.0.0.1' }, rtcpMux: true, comedia: false, enableSrtp: true, srtpCryptoSuite: SUITE,
    });
    const { key, salt } = SRTP_KEY_LENGTHS[SUITE];
    const keyBase64 = randomBytes(key + salt).toString('base64');
    await out.connect({ ip: '127.0.0.1', port: socket.address().port, srtpParameters: { cryptoSuite: SUITE, keyBase64 } });
    // What a browser advertises for VP8: NACK, PLI, transport-cc (and the transport-wide sequence numbers).
    const consumer = await out.consume({
      producerId: producer.id,
      rtpCapabilities: {
        codecs: [{
          kind: 'video', mimeType: 'video/VP8', clockRate: 90000, preferredPayloadType: 101,
          rtcpFeedback: [{ type: 'nack' }, { type: 'nack', parameter: 'pli' }, { type: 'transport-cc' }],
        }],
        headerExtensions: [{ kind: 'video', uri: TCC_URI, preferredId: 5, direction: 'sendrecv' }],
      },
    });
    const extId = consumer.rtpParameters.headerExtensions!.find((e) => e.uri === TCC_URI)!.id;
    const layers: number[] = [];
    consumer.on('layerschange', (l) => layers.push(l?.spatialLayer ?? -1));

    const feedback = new TransportCcFeedback({
      sfuIp: '127.0.0.1', sfuPort: out.tuple.localPort, extId,
      mediaSsrc: consumer.rtpParameters.encodings![0]!.ssrc!, suite: SUITE, keyBase64,
    });
    // Arrival times as a link with a queue would give them: clear (as received), or BOTTLENECK_BPS wide.
    let bottleneck = false;
    let linkFreeAtUs = 0;
    socket.on('message', (msg) => {
      const nowUs = performance.now() * 1000;
      linkFreeAtUs = bottleneck ? Math.max(nowUs, linkFreeAtUs) + ((msg.length + 28) * 8 * 1e6) / BOTTLENECK_BPS : nowUs;
      feedback.onPacket(msg, linkFreeAtUs);
    });
    feedbackTimer = setInterval(() => {
      const rtcp = feedback.flush();
      if (rtcp) socket.send(rtcp, out.tuple.localPort, '127.0.0.1');
    }, 50);

    const estimate = async () => (await out.getStats())[0]?.availableOutgoingBitrate ?? 0;
    const waitFor = async (ok: () => Promise<boolean>, ms: number) => {
      for (const end = performance.now() + ms; performance.now() < end;) {
        if (await ok()) return true;
        await sleep(100);
      }
      return ok();
    };

    // A clear path: mediasoup starts at 600 kb/s (layer 1 fits), probes, and the estimate rises.
    const climbed = await waitFor(async () => consumer.currentLayers?.spatialLayer === 2 && (await estimate()) > 1_000_000, 10_000);
    expect(climbed, `layers ${layers.join(' ')}, estimate ${await estimate()}`).toBe(true);
    expect(layers).toContain(2);

    // The path narrows to 300 kb/s: the queue in the feedback grows, and only layer 0 (≈190 kb/s) fits.
    bottleneck = true;
    const dropped = await waitFor(async () => consumer.currentLayers?.spatialLayer === 0 && (await estimate()) < 400_000, 8_000);
    expect(dropped, `layers ${layers.join(' ')}, estimate ${await estimate()}`).toBe(true);
    expect(layers.slice(layers.lastIndexOf(2))).toContain(0);
    router.close();
  }, 30_000);
});

/** An RTCP sender report (RFC 3550 §6.4.1) for `ssrc`: now as NTP time, `rtpTs` as the same instant. */
function senderReport(ssrc: number, rtpTs: number): Buffer {
  const b = Buffer.alloc(28);
  b[0] = 0x80;
  b[1] = 200;
  b.writeUInt16BE(6, 2);
  b.writeUInt32BE(ssrc >>> 0, 4);
  const ms = performance.timeOrigin + performance.now();
  b.writeUInt32BE((Math.floor(ms / 1000) + 2_208_988_800) >>> 0, 8); // seconds since 1900
  b.writeUInt32BE(Math.floor(((ms % 1000) / 1000) * 2 ** 32) >>> 0, 12);
  b.writeUInt32BE(rtpTs >>> 0, 16);
  return b;
}
