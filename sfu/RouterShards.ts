/**
 * One meeting over several routers on different workers, as mediasoup advises above a few hundred consumers per
 * router. The first (home) router holds what needs every microphone — the last-N and active-speaker observers,
 * recording, phone legs. A site is placed on a router when it makes its first transport: the first router still
 * under the consumer threshold, else a new router on a worker the meeting does not use yet, else the least
 * loaded. A producer reaches another router through `pipeToRouter` on demand: the first consumer there pipes it
 * (microphones are piped home at once, for the observers). Pipe producers keep the producer's id and follow its
 * pause, resume and close (mediasoup wires that), so mutes and the chair's decisions reach every router.
 * A router other than home closes when its last site leaves (its pipe transports, on both sides, with it: a
 * router costs its worker memory and each pipe its RTCP); the next site that does not fit home opens a new one.
 */
import type { types } from 'mediasoup';
import { MEDIA_CODECS, PIPE_LISTEN_INFO, SPREAD_DEFAULTS } from './config.ts';
import type { WorkerPool, WorkerSlot } from './WorkerPool.ts';

export interface Shard {
  slot: WorkerSlot;
  router: types.Router;
}

export class RouterShards {
  readonly #shards: Shard[];
  readonly #peerShard = new Map<string, Shard>();
  /** `${producerId}>${routerId}` → the pipe (or its set-up). */
  readonly #pipes = new Map<string, Promise<void>>();
  #assigning: Promise<unknown> = Promise.resolve();
  #closed = false;

  private constructor(
    readonly pool: WorkerPool,
    readonly meetingId: string,
    home: Shard,
    /** Consumers a site holds now (its console's subscriptions). */
    readonly consumersOf: (peerId: string) => number,
    readonly onRouterGone: () => void,
  ) {
    this.#shards = [home];
    this.#watch(home);
  }

  static async open(pool: WorkerPool, meetingId: string, consumersOf: (peerId: string) => number, onRouterGone: () => void): Promise<RouterShards> {
    return new RouterShards(pool, meetingId, await RouterShards.#router(pool.pick(), meetingId, 0), consumersOf, onRouterGone);
  }

  static async #router(slot: WorkerSlot, meetingId: string, index: number): Promise<Shard> {
    const router = await slot.worker.createRouter({ mediaCodecs: MEDIA_CODECS, appData: { meetingId, shard: index } });
    slot.routers++;
    return { slot, router };
  }

  get home(): Shard {
    return this.#shards[0]!;
  }

  get all(): readonly Shard[] {
    return this.#shards;
  }

  get #limits() {
    return { ...SPREAD_DEFAULTS, ...this.pool.config.spread };
  }

  /** A router's load in consumers: what its sites hold, a site that has not subscribed yet counted as a typical one. */
  load(shard: Shard): number {
    let load = 0;
    for (const [peerId, s] of this.#peerShard) {
      if (s !== shard) continue;
      const held = this.consumersOf(peerId);
      load += held > 0 ? held : this.#limits.consumersPerSite;
    }
    return load;
  }

  /** Where a site's media lives (a site without a transport yet, e.g. a phone leg's, is at home). */
  shardOf(peerId: string): Shard {
    return this.#peerShard.get(peerId) ?? this.home;
  }

  /** Places a site on a router (once; later calls answer the same). Placements run one at a time. */
  assign(peerId: string): Promise<Shard> {
    const run = this.#assigning.catch(() => undefined).then(() => this.#assign(peerId));
    this.#assigning = run;
    return run;
  }

  async #assign(peerId: string): Promise<Shard> {
    const known = this.#peerShard.get(peerId);
    if (known) return known;
    const { consumersPerRouter } = this.#limits;
    let shard = this.#shards.find((s) => this.load(s) < consumersPerRouter);
    if (!shard) {
      const used = new Set(this.#shards.map((s) => s.slot.index));
      const free = this.pool.slots.filter((s) => !used.has(s.index)).sort((a, b) => a.routers - b.routers)[0];
      if (free) {
        shard = await RouterShards.#router(free, this.meetingId, this.#shards.length);
        if (this.#closed) {
          shard.router.close();
          throw new Error(`meeting ${this.meetingId} closed`);
        }
        this.#shards.push(shard);
        this.#watch(shard);
      } else {
        shard = [...this.#shards].sort((a, b) => this.load(a) - this.load(b))[0]!;
      }
    }
    this.#peerShard.set(peerId, shard);
    return shard;
  }

  /** The site left: forget where it was; a router other than home that has no site left closes. */
  release(peerId: string): void {
    const shard = this.#peerShard.get(peerId);
    this.#peerShard.delete(peerId);
    if (!shard || shard === this.home || this.#closed) return;
    for (const s of this.#peerShard.values()) if (s === shard) return;
    this.#closeShard(shard);
  }

  #closeShard(shard: Shard): void {
    this.#shards.splice(this.#shards.indexOf(shard), 1);
    // Closing the router closes its pipe transports, and mediasoup closes each one's peer on the other router.
    for (const key of this.#pipes.keys()) if (key.endsWith(`>${shard.router.id}`)) this.#pipes.delete(key);
    if (!shard.router.closed) shard.router.close();
    shard.slot.routers = Math.max(0, shard.slot.routers - 1);
  }

  /** Makes `producerId` (living on `from`) consumable on `to`; once per producer and router. */
  pipe(producerId: string, from: Shard, to: Shard): Promise<void> {
    if (from === to) return Promise.resolve();
    const key = `${producerId}>${to.router.id}`;
    let pipe = this.#pipes.get(key);
    if (!pipe) {
      pipe = from.router.pipeToRouter({ producerId, router: to.router, listenInfo: PIPE_LISTEN_INFO }).then(() => undefined);
      this.#pipes.set(key, pipe);
      pipe.catch(() => this.#pipes.delete(key));
    }
    return pipe;
  }

  /** The producer closed: its pipes closed with it (mediasoup), forget them. */
  forget(producerId: string): void {
    for (const key of this.#pipes.keys()) if (key.startsWith(`${producerId}>`)) this.#pipes.delete(key);
  }

  /** Producers piped between routers now (the cost the bench prints). */
  get pipeCount(): number {
    return this.#pipes.size;
  }

  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    for (const s of this.#shards) {
      if (!s.router.closed) s.router.close();
      s.slot.routers = Math.max(0, s.slot.routers - 1);
    }
    this.#pipes.clear();
    this.#peerShard.clear();
  }

  #watch(shard: Shard): void {
    // Any of the meeting's workers gone: the meeting restarts (every site rejoins on fresh routers).
    shard.router.on('workerclose', () => this.onRouterGone());
  }
}
