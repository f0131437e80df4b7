/**
 * Pre-meeting device test (会前调试): a private router on the least loaded worker with two WebRtcTransports
 * for one browser. It sends its camera and microphone up and consumes them straight back (loopback), so the
 * whole path to our SFU and back is measured: ICE, DTLS, RTT, bitrate, loss and the decoded picture.
 */
import type { types } from 'mediasoup';
import { MEDIA_CODECS, TRANSPORT_BITRATE } from './config.ts';
import type { TransportParams } from './MeetingRoom.ts';
import type { WorkerPool, WorkerSlot } from './WorkerPool.ts';
import { MediaClientError } from './errors.ts';

export interface DeviceTestStats {
  /** Round trip between the SFU and the browser, from RTCP (ms), null until measured. */
  rttMs: number | null;
  /** What the SFU receives from the browser (its upload), kbit/s. */
  upKbps: number;
  /** What the SFU sends back down, kbit/s. */
  downKbps: number;
  /** Fraction 0..1 of the uplink media lost on the way to the SFU. */
  upLoss: number;
  /** mediasoup score 0..10 of the uplink video, null without video. */
  score: number | null;
  iceState: string;
  dtlsState: string;
}

export class DeviceTestRoom {
  readonly #producers = new Map<string, types.Producer>();
  readonly #consumers = new Map<string, types.Consumer>();
  #closed = false;

  private constructor(
    readonly slot: WorkerSlot,
    readonly router: types.Router,
    readonly send: types.WebRtcTransport,
    readonly recv: types.WebRtcTransport,
  ) {
    router.on('workerclose', () => this.close());
  }

  static async create(pool: WorkerPool): Promise<DeviceTestRoom> {
    const slot = pool.pick();
    const router = await slot.worker.createRouter({ mediaCodecs: MEDIA_CODECS, appData: { deviceTest: true } });
    slot.routers++;
    try {
      const opts = (direction: string): types.WebRtcTransportOptions => ({
        webRtcServer: slot.webRtcServer,
        enableUdp: true,
        enableTcp: true,
        preferUdp: true,
        initialAvailableOutgoingBitrate: TRANSPORT_BITRATE.initialOutgoing,
        appData: { direction },
      });
      const send = await router.createWebRtcTransport(opts('send'));
      await send.setMaxIncomingBitrate(TRANSPORT_BITRATE.maxIncoming);
      const recv = await router.createWebRtcTransport(opts('recv'));
      return new DeviceTestRoom(slot, router, send, recv);
    } catch (e) {
      router.close();
      slot.routers = Math.max(0, slot.routers - 1);
      throw e;
    }
  }

  get closed(): boolean {
    return this.#closed;
  }

  get rtpCapabilities(): types.RtpCapabilities {
    return this.router.rtpCapabilities;
  }

  params(direction: 'send' | 'recv'): TransportParams {
    const t = direction === 'send' ? this.send : this.recv;
    return { id: t.id, iceParameters: t.iceParameters, iceCandidates: t.iceCandidates, dtlsParameters: t.dtlsParameters };
  }

  async connect(transportId: string, dtlsParameters: types.DtlsParameters): Promise<void> {
    await this.#transport(transportId).connect({ dtlsParameters });
  }

  async produce(kind: types.MediaKind, rtpParameters: types.RtpParameters): Promise<string> {
    if ([...this.#producers.values()].some((p) => p.kind === kind)) throw new MediaClientError('PRODUCER_LIMIT', `already sending ${kind}`);
    const producer = await this.send.produce({ kind, rtpParameters });
    this.#producers.set(producer.id, producer);
    return producer.id;
  }

  async consume(producerId: string, rtpCapabilities: types.RtpCapabilities) {
    if (!this.#producers.has(producerId)) throw new MediaClientError('MEDIA_NOT_FOUND', `producer ${producerId} not found`);
    if (!this.router.canConsume({ producerId, rtpCapabilities })) throw new MediaClientError('MEDIA_CANNOT_CONSUME', `cannot consume ${producerId}`);
    if ([...this.#consumers.values()].some((c) => c.producerId === producerId)) throw new MediaClientError('MEDIA_CANNOT_CONSUME', 'already consuming');
    const consumer = await this.recv.consume({ producerId, rtpCapabilities, paused: true });
    this.#consumers.set(consumer.id, consumer);
    return { id: consumer.id, producerId, kind: consumer.kind, rtpParameters: consumer.rtpParameters };
  }

  async resume(consumerId: string): Promise<void> {
    const c = this.#consumers.get(consumerId);
    if (!c) throw new MediaClientError('MEDIA_NOT_FOUND', `consumer ${consumerId} not found`);
    await c.resume();
  }

  /** The SFU's own view of the loop. */
  async stats(): Promise<DeviceTestStats> {
    const [up] = await this.send.getStats().catch(() => []);
    const [down] = await this.recv.getStats().catch(() => []);
    let rttMs: number | null = null;
    let upLoss = 0;
    let score: number | null = null;
    for (const p of this.#producers.values()) {
      if (p.closed) continue;
      for (const s of await p.getStats().catch(() => [])) {
        const lost = s.packetsLost ?? 0;
        const total = (s.packetCount ?? 0) + lost;
        if (total > 0) upLoss = Math.max(upLoss, lost / total);
        if (p.kind === 'video') score = Math.max(score ?? 0, s.score ?? 0);
      }
    }
    // The consumers' RTT comes from the browser's receiver reports: the real round trip SFU ↔ browser.
    for (const c of this.#consumers.values()) {
      if (c.closed) continue;
      for (const s of await c.getStats().catch(() => [])) {
        if (s.type === 'outbound-rtp' && s.roundTripTime !== undefined && s.roundTripTime > 0) {
          rttMs = Math.max(rttMs ?? 0, Math.round(s.roundTripTime));
        }
      }
    }
    return {
      rttMs,
      upKbps: Math.round((up?.recvBitrate ?? 0) / 1000),
      downKbps: Math.round((down?.sendBitrate ?? 0) / 1000),
      upLoss,
      score,
      iceState: this.send.iceState,
      dtlsState: this.send.dtlsState,
    };
  }

  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    if (!this.router.closed) this.router.close();
    this.slot.routers = Math.max(0, this.slot.routers - 1);
  }

  #transport(id: string): types.WebRtcTransport {
    if (id === this.send.id) return this.send;
    if (id === this.recv.id) return this.recv;
    throw new MediaClientError('MEDIA_NOT_FOUND', `transport ${id} not found`);
  }
}
