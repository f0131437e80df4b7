/** db/readCache.ts: what is kept, and what an invalidation or a lost connection makes it forget. */
import { describe, expect, it } from 'vitest';
import { ReadCache, dropReadCaches, invalidatingAfter } from '../../db/readCache.ts';

describe('ReadCache', () => {
  it('loads once, then answers from memory until invalidated', async () => {
    const c = new ReadCache<string, number>(60_000);
    let loads = 0;
    const load = async () => ++loads;
    expect(await c.get('a', load)).toBe(1);
    expect(await c.get('a', load)).toBe(1);
    c.invalidate('a');
    expect(await c.get('a', load)).toBe(2);
  });

  it('does not keep a load that an invalidation overtook (it may predate the write)', async () => {
    const c = new ReadCache<string, string>(60_000);
    let release!: (v: string) => void;
    const slow = c.get('k', () => new Promise<string>((r) => (release = r)));
    c.invalidate(); // a write committed while the old value was on its way
    release('old');
    expect(await slow).toBe('old'); // its own caller gets what it read
    expect(await c.get('k', async () => 'new')).toBe('new');
  });

  it('reloads after its time to live (a write from another process)', async () => {
    const c = new ReadCache<string, number>(0);
    let n = 0;
    await c.get('a', async () => ++n);
    expect(await c.get('a', async () => ++n)).toBe(2);
  });

  it('invalidates after a write that failed as after one that succeeded', async () => {
    const c = new ReadCache<string, string>(60_000);
    await c.get('a', async () => 'kept');
    await expect(invalidatingAfter(async () => Promise.reject(new Error('connection lost at commit')), () => c.invalidate())).rejects.toThrow(/commit/);
    expect(await c.get('a', async () => 'fresh')).toBe('fresh');
  });

  it('forgets everything when a database connection is lost', async () => {
    const a = new ReadCache<string, string>(60_000);
    const b = new ReadCache<number, string>(60_000);
    await a.get('x', async () => 'a');
    await b.get(1, async () => 'b');
    dropReadCaches();
    expect(a.size + b.size).toBe(0);
  });

  it('keeps only what `keep` allows, and stays within its bound', async () => {
    const c = new ReadCache<string, string | null>(60_000, 2);
    await c.get('unknown', async () => null, (v) => v !== null);
    expect(c.size).toBe(0);
    await c.get('a', async () => 'a');
    await c.get('b', async () => 'b');
    await c.get('c', async () => 'c');
    expect(c.size).toBeLessThanOrEqual(2);
    expect(await c.get('c', async () => 'reloaded')).toBe('c');
  });

  it('changes a kept value in place, and a load under way during the change is not kept', async () => {
    const c = new ReadCache<string, number>(60_000);
    await c.get('a', async () => 1);
    c.update('a', (v) => v + 10);
    expect(await c.get('a', async () => 0)).toBe(11);
    c.invalidate('a');
    let release!: (v: number) => void;
    const slow = c.get('a', () => new Promise<number>((r) => (release = r)));
    c.update('a', (v) => v + 1); // the write happened while the old row was on its way
    release(5);
    expect(await slow).toBe(5);
    expect(await c.get('a', async () => 6)).toBe(6);
  });
});
