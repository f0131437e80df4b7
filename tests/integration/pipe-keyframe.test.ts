/**
 * A site on another router sees a newly piped picture at once: pipeToRouter creates the pipe producer at the
 * chair's switch and a consumer behind it is created at once, before the first packet has come through the pipe
 * (mediasoup drops a keyframe request that reaches a producer before its stream exists). The receiver is passive,
 * as a recorder is: it never asks for a keyframe itself, so the SFU must. Real workers (a pipe joins routers of
 * two), real RTP on loopback; the sender sends keyframes only when asked (PLI/FIR), as a camera's encoder.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { types } from 'mediasoup';
import { resolveWorkerBin } from '../../sfu/workerBin.ts';
import { isVp8Keyframe, keyframeRequests, RtpSender, RtpSink, vp8Packet, vp8SimulcastParameters } from '../helpers/syntheticRtp.ts';

process.env.MEDIASOUP_WORKER_BIN = resolveWorkerBin();
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const SSRCS: [number, number, number] = [0x5100, 0x5200, 0x5300];
const CAPS = {
  codecs: [{ kind: 'video' as const, mimeType: 'video/VP8', clockRate: 90000, preferredPayloadType: 101, rtcpFeedback: [{ type: 'nack', parameter: 'pli' }, { type: 'ccm', parameter: 'fir' }] }],
  headerExtensions: [],
};

describe('a keyframe for a freshly piped picture', () => {
  let worker: types.Worker;
  let workerB: types.Worker; // a pipe joins routers of two workers (one worker cannot hold a producer id twice)
  let sender: RtpSender;
  let timer: NodeJS.Timeout;
  const asked: number[] = [];
  beforeAll(async () => {
    const mediasoup = await import('mediasoup');
    worker = await mediasoup.createWorker({ logLevel: 'error' });
    workerB = await mediasoup.createWorker({ logLevel: 'error' });
  });
  afterAll(() => {
    clearInterval(timer);
    sender?.close();
    worker?.close();
    workerB?.close();
  });

  it.each(['simulcast', 'single'] as const)('%s: the receiver behind the pipe gets a keyframe within 300 ms', async (kind) => {
    const routerA = await worker.createRouter({ mediaCodecs: [{ kind: 'video', mimeType: 'video/VP8', clockRate: 90000 }] });
    const routerB = await workerB.createRouter({ mediaCodecs: [{ kind: 'video', mimeType: 'video/VP8', clockRate: 90000 }] });
    const inbound = await routerA.createPlainTransport({ listenInfo: { protocol: 'udp', ip: '127.0.0.1' }, rtcpMux: true, comedia: true });
    const params = vp8SimulcastParameters(SSRCS);
    if (kind === 'single') params.encodings = [params.encodings![0]!];
    const ssrcs = params.encodings!.map((e) => e.ssrc!);
    const producer = await inbound.produce({ kind: 'video', rtpParameters: params });
    sender = await RtpSender.open(inbound);
    const wantKey = new Set<number>();
    sender.onRtcp((rtcp) => { for (const s of keyframeRequests(rtcp)) { wantKey.add(s); asked.push(s); } });
    let seq = 0;
    let pic = 0;
    clearInterval(timer);
    timer = setInterval(() => {
      pic++;
      for (const s of ssrcs) sender.send(vp8Packet(s, seq, pic, wantKey.delete(s), 300));
      seq++;
    }, 20);
    await sleep(300); // the producer on A has its streams; nobody consumes it yet

    const sink = await RtpSink.open();
    const t0 = performance.now();
    let firstKey: number | undefined;
    sink.onPacket = (m) => { if (firstKey === undefined && isVp8Keyframe(m)) firstKey = performance.now() - t0; };
    const { pipeProducer } = await routerA.pipeToRouter({ producerId: producer.id, router: routerB });
    const out = await routerB.createPlainTransport({ listenInfo: { protocol: 'udp', ip: '127.0.0.1' }, rtcpMux: true, comedia: false });
    await out.connect({ ip: '127.0.0.1', port: sink.port });
    const consumer = await out.consume({ producerId: pipeProducer!.id, rtpCapabilities: CAPS });
    for (let i = 0; i < 75 && firstKey === undefined; i++) await sleep(20); // up to 1.5 s: a late keyframe shows
    sink.close();
    expect(consumer.kind).toBe('video');
    expect(sink.packets.size).toBeGreaterThan(0); // media did cross the pipe
    expect([...sink.packets.keys()].every((s) => s === consumer.rtpParameters.encodings![0]!.ssrc)).toBe(true);
    expect(firstKey, `keyframe requests at the sender: ${asked.map((s) => s.toString(16)).join(' ')}`).toBeDefined();
    expect(firstKey!).toBeLessThan(300);
    routerA.close();
    routerB.close();
  });
});
