/**
 * HTTP Digest authentication as SIP uses it (RFC 2617, RFC 7616 for SHA-256, RFC 8760 for SIP): pure
 * computation and header parsing/writing, no sockets. qop=auth only (auth-int is not offered), and the
 * RFC 2069 form without qop only when a challenge names none (old trunks).
 */
import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

export type DigestAlgorithm = 'MD5' | 'SHA-256';

const HASH: Record<DigestAlgorithm, 'md5' | 'sha256'> = { MD5: 'md5', 'SHA-256': 'sha256' };

export const hash = (alg: DigestAlgorithm, s: string): string => createHash(HASH[alg]).update(s, 'utf8').digest('hex');

/** HA1 = H(user:realm:password): what a registrar stores instead of the password. */
export const ha1Of = (alg: DigestAlgorithm, user: string, realm: string, password: string): string => hash(alg, `${user}:${realm}:${password}`);

export interface DigestInput {
  algorithm: DigestAlgorithm;
  ha1: string;
  method: string;
  uri: string;
  nonce: string;
  /** With qop=auth: the client nonce and the nonce count (8 hex digits). */
  qop?: 'auth';
  cnonce?: string;
  nc?: string;
}

/** The request-digest (RFC 2617 §3.2.2.1, RFC 7616 §3.4.1). */
export function digestResponse(d: DigestInput): string {
  const ha2 = hash(d.algorithm, `${d.method}:${d.uri}`);
  if (!d.qop) return hash(d.algorithm, `${d.ha1}:${d.nonce}:${ha2}`);
  return hash(d.algorithm, `${d.ha1}:${d.nonce}:${d.nc}:${d.cnonce}:${d.qop}:${ha2}`);
}

/** `Digest a=b, c="d"` → params (names lower-case); null when it is not a Digest header. */
export function parseDigestHeader(value: string): Record<string, string> | null {
  const m = /^\s*Digest\s+(.*)$/is.exec(value);
  if (!m) return null;
  const out: Record<string, string> = {};
  const re = /\s*([A-Za-z0-9_-]+)\s*=\s*(?:"((?:[^"\\]|\\.)*)"|([^\s,]*))\s*(?:,|$)/gy;
  const rest = m[1];
  let at = 0;
  while (at < rest.length) {
    re.lastIndex = at;
    const p = re.exec(rest);
    if (!p || p[0].length === 0) return null;
    out[p[1].toLowerCase()] = p[2] !== undefined ? p[2].replace(/\\(.)/g, '$1') : p[3];
    at = re.lastIndex;
  }
  return out;
}

const quote = (s: string) => `"${s.replace(/(["\\])/g, '\\$1')}"`;

export interface Challenge {
  realm: string;
  nonce: string;
  algorithm: DigestAlgorithm;
  qop: 'auth' | null;
  opaque?: string;
  stale: boolean;
}

/** A WWW-Authenticate / Proxy-Authenticate challenge we can answer, or null (unknown algorithm, auth-int only). */
export function parseChallenge(value: string): Challenge | null {
  const p = parseDigestHeader(value);
  if (!p?.realm || !p.nonce) return null;
  const alg = (p.algorithm ?? 'MD5').toUpperCase();
  if (alg !== 'MD5' && alg !== 'SHA-256') return null;
  const qops = p.qop === undefined ? null : p.qop.split(',').map((q) => q.trim().toLowerCase());
  if (qops && !qops.includes('auth')) return null;
  return { realm: p.realm, nonce: p.nonce, algorithm: alg, qop: qops ? 'auth' : null, opaque: p.opaque, stale: (p.stale ?? '').toLowerCase() === 'true' };
}

/** Our Authorization / Proxy-Authorization answering `ch` (a fresh cnonce; nc counts per nonce). */
export function authorize(ch: Challenge, cred: { user: string; password: string }, method: string, uri: string, nc = 1, cnonce = randomBytes(8).toString('hex')): string {
  const ha1 = ha1Of(ch.algorithm, cred.user, ch.realm, cred.password);
  const ncHex = nc.toString(16).padStart(8, '0');
  const response = digestResponse({ algorithm: ch.algorithm, ha1, method, uri, nonce: ch.nonce, ...(ch.qop ? { qop: 'auth', cnonce, nc: ncHex } : {}) });
  const parts = [`username=${quote(cred.user)}`, `realm=${quote(ch.realm)}`, `nonce=${quote(ch.nonce)}`, `uri=${quote(uri)}`, `response=${quote(response)}`, `algorithm=${ch.algorithm}`];
  if (ch.qop) parts.push('qop=auth', `nc=${ncHex}`, `cnonce=${quote(cnonce)}`);
  if (ch.opaque !== undefined) parts.push(`opaque=${quote(ch.opaque)}`);
  return `Digest ${parts.join(', ')}`;
}

export type VerifyResult = 'ok' | 'stale' | 'bad';

/**
 * The server side: nonces carry their issue time and an HMAC (no state needed to check them), expire after
 * `ttlMs`, and each nonce's nc must grow (a replayed Authorization is refused). Bounded memory.
 */
export class NonceBook {
  readonly #secret = randomBytes(32);
  readonly #lastNc = new Map<string, number>();

  constructor(
    readonly realm: string,
    readonly ttlMs = 5 * 60_000,
    readonly now: () => number = Date.now,
    readonly algorithms: DigestAlgorithm[] = ['SHA-256', 'MD5'],
  ) {}

  issue(): string {
    const t = this.now().toString(36);
    return `${t}.${createHmac('sha256', this.#secret).update(t).digest('base64url').slice(0, 22)}`;
  }

  /** WWW-Authenticate values: SHA-256 first (RFC 8760 §2.4: preferred first), then MD5 for older phones. */
  challenges(stale = false): string[] {
    const nonce = this.issue();
    return this.algorithms.map((alg) => `Digest realm=${quote(this.realm)}, nonce=${quote(nonce)}, algorithm=${alg}, qop="auth"${stale ? ', stale=true' : ''}`);
  }

  /** Check an Authorization header against the HA1 we keep for its user (by algorithm). */
  verify(authorization: string, method: string, ha1For: (user: string, alg: DigestAlgorithm) => string | null, requestUri?: string): { result: VerifyResult; user?: string } {
    const p = parseDigestHeader(authorization);
    if (!p?.username || !p.nonce || !p.response || !p.uri || p.realm !== this.realm) return { result: 'bad' };
    // The answer must be for this request's URI (RFC 2617 §3.2.2.5), not one captured from another request.
    if (requestUri !== undefined && p.uri.toLowerCase() !== requestUri.toLowerCase()) return { result: 'bad' };
    const alg = (p.algorithm ?? 'MD5').toUpperCase();
    if (alg !== 'MD5' && alg !== 'SHA-256') return { result: 'bad' };
    if ((p.qop ?? '').toLowerCase() !== 'auth' || !/^[0-9a-fA-F]{8}$/.test(p.nc ?? '') || !p.cnonce) return { result: 'bad' };
    const [t, mac] = p.nonce.split('.');
    const expected = createHmac('sha256', this.#secret).update(t ?? '').digest('base64url').slice(0, 22);
    if (!mac || mac.length !== expected.length || !timingSafeEqual(Buffer.from(mac), Buffer.from(expected))) return { result: 'bad' };
    const ha1 = ha1For(p.username, alg);
    if (!ha1) return { result: 'bad' };
    const want = digestResponse({ algorithm: alg, ha1, method, uri: p.uri, nonce: p.nonce, qop: 'auth', cnonce: p.cnonce, nc: p.nc });
    const got = p.response.toLowerCase();
    if (got.length !== want.length || !timingSafeEqual(Buffer.from(got), Buffer.from(want))) return { result: 'bad' };
    // A right answer to an old nonce: the client retries with a new one without asking the user (stale=true).
    if (this.now() - parseInt(t, 36) > this.ttlMs || !(parseInt(t, 36) <= this.now() + 1000)) return { result: 'stale', user: p.username };
    const nc = parseInt(p.nc!, 16);
    const key = `${p.nonce}|${p.username}`;
    if (nc <= (this.#lastNc.get(key) ?? 0)) return { result: 'bad' }; // replay
    if (!this.#lastNc.has(key) && this.#lastNc.size >= 10_000) {
      // Bounded memory: forget expired nonces (they are refused as stale anyway); if none, ask for a new nonce later.
      for (const k of this.#lastNc.keys()) if (this.now() - parseInt(k.split('.')[0], 36) > this.ttlMs) this.#lastNc.delete(k);
      if (this.#lastNc.size >= 10_000) return { result: 'stale', user: p.username };
    }
    this.#lastNc.set(key, nc);
    return { result: 'ok', user: p.username };
  }
}
