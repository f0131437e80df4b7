/**
 * Near-duplicate text rules, pure: normalisation, character 3-shingles, a MinHash signature with banded keys
 * (Postgres finds candidates by any shared band through a GIN index), the exact shingle Jaccard used to
 * confirm a candidate, and the shared passages to highlight. Chinese has no spaces, so shingles are of
 * characters; punctuation and whitespace are dropped, so reflowed or reordered paragraphs still match.
 */

export const SHINGLE = 3;
export const HASHES = 64;
export const BAND_ROWS = 3;
export const BANDS = Math.floor(HASHES / BAND_ROWS); // 21 bands of 3: a pair at J=0.5 shares a band with p≈0.94
/** Texts up to this many normalised characters are also kept for pg_trgm (short items: few shingles). */
export const SHORT_MAX = 300;
/** A shared passage is highlighted from this many normalised characters on. */
export const PASSAGE_MIN = 8;

export interface DuplicateConfig {
  /** Similarity (0–1) from which an item counts as highly similar. */
  threshold: number;
  /** From this similarity on it is called identical. */
  identical: number;
}

/** INFO_DUPLICATE_THRESHOLD (default 0.6) — read at call time so a deployment (or a test) can set it. */
export function duplicateConfig(env: NodeJS.ProcessEnv = process.env): DuplicateConfig {
  const raw = Number(env.INFO_DUPLICATE_THRESHOLD);
  const threshold = Number.isFinite(raw) && raw > 0 && raw <= 1 ? raw : 0.6;
  return { threshold, identical: Math.max(threshold, 0.95) };
}

export interface Normalised {
  text: string;
  /** Offset in the original string of each kept character. */
  at: number[];
}

/** Full-width to half-width (NFKC), lower case, only letters and digits kept. */
export function normalise(original: string): Normalised {
  let text = '';
  const at: number[] = [];
  let i = 0;
  for (const ch of original) {
    const n = ch.normalize('NFKC').toLowerCase();
    if (/^[\p{L}\p{N}]+$/u.test(n)) {
      text += n;
      for (let k = 0; k < n.length; k++) at.push(i);
    }
    i += ch.length;
  }
  return { text, at };
}

/** The text an item is compared by: title and body together. */
export const comparedText = (title: string, body: string) => `${title}\n${body}`;

const fmix32 = (h: number) => {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
};

/** 32-bit hashes of the distinct character 3-shingles (the whole text if shorter). */
export function shingleHashes(norm: string): Set<number> {
  const cps = Array.from(norm, (c) => c.codePointAt(0)!);
  const out = new Set<number>();
  if (!cps.length) return out;
  const n = Math.max(1, cps.length - SHINGLE + 1);
  for (let i = 0; i < n; i++) {
    let h = 0x811c9dc5;
    for (let k = i; k < Math.min(cps.length, i + SHINGLE); k++) h = Math.imul(h ^ cps[k]!, 0x01000193);
    out.add(fmix32(h >>> 0));
  }
  return out;
}

const SEEDS = Array.from({ length: HASHES }, (_, i) => fmix32(0x9e3779b9 + i * 0x7f4a7c15));

/** MinHash: per seed, the least mixed hash over the shingles (as signed int4 for Postgres). */
export function minhash(shingles: Set<number>): number[] {
  const sig = new Array<number>(HASHES).fill(0xffffffff);
  for (const s of shingles) {
    for (let i = 0; i < HASHES; i++) {
      const v = fmix32(s ^ SEEDS[i]!);
      if (v < sig[i]!) sig[i] = v;
    }
  }
  return sig.map((v) => v | 0);
}

/** One key per band of BAND_ROWS values, the band's number mixed in so bands never collide with each other. */
export function bandKeys(sig: readonly number[]): number[] {
  const keys: number[] = [];
  for (let b = 0; b < BANDS; b++) {
    let h = fmix32(b + 1);
    for (let r = 0; r < BAND_ROWS; r++) h = fmix32((h ^ sig[b * BAND_ROWS + r]!) >>> 0);
    keys.push(h | 0);
  }
  return keys;
}

export interface Fingerprint {
  textLen: number;
  minhash: number[];
  bands: number[];
  /** Normalised text when short (for pg_trgm), else null. */
  shortText: string | null;
}

export function fingerprint(title: string, body: string): Fingerprint {
  const { text } = normalise(comparedText(title, body));
  const sig = minhash(shingleHashes(text));
  const len = Array.from(text).length;
  return { textLen: len, minhash: sig, bands: bandKeys(sig), shortText: len <= SHORT_MAX ? text : null };
}

/** Estimated Jaccard from two signatures: the share of equal positions. */
export function estimate(a: readonly number[], b: readonly number[]): number {
  let same = 0;
  for (let i = 0; i < HASHES; i++) if (a[i] === b[i]) same++;
  return same / HASHES;
}

/** The shingle set of a text as compared (normalised first). */
export const shinglesOf = (s: string) => shingleHashes(normalise(s).text);

/** Exact Jaccard of the two texts' shingle sets: the similarity shown and compared with the threshold. */
export function similarity(a: string | Set<number>, b: string | Set<number>): number {
  const sa = typeof a === 'string' ? shinglesOf(a) : a;
  const sb = typeof b === 'string' ? shinglesOf(b) : b;
  if (!sa.size && !sb.size) return 1;
  let both = 0;
  for (const h of sa) if (sb.has(h)) both++;
  return both / (sa.size + sb.size - both);
}

export interface Segment {
  text: string;
  shared: boolean;
}

/** Splits `a` into runs that also occur in `b` (PASSAGE_MIN normalised characters or more) and the rest. */
export function sharedPassages(a: string, b: string): Segment[] {
  const na = normalise(a);
  const nb = normalise(b);
  const ca = Array.from(na.text);
  const cb = Array.from(nb.text);
  const grams = new Set<string>();
  for (let i = 0; i + PASSAGE_MIN <= cb.length; i++) grams.add(cb.slice(i, i + PASSAGE_MIN).join(''));
  const covered = new Array<boolean>(ca.length).fill(false);
  for (let i = 0; i + PASSAGE_MIN <= ca.length; i++) {
    if (grams.has(ca.slice(i, i + PASSAGE_MIN).join(''))) covered.fill(true, i, i + PASSAGE_MIN);
  }
  // Back to the original string: a kept character carries its flag; punctuation between two shared
  // characters is shared too, so a highlighted sentence is not broken at every comma.
  const flags = new Array<boolean | null>(a.length).fill(null);
  const starts = offsetsOfChars(na);
  ca.forEach((_, i) => (flags[starts[i]!] = covered[i]!));
  const nextFlag = new Array<boolean>(a.length + 1).fill(false);
  for (let i = a.length - 1; i >= 0; i--) nextFlag[i] = flags[i] ?? nextFlag[i + 1]!;
  const segs: Segment[] = [];
  let prev = false;
  for (let i = 0; i < a.length; i++) {
    let f = flags[i] ?? null;
    if (f === null) f = prev && nextFlag[i + 1]!;
    else prev = f;
    const last = segs.at(-1);
    if (last && last.shared === f) last.text += a[i];
    else segs.push({ text: a[i]!, shared: f });
  }
  return segs;
}

/** The original offset of each normalised character (code point). */
function offsetsOfChars(n: Normalised): number[] {
  const out: number[] = [];
  let k = 0;
  for (const ch of n.text) {
    out.push(n.at[k]!);
    k += ch.length;
  }
  return out;
}

/** Share of `a`'s normalised characters inside shared passages (for the editor's "x% shared"). */
export const sharedShare = (segs: Segment[]) => {
  const len = (s: string) => normalise(s).text.length;
  const total = segs.reduce((n, s) => n + len(s.text), 0);
  return total ? segs.filter((s) => s.shared).reduce((n, s) => n + len(s.text), 0) / total : 0;
};
