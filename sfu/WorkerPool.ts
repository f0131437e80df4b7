/** mediasoup workers, one per core, each with its WebRtcServer; a worker that dies is replaced. */
import { EventEmitter } from 'node:events';
import * as mediasoup from 'mediasoup';
import type { types } from 'mediasoup';
import type { SfuConfig } from './config.ts';

export interface WorkerSlot {
  index: number;
  worker: types.Worker;
  webRtcServer: types.WebRtcServer;
  routers: number;
}

interface WorkerPoolEvents {
  /** The slot's old worker died; everything on it is gone and a fresh worker now serves the slot. */
  workerReplaced: [slot: WorkerSlot, error: Error];
  workerFailed: [index: number, error: Error];
}

export class WorkerPool extends EventEmitter<WorkerPoolEvents> {
  readonly #slots: WorkerSlot[] = [];
  #closed = false;

  private constructor(readonly config: SfuConfig) {
    super();
  }

  static async create(config: SfuConfig): Promise<WorkerPool> {
    const pool = new WorkerPool(config);
    for (let i = 0; i < config.numWorkers; i++) pool.#slots.push(await pool.#start(i));
    return pool;
  }

  get slots(): readonly WorkerSlot[] {
    return this.#slots;
  }

  /** The least loaded worker, counted in routers (one router per meeting). */
  pick(): WorkerSlot {
    const slot = [...this.#slots].sort((a, b) => a.routers - b.routers)[0];
    if (!slot) throw new Error('no mediasoup worker available');
    return slot;
  }

  async close(): Promise<void> {
    this.#closed = true;
    for (const s of this.#slots) s.worker.close();
  }

  async #start(index: number): Promise<WorkerSlot> {
    const worker = await mediasoup.createWorker({
      logLevel: this.config.logLevel,
      ...(this.config.logTags ? { logTags: this.config.logTags } : {}),
      appData: { index },
    });
    const port = this.config.basePort === 0 ? 0 : this.config.basePort + index; // 0: any free port (tests)
    const webRtcServer = await worker.createWebRtcServer({
      listenInfos: this.config.listenIps.flatMap(({ ip, announcedAddress }) =>
        (['udp', 'tcp'] as const).map((protocol) => ({ protocol, ip, announcedAddress, port })),
      ),
    });
    const slot: WorkerSlot = { index, worker, webRtcServer, routers: 0 };
    worker.on('died', (error) => void this.#replace(slot, error));
    return slot;
  }

  async #replace(dead: WorkerSlot, error: Error): Promise<void> {
    if (this.#closed) return;
    try {
      const fresh = await this.#start(dead.index);
      this.#slots[dead.index] = fresh;
      this.emit('workerReplaced', fresh, error);
    } catch (e) {
      this.emit('workerFailed', dead.index, e as Error);
    }
  }
}
