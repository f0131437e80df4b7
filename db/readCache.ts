/**
 * Values read on (nearly) every request and changed rarely — deadline rules, report settings, sessions — kept in
 * memory. Correct for ONE server process per database: the writes that change a value go through this process
 * and invalidate it (after the write, success or not: a commit whose outcome a dropped connection hid counts as
 * a change). A write from elsewhere (another process, psql) is seen after `ttlMs` at the latest.
 *
 * A load that was under way when an invalidation came is not kept (its answer may predate the write): the
 * generation counter says so. Losing a database connection (Postgres restarted: the data may have been
 * restored, a write's outcome is unknown) drops every cache: `dropReadCaches()`, called by db/connect.ts.
 */
const all = new Set<WeakRef<ReadCache<unknown, unknown>>>();

export class ReadCache<K, V> {
  #entries = new Map<K, { value: V; at: number }>();
  #gen = 0;

  /** Past `maxEntries` kept values everything goes (a bound on memory, not a policy). */
  constructor(
    readonly ttlMs: number,
    readonly maxEntries = 10_000,
  ) {
    all.add(new WeakRef(this as ReadCache<unknown, unknown>));
  }

  /** `keep` says whether a loaded value may be kept (e.g. not an "unknown" answer anyone can make up). */
  async get(key: K, load: () => Promise<V>, keep: (v: V) => boolean = () => true): Promise<V> {
    const hit = this.#entries.get(key);
    if (hit && Date.now() - hit.at < this.ttlMs) return hit.value;
    const gen = this.#gen;
    const value = await load();
    if (gen === this.#gen && keep(value)) {
      if (this.#entries.size >= this.maxEntries) this.#entries.clear();
      this.#entries.set(key, { value, at: Date.now() });
    }
    return value;
  }

  /**
   * Replaces a kept value in place (a write whose effect is known exactly), unless it is gone. A load under
   * way read before the write: it is not kept.
   */
  update(key: K, change: (v: V) => V): void {
    this.#gen++;
    const hit = this.#entries.get(key);
    if (hit) hit.value = change(hit.value);
  }

  /** One key, or everything. */
  invalidate(key?: K): void {
    this.#gen++;
    if (key === undefined) this.#entries.clear();
    else this.#entries.delete(key);
  }

  get size(): number {
    return this.#entries.size;
  }
}

/** Runs a write and invalidates afterwards, whether it succeeded or not. */
export async function invalidatingAfter<T>(write: () => Promise<T>, invalidate: () => void): Promise<T> {
  try {
    return await write();
  } finally {
    invalidate();
  }
}

export function dropReadCaches(): void {
  for (const ref of all) {
    const c = ref.deref();
    if (c) c.invalidate();
    else all.delete(ref);
  }
}
