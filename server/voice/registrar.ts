/**
 * A small registrar (RFC 3261 §10.3) for units' registered phones: bindings of a number (the address of
 * record) to contacts with expiry; refresh by re-REGISTER, removal with Expires: 0 (one contact, or `*` for
 * all); a bounded number of bindings per number and in all. In memory: phones re-register every few minutes
 * anyway, and over TCP a binding is only good while its connection lives.
 */
import { header, headers, parseNameAddr, parseParams, type SipRequest } from './sipMessage.ts';
import type { Source } from './sipServer.ts';

export interface Binding {
  contact: string;
  /** The URI inside the Contact (the request-URI of calls to the phone). */
  uri: string;
  /** Where the REGISTER came from: calls go back there (NAT-friendly, and a TCP binding's connection). */
  source: Source;
  expiresAt: number;
  callId: string;
  cseq: number;
}

export interface RegistrarLimits {
  minExpires: number;
  maxExpires: number;
  defaultExpires: number;
  perNumber: number;
  total: number;
}
export const REGISTRAR_LIMITS: RegistrarLimits = { minExpires: 60, maxExpires: 3600, defaultExpires: 3600, perNumber: 3, total: 5000 };

export type RegisterOutcome =
  | { status: 200; bindings: Binding[] }
  | { status: 400 | 403 | 423; reason?: string; headers?: [string, string][] };

export class Registrar {
  readonly #bindings = new Map<string, Binding[]>();

  constructor(
    readonly limits: RegistrarLimits = REGISTRAR_LIMITS,
    readonly now: () => number = Date.now,
  ) {}

  /** The live bindings of a number, newest first. */
  bindings(number: string): Binding[] {
    const now = this.now();
    const live = (this.#bindings.get(number) ?? []).filter((b) => b.expiresAt > now && !b.source.socket?.destroyed);
    if (live.length) this.#bindings.set(number, live);
    else this.#bindings.delete(number);
    return [...live].sort((a, b) => b.expiresAt - a.expiresAt);
  }

  get size(): number {
    let n = 0;
    for (const list of this.#bindings.values()) n += list.length;
    return n;
  }

  /** Apply an (authenticated) REGISTER for `number`. */
  register(number: string, req: SipRequest, source: Source): RegisterOutcome {
    const callId = header(req, 'Call-ID')!;
    const cseq = Number(header(req, 'CSeq')!.split(/\s+/)[0]);
    const expiresHeader = header(req, 'Expires');
    if (expiresHeader !== undefined && !/^\d{1,10}$/.test(expiresHeader)) return { status: 400, reason: 'Bad Expires' };
    const contacts = headers(req, 'Contact');
    let list = this.bindings(number);
    if (contacts.length === 0) return { status: 200, bindings: list }; // a query
    if (contacts.some((c) => c.trim() === '*')) {
      if (contacts.length > 1 || expiresHeader !== '0') return { status: 400, reason: 'Wildcard Needs Expires 0' };
      this.#bindings.delete(number);
      return { status: 200, bindings: [] };
    }
    const now = this.now();
    for (const c of contacts) {
      const na = parseNameAddr(c);
      if (!na || !/^sips?:/i.test(na.uri)) return { status: 400, reason: 'Bad Contact' };
      const raw = na.params.expires ?? expiresHeader;
      if (raw !== undefined && !/^\d{1,10}$/.test(raw)) return { status: 400, reason: 'Bad Expires' };
      const asked = raw === undefined ? this.limits.defaultExpires : Number(raw);
      const existing = list.find((b) => sameUri(b.uri, na.uri));
      // An older or repeated REGISTER of the same client (same Call-ID, CSeq not higher) changes nothing (§10.3 step 7).
      if (existing && existing.callId === callId && existing.cseq >= cseq) continue;
      if (asked === 0) {
        list = list.filter((b) => b !== existing);
        continue;
      }
      if (asked < this.limits.minExpires) return { status: 423, headers: [['Min-Expires', String(this.limits.minExpires)]] };
      const binding: Binding = { contact: `<${na.uri}>`, uri: na.uri, source, expiresAt: now + Math.min(asked, this.limits.maxExpires) * 1000, callId, cseq };
      if (existing) list = list.map((b) => (b === existing ? binding : b));
      else {
        if (list.length >= this.limits.perNumber || this.size >= this.limits.total) return { status: 403, reason: 'Too Many Registrations' };
        list = [...list, binding];
      }
    }
    if (list.length) this.#bindings.set(number, list);
    else this.#bindings.delete(number);
    return { status: 200, bindings: this.bindings(number) };
  }

  /** The 200's Contact headers: every binding with the seconds it has left. */
  contactHeaders(bindings: Binding[]): [string, string][] {
    const now = this.now();
    return bindings.map((b) => ['Contact', `${b.contact};expires=${Math.max(0, Math.round((b.expiresAt - now) / 1000))}`]);
  }
}

/** Contact URIs compare without their parameters' order mattering (§19.1.4, simplified: scheme, user, host, port). */
function sameUri(a: string, b: string): boolean {
  const norm = (u: string) => {
    const [base, ...params] = u.split(';');
    const p = parseParams(params.join(';'));
    return `${base.toLowerCase()};${p.transport ?? ''}`;
  };
  return norm(a) === norm(b);
}
