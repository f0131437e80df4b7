/**
 * The sending half of the RoomClient: transports (with ICE restart when the path drops), our microphone,
 * camera and shared content, and the server's control state applied to them. Typed events tell the store.
 */
import type { Device, types } from 'mediasoup-client';
import type { ControlState } from '../control/model';
import { AUDIO_CODEC_OPTIONS, VIDEO_CODEC_OPTIONS, captureLocalMedia, preferResolution, simulcastFor } from './media';
import { TypedEmitter, type Signalling } from './roomEvents';

/** What the sending half needs of its RoomClient (an interface: no import back). */
interface Host {
  readonly signalling: Signalling;
  /** Bumped on every join/leave. */
  readonly session: number;
}

/** How long a transport may stay 'disconnected' before we restart ICE, and how long an ICE restart may take. */
const ICE_GRACE_MS = 3000;
const ICE_RESTART_TIMEOUT_MS = 10_000;

export interface LocalState {
  micOn: boolean;
  camOn: boolean;
  hasMic: boolean;
  hasCam: boolean;
  sharing: boolean;
  videoProducerId: string | null;
  stream: MediaStream | null;
}

export interface RoomMediaEvents {
  local: [state: LocalState];
  /** The media path: 'failed' (we are restarting ICE) or back 'connected'. */
  path: [state: 'failed' | 'connected'];
  /** ICE restart did not bring the path back: rejoin from scratch. */
  lost: [reason: string];
  /** Capture or produce trouble: the error, or the capture problem and whether audio still goes. */
  problem: [e: unknown, capture?: 'audioOnly' | 'receiveOnly'];
}

interface TransportData {
  id: string;
  iceParameters: types.IceParameters;
  iceCandidates: types.IceCandidate[];
  dtlsParameters: types.DtlsParameters;
  iceServers?: RTCIceServer[];
}

export class RoomMedia extends TypedEmitter<RoomMediaEvents> {
  sendTransport: types.Transport | null = null;
  audioProducer: types.Producer | null = null;
  videoProducer: types.Producer | null = null;
  screenProducer: types.Producer | null = null;
  stream: MediaStream | null = null;
  // Mic/camera choices survive a signalling reconnect.
  wasMuted = false;
  wasCamOff = false;

  constructor(
    readonly client: Host,
    readonly device: () => Device | null,
  ) {
    super();
  }

  get state(): LocalState {
    return {
      micOn: !!this.audioProducer && !this.audioProducer.paused,
      camOn: !!this.videoProducer && !this.videoProducer.paused,
      hasMic: !!this.audioProducer,
      hasCam: !!this.videoProducer,
      sharing: !!this.screenProducer,
      videoProducerId: this.videoProducer?.id ?? null,
      stream: this.stream,
    };
  }

  changed(): void {
    this.emit('local', this.state);
  }

  async createSendTransport(my: number): Promise<void> {
    this.sendTransport = await this.createTransport('send', my);
  }

  async createTransport(direction: 'send' | 'recv', my: number): Promise<types.Transport> {
    const { signalling } = this.client;
    const device = this.device();
    const p = await signalling.request<TransportData>('transport:create', { direction });
    const options = { id: p.id, iceParameters: p.iceParameters, iceCandidates: p.iceCandidates, dtlsParameters: p.dtlsParameters, iceServers: p.iceServers };
    const transport = direction === 'send' ? device!.createSendTransport(options) : device!.createRecvTransport(options);
    transport.on('connect', ({ dtlsParameters }, done, fail) => {
      signalling.request('transport:connect', { transportId: transport.id, dtlsParameters }).then(() => done(), fail);
    });
    if (direction === 'send') {
      transport.on('produce', ({ kind, rtpParameters, appData }, done, fail) => {
        signalling.request<{ id: string }>('produce', { transportId: transport.id, kind, rtpParameters, appData }).then(({ id }) => done({ id }), fail);
      });
    }
    this.#watchConnection(transport, my);
    return transport;
  }

  /**
   * Media path lost (network drop, NAT rebinding): restart ICE on the same transport; if that does not
   * bring it back, rejoin the meeting from scratch. No user action needed.
   */
  #watchConnection(transport: types.Transport, my: number): void {
    let timer: ReturnType<typeof setTimeout> | undefined;
    let restarting = false;
    const mine = () => my === this.client.session && !transport.closed;
    const restart = async () => {
      if (!mine() || restarting) return;
      restarting = true;
      try {
        const { iceParameters } = await this.client.signalling.request<{ iceParameters: types.IceParameters }>('transport:restartIce', { transportId: transport.id });
        if (!mine()) return;
        await transport.restartIce({ iceParameters });
        timer = setTimeout(() => {
          if (mine() && transport.connectionState !== 'connected') this.emit('lost', 'ice restart did not reconnect');
        }, ICE_RESTART_TIMEOUT_MS);
      } catch (e) {
        if (my === this.client.session) this.emit('lost', `ice restart failed: ${(e as Error).message}`);
      } finally {
        restarting = false;
      }
    };
    transport.on('connectionstatechange', (state) => {
      clearTimeout(timer);
      if (my !== this.client.session) return;
      if (state === 'connected') this.emit('path', 'connected');
      else if (state === 'failed') {
        this.emit('path', 'failed');
        void restart();
      } else if (state === 'disconnected') timer = setTimeout(() => void restart(), ICE_GRACE_MS);
    });
  }

  /** Capture (once; a reconnect keeps the camera) and send microphone and camera, held as the control says. */
  async publish(my: number, control: () => ControlState | null, me: string): Promise<void> {
    let stream = this.stream;
    if (!stream) {
      const capture = await captureLocalMedia();
      if (my !== this.client.session) {
        capture.stream?.getTracks().forEach((tr) => tr.stop());
        return;
      }
      stream = this.stream = capture.stream;
      this.changed();
      if (capture.problem) this.emit('problem', capture.problem, stream ? 'audioOnly' : 'receiveOnly');
    }
    if (!stream || !this.sendTransport) return;
    const audioTrack = stream.getAudioTracks()[0];
    const videoTrack = stream.getVideoTracks()[0];
    try {
      if (audioTrack) {
        this.audioProducer = await this.sendTransport.produce({ track: audioTrack, stopTracks: false, codecOptions: AUDIO_CODEC_OPTIONS, appData: { source: 'mic' } });
        if (my !== this.client.session) return;
        if (this.wasMuted || !!control()?.muted.includes(me)) this.audioProducer.pause();
        this.changed();
      }
      if (videoTrack) {
        this.videoProducer = await this.sendTransport.produce({
          track: videoTrack,
          stopTracks: false,
          encodings: simulcastFor(videoTrack),
          codecOptions: VIDEO_CODEC_OPTIONS,
          appData: { source: 'camera' },
        });
        if (my !== this.client.session) return;
        if (this.wasCamOff || !!control()?.videoOff.includes(me)) this.videoProducer.pause();
        this.changed();
        await preferResolution(this.videoProducer.rtpSender);
      }
    } catch (e) {
      if (my !== this.client.session) return;
      console.error('[room] produce failed', e);
      this.emit('problem', e);
    }
  }

  /** The server's state is the truth for our microphone and camera (the SFU already paused or resumed them). */
  applyControl(s: ControlState, before: ControlState | null, me: string): void {
    const a = this.audioProducer;
    if (a) {
      const shouldMute = s.muted.includes(me);
      if (shouldMute && !a.paused) a.pause();
      if (!shouldMute && a.paused) a.resume();
    }
    const v = this.videoProducer;
    if (v) {
      const off = s.videoOff.includes(me);
      if (off && !v.paused) v.pause();
      if (!off && !!before?.videoOff.includes(me) && v.paused) v.resume();
    }
    if (this.screenProducer && s.sharer !== me) this.stopShareLocal(); // taken back by the chair
    this.changed();
  }

  async startShare(): Promise<void> {
    if (!this.sendTransport || this.screenProducer) return;
    let stream: MediaStream;
    try {
      stream = await navigator.mediaDevices.getDisplayMedia({ video: { frameRate: { ideal: 15 } }, audio: false });
    } catch (e) {
      this.emit('problem', e);
      return;
    }
    const track = stream.getVideoTracks()[0];
    if (!track || !this.sendTransport) return;
    try {
      this.screenProducer = await this.sendTransport.produce({ track, appData: { source: 'screen' }, codecOptions: VIDEO_CODEC_OPTIONS });
      this.changed();
      track.addEventListener('ended', () => this.stopShare());
    } catch (e) {
      track.stop();
      this.emit('problem', e);
    }
  }

  stopShareLocal(): void {
    if (!this.screenProducer) return;
    this.screenProducer.track?.stop();
    this.screenProducer.close();
    this.screenProducer = null;
    this.changed();
  }

  stopShare(): void {
    if (!this.screenProducer) return;
    const id = this.screenProducer.id;
    this.stopShareLocal();
    this.client.signalling.request('producer:close', { producerId: id }).catch(() => undefined);
  }

  /** Our own sending as the browser sees it, for the organiser's site health. */
  async reportStats(): Promise<void> {
    if (!this.sendTransport) return;
    let width = 0;
    let height = 0;
    let fps = 0;
    let rttMs: number | null = null;
    const report = await this.sendTransport.getStats().catch(() => null);
    report?.forEach((s: { type: string; kind?: string; frameWidth?: number; frameHeight?: number; framesPerSecond?: number; nominated?: boolean; state?: string; currentRoundTripTime?: number }) => {
      if (s.type === 'outbound-rtp' && s.kind === 'video' && (s.frameHeight ?? 0) > height) {
        width = s.frameWidth ?? 0;
        height = s.frameHeight ?? 0;
        fps = s.framesPerSecond ?? 0;
      }
      if (s.type === 'candidate-pair' && s.nominated && s.state === 'succeeded' && s.currentRoundTripTime !== undefined) rttMs = s.currentRoundTripTime * 1000;
    });
    this.client.signalling.request('stats:report', { width, height, fps, rttMs }).catch(() => undefined);
  }

  /** Producers and the send transport go; the local stream is kept (reconnect) or stopped (leave). */
  closeTransports(): void {
    if (this.audioProducer) this.wasMuted = this.audioProducer.paused;
    if (this.videoProducer) this.wasCamOff = this.videoProducer.paused;
    this.audioProducer?.close();
    this.videoProducer?.close();
    this.stopShareLocal();
    this.audioProducer = this.videoProducer = null;
    this.sendTransport?.close();
    this.sendTransport = null;
    this.changed();
  }

  stopStream(): void {
    this.stream?.getTracks().forEach((tr) => tr.stop());
    this.stream = null;
    this.wasMuted = this.wasCamOff = false;
    this.changed();
  }
}
