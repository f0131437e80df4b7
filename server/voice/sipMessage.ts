/**
 * A strict SIP message parser and serialiser (RFC 3261 §7, §20, §25), pure: no sockets, no clocks.
 * Anything it does not understand is an error with the status to answer (400, 413, 505), never an exception
 * of another kind: the server answers what it can and drops the rest.
 */

/** Largest message we read (UDP datagram or one TCP frame). Real INVITEs with SDP are 1–3 KiB. */
export const MAX_SIP_BYTES = 16 * 1024;
export const MAX_HEADERS = 80;
const MAX_HEADER_LINE = 2048;

export class SipParseError extends Error {
  constructor(
    readonly status: 400 | 413 | 505,
    message: string,
  ) {
    super(message);
  }
}

export interface SipHeaders {
  /** Headers in order, names canonical (compact forms expanded), values trimmed. */
  list: [string, string][];
}

export interface SipRequest {
  kind: 'request';
  method: string;
  uri: string;
  headers: [string, string][];
  body: string;
}

export interface SipResponse {
  kind: 'response';
  status: number;
  reason: string;
  headers: [string, string][];
  body: string;
}

export type SipMessage = SipRequest | SipResponse;

const COMPACT: Record<string, string> = {
  v: 'Via', f: 'From', t: 'To', i: 'Call-ID', m: 'Contact', l: 'Content-Length', c: 'Content-Type',
  k: 'Supported', s: 'Subject', e: 'Content-Encoding', o: 'Event', r: 'Refer-To', u: 'Allow-Events',
};
const CANONICAL: Record<string, string> = Object.fromEntries(
  ['Via', 'From', 'To', 'Call-ID', 'CSeq', 'Contact', 'Content-Length', 'Content-Type', 'Max-Forwards', 'Allow',
    'Supported', 'User-Agent', 'Server', 'Route', 'Record-Route', 'Authorization', 'WWW-Authenticate', 'Proxy-Authorization', 'Proxy-Authenticate', 'Expires',
    'Accept', 'Subject', 'Content-Encoding', 'Event', 'Require', 'Unsupported', 'Retry-After', 'Reason']
    .map((h) => [h.toLowerCase(), h]),
);
/** Headers whose comma-separated values are separate entries (§7.3.1); the others keep commas. */
const MULTI = new Set(['Via', 'Route', 'Record-Route', 'Contact', 'Allow', 'Supported', 'Require']);

const TOKEN = /^[A-Za-z0-9\-.!%*_+`'~]+$/;
const METHOD = /^[A-Z][A-Z0-9-]{0,31}$/;

export function canonicalName(name: string): string {
  const lower = name.toLowerCase();
  return COMPACT[lower] ?? CANONICAL[lower] ?? name;
}

/** Split a header value on commas that are not inside quotes or angle brackets. */
export function splitCommas(value: string): string[] {
  const out: string[] = [];
  let depthAngle = 0;
  let quoted = false;
  let start = 0;
  for (let i = 0; i < value.length; i++) {
    const ch = value[i];
    if (quoted) {
      if (ch === '\\') i++;
      else if (ch === '"') quoted = false;
    } else if (ch === '"') quoted = true;
    else if (ch === '<') depthAngle++;
    else if (ch === '>') depthAngle = Math.max(0, depthAngle - 1);
    else if (ch === ',' && depthAngle === 0) {
      out.push(value.slice(start, i).trim());
      start = i + 1;
    }
  }
  out.push(value.slice(start).trim());
  return out.filter((v) => v.length > 0);
}

/** Parse one message (a UDP datagram, or a TCP frame found by frameLength). */
export function parseSip(input: Buffer | string): SipMessage {
  const bytes = typeof input === 'string' ? Buffer.byteLength(input) : input.length;
  if (bytes > MAX_SIP_BYTES) throw new SipParseError(413, 'message too large');
  const text = typeof input === 'string' ? input : input.toString('utf8');
  const end = text.indexOf('\r\n\r\n');
  if (end < 0) throw new SipParseError(400, 'no end of headers');
  const head = text.slice(0, end);
  const rawBody = text.slice(end + 4);
  const lines = head.split('\r\n');
  const start = lines.shift() ?? '';
  if (start.length > MAX_HEADER_LINE) throw new SipParseError(400, 'start line too long');

  const headers: [string, string][] = [];
  for (const line of lines) {
    if (line.length > MAX_HEADER_LINE) throw new SipParseError(400, 'header line too long');
    if (/^[ \t]/.test(line)) {
      // Folded continuation of the previous header (§7.3.1).
      const last = headers.at(-1);
      if (!last) throw new SipParseError(400, 'continuation without header');
      last[1] = `${last[1]} ${line.trim()}`;
      continue;
    }
    const colon = line.indexOf(':');
    if (colon <= 0) throw new SipParseError(400, 'malformed header');
    const name = line.slice(0, colon).trimEnd();
    if (!TOKEN.test(name)) throw new SipParseError(400, 'malformed header name');
    const value = line.slice(colon + 1).trim();
    // eslint-disable-next-line no-control-regex -- control characters are exactly what is refused here
    if (/[\0-\x08\n-\x1f\x7f]/.test(value)) throw new SipParseError(400, 'control character in header');
    const canon = canonicalName(name);
    if (MULTI.has(canon)) for (const v of splitCommas(value)) headers.push([canon, v]);
    else headers.push([canon, value]);
    if (headers.length > MAX_HEADERS) throw new SipParseError(400, 'too many headers');
  }

  const body = bodyOf(headers, rawBody);
  let msg: SipMessage;
  if (start.startsWith('SIP/')) {
    const m = /^SIP\/2\.0 ([1-6]\d\d) ([^\r\n]*)$/.exec(start);
    if (!m) throw new SipParseError(start.startsWith('SIP/2.0 ') ? 400 : 505, 'bad status line');
    msg = { kind: 'response', status: Number(m[1]), reason: m[2], headers, body };
  } else {
    const parts = start.split(' ');
    if (parts.length !== 3) throw new SipParseError(400, 'bad request line');
    const [method, uri, version] = parts;
    if (!METHOD.test(method)) throw new SipParseError(400, 'bad method');
    if (version !== 'SIP/2.0') throw new SipParseError(/^SIP\/\d/.test(version) ? 505 : 400, 'bad version');
    if (!/^(sip|sips|tel):[^\s<>"]+$/i.test(uri)) throw new SipParseError(400, 'bad request-uri');
    msg = { kind: 'request', method, uri, headers, body };
  }
  checkMandatory(msg);
  return msg;
}

function bodyOf(headers: [string, string][], rawBody: string): string {
  const cl = headers.find(([n]) => n === 'Content-Length')?.[1];
  if (cl === undefined) return rawBody; // UDP may omit it (§20.14): the body runs to the datagram's end
  if (!/^\d{1,6}$/.test(cl)) throw new SipParseError(400, 'bad Content-Length');
  const n = Number(cl);
  const buf = Buffer.from(rawBody, 'utf8');
  if (buf.length < n) throw new SipParseError(400, 'body shorter than Content-Length');
  return buf.subarray(0, n).toString('utf8'); // bytes past it are dropped (§18.3)
}

function checkMandatory(msg: SipMessage): void {
  for (const h of ['Via', 'From', 'To', 'Call-ID', 'CSeq']) {
    if (!msg.headers.some(([n]) => n === h)) throw new SipParseError(400, `missing ${h}`);
  }
  for (const h of ['From', 'To', 'Call-ID', 'CSeq', 'Content-Length', 'Max-Forwards']) {
    if (msg.headers.filter(([n]) => n === h).length > 1) throw new SipParseError(400, `duplicate ${h}`);
  }
  const cseq = parseCSeq(header(msg, 'CSeq')!);
  if (!cseq) throw new SipParseError(400, 'bad CSeq');
  if (msg.kind === 'request' && cseq.method !== msg.method) throw new SipParseError(400, 'CSeq method mismatch');
  const mf = header(msg, 'Max-Forwards');
  if (mf !== undefined && !/^\d{1,3}$/.test(mf)) throw new SipParseError(400, 'bad Max-Forwards');
  if (!parseVia(header(msg, 'Via')!)) throw new SipParseError(400, 'bad Via');
  if (!parseNameAddr(header(msg, 'From')!) || !parseNameAddr(header(msg, 'To')!)) throw new SipParseError(400, 'bad From/To');
}

/**
 * Length of the first complete message in a TCP stream buffer, 0 if more bytes are needed.
 * Throws 413 when the headers or the announced body exceed the limit (the connection is then closed).
 */
export function frameLength(buf: Buffer): number {
  const end = buf.indexOf('\r\n\r\n');
  if (end < 0) {
    if (buf.length > MAX_SIP_BYTES) throw new SipParseError(413, 'headers too large');
    return 0;
  }
  const head = buf.subarray(0, end).toString('latin1');
  const m = /\r\n(?:content-length|l)[ \t]*:[ \t]*(\d{1,9})/i.exec(head);
  if (!m) throw new SipParseError(400, 'Content-Length is mandatory on TCP');
  const total = end + 4 + Number(m[1]);
  if (total > MAX_SIP_BYTES) throw new SipParseError(413, 'message too large');
  return buf.length >= total ? total : 0;
}

// ---- header values ---------------------------------------------------------------------------

export function header(msg: { headers: [string, string][] }, name: string): string | undefined {
  return msg.headers.find(([n]) => n === name)?.[1];
}

export function headers(msg: { headers: [string, string][] }, name: string): string[] {
  return msg.headers.filter(([n]) => n === name).map(([, v]) => v);
}

export function parseParams(s: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const part of s.split(';')) {
    const p = part.trim();
    if (!p) continue;
    const eq = p.indexOf('=');
    if (eq < 0) out[p.toLowerCase()] = '';
    else out[p.slice(0, eq).trim().toLowerCase()] = p.slice(eq + 1).trim().replace(/^"(.*)"$/, '$1');
  }
  return out;
}

export interface Via {
  transport: string;
  host: string;
  port: number | null;
  params: Record<string, string>;
}

export function parseVia(v: string): Via | null {
  const m = /^SIP\s*\/\s*2\.0\s*\/\s*([A-Za-z]+)\s+([^\s;:]+|\[[0-9a-fA-F:.]+\])(?::(\d{1,5}))?\s*(;.*)?$/.exec(v);
  if (!m) return null;
  const port = m[3] ? Number(m[3]) : null;
  if (port !== null && (port < 1 || port > 65535)) return null;
  return { transport: m[1].toUpperCase(), host: m[2], port, params: parseParams(m[4] ?? '') };
}

export interface SipUri {
  scheme: string;
  user: string;
  host: string;
  port: number | null;
  params: Record<string, string>;
}

export function parseUri(u: string): SipUri | null {
  const m = /^(sips?|tel):(?:([^@;?\s]+)@)?([^;?:\s]+|\[[0-9a-fA-F:.]+\])(?::(\d{1,5}))?((?:;[^?\s]*)?)(?:\?.*)?$/i.exec(u);
  if (!m) return null;
  if (m[1].toLowerCase() === 'tel') return { scheme: 'tel', user: m[3], host: '', port: null, params: parseParams(m[5]) };
  const user = m[2] ? decodeURIComponentSafe(m[2].split(':')[0]) : '';
  return { scheme: m[1].toLowerCase(), user, host: m[3].toLowerCase(), port: m[4] ? Number(m[4]) : null, params: parseParams(m[5]) };
}

function decodeURIComponentSafe(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

export interface NameAddr {
  display: string;
  uri: string;
  params: Record<string, string>;
}

/** From / To / Contact: `"Name" <sip:u@h>;tag=x` or `sip:u@h;tag=x`. */
export function parseNameAddr(v: string): NameAddr | null {
  const angle = /^\s*(?:"((?:[^"\\]|\\.)*)"|([^<"]*?))\s*<([^>]+)>\s*(;.*)?$/.exec(v);
  if (angle) return { display: (angle[1] ?? angle[2] ?? '').trim(), uri: angle[3].trim(), params: parseParams(angle[4] ?? '') };
  const bare = /^\s*([^;\s<>"]+)\s*(;.*)?$/.exec(v);
  if (!bare || !/^(sips?|tel):/i.test(bare[1])) return null;
  return { display: '', uri: bare[1], params: parseParams(bare[2] ?? '') };
}

export function parseCSeq(v: string): { seq: number; method: string } | null {
  const m = /^(\d{1,10})\s+([A-Z][A-Z0-9-]*)$/.exec(v.trim());
  if (!m) return null;
  const seq = Number(m[1]);
  return seq < 2 ** 31 ? { seq, method: m[2] } : null;
}

// ---- building ----------------------------------------------------------------------------------

export function serialize(msg: SipMessage): string {
  const start = msg.kind === 'request' ? `${msg.method} ${msg.uri} SIP/2.0` : `SIP/2.0 ${msg.status} ${msg.reason}`;
  const lines = [start, ...msg.headers.filter(([n]) => n !== 'Content-Length').map(([n, v]) => `${n}: ${v}`)];
  lines.push(`Content-Length: ${Buffer.byteLength(msg.body)}`);
  return `${lines.join('\r\n')}\r\n\r\n${msg.body}`;
}

export const REASONS: Record<number, string> = {
  100: 'Trying', 180: 'Ringing', 200: 'OK', 400: 'Bad Request', 401: 'Unauthorized', 403: 'Forbidden',
  404: 'Not Found', 405: 'Method Not Allowed', 408: 'Request Timeout', 413: 'Request Entity Too Large',
  415: 'Unsupported Media Type', 420: 'Bad Extension', 480: 'Temporarily Unavailable',
  481: 'Call/Transaction Does Not Exist', 486: 'Busy Here', 487: 'Request Terminated', 488: 'Not Acceptable Here',
  500: 'Server Internal Error', 501: 'Not Implemented', 503: 'Service Unavailable', 505: 'Version Not Supported',
};

/** A response to `req` (§8.2.6): Via, From, To (with our tag), Call-ID and CSeq copied. */
export function responseTo(req: SipRequest, status: number, opts: { toTag?: string; headers?: [string, string][]; body?: string; reason?: string } = {}): SipResponse {
  const copied = req.headers.filter(([n]) => n === 'Via' || n === 'From' || n === 'Call-ID' || n === 'CSeq' || (status < 300 && n === 'Record-Route'));
  let to = header(req, 'To') ?? '';
  if (opts.toTag && status > 100 && !/;\s*tag=/i.test(to)) to = `${to};tag=${opts.toTag}`;
  const hs: [string, string][] = [...copied.filter(([n]) => n === 'Via'), ...copied.filter(([n]) => n === 'Record-Route'), ['From', header(req, 'From') ?? ''], ['To', to], ['Call-ID', header(req, 'Call-ID') ?? ''], ['CSeq', header(req, 'CSeq') ?? '']];
  return { kind: 'response', status, reason: opts.reason ?? REASONS[status] ?? 'Unknown', headers: [...hs, ...(opts.headers ?? [])], body: opts.body ?? '' };
}

/**
 * For input that failed to parse: a 400/413 if the message still shows the headers a response needs
 * (Via, From, To, Call-ID, CSeq of a request), else null (the datagram is dropped).
 */
export function errorResponseFor(raw: Buffer | string, err: SipParseError): string | null {
  const text = (typeof raw === 'string' ? raw : raw.subarray(0, MAX_SIP_BYTES).toString('utf8')).slice(0, MAX_SIP_BYTES);
  const headEnd = text.indexOf('\r\n\r\n');
  const head = headEnd >= 0 ? text.slice(0, headEnd) : text;
  const lines = head.split('\r\n');
  if (!/^[A-Z]+ \S+ SIP\/2\.0$/.test(lines[0] ?? '') || lines[0].startsWith('ACK ')) return null; // never answer ACKs or responses
  const want = new Map<string, string>();
  const vias: string[] = [];
  for (const line of lines.slice(1)) {
    const colon = line.indexOf(':');
    if (colon <= 0) continue;
    const name = canonicalName(line.slice(0, colon).trim());
    const value = line.slice(colon + 1).trim();
    // eslint-disable-next-line no-control-regex -- never echo control characters back
    if (value.length >= 512 || /[\0-\x08\n-\x1f\x7f]/.test(value)) continue;
    if (name === 'Via' && parseVia(splitCommas(value)[0] ?? '')) vias.push(...splitCommas(value));
    else if (want.has(name)) continue;
    else if ((name === 'From' || name === 'To') && parseNameAddr(value)) want.set(name, value);
    else if (name === 'CSeq' && parseCSeq(value)) want.set(name, value);
    else if (name === 'Call-ID' && /^[^\s]+$/.test(value)) want.set(name, value);
  }
  if (!vias.length || want.size < 4) return null;
  const hs = [...vias.slice(0, 10).map((v) => `Via: ${v}`), ...['From', 'To', 'Call-ID', 'CSeq'].map((n) => `${n}: ${want.get(n)}`)];
  const reason = REASONS[err.status];
  return `SIP/2.0 ${err.status} ${reason}\r\n${hs.join('\r\n')}\r\nContent-Length: 0\r\n\r\n`;
}
