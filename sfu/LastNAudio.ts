/**
 * Last-N audio for one meeting router (as Jitsi does): an AudioLevelObserver ranks the unmuted microphones,
 * `nextAudible` (lastNRanking.ts) keeps the N loudest, and every audio consumer of a microphone
 * outside them is paused here at the SFU — a muted or quiet site's audio is forwarded to no one, whatever
 * a console asks for. Consoles hear the set (`audible` event → `audio:audible` push) and subscribe to it.
 */
import { EventEmitter } from 'node:events';
import type { types } from 'mediasoup';
import { nextAudible, sameUnits } from './lastNRanking.ts';
import { AUDIO_DEFAULTS, type AudioConfig } from './config.ts';

interface LastNEvents {
  audible: [units: string[]];
}

/** What the tracker needs of the room: the microphones that may be heard and every audio consumer. */
export interface AudioSources {
  /** Unpaused microphone producers with their unit. */
  microphones(): { producer: types.Producer; unitCode: string }[];
  audioConsumers(): types.Consumer[];
}

export class LastNAudio extends EventEmitter<LastNEvents> {
  #audible: string[] = [];
  #lastLoudAt: Record<string, number> = {};
  #loud: { unitCode: string; volume: number }[] = [];
  readonly #timer: ReturnType<typeof setInterval>;

  private constructor(
    readonly config: AudioConfig,
    readonly observer: types.AudioLevelObserver,
    readonly sources: AudioSources,
  ) {
    super();
    observer.on('volumes', (volumes) => {
      const byUnit = new Map<string, number>();
      for (const { producer, volume } of volumes) {
        const unit = String(producer.appData.unitCode ?? '');
        if (unit) byUnit.set(unit, Math.max(volume, byUnit.get(unit) ?? -127));
      }
      this.#loud = [...byUnit].map(([unitCode, volume]) => ({ unitCode, volume }));
      this.update();
    });
    observer.on('silence', () => {
      this.#loud = [];
      this.update();
    });
    // The observer says 'silence' once; holds still run out, so look again each interval.
    this.#timer = setInterval(() => {
      this.#loud = [];
      this.update();
    }, Math.max(config.intervalMs, 200));
    this.#timer.unref?.();
    observer.observer.on('close', () => clearInterval(this.#timer));
  }

  static async create(router: types.Router, sources: AudioSources, config: Partial<AudioConfig> = {}): Promise<LastNAudio> {
    const c = { ...AUDIO_DEFAULTS, ...config };
    // More entries than N: the ranking (and the hold) is ours, the observer only reports who is loud.
    const observer = await router.createAudioLevelObserver({ maxEntries: Math.max(c.lastN * 2, 8), threshold: c.thresholdDb, interval: c.intervalMs });
    return new LastNAudio(c, observer, sources);
  }

  get audible(): string[] {
    return [...this.#audible];
  }

  async addProducer(producer: types.Producer): Promise<void> {
    await this.observer.addProducer({ producerId: producer.id }).catch(() => undefined);
  }

  isAudible(unitCode: string): boolean {
    return this.#audible.includes(unitCode);
  }

  /** Recompute the set (after volumes, a mute, a site leaving) and apply it to every audio consumer. */
  update(now = Date.now()): void {
    if (this.observer.closed) return;
    const eligible = [...new Set(this.sources.microphones().map((m) => m.unitCode))];
    const next = nextAudible({ previous: this.#audible, loud: this.#loud, lastLoudAt: this.#lastLoudAt, now, eligible }, { n: this.config.lastN, holdMs: this.config.holdMs });
    this.#lastLoudAt = next.lastLoudAt;
    const changed = !sameUnits(next.audible, this.#audible);
    this.#audible = next.audible;
    if (!changed) return;
    this.enforce();
    this.emit('audible', this.audible);
  }

  /** Pause at the SFU every audio consumer of an unheard site; resume the heard ones the console asked for. */
  enforce(): void {
    for (const consumer of this.sources.audioConsumers()) void this.apply(consumer);
  }

  /** A console asked to hear this consumer (consumer:resume): it runs only while its site is heard. */
  async apply(consumer: types.Consumer): Promise<void> {
    if (consumer.closed) return;
    const run = consumer.appData.wanted === true && this.isAudible(String(consumer.appData.unitCode ?? ''));
    if (run && consumer.paused) await consumer.resume().catch(() => undefined);
    if (!run && !consumer.paused) await consumer.pause().catch(() => undefined);
  }

  close(): void {
    clearInterval(this.#timer);
    if (!this.observer.closed) this.observer.close();
  }
}
