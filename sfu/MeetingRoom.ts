/** One meeting = one mediasoup router on one worker; peers send and receive through WebRtcTransports. */
import { EventEmitter } from 'node:events';
import type { types } from 'mediasoup';
import { MEDIA_CODECS, TRANSPORT_BITRATE } from './config.ts';
import { Peer, type PeerInfo } from './Peer.ts';
import type { WorkerPool, WorkerSlot } from './WorkerPool.ts';

export interface ProducerInfo {
  producerId: string;
  peerId: string;
  kind: types.MediaKind;
  unitCode: string;
  unitName: string;
}

export interface TransportParams {
  id: string;
  iceParameters: types.IceParameters;
  iceCandidates: types.IceCandidate[];
  dtlsParameters: types.DtlsParameters;
}

export interface ConsumerParams {
  id: string;
  producerId: string;
  peerId: string;
  kind: types.MediaKind;
  rtpParameters: types.RtpParameters;
}

interface MeetingRoomEvents {
  producerAdded: [info: ProducerInfo];
  /** A consumer of `peerId` ended because its producer went away. */
  consumerClosed: [peerId: string, producerId: string];
  closed: [];
}

export class MeetingRoom extends EventEmitter<MeetingRoomEvents> {
  readonly peers = new Map<string, Peer>();
  #closed = false;

  private constructor(
    readonly meetingId: string,
    readonly slot: WorkerSlot,
    readonly router: types.Router,
  ) {
    super();
    router.on('workerclose', () => this.close());
  }

  static async create(pool: WorkerPool, meetingId: string): Promise<MeetingRoom> {
    const slot = pool.pick();
    const router = await slot.worker.createRouter({ mediaCodecs: MEDIA_CODECS, appData: { meetingId } });
    slot.routers++;
    return new MeetingRoom(meetingId, slot, router);
  }

  get closed(): boolean {
    return this.#closed;
  }

  get rtpCapabilities(): types.RtpCapabilities {
    return this.router.rtpCapabilities;
  }

  addPeer(info: PeerInfo): Peer {
    this.removePeer(info.peerId);
    const peer = new Peer(info);
    this.peers.set(peer.id, peer);
    return peer;
  }

  removePeer(peerId: string): boolean {
    const peer = this.peers.get(peerId);
    if (!peer) return false;
    peer.close();
    this.peers.delete(peerId);
    return true;
  }

  producers(): ProducerInfo[] {
    return [...this.peers.values()].flatMap((p) => [...p.producers.values()].map((pr) => this.#producerInfo(p, pr)));
  }

  async createTransport(peerId: string, direction: 'send' | 'recv'): Promise<TransportParams> {
    const peer = this.#peer(peerId);
    const transport = await this.router.createWebRtcTransport({
      webRtcServer: this.slot.webRtcServer,
      enableUdp: true,
      enableTcp: true,
      preferUdp: true,
      initialAvailableOutgoingBitrate: TRANSPORT_BITRATE.initialOutgoing,
      appData: { peerId, direction },
    });
    if (direction === 'send') await transport.setMaxIncomingBitrate(TRANSPORT_BITRATE.maxIncoming);
    peer.transports.set(transport.id, transport);
    transport.observer.on('close', () => peer.transports.delete(transport.id));
    return {
      id: transport.id,
      iceParameters: transport.iceParameters,
      iceCandidates: transport.iceCandidates,
      dtlsParameters: transport.dtlsParameters,
    };
  }

  async connectTransport(peerId: string, transportId: string, dtlsParameters: types.DtlsParameters): Promise<void> {
    await this.#peer(peerId).transport(transportId).connect({ dtlsParameters });
  }

  async produce(
    peerId: string,
    transportId: string,
    kind: types.MediaKind,
    rtpParameters: types.RtpParameters,
    appData: Record<string, unknown> = {},
  ): Promise<ProducerInfo> {
    const peer = this.#peer(peerId);
    const producer = await peer.transport(transportId).produce({ kind, rtpParameters, appData: { ...appData, peerId } });
    peer.producers.set(producer.id, producer);
    producer.observer.on('close', () => peer.producers.delete(producer.id));
    const info = this.#producerInfo(peer, producer);
    this.emit('producerAdded', info);
    return info;
  }

  async consume(peerId: string, producerId: string, rtpCapabilities: types.RtpCapabilities): Promise<ConsumerParams> {
    const peer = this.#peer(peerId);
    if (!this.router.canConsume({ producerId, rtpCapabilities })) throw new Error(`cannot consume ${producerId}`);
    const owner = [...this.peers.values()].find((p) => p.producers.has(producerId));
    if (!owner) throw new Error(`producer ${producerId} not found`);
    const recv = [...peer.transports.values()].find((t) => t.appData.direction === 'recv');
    if (!recv) throw new Error('no receive transport');
    // Paused until the client has its track wired up, so the first keyframe is not lost.
    const consumer = await recv.consume({ producerId, rtpCapabilities, paused: true });
    peer.consumers.set(consumer.id, consumer);
    consumer.observer.on('close', () => peer.consumers.delete(consumer.id));
    consumer.on('producerclose', () => {
      consumer.close();
      this.emit('consumerClosed', peerId, producerId);
    });
    return { id: consumer.id, producerId, peerId: owner.id, kind: consumer.kind, rtpParameters: consumer.rtpParameters };
  }

  async resumeConsumer(peerId: string, consumerId: string): Promise<void> {
    const consumer = this.#peer(peerId).consumers.get(consumerId);
    if (!consumer) throw new Error(`consumer ${consumerId} not found`);
    await consumer.resume();
  }

  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    for (const p of this.peers.values()) p.close();
    this.peers.clear();
    if (!this.router.closed) this.router.close();
    this.slot.routers = Math.max(0, this.slot.routers - 1);
    this.emit('closed');
  }

  #peer(peerId: string): Peer {
    const peer = this.peers.get(peerId);
    if (!peer) throw new Error(`peer ${peerId} is not in meeting ${this.meetingId}`);
    return peer;
  }

  #producerInfo(peer: Peer, producer: types.Producer): ProducerInfo {
    return {
      producerId: producer.id,
      peerId: peer.id,
      kind: producer.kind,
      unitCode: peer.info.unitCode,
      unitName: peer.info.unitName,
    };
  }
}
