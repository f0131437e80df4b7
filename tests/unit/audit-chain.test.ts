/** The audit trail's hash chain as a table: which change to a run of entries is found, and where. */
import { describe, expect, it } from 'vitest';
import { canonicalJson, entryHash, firstBrokenLink, GENESIS_HASH, type StoredEntry } from '../../server/audit/chain.ts';

const base = (i: number) => ({ at: new Date(Date.UTC(2031, 11, 31, 15, 59, i)), userId: i, username: `u${i}`, unitCode: '150102', remote: '127.0.0.1', action: 'change POST /api/x', target: '/api/x', status: 200, detail: canonicalJson({ n: i }) });
function chain(n: number): StoredEntry[] {
  let prev = GENESIS_HASH;
  return Array.from({ length: n }, (_, i) => {
    const e = base(i);
    const hash = entryHash(prev, e);
    const s = { ...e, id: String(i + 1), prevHash: prev, hash };
    prev = hash;
    return s;
  });
}

describe('audit hash chain', () => {
  it('canonical JSON does not depend on key order', () => {
    expect(canonicalJson({ b: 1, a: { d: [1, { y: 2, x: 1 }], c: null } })).toBe(canonicalJson({ a: { c: null, d: [1, { x: 1, y: 2 }] }, b: 1 }));
  });

  const cases: [string, (c: StoredEntry[]) => StoredEntry[], { id: string; reason: string } | null][] = [
    ['untouched', (c) => c, null],
    ['a field of entry 3 changed', (c) => c.map((e) => (e.id === '3' ? { ...e, remote: '10.0.0.9' } : e)), { id: '3', reason: 'HASH' }],
    ['a detail of entry 1 changed', (c) => c.map((e) => (e.id === '1' ? { ...e, detail: canonicalJson({ n: 99 }) } : e)), { id: '1', reason: 'HASH' }],
    ['the time of entry 5 moved by 1 ms', (c) => c.map((e) => (e.id === '5' ? { ...e, at: new Date(e.at.getTime() + 1) } : e)), { id: '5', reason: 'HASH' }],
    ['entry 2 removed', (c) => c.filter((e) => e.id !== '2'), { id: '3', reason: 'PREV_HASH' }],
    ['entries 3 and 4 swapped', (c) => [c[0]!, c[1]!, c[3]!, c[2]!, c[4]!], { id: '4', reason: 'PREV_HASH' }],
    ['entry 4 rewritten with a recomputed hash (the next link still breaks)', (c) => c.map((e) => (e.id === '4' ? { ...e, status: 403, hash: entryHash(e.prevHash, { ...e, status: 403 }) } : e)), { id: '5', reason: 'PREV_HASH' }],
  ];
  it.each(cases)('%s', (_name, tamper, expected) => {
    expect(firstBrokenLink(GENESIS_HASH, tamper(chain(5))).broken).toEqual(expected);
  });
});
