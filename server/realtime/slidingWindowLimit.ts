/** At most `limit` events per key within a sliding window (chat lines per site and minute, and the like). */
export class SlidingWindowLimit {
  readonly #times = new Map<string, number[]>();

  constructor(
    private readonly limit: number,
    private readonly windowMs: number,
  ) {}

  /** Counts the event and says whether it is within the limit (a refused event does not count). */
  allow(key: string, now: number): boolean {
    const times = this.#times.get(key) ?? [];
    this.#times.set(key, times);
    while (times.length && times[0]! <= now - this.windowMs) times.shift();
    if (times.length >= this.limit) return false;
    times.push(now);
    return true;
  }

  /** Drops every key that starts with `prefix` (a meeting's router closed). */
  forgetPrefix(prefix: string): void {
    for (const key of this.#times.keys()) if (key.startsWith(prefix)) this.#times.delete(key);
  }
}
