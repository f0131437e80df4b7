/** Near-duplicate rules as tables, on real-looking 政务信息 items (tests/helpers/infoTexts.ts). */
import { describe, expect, it } from 'vitest';
import { bandKeys, comparedText, duplicateConfig, estimate, fingerprint, normalise, sharedPassages, similarity, SHORT_MAX } from '../../server/information/similarity.ts';
import { FEW_WORDS_CHANGED, IDENTICAL, ORIGINAL, REORDERED, SAME_TOPIC, SHORT, SHORT_CHANGED, SHORT_SAME_TOPIC } from '../helpers/infoTexts.ts';

type Text = { title: string; body: string };
const text = (t: Text) => comparedText(t.title, t.body);
const { threshold, identical } = duplicateConfig({});

describe('similarity of real-looking items', () => {
  const cases: [string, Text, Text, 'identical' | 'similar' | 'different'][] = [
    ['the same item twice', ORIGINAL, IDENTICAL, 'identical'],
    ['paragraphs reordered', ORIGINAL, REORDERED, 'identical'],
    ['a few words changed (工作组 3→4, 通辽市→兴安盟, figures)', ORIGINAL, FEW_WORDS_CHANGED, 'similar'],
    ['a different item on the same topic', ORIGINAL, SAME_TOPIC, 'different'],
    ['short: a few words changed', SHORT, SHORT_CHANGED, 'similar'],
    ['short: same topic (养老服务), other facts', SHORT, SHORT_SAME_TOPIC, 'different'],
  ];
  it.each(cases)('%s', (_name, a, b, verdict) => {
    const s = similarity(text(a), text(b));
    const got = s >= identical ? 'identical' : s >= threshold ? 'similar' : 'different';
    expect(got, `similarity ${s.toFixed(3)}`).toBe(verdict);
    // Symmetric, and the MinHash estimate (what Postgres pre-filters by) stays near the exact figure.
    expect(similarity(text(b), text(a))).toBeCloseTo(s, 10);
    const [fa, fb] = [fingerprint(a.title, a.body), fingerprint(b.title, b.body)];
    expect(Math.abs(estimate(fa.minhash, fb.minhash) - s)).toBeLessThan(0.15);
    // A duplicate shares at least one band key (so the GIN index finds it); a different item none here.
    const sharedBands = fa.bands.filter((k) => fb.bands.includes(k)).length;
    if (verdict === 'different') expect(sharedBands).toBe(0);
    else expect(sharedBands).toBeGreaterThan(0);
  });
});

describe('fingerprint', () => {
  it('ignores punctuation, spaces, full-width forms and case', () => {
    expect(normalise('２０２６年，ＡＢＣ 防汛！').text).toBe('2026年abc防汛');
    expect(fingerprint('标题', '正文，内容。').minhash).toEqual(fingerprint('标题', '正文 内容').minhash);
  });
  it('keeps the text for pg_trgm only when short', () => {
    expect(fingerprint(SHORT.title, SHORT.body).shortText).toBe(normalise(text(SHORT)).text);
    expect(fingerprint(ORIGINAL.title, ORIGINAL.body + ORIGINAL.body).shortText).toBeNull();
    expect(fingerprint('', 'a'.repeat(SHORT_MAX)).shortText).not.toBeNull();
  });
  it('gives 64 hashes as int4 and 21 band keys', () => {
    const fp = fingerprint(ORIGINAL.title, ORIGINAL.body);
    expect(fp.minhash).toHaveLength(64);
    expect(fp.minhash.every((v) => Number.isInteger(v) && v >= -(2 ** 31) && v < 2 ** 31)).toBe(true);
    expect(bandKeys(fp.minhash)).toEqual(fp.bands);
    expect(new Set(fp.bands).size).toBe(21);
  });
});

describe('threshold setting', () => {
  it.each([
    [undefined, 0.6],
    ['0.8', 0.8],
    ['1', 1],
    ['0', 0.6],
    ['1.5', 0.6],
    ['abc', 0.6],
  ])('INFO_DUPLICATE_THRESHOLD=%s → %s', (raw, want) => {
    expect(duplicateConfig(raw === undefined ? {} : { INFO_DUPLICATE_THRESHOLD: raw }).threshold).toBe(want);
  });
});

describe('shared passages', () => {
  it('marks what both texts have and leaves the changed words out', () => {
    const segs = sharedPassages(text(FEW_WORDS_CHANGED), text(ORIGINAL));
    expect(segs.map((s) => s.text).join('')).toBe(text(FEW_WORDS_CHANGED));
    const plain = segs.filter((s) => !s.shared).map((s) => s.text).join('|');
    expect(plain).toContain('兴安盟');
    expect(plain).toContain('扎实');
    expect(segs.filter((s) => s.shared).map((s) => s.text).join('')).toContain('下拨自治区级自然灾害救助资金2000万元');
  });
  it('marks nothing between unrelated texts', () => {
    expect(sharedPassages(text(SHORT), text(SHORT_SAME_TOPIC)).every((s) => !s.shared)).toBe(true);
  });
});
