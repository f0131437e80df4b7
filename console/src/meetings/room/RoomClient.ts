/**
 * The meeting's media engine, as mediasoup-demo's RoomClient: signalling + one mediasoup Device, a send and a
 * recv transport, our producers, and consumers for exactly what the console shows (`follow`, fed by
 * contract/subscription.ts's decideView). It knows nothing of Vue or Pinia: it tells its listener what
 * changed through typed events (roomStore.ts keeps the UI state), and it can be driven by any signalling
 * that answers `request` and delivers pushes to `on`.
 */
import { Device, type types } from 'mediasoup-client';
import type { ChatMessage, PeerInfo, ProducerInfo as WireProducerInfo } from '../../../../contract/meetings';
import type { WantedVideo } from '../../../../contract/subscription';
import type { ControlState } from '../control/model';
import { TypedEmitter, type Signalling } from './roomEvents';
import { RoomMedia } from './roomMedia';

export type ProducerInfo = WireProducerInfo & { source?: 'mic' | 'camera' | 'screen'; paused?: boolean };

/** One remote console (peer) = one tile: what it sends, and the consumers we hold of it. */
export interface RemoteSite {
  peerId: string;
  unitCode: string;
  unitName: string;
  displayName: string;
  /** A phone site (语音接入): the caller's number. */
  phone?: string;
  hasVideo: boolean;
  hasScreen: boolean;
  video: types.Consumer | null;
  audio: types.Consumer | null;
  /** Content shared by this site (双流), shown in the big tile. */
  screen: types.Consumer | null;
}

export type Status = 'idle' | 'joining' | 'joined' | 'reconnecting' | 'failed';

export interface JoinData {
  routerRtpCapabilities: types.RtpCapabilities;
  peers: PeerInfo[];
  producers: ProducerInfo[];
  peerId?: string;
  chair?: boolean;
  control?: ControlState;
  audible?: string[];
}

/** The client's typed events (mediasoup-demo dispatches the same to its reducers). */
export interface RoomClientEvents {
  sites: [sites: RemoteSite[]];
  audible: [units: string[]];
  chat: [message: ChatMessage];
  /** A push for our meeting that the engine does not act on itself (control state, ended, removed, restart). */
  push: [event: 'control:state' | 'meeting:removed' | 'meeting:ended' | 'meeting:restart' | 'disconnect' | 'connect', payload: unknown];
}

interface Held {
  peerId: string;
  kind: 'video' | 'audio';
  consumer: types.Consumer | null;
  layer: number;
}

export class RoomClient extends TypedEmitter<RoomClientEvents> {
  /** Bumped on every join/leave: async steps of an older session see the mismatch and stop. */
  session = 0;
  selfPeerId: string | undefined;
  device: Device | null = null;
  recvTransport: types.Transport | null = null;
  /** Our own sending: transports, producers and the local stream (roomMedia.ts). */
  readonly media: RoomMedia;
  /** Every remote producer of the meeting, consumed or not. */
  readonly #producers = new Map<string, ProducerInfo>();
  readonly #peers = new Map<string, PeerInfo>();
  /** producerId → the consumer we hold (null while the consume round-trip is in flight). */
  readonly #held = new Map<string, Held>();
  #wanted: { video: WantedVideo[]; audio: string[] } = { video: [], audio: [] };
  #sites: RemoteSite[] = [];
  /** Reports a consume that failed for a site still present (the store shows it as a warning). */
  onConsumeError: (e: unknown) => void = () => undefined;

  constructor(
    readonly signalling: Signalling,
    readonly active: () => boolean,
    /** A browser's Device by default; tests give one on mediasoup-client's FakeHandler. */
    readonly newDevice: () => Device = () => new Device(),
  ) {
    super();
    this.media = new RoomMedia(this, () => this.device);
    const s = signalling;
    s.on('peer:joined', (p: PeerInfo) => this.active() && this.#addPeer(p));
    s.on('peer:left', ({ peerId }: { peerId: string }) => this.active() && this.#removePeer(peerId));
    s.on('producer:new', (p: ProducerInfo) => this.active() && this.#addProducer(p));
    s.on('producer:closed', ({ producerId }: { producerId: string }) => this.active() && this.#removeProducer(producerId));
    s.on('audio:audible', (p: { meetingId: string; units: string[] }) => this.active() && this.emit('audible', p.units));
    s.on('chat', (m: ChatMessage) => this.emit('chat', m));
    for (const e of ['control:state', 'meeting:removed', 'meeting:ended', 'meeting:restart'] as const) {
      s.on(e, (p: unknown) => this.emit('push', e, p));
    }
    s.on('disconnect', () => this.emit('push', 'disconnect', null));
    s.on('connect', () => this.emit('push', 'connect', null));
  }

  get sites(): RemoteSite[] {
    return this.#sites;
  }

  /** How many consumers this console holds (tests and the bench compare it with what it shows). */
  get consumerCount(): number {
    return this.#held.size;
  }

  /** Join the meeting's router: device, transports, what is there. Throws what the server refused. */
  async join(meetingId: string, pin: string | undefined, my: number): Promise<JoinData | null> {
    const data = await this.signalling.request<JoinData>('meeting:join', { meetingId, pin });
    if (my !== this.session) return null;
    this.selfPeerId = data.peerId ?? this.signalling.socketId();
    this.device = this.newDevice();
    await this.device.load({ routerRtpCapabilities: data.routerRtpCapabilities });
    if (my !== this.session) return null;
    await this.media.createSendTransport(my);
    this.recvTransport = await this.media.createTransport('recv', my);
    if (my !== this.session) return null;
    data.peers.forEach((p) => this.#addPeer(p, false));
    data.producers.forEach((p) => this.#addProducer(p, false));
    this.#publishSites();
    return data;
  }

  /** Consume exactly what the console shows: new consumers for what appeared, closed ones for what went. */
  follow(wanted: { video: WantedVideo[]; audio: string[] }): void {
    this.#wanted = wanted;
    if (!this.recvTransport || !this.device) return;
    const want = this.#wantedProducers();
    let closed = false;
    for (const [producerId, held] of this.#held) {
      if (!want.has(producerId)) closed = this.#close(producerId, held) || closed;
    }
    for (const [producerId, layer] of want) {
      const held = this.#held.get(producerId);
      if (!held) void this.#consume(producerId, layer, this.session);
      else if (held.kind === 'video' && held.consumer && held.layer !== layer) {
        held.layer = layer;
        this.signalling.request('consumer:setPreferredLayers', { consumerId: held.consumer.id, spatialLayer: layer }).catch(() => undefined);
      }
    }
    if (closed) this.#publishSites(false);
  }

  /** Close every mediasoup object of the session (the local stream is the media part's to keep or stop). */
  teardown(): void {
    this.session++;
    for (const { consumer } of this.#held.values()) consumer?.close();
    this.#held.clear();
    this.#producers.clear();
    this.#peers.clear();
    this.media.closeTransports();
    this.recvTransport?.close();
    this.recvTransport = null;
    this.device = null;
    this.selfPeerId = undefined;
    this.#wanted = { video: [], audio: [] };
    this.#sites = [];
    this.emit('sites', []);
  }

  /** Producer id → layer (audio: -1) of everything the console should consume now. */
  #wantedProducers(): Map<string, number> {
    const want = new Map<string, number>();
    const latest = (peerId: string, source: 'mic' | 'camera' | 'screen') =>
      [...this.#producers.values()].filter((p) => p.peerId === peerId && sourceOf(p) === source).at(-1);
    for (const v of this.#wanted.video) {
      const p = latest(v.key, v.source);
      if (p) want.set(p.producerId, v.layer);
    }
    for (const key of this.#wanted.audio) {
      const p = latest(key, 'mic');
      if (p) want.set(p.producerId, -1);
    }
    return want;
  }

  async #consume(producerId: string, layer: number, my: number): Promise<void> {
    const info = this.#producers.get(producerId);
    if (!info || !this.recvTransport || !this.device) return;
    const kind = info.kind === 'audio' ? 'audio' : 'video';
    const held: Held = { peerId: info.peerId, kind, consumer: null, layer };
    this.#held.set(producerId, held);
    try {
      const data = await this.signalling.request<{ id: string; producerId: string; kind: types.MediaKind; rtpParameters: types.RtpParameters }>('consume', {
        producerId,
        rtpCapabilities: this.device.rtpCapabilities,
        ...(kind === 'video' && layer >= 0 ? { spatialLayer: layer } : {}),
      });
      if (my !== this.session) return;
      const consumer = await this.recvTransport.consume({ id: data.id, producerId, kind: data.kind, rtpParameters: data.rtpParameters, appData: { peerId: info.peerId, source: sourceOf(info) } });
      if (my !== this.session || this.#held.get(producerId) !== held || !this.#wantedProducers().has(producerId)) {
        // We left, the producer went, or the console stopped showing it while we were subscribing.
        consumer.close();
        if (my === this.session) this.signalling.request('consumer:close', { consumerId: consumer.id }).catch(() => undefined);
        if (this.#held.get(producerId) === held) this.#held.delete(producerId);
        return;
      }
      held.consumer = consumer;
      this.#publishSites();
      await this.signalling.request('consumer:resume', { consumerId: consumer.id });
    } catch (e) {
      if (my !== this.session || this.#held.get(producerId) !== held) return;
      console.error('[room] consume failed', info, e);
      this.#held.delete(producerId);
      this.#publishSites();
      // A producer that vanished meanwhile is no news; a present site we cannot see is.
      if (this.#peers.has(info.peerId) && this.#producers.has(producerId)) this.onConsumeError(e);
    }
  }

  /** True when a live consumer was closed (the sites changed). */
  #close(producerId: string, held: Held): boolean {
    this.#held.delete(producerId);
    if (!held.consumer) return false; // in flight: #consume sees it is no longer held and closes it
    held.consumer.close();
    this.signalling.request('consumer:close', { consumerId: held.consumer.id }).catch(() => undefined);
    return true;
  }

  #addPeer(p: PeerInfo, publish = true): void {
    if (this.selfPeerId && p.peerId === this.selfPeerId) return;
    this.#peers.set(p.peerId, p);
    if (publish) this.#publishSites();
  }

  #removePeer(peerId: string): void {
    this.#peers.delete(peerId);
    for (const [id, p] of this.#producers) if (p.peerId === peerId) this.#producers.delete(id);
    for (const [id, held] of this.#held) if (held.peerId === peerId) this.#close(id, held);
    this.#publishSites();
  }

  #addProducer(p: ProducerInfo, publish = true): void {
    if (this.selfPeerId && p.peerId === this.selfPeerId) return;
    this.#producers.set(p.producerId, p);
    if (!this.#peers.has(p.peerId)) this.#peers.set(p.peerId, { peerId: p.peerId, unitCode: p.unitCode, unitName: p.unitName, displayName: '' } as PeerInfo);
    if (publish) this.#publishSites();
  }

  #removeProducer(producerId: string): void {
    const held = this.#held.get(producerId);
    if (held) {
      this.#held.delete(producerId);
      held.consumer?.close();
    }
    if (this.#producers.delete(producerId) || held) this.#publishSites();
  }

  /** A fresh snapshot of the sites for the store (sorted by unit code, as the org lists them). */
  #publishSites(reconcile = true): void {
    const consumerOf = (peerId: string, source: string) =>
      [...this.#held.values()].find((h) => h.peerId === peerId && h.consumer && h.consumer.appData.source === source)?.consumer ?? null;
    this.#sites = [...this.#peers.values()]
      .map((p) => {
        const sent = [...this.#producers.values()].filter((pr) => pr.peerId === p.peerId);
        return {
          peerId: p.peerId,
          unitCode: p.unitCode,
          unitName: p.unitName,
          displayName: p.displayName ?? '',
          ...(p.phone ? { phone: p.phone } : {}),
          hasVideo: sent.some((pr) => sourceOf(pr) === 'camera'),
          hasScreen: sent.some((pr) => sourceOf(pr) === 'screen'),
          video: consumerOf(p.peerId, 'camera'),
          audio: consumerOf(p.peerId, 'mic'),
          screen: consumerOf(p.peerId, 'screen'),
        };
      })
      .sort((a, b) => a.unitCode.localeCompare(b.unitCode));
    this.emit('sites', this.#sites);
    // A producer may have appeared for something on screen: subscribe to it.
    if (reconcile && this.recvTransport) this.follow(this.#wanted);
  }
}

export function sourceOf(p: ProducerInfo): 'mic' | 'camera' | 'screen' {
  if (p.kind === 'audio') return 'mic';
  return p.source === 'screen' ? 'screen' : 'camera';
}
