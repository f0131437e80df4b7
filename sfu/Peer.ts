import type { types } from 'mediasoup';
import { MediaClientError } from './errors.ts';

export interface PeerInfo {
  peerId: string;
  userId: number;
  displayName: string;
  unitCode: string;
  unitName: string;
  /** A phone site (语音接入): the caller's number. */
  phone?: string;
}

/** One participant's media objects inside a meeting room. Closing a transport closes what rides on it. */
export class Peer {
  readonly transports = new Map<string, types.WebRtcTransport>();
  /** Plain RTP transports of a synthetic site (bench, integration tests): loopback, no ICE/DTLS. */
  readonly plainTransports = new Map<string, types.PlainTransport>();
  readonly producers = new Map<string, types.Producer>();
  readonly consumers = new Map<string, types.Consumer>();
  /** What the site's browser last reported about its own sending (resolution, frame rate, RTT). */
  clientStats: { width: number; height: number; fps: number; rttMs: number | null; at: number } | null = null;

  constructor(readonly info: PeerInfo) {}

  get id(): string {
    return this.info.peerId;
  }

  transport(id: string): types.WebRtcTransport {
    const t = this.transports.get(id);
    if (!t) throw new MediaClientError('MEDIA_NOT_FOUND', `transport ${id} not found`);
    return t;
  }

  /** A transport to produce on or consume from: a console's WebRTC one or a synthetic site's plain one. */
  anyTransport(id: string): types.WebRtcTransport | types.PlainTransport {
    const t = this.transports.get(id) ?? this.plainTransports.get(id);
    if (!t) throw new MediaClientError('MEDIA_NOT_FOUND', `transport ${id} not found`);
    return t;
  }

  recvTransport(): types.WebRtcTransport | types.PlainTransport | undefined {
    return [...this.transports.values(), ...this.plainTransports.values()].find((t) => t.appData.direction === 'recv');
  }

  close(): void {
    for (const t of this.transports.values()) t.close();
    for (const t of this.plainTransports.values()) t.close();
    this.plainTransports.clear();
    this.transports.clear();
    this.producers.clear();
    this.consumers.clear();
  }
}
