/**
 * One meeting = a home router on one worker, and more routers on other workers once it outgrows one
 * (RouterShards.ts); peers send and receive through WebRtcTransports on the router they were placed on.
 */
import { EventEmitter } from 'node:events';
import type { types } from 'mediasoup';
import { TRANSPORT_BITRATE } from './config.ts';
import { LastNAudio } from './LastNAudio.ts';
import { Peer, type PeerInfo } from './Peer.ts';
import { MAX_PRODUCERS_PER_PEER, MAX_TRANSPORTS_PER_PEER, MediaClientError } from './errors.ts';
import { RouterShards } from './RouterShards.ts';
import type { WorkerPool, WorkerSlot } from './WorkerPool.ts';

export interface ProducerInfo {
  producerId: string;
  peerId: string;
  kind: types.MediaKind;
  unitCode: string;
  unitName: string;
  /** mic, camera or screen (content sharing, 双流). */
  source: 'mic' | 'camera' | 'screen';
  /** Paused at the SFU (muted / camera off). */
  paused: boolean;
}

export type ProducerSource = 'mic' | 'camera' | 'screen';

/**
 * What a producer is, decided by its kind and not by the client's label: audio is always the site's
 * microphone (so a mute reaches it whatever it is called), video is the camera unless it is the share.
 */
export function sourceOf(kind: types.MediaKind, label: unknown): ProducerSource {
  if (kind === 'audio') return 'mic';
  return label === 'screen' ? 'screen' : 'camera';
}

export function producerSource(producer: types.Producer): ProducerSource {
  return sourceOf(producer.kind, producer.appData.source);
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
  /** A producer went away (every console forgets it: most of them never consumed it). */
  producerClosed: [info: ProducerInfo];
  /** A consumer of `peerId` ended because its producer went away. */
  consumerClosed: [peerId: string, producerId: string];
  /** The router's active speaker observer picked a new dominant speaker. */
  dominantSpeaker: [peerId: string];
  /** A producer was paused or resumed at the SFU (by its site or by the chair). */
  producerPaused: [info: ProducerInfo, paused: boolean];
  /** The units whose audio is forwarded now changed (last-N). */
  audible: [units: string[]];
  closed: [];
}

export class MeetingRoom extends EventEmitter<MeetingRoomEvents> {
  readonly peers = new Map<string, Peer>();
  #closed = false;

  /** The home router (observers, recording, phone legs) and its worker. */
  readonly slot: WorkerSlot;
  readonly router: types.Router;

  private constructor(
    readonly meetingId: string,
    readonly shards: RouterShards,
    readonly speakers: types.ActiveSpeakerObserver,
    readonly lastN: LastNAudio,
  ) {
    super();
    this.slot = shards.home.slot;
    this.router = shards.home.router;
    lastN.on('audible', (units) => this.emit('audible', units));
    speakers.on('dominantspeaker', ({ producer }) => {
      const peerId = producer.appData.peerId;
      if (typeof peerId === 'string') this.emit('dominantSpeaker', peerId);
    });
  }

  static async create(pool: WorkerPool, meetingId: string): Promise<MeetingRoom> {
    let room: MeetingRoom | null = null;
    const shards = await RouterShards.open(pool, meetingId, (peerId) => room?.peers.get(peerId)?.consumers.size ?? 0, () => room?.close());
    const router = shards.home.router;
    const speakers = await router.createActiveSpeakerObserver({ interval: 300 });
    const lastN = await LastNAudio.create(
      router,
      {
        microphones: () => (room ? room.#microphones() : []),
        audioConsumers: () => (room ? [...room.peers.values()].flatMap((p) => [...p.consumers.values()].filter((c) => c.kind === 'audio')) : []),
      },
      pool.config.audio,
    );
    room = new MeetingRoom(meetingId, shards, speakers, lastN);
    return room;
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
    this.shards.release(peerId);
    this.lastN.update();
    return true;
  }

  producers(): ProducerInfo[] {
    return [...this.peers.values()].flatMap((p) => [...p.producers.values()].map((pr) => this.#producerInfo(p, pr)));
  }

  async createTransport(peerId: string, direction: 'send' | 'recv'): Promise<TransportParams> {
    const peer = this.#peer(peerId);
    if (peer.transports.size >= MAX_TRANSPORTS_PER_PEER) throw new MediaClientError('TRANSPORT_LIMIT', `peer ${peerId} has ${peer.transports.size} transports`);
    const { router, slot } = await this.shards.assign(peerId);
    const transport = await router.createWebRtcTransport({
      webRtcServer: slot.webRtcServer,
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

  /** A synthetic site's transport (bench, integration tests): plain RTP on loopback, rtcp-mux, comedia for sending. */
  async createPlainTransport(peerId: string, direction: 'send' | 'recv'): Promise<types.PlainTransport> {
    const peer = this.#peer(peerId);
    const { router } = await this.shards.assign(peerId);
    const transport = await router.createPlainTransport({
      listenInfo: { protocol: 'udp', ip: '127.0.0.1' },
      rtcpMux: true,
      comedia: direction === 'send',
      appData: { peerId, direction },
    });
    peer.plainTransports.set(transport.id, transport);
    transport.observer.on('close', () => peer.plainTransports.delete(transport.id));
    return transport;
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
    /** Start paused (the site is muted or camera-off): no one receives a packet before the pause. */
    paused = false,
  ): Promise<ProducerInfo> {
    const peer = this.#peer(peerId);
    if (peer.producers.size >= MAX_PRODUCERS_PER_PEER) throw new MediaClientError('PRODUCER_LIMIT', `peer ${peerId} has ${peer.producers.size} producers`);
    const source = sourceOf(kind, appData.source);
    const producer = await peer.anyTransport(transportId).produce({ kind, rtpParameters, paused, appData: { ...appData, source, peerId, unitCode: peer.info.unitCode } });
    peer.producers.set(producer.id, producer);
    producer.observer.on('close', () => {
      peer.producers.delete(producer.id);
      this.shards.forget(producer.id);
      this.emit('producerClosed', this.#producerInfo(peer, producer));
      if (producer.kind === 'audio') this.lastN.update();
    });
    if (kind === 'audio') {
      // The observers live on the home router: a microphone placed elsewhere is piped home at once.
      await this.shards.pipe(producer.id, this.shards.shardOf(peerId), this.shards.home);
      await this.speakers.addProducer({ producerId: producer.id }).catch(() => undefined);
      await this.lastN.addProducer(producer);
    }
    const info = this.#producerInfo(peer, producer);
    this.emit('producerAdded', info);
    return info;
  }

  /** A producer made outside the peer's WebRTC transports (a phone leg's PlainTransport) joins like any site's. */
  async addExternalProducer(peerId: string, producer: types.Producer): Promise<ProducerInfo> {
    const peer = this.#peer(peerId);
    // Labelled like a browser's (the last-N ranking and the recorder read the unit from appData).
    producer.appData = { ...producer.appData, peerId, unitCode: peer.info.unitCode };
    peer.producers.set(producer.id, producer);
    producer.observer.on('close', () => {
      peer.producers.delete(producer.id);
      this.shards.forget(producer.id);
      this.emit('producerClosed', this.#producerInfo(peer, producer));
      if (producer.kind === 'audio') this.lastN.update();
    });
    if (producer.kind === 'audio') {
      await this.speakers.addProducer({ producerId: producer.id }).catch(() => undefined);
      await this.lastN.addProducer(producer);
    }
    const info = this.#producerInfo(peer, producer);
    this.emit('producerAdded', info);
    return info;
  }

  /**
   * A console subscribes to what it shows (contract/subscription.ts); a camera at the layer its tile needs.
   * Audio runs only while its site is among the N loudest (LastNAudio), whatever the console asks.
   */
  async consume(peerId: string, producerId: string, rtpCapabilities: types.RtpCapabilities, spatialLayer?: number): Promise<ConsumerParams> {
    const peer = this.#peer(peerId);
    const owner = [...this.peers.values()].find((p) => p.producers.has(producerId));
    if (!owner) throw new MediaClientError('MEDIA_NOT_FOUND', `producer ${producerId} not found`);
    const recv = peer.recvTransport();
    if (!recv) throw new MediaClientError('MEDIA_NO_RECV_TRANSPORT', 'no receive transport');
    const here = this.shards.shardOf(peerId);
    await this.shards.pipe(producerId, this.shards.shardOf(owner.id), here);
    if (!here.router.canConsume({ producerId, rtpCapabilities })) throw new MediaClientError('MEDIA_CANNOT_CONSUME', `cannot consume ${producerId}`);
    // Paused until the client has its track wired up, so the first keyframe is not lost.
    const consumer = await recv.consume({
      producerId,
      rtpCapabilities,
      paused: true,
      ...(spatialLayer !== undefined ? { preferredLayers: { spatialLayer } } : {}),
      appData: { unitCode: owner.info.unitCode, wanted: false },
    });
    peer.consumers.set(consumer.id, consumer);
    consumer.observer.on('close', () => peer.consumers.delete(consumer.id));
    consumer.on('producerclose', () => {
      consumer.close();
      this.emit('consumerClosed', peerId, producerId);
    });
    return { id: consumer.id, producerId, peerId: owner.id, kind: consumer.kind, rtpParameters: consumer.rtpParameters };
  }

  /** Makes a producer consumable on the home router (the recorder records there). */
  async pipeHome(producerId: string): Promise<void> {
    const owner = [...this.peers.values()].find((p) => p.producers.has(producerId));
    if (owner) await this.shards.pipe(producerId, this.shards.shardOf(owner.id), this.shards.home);
  }

  async resumeConsumer(peerId: string, consumerId: string): Promise<void> {
    const consumer = this.consumer(peerId, consumerId);
    if (consumer.kind !== 'audio') return consumer.resume();
    consumer.appData.wanted = true;
    await this.lastN.apply(consumer);
  }

  /** A receiver's video that is not on screen: stop forwarding it (and its bandwidth). */
  async pauseConsumer(peerId: string, consumerId: string): Promise<void> {
    // A consumer already gone (its producer closed meanwhile) forwards nothing: nothing to pause.
    const consumer = this.#peer(peerId).consumers.get(consumerId);
    if (consumer) consumer.appData.wanted = false;
    if (consumer && !consumer.closed) await consumer.pause().catch(() => undefined); // may close in the worker meanwhile
  }

  /** The console stopped showing it (subscribe on demand); an unknown or closed one is nothing to do. */
  closeConsumer(peerId: string, consumerId: string): void {
    const consumer = this.#peer(peerId).consumers.get(consumerId);
    if (consumer && !consumer.closed) consumer.close();
  }

  /** Simulcast layer chosen by the size of the tile that shows it (0: 180p, 1: 360p, 2: 720p). */
  async setPreferredLayers(peerId: string, consumerId: string, spatialLayer: number, temporalLayer?: number): Promise<void> {
    const consumer = this.#peer(peerId).consumers.get(consumerId);
    if (!consumer || consumer.type !== 'simulcast' || consumer.closed) return;
    await consumer.setPreferredLayers({ spatialLayer, temporalLayer });
  }

  /** Pause or resume at the SFU: a paused producer's media stops here, whatever the browser keeps sending. */
  async setProducerPaused(producer: types.Producer, paused: boolean): Promise<void> {
    if (producer.closed || producer.paused === paused) return;
    if (paused) await producer.pause();
    else await producer.resume();
    if (producer.kind === 'audio') this.lastN.update();
    const peer = this.peers.get(String(producer.appData.peerId));
    if (peer) this.emit('producerPaused', this.#producerInfo(peer, producer), paused);
  }

  /** The producers of every peer of a unit (a site may be joined from more than one console). */
  unitProducers(unitCode: string, source: 'mic' | 'camera' | 'screen'): types.Producer[] {
    return [...this.peers.values()]
      .filter((p) => p.info.unitCode === unitCode)
      .flatMap((p) => [...p.producers.values()])
      .filter((pr) => producerSource(pr) === source);
  }

  async setUnitPaused(unitCode: string, source: 'mic' | 'camera', paused: boolean): Promise<void> {
    await Promise.all(this.unitProducers(unitCode, source).map((pr) => this.setProducerPaused(pr, paused)));
  }

  /** Units that send live camera video now (patrol skips the others). */
  unitsWithVideo(): string[] {
    const units = new Set<string>();
    for (const p of this.peers.values()) {
      for (const pr of p.producers.values()) if (producerSource(pr) === 'camera' && !pr.paused && !pr.closed) units.add(p.info.unitCode);
    }
    return [...units];
  }

  producer(peerId: string, producerId: string): types.Producer {
    const pr = this.#peer(peerId).producers.get(producerId);
    if (!pr) throw new MediaClientError('MEDIA_NOT_FOUND', `producer ${producerId} not found`);
    return pr;
  }

  closeProducer(peerId: string, producerId: string): void {
    const pr = this.#peer(peerId).producers.get(producerId);
    if (pr && !pr.closed) pr.close();
  }

  consumer(peerId: string, consumerId: string): types.Consumer {
    const consumer = this.#peer(peerId).consumers.get(consumerId);
    if (!consumer) throw new MediaClientError('MEDIA_NOT_FOUND', `consumer ${consumerId} not found`);
    return consumer;
  }

  async restartIce(peerId: string, transportId: string): Promise<types.IceParameters> {
    return this.#peer(peerId).transport(transportId).restartIce();
  }

  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    for (const p of this.peers.values()) p.close();
    this.peers.clear();
    this.lastN.close();
    this.shards.close();
    this.emit('closed');
  }

  /** Units that may be heard: an unpaused microphone in the meeting. */
  #microphones(): { producer: types.Producer; unitCode: string }[] {
    return [...this.peers.values()].flatMap((p) =>
      [...p.producers.values()].filter((pr) => pr.kind === 'audio' && !pr.paused && !pr.closed).map((producer) => ({ producer, unitCode: p.info.unitCode })),
    );
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
      source: producerSource(producer),
      paused: producer.paused,
    };
  }
}
