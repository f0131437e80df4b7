/**
 * The WebRtcTransport point of bench:sfu: the same fan-out, but each receiver gets a WebRtcTransport with real
 * ICE and DTLS-SRTP, as a browser's console does. The receivers are WebRtcTransports of a second mediasoup worker
 * (pinned with the sender to the other CPU), each producing what it receives, so it decrypts SRTP and answers
 * with receiver reports, NACKs and transport-cc feedback like a browser. A browser per receiver (Chromium decodes
 * every 720p stream) would not fit N of them on the second core; Janus cannot be an ICE-lite peer's counterpart.
 *
 * Both mediasoup ends are ICE-lite, so neither starts connectivity checks: a relay in the middle (two UDP sockets
 * per receiver) plays the controlling ICE agent towards each side — authenticated STUN binding requests with
 * USE-CANDIDATE, repeated as consent — and passes every DTLS, SRTP and SRTCP datagram between the two.
 */
import { createHmac, randomBytes } from 'node:crypto';
import dgram from 'node:dgram';
import zlib from 'node:zlib';
import type { types } from 'mediasoup';

const LOOPBACK = '127.0.0.1';
const CONSENT_MS = 2000;

/** A STUN Binding request as a controlling ICE agent sends it (RFC 8445 §7.1.1, RFC 5389 §15.4/§15.5). */
export function stunBindingRequest(remote: types.IceParameters, localUfrag: string): Buffer {
  const attr = (type: number, value: Buffer) => {
    const head = Buffer.alloc(4);
    head.writeUInt16BE(type, 0);
    head.writeUInt16BE(value.length, 2);
    return Buffer.concat([head, value, Buffer.alloc((4 - (value.length % 4)) % 4)]);
  };
  const priority = Buffer.alloc(4);
  priority.writeUInt32BE(0x6e7f1eff, 0);
  const attrs = Buffer.concat([
    attr(0x0006, Buffer.from(`${remote.usernameFragment}:${localUfrag}`)), // USERNAME
    attr(0x0024, priority), // PRIORITY
    attr(0x802a, randomBytes(8)), // ICE-CONTROLLING (tie-breaker)
    attr(0x0025, Buffer.alloc(0)), // USE-CANDIDATE
  ]);
  const header = (extra: number) => {
    const h = Buffer.alloc(20);
    h.writeUInt16BE(0x0001, 0); // Binding request
    h.writeUInt16BE(attrs.length + extra, 2);
    h.writeUInt32BE(0x2112a442, 4); // magic cookie
    txId.copy(h, 8);
    return h;
  };
  const txId = randomBytes(12);
  const mi = createHmac('sha1', remote.password).update(Buffer.concat([header(24), attrs])).digest();
  const withMi = Buffer.concat([header(24 + 8), attrs, attr(0x0008, mi)]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE((zlib.crc32(withMi) ^ 0x5354554e) >>> 0, 0);
  return Buffer.concat([withMi, attr(0x8028, crc)]);
}

const isStun = (m: Buffer) => m.length > 0 && m[0]! < 4; // RFC 7983 demultiplexing

/** One receiver: SFU-side transport A, receiver-side transport B, and the relay between them. */
class Link {
  readonly a = dgram.createSocket('udp4');
  readonly b = dgram.createSocket('udp4');
  relayed = 0;
  #timer: NodeJS.Timeout | undefined;
  readonly #ufrag = randomBytes(4).toString('hex');

  constructor(
    readonly sfuSide: types.WebRtcTransport,
    readonly rxSide: types.WebRtcTransport,
    onMedia: (m: Buffer) => void,
  ) {
    const portOf = (t: types.WebRtcTransport) => t.iceCandidates[0]!.port;
    this.a.on('message', (m) => {
      if (isStun(m)) return; // binding responses: the relay is the only ICE agent that asks
      onMedia(m);
      this.relayed++;
      this.b.send(m, portOf(rxSide), LOOPBACK);
    });
    this.b.on('message', (m) => {
      if (isStun(m)) return;
      this.relayed++;
      this.a.send(m, portOf(sfuSide), LOOPBACK);
    });
  }

  async start(): Promise<void> {
    await Promise.all([this.a, this.b].map((s) => new Promise<void>((r) => s.bind(0, LOOPBACK, r))));
    const check = () => {
      this.a.send(stunBindingRequest(this.sfuSide.iceParameters, this.#ufrag), this.sfuSide.iceCandidates[0]!.port, LOOPBACK);
      this.b.send(stunBindingRequest(this.rxSide.iceParameters, this.#ufrag), this.rxSide.iceCandidates[0]!.port, LOOPBACK);
    };
    check();
    this.#timer = setInterval(check, CONSENT_MS);
  }

  close(): void {
    clearInterval(this.#timer);
    this.a.close();
    this.b.close();
    this.sfuSide.close();
    this.rxSide.close();
  }
}

const dtlsConnected = (t: types.WebRtcTransport) =>
  new Promise<void>((resolve, reject) => {
    if (t.dtlsState === 'connected') return resolve();
    const timer = setTimeout(() => reject(new Error(`DTLS not connected in 15 s (state ${t.dtlsState}, ICE ${t.iceState})`)), 15_000);
    t.on('dtlsstatechange', (s) => {
      if (s === 'connected') { clearTimeout(timer); resolve(); }
      if (s === 'failed' || s === 'closed') { clearTimeout(timer); reject(new Error(`DTLS ${s}`)); }
    });
  });

export interface WebRtcReceivers {
  /** Replaces the receivers by n new ones (ICE + DTLS done when it resolves). */
  set(n: number): Promise<void>;
  forwardedPackets(): Promise<number>;
  /** RTP packets the receiving worker decrypted and accepted (its producers' stats). */
  decryptedPackets(): Promise<number>;
  /** The SFU side's transport-cc estimates (availableOutgoingBitrate, b/s), one per receiver that has one. */
  estimates(): Promise<number[]>;
  /** Datagrams the relay sent (subtracted from the namespace's UDP counter) plus the receiver worker's. */
  relayed(): number;
  close(): void;
}

/** Receivers over WebRtcTransport for `producerId` on the SFU's `router`, terminated on `rxWorker`. */
export async function webRtcReceivers(router: types.Router, producerId: string, rxWorker: types.Worker, onMedia: (m: Buffer) => void): Promise<WebRtcReceivers> {
  const rxRouter = await rxWorker.createRouter({ mediaCodecs: [{ kind: 'video', mimeType: 'video/VP8', clockRate: 90000 }] });
  const listen = { listenInfos: [{ protocol: 'udp' as const, ip: LOOPBACK }], enableUdp: true };
  let links: { link: Link; sfuSide: types.WebRtcTransport; consumer: types.Consumer; producer: types.Producer }[] = [];
  let closedRelayed = 0;
  return {
    async set(n) {
      for (const { link } of links) { closedRelayed += link.relayed; link.close(); }
      links = [];
      for (let i = 0; i < n; i++) {
        const [sfuSide, rxSide] = await Promise.all([router.createWebRtcTransport(listen), rxRouter.createWebRtcTransport(listen)]);
        const link = new Link(sfuSide, rxSide, onMedia);
        await link.start();
        // The SFU side is the DTLS server (as mediasoup is towards a browser's offer), the receiver the client.
        await sfuSide.connect({ dtlsParameters: { role: 'client', fingerprints: rxSide.dtlsParameters.fingerprints } });
        await rxSide.connect({ dtlsParameters: { role: 'server', fingerprints: sfuSide.dtlsParameters.fingerprints } });
        await Promise.all([dtlsConnected(sfuSide), dtlsConnected(rxSide)]);
        const consumer = await sfuSide.consume({ producerId, rtpCapabilities: router.rtpCapabilities });
        const producer = await rxSide.produce({ kind: 'video', rtpParameters: consumer.rtpParameters });
        links.push({ link, sfuSide, consumer, producer });
      }
    },
    async forwardedPackets() {
      let count = 0;
      for (const { consumer } of links) for (const s of await consumer.getStats()) if (s.type === 'outbound-rtp') count += s.packetCount;
      return count;
    },
    async decryptedPackets() {
      let count = 0;
      for (const { producer } of links) for (const s of await producer.getStats()) count += s.packetCount;
      return count;
    },
    async estimates() {
      const bps: number[] = [];
      for (const { sfuSide } of links) for (const s of await sfuSide.getStats()) if (s.availableOutgoingBitrate) bps.push(s.availableOutgoingBitrate);
      return bps;
    },
    relayed: () => closedRelayed + links.reduce((sum, { link }) => sum + link.relayed, 0),
    close() {
      for (const { link } of links) link.close();
      rxRouter.close();
    },
  };
}
