/**
 * Network check against our SFU (会前调试): camera and microphone go up to a private test router and come
 * straight back (devicetest:* socket events, server/meetings/deviceTest.ts). Measured here from both ends:
 * the browser's ICE candidate pair (RTT), its RTP stats (bitrate, loss, decoded picture) and the SFU's own.
 */
import { Device, type types } from 'mediasoup-client';
import { AppError } from '../../shared/errors';
import { useSocketStore } from '../../shared/socketStore';

export interface LoopSample {
  /** ms; null until measured. */
  rttMs: number | null;
  upKbps: number;
  downKbps: number;
  /** 0..1, the worse of uplink (as the SFU sees it) and downlink (as the browser sees it). */
  loss: number;
  decodedWidth: number;
  decodedHeight: number;
}

interface TransportParams {
  id: string;
  iceParameters: types.IceParameters;
  iceCandidates: types.IceCandidate[];
  dtlsParameters: types.DtlsParameters;
}
interface StartData {
  rtpCapabilities: types.RtpCapabilities;
  send: TransportParams;
  recv: TransportParams;
  expiresInMs: number;
}
interface ServerStats {
  rttMs: number | null;
  upKbps: number;
  downKbps: number;
  upLoss: number;
}

export class LoopbackCheck {
  readonly socket = useSocketStore();
  #send: types.Transport | null = null;
  #recv: types.Transport | null = null;
  #tracks: MediaStreamTrack[] = [];
  #prev: { at: number; sent: number; received: number } | null = null;
  #stopped = false;
  #offClosed: (() => void) | null = null;
  /** Why the server ended it (timeout, worker), for the page. */
  onServerClosed: ((reason: string) => void) | null = null;

  /** Connects and starts the loop; returns the stream that came back (video + audio). */
  async start(source: MediaStream): Promise<MediaStream> {
    await this.socket.request('devicetest:stop').catch(() => undefined); // a leftover of this socket
    this.#offClosed = this.socket.on('devicetest:closed', ({ reason }: { reason: string }) => {
      if (!this.#stopped) this.onServerClosed?.(reason);
      void this.stop();
    });
    const data = await this.socket.request<StartData>('devicetest:start');
    const device = new Device();
    await device.load({ routerRtpCapabilities: data.rtpCapabilities });
    const connect = (t: types.Transport) =>
      t.on('connect', ({ dtlsParameters }, done, fail) => {
        this.socket.request('devicetest:connect', { transportId: t.id, dtlsParameters }).then(() => done(), fail);
      });
    this.#send = device.createSendTransport(data.send);
    this.#recv = device.createRecvTransport(data.recv);
    connect(this.#send);
    connect(this.#recv);
    this.#send.on('produce', ({ kind, rtpParameters }, done, fail) => {
      this.socket.request<{ id: string }>('devicetest:produce', { kind, rtpParameters }).then(done, fail);
    });
    const back = new MediaStream();
    for (const original of source.getTracks()) {
      if (this.#stopped) break;
      const track = original.clone(); // the preview keeps its own track
      this.#tracks.push(track);
      const producer = await this.#send.produce({
        track,
        ...(track.kind === 'video' ? { encodings: [{ maxBitrate: 1_500_000 }], codecOptions: { videoGoogleStartBitrate: 1000 } } : {}),
      });
      const c = await this.socket.request<{ id: string; producerId: string; kind: types.MediaKind; rtpParameters: types.RtpParameters }>(
        'devicetest:consume',
        { producerId: producer.id, rtpCapabilities: device.rtpCapabilities },
      );
      const consumer = await this.#recv.consume({ id: c.id, producerId: c.producerId, kind: c.kind, rtpParameters: c.rtpParameters });
      back.addTrack(consumer.track);
      await this.socket.request('devicetest:resume', { consumerId: c.id });
    }
    if (this.#stopped) throw new AppError('DEVICE_TEST_NOT_STARTED');
    return back;
  }

  /** One measurement; bitrates are over the time since the previous call. */
  async sample(): Promise<LoopSample> {
    if (!this.#send || !this.#recv) throw new AppError('DEVICE_TEST_NOT_STARTED');
    const [sendStats, recvStats, server] = await Promise.all([
      this.#send.getStats(),
      this.#recv.getStats(),
      this.socket.request<ServerStats>('devicetest:stats').catch(() => null),
    ]);
    let rtt: number | null = null;
    let sent = 0;
    sendStats.forEach((s) => {
      if (s.type === 'candidate-pair' && s.nominated && typeof s.currentRoundTripTime === 'number') rtt = s.currentRoundTripTime * 1000;
      if (s.type === 'outbound-rtp') sent += s.bytesSent ?? 0;
    });
    let received = 0;
    let lost = 0;
    let packets = 0;
    let w = 0;
    let h = 0;
    recvStats.forEach((s) => {
      if (s.type === 'candidate-pair' && s.nominated && rtt === null && typeof s.currentRoundTripTime === 'number') rtt = s.currentRoundTripTime * 1000;
      if (s.type === 'inbound-rtp') {
        received += s.bytesReceived ?? 0;
        lost += Math.max(0, s.packetsLost ?? 0);
        packets += s.packetsReceived ?? 0;
        if (s.kind === 'video' && s.frameHeight) {
          w = s.frameWidth ?? 0;
          h = s.frameHeight;
        }
      }
    });
    const now = performance.now();
    const prev = this.#prev;
    this.#prev = { at: now, sent, received };
    const secs = prev ? (now - prev.at) / 1000 : 0;
    const kbps = (bytes: number) => (secs > 0 ? Math.max(0, Math.round((bytes * 8) / secs / 1000)) : 0);
    const rttMs: number | null = rtt ?? server?.rttMs ?? null;
    return {
      rttMs: rttMs === null ? null : rttMs < 10 ? Math.round(rttMs * 10) / 10 : Math.round(rttMs), // a LAN: 0.4 ms, not 0
      upKbps: prev ? kbps(sent - prev.sent) : (server?.upKbps ?? 0),
      downKbps: prev ? kbps(received - prev.received) : (server?.downKbps ?? 0),
      loss: Math.max(server?.upLoss ?? 0, packets + lost > 0 ? lost / (packets + lost) : 0),
      decodedWidth: w,
      decodedHeight: h,
    };
  }

  async stop(): Promise<void> {
    if (this.#stopped) return;
    this.#stopped = true;
    this.#offClosed?.();
    this.#send?.close();
    this.#recv?.close();
    for (const t of this.#tracks) t.stop();
    this.#tracks = [];
    await this.socket.request('devicetest:stop').catch(() => undefined);
  }
}
