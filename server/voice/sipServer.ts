/**
 * SIP transport and transaction layer (RFC 3261 §17, §18) over UDP and TCP on one port.
 * Server transactions absorb retransmitted requests and resend their last response; over UDP a final
 * non-2xx INVITE response is retransmitted (Timer G) until the ACK or Timer H, a 2xx until its ACK
 * (§13.3.1.4); non-INVITE transactions linger for Timer J. Client transactions (our BYEs) retransmit
 * on Timer E and give up on Timer F. What fails to parse gets a 400/413 when a response can be routed.
 */
import dgram from 'node:dgram';
import { EventEmitter } from 'node:events';
import net from 'node:net';
import { randomBytes } from 'node:crypto';
import {
  errorResponseFor,
  frameLength,
  header,
  parseSip,
  parseCSeq,
  parseVia,
  responseTo,
  serialize,
  SipParseError,
  type SipRequest,
  type SipResponse,
} from './sipMessage.ts';

export interface Timers {
  t1: number;
  t2: number;
  t4: number;
}
export const RFC_TIMERS: Timers = { t1: 500, t2: 4000, t4: 5000 };

export interface Source {
  transport: 'UDP' | 'TCP';
  address: string;
  port: number;
  /** The TCP connection the request came on (responses and in-dialog requests go back on it). */
  socket?: net.Socket;
}

export interface IncomingRequest {
  msg: SipRequest;
  source: Source;
  /** Send a response in this request's transaction (the first final one ends it for the TU). */
  respond(status: number, opts?: Parameters<typeof responseTo>[2]): void;
}

interface ServerTx {
  key: string;
  method: string;
  source: Source;
  last: string | null;
  final: number | null;
  timers: ReturnType<typeof setTimeout>[];
  /** An INVITE's request, for CANCEL (→ 487) and the 2xx retransmission. */
  req: SipRequest;
}

interface SipServerEvents {
  request: [req: IncomingRequest];
  /** A 2xx to an INVITE got no ACK within 64·T1: the TU should end the call (§13.3.1.4). */
  ackTimeout: [callId: string];
  /** A CANCEL matched a pending INVITE; the server already answered 487. */
  cancelled: [callId: string];
  error: [err: Error];
}

export interface SipServerOptions {
  host: string;
  port: number;
  /** Address written into our Vias (behind NAT / Kamailio). */
  advertise?: string;
  udp?: boolean;
  tcp?: boolean;
  timers?: Timers;
  /** New INVITEs accepted per source address in 10 s before 503 (flood throttle). */
  invitesPer10s?: number;
}

export const newTag = (): string => randomBytes(6).toString('hex');
export const newBranch = (): string => `z9hG4bK${randomBytes(8).toString('hex')}`;

export class SipServer extends EventEmitter<SipServerEvents> {
  readonly #tx = new Map<string, ServerTx>();
  /** Our 2xx answers to INVITEs awaiting their ACK: Call-ID → stop retransmitting. */
  readonly #awaitingAck = new Map<string, () => void>();
  readonly #client = new Map<string, (res: SipResponse) => void>();
  /** Client transactions in flight: closing ends them (as if Timer F fired). */
  readonly #pending = new Set<(res: SipResponse | null) => void>();
  readonly #invites = new Map<string, number[]>();
  readonly timers: Timers;
  #udp: dgram.Socket | null = null;
  #tcp: net.Server | null = null;
  readonly #conns = new Set<net.Socket>();
  #closed = false;

  private constructor(readonly opts: SipServerOptions) {
    super();
    this.timers = opts.timers ?? RFC_TIMERS;
  }

  static async listen(opts: SipServerOptions): Promise<SipServer> {
    const s = new SipServer(opts);
    if (opts.udp !== false) {
      const udp = dgram.createSocket('udp4');
      udp.on('message', (buf, rinfo) => s.#onData(buf, { transport: 'UDP', address: rinfo.address, port: rinfo.port }));
      udp.on('error', (e) => s.emit('error', e));
      await new Promise<void>((resolve, reject) => {
        udp.once('error', reject);
        udp.bind(opts.port, opts.host, () => resolve());
      });
      s.#udp = udp;
    }
    if (opts.tcp !== false) {
      const port = s.#udp ? s.#udp.address().port : opts.port;
      const tcp = net.createServer((c) => void s.#onConnection(c));
      await new Promise<void>((resolve, reject) => {
        tcp.once('error', reject);
        tcp.listen(port, opts.host, () => resolve());
      });
      s.#tcp = tcp;
    }
    return s;
  }

  get port(): number {
    const a = this.#udp?.address() ?? this.#tcp?.address();
    return typeof a === 'object' && a ? a.port : this.opts.port;
  }

  get host(): string {
    return this.opts.host;
  }

  /** A Via of ours for a new client transaction toward `to`. */
  newVia(to: Source, branch = newBranch()): string {
    return `SIP/2.0/${to.transport} ${this.opts.advertise ?? this.opts.host}:${this.port};branch=${branch};rport`;
  }

  /** Responses of one client transaction (branch + CSeq method); returns the unsubscribe. */
  watch(branch: string, method: string, onResponse: (res: SipResponse) => void): () => void {
    const key = `${branch}|${method}`;
    this.#client.set(key, onResponse);
    return () => {
      if (this.#client.get(key) === onResponse) this.#client.delete(key);
    };
  }

  /** Send bytes as they are (the INVITE client transaction, ACKs). */
  send(wire: string, to: Source): void {
    this.#send(wire, to);
  }

  /** Where to send requests to a host: over UDP as is, over TCP on a new connection of ours (read like accepted ones). */
  async connect(transport: 'UDP' | 'TCP', address: string, port: number): Promise<Source> {
    if (transport === 'UDP') return { transport, address, port };
    const c = net.connect(port, address);
    await new Promise<void>((resolve, reject) => {
      c.once('connect', () => resolve());
      c.once('error', reject);
      setTimeout(() => reject(new Error('TCP connect timeout')), 64 * this.timers.t1).unref?.();
    });
    return this.#onConnection(c);
  }

  /** Send a non-INVITE request (BYE, CANCEL) in a client transaction; resolves with its final response or null on Timer F. */
  request(req: SipRequest, to: Source, via = this.newVia(to)): Promise<SipResponse | null> {
    req.headers.unshift(['Via', via]);
    const branch = parseVia(via)!.params.branch;
    const wire = serialize(req);
    return new Promise((resolve) => {
      const timers: ReturnType<typeof setTimeout>[] = [];
      const done = (res: SipResponse | null) => {
        for (const t of timers) clearTimeout(t);
        unwatch();
        this.#pending.delete(done);
        resolve(res);
      };
      this.#pending.add(done);
      const unwatch = this.watch(branch, req.method, (res) => {
        if (res.status >= 200) done(res);
      });
      this.#send(wire, to);
      if (to.transport === 'UDP') {
        let interval = this.timers.t1;
        const retransmit = () => {
          this.#send(wire, to);
          interval = Math.min(interval * 2, this.timers.t2);
          timers.push(setTimeout(retransmit, interval));
        };
        timers.push(setTimeout(retransmit, interval)); // Timer E
      }
      timers.push(setTimeout(() => done(null), 64 * this.timers.t1)); // Timer F
    });
  }

  async close(): Promise<void> {
    this.#closed = true;
    for (const tx of this.#tx.values()) for (const t of tx.timers) clearTimeout(t);
    this.#tx.clear();
    for (const stop of this.#awaitingAck.values()) stop();
    for (const done of [...this.#pending]) done(null);
    for (const c of this.#conns) c.destroy();
    await Promise.all([
      new Promise<void>((r) => (this.#udp ? this.#udp.close(() => r()) : r())),
      new Promise<void>((r) => (this.#tcp ? this.#tcp.close(() => r()) : r())),
    ]);
  }

  // ---- transports ------------------------------------------------------------------------------

  #onConnection(c: net.Socket): Source {
    const source: Source = { transport: 'TCP', address: c.remoteAddress ?? '', port: c.remotePort ?? 0, socket: c };
    if (this.#conns.size >= 512) {
      c.destroy();
      return source;
    }
    this.#conns.add(c);
    c.setTimeout(10 * 60_000, () => c.destroy()); // idle connection
    let buf = Buffer.alloc(0);
    c.on('data', (chunk) => {
      buf = Buffer.concat([buf, chunk]);
      try {
        for (;;) {
          // RFC 5626 keep-alive CRLFs between messages
          let skip = 0;
          while (skip < buf.length && (buf[skip] === 13 || buf[skip] === 10)) skip++;
          if (skip) buf = buf.subarray(skip);
          const n = frameLength(buf);
          if (n === 0) break;
          const frame = buf.subarray(0, n);
          buf = buf.subarray(n);
          this.#onData(frame, source);
        }
      } catch (e) {
        // No way to find the next message in this stream: answer if we can, then drop the connection.
        if (e instanceof SipParseError) {
          const res = errorResponseFor(buf, e);
          if (res) c.write(res);
        }
        c.end();
        c.destroySoon?.();
        buf = Buffer.alloc(0);
      }
    });
    c.on('error', () => undefined);
    c.on('close', () => this.#conns.delete(c));
    return source;
  }

  #send(wire: string, to: Source): void {
    if (this.#closed) return;
    if (to.transport === 'TCP') {
      if (to.socket && !to.socket.destroyed) to.socket.write(wire);
    } else this.#udp?.send(wire, to.port, to.address);
  }

  #onData(buf: Buffer, source: Source): void {
    let msg;
    try {
      msg = parseSip(buf);
    } catch (e) {
      if (!(e instanceof SipParseError)) throw e;
      const res = errorResponseFor(buf, e);
      if (res) this.#send(res, source);
      return;
    }
    if (msg.kind === 'response') {
      const branch = parseVia(header(msg, 'Via')!)?.params.branch;
      const method = parseCSeq(header(msg, 'CSeq')!)?.method;
      if (branch && method) this.#client.get(`${branch}|${method}`)?.(msg);
      return;
    }
    this.#onRequest(msg, source);
  }

  // ---- server transactions -------------------------------------------------------------------

  #onRequest(req: SipRequest, source: Source): void {
    const via = parseVia(header(req, 'Via')!)!;
    const branch = via.params.branch ?? '';
    if (!branch.startsWith('z9hG4bK')) {
      // RFC 2543 transaction matching is not supported: strict 3261 only.
      if (req.method !== 'ACK') this.#send(serialize(responseTo(req, 400, { reason: 'Missing RFC 3261 Branch' })), source);
      return;
    }
    const sentBy = `${via.host}:${via.port ?? 5060}`;
    const keyOf = (method: string) => `${branch}|${sentBy}|${method}`;
    const callId = header(req, 'Call-ID')!;

    if (req.method === 'ACK') {
      const tx = this.#tx.get(keyOf('INVITE'));
      if (tx && tx.final !== null && tx.final >= 300) {
        // ACK of our error response: stop Timer G, absorb further ACKs for Timer I.
        for (const t of tx.timers) clearTimeout(t);
        tx.timers = [setTimeout(() => this.#tx.delete(tx.key), source.transport === 'UDP' ? this.timers.t4 : 0)];
        return;
      }
      const stop = this.#awaitingAck.get(callId);
      if (stop) stop();
      this.emit('request', { msg: req, source, respond: () => undefined });
      return;
    }

    const existing = this.#tx.get(keyOf(req.method));
    if (existing) {
      if (existing.last) this.#send(existing.last, source); // a retransmission: the same answer again
      return;
    }

    if (req.method === 'CANCEL') {
      const invite = this.#tx.get(keyOf('INVITE'));
      const tx = this.#newTx(keyOf('CANCEL'), req, source);
      if (!invite) return this.#respond(tx, responseTo(req, 481));
      this.#respond(tx, responseTo(req, 200));
      if (invite.final === null) {
        this.#respond(invite, responseTo(invite.req, 487, { toTag: newTag() }));
        this.emit('cancelled', callId);
      }
      return;
    }

    if (req.method === 'INVITE' && !header(req, 'To')!.match(/;\s*tag=/i) && !this.#allowInvite(source.address)) {
      const tx = this.#newTx(keyOf('INVITE'), req, source);
      return this.#respond(tx, responseTo(req, 503, { toTag: newTag(), headers: [['Retry-After', '10']] }));
    }

    const tx = this.#newTx(keyOf(req.method), req, source);
    if (req.method === 'INVITE') this.#respond(tx, responseTo(req, 100)); // stops the caller's Timer A at once
    this.emit('request', { msg: req, source, respond: (status, opts) => this.#respond(tx, responseTo(req, status, opts)) });
  }

  #allowInvite(address: string): boolean {
    const limit = this.opts.invitesPer10s ?? 20;
    const now = Date.now();
    const recent = (this.#invites.get(address) ?? []).filter((t) => now - t < 10_000);
    if (recent.length >= limit) return false;
    recent.push(now);
    this.#invites.set(address, recent);
    if (this.#invites.size > 10_000) this.#invites.clear(); // bounded memory under a spoofed-source flood
    return true;
  }

  #newTx(key: string, req: SipRequest, source: Source): ServerTx {
    const tx: ServerTx = { key, method: req.method, source, last: null, final: null, timers: [], req };
    this.#tx.set(key, tx);
    // A transaction the TU never answers does not live forever.
    tx.timers.push(setTimeout(() => this.#tx.delete(key), 128 * this.timers.t1));
    return tx;
  }

  #respond(tx: ServerTx, res: SipResponse): void {
    if (tx.final !== null) return; // one final response per transaction
    const wire = serialize(res);
    tx.last = wire;
    this.#send(wire, tx.source);
    if (res.status < 200) return;
    tx.final = res.status;
    for (const t of tx.timers) clearTimeout(t);
    tx.timers = [];
    const udp = tx.source.transport === 'UDP';
    if (tx.method === 'INVITE' && res.status < 300) {
      this.#retransmit2xx(wire, tx);
      tx.timers.push(setTimeout(() => this.#tx.delete(tx.key), 64 * this.timers.t1));
    } else if (tx.method === 'INVITE') {
      if (udp) this.#every(tx, wire); // Timer G
      tx.timers.push(setTimeout(() => this.#tx.delete(tx.key), 64 * this.timers.t1)); // Timer H
    } else {
      tx.timers.push(setTimeout(() => this.#tx.delete(tx.key), udp ? 64 * this.timers.t1 : 0)); // Timer J
    }
  }

  #every(tx: ServerTx, wire: string): void {
    let interval = this.timers.t1;
    const tick = () => {
      this.#send(wire, tx.source);
      interval = Math.min(interval * 2, this.timers.t2);
      tx.timers.push(setTimeout(tick, interval));
    };
    tx.timers.push(setTimeout(tick, interval));
  }

  /** The 2xx is the TU's to retransmit until the ACK (§13.3.1.4); over TCP only the wait for it. */
  #retransmit2xx(wire: string, tx: ServerTx): void {
    const callId = header(tx.req, 'Call-ID')!;
    const timers: ReturnType<typeof setTimeout>[] = [];
    const stop = () => {
      for (const t of timers) clearTimeout(t);
      this.#awaitingAck.delete(callId);
    };
    this.#awaitingAck.set(callId, stop);
    if (tx.source.transport === 'UDP') {
      let interval = this.timers.t1;
      const tick = () => {
        this.#send(wire, tx.source);
        interval = Math.min(interval * 2, this.timers.t2);
        timers.push(setTimeout(tick, interval));
      };
      timers.push(setTimeout(tick, interval));
    }
    timers.push(
      setTimeout(() => {
        stop();
        this.emit('ackTimeout', callId);
      }, 64 * this.timers.t1),
    );
  }
}
