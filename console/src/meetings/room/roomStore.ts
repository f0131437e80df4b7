import { defineStore } from 'pinia';
import { computed, markRaw, ref, shallowRef, type Raw } from 'vue';
import { Device, type types } from 'mediasoup-client';
import { useSocketStore } from '../../shared/socketStore';
import { errorText, type LazyText } from '../../shared/errorText';
import { i18n } from '../../shared/i18n';
import { toAppError } from '../../shared/errors';
import type { PeerInfo, ProducerInfo as WireProducerInfo } from '../../../../contract/meetings';
import { useAuthStore } from '../../auth/authStore';
import type { Command, ControlState } from '../control/model';
import {
  AUDIO_CODEC_OPTIONS,
  simulcastFor,
  VIDEO_CODEC_OPTIONS,
  captureLocalMedia,
  preferResolution,
} from './media';

/** ProducerInfo as the server sends it now (docs/API.md, "Meeting control"). */
type ProducerInfo = WireProducerInfo & { source?: 'mic' | 'camera' | 'screen'; paused?: boolean };

/** One remote site (peer) = one tile: its video and audio consumers. */
export interface RemoteSite {
  peerId: string;
  unitCode: string;
  unitName: string;
  displayName: string;
  /** A phone site (语音接入): the caller's number. */
  phone?: string;
  // Raw: Vue must neither proxy nor type-unwrap mediasoup objects.
  video: Raw<types.Consumer> | null;
  audio: Raw<types.Consumer> | null;
  /** Content shared by this site (双流), shown in the big tile. */
  screen: Raw<types.Consumer> | null;
}

/** How long a transport may stay 'disconnected' before we restart ICE, and how long an ICE restart may take. */
const ICE_GRACE_MS = 3000;
const ICE_RESTART_TIMEOUT_MS = 10_000;

interface JoinData {
  routerRtpCapabilities: types.RtpCapabilities;
  peers: PeerInfo[];
  producers: ProducerInfo[];
  /** Our peer id (the socket id). */
  peerId?: string;
  chair?: boolean;
  control?: ControlState;
}

interface TransportData {
  id: string;
  iceParameters: types.IceParameters;
  iceCandidates: types.IceCandidate[];
  dtlsParameters: types.DtlsParameters;
  iceServers?: RTCIceServer[];
}

export interface ChatMessage {
  meetingId: string;
  fromUnitCode: string;
  fromUnitName: string;
  fromName: string;
  toUnitCode: string | null;
  text: string;
  at: string;
}

interface ConsumeData {
  id: string;
  producerId: string;
  kind: types.MediaKind;
  rtpParameters: types.RtpParameters;
  peerId: string;
}

/** Join refusals that retrying cannot change. */
const FINAL_REFUSALS = new Set(['MEETING_ENDED', 'MEETING_REMOVED', 'MEETING_NOT_INVITED', 'NOT_FOUND']);

type Status = 'idle' | 'joining' | 'joined' | 'reconnecting' | 'failed';

/**
 * The meeting room: socket.io signalling + one mediasoup Device, a send and a recv transport.
 * mediasoup objects are kept out of Vue's reactivity (closure variables or markRaw).
 */
export const useRoomStore = defineStore('room', () => {
  const socket = useSocketStore();
  const { t } = i18n.global;

  const meetingId = ref<string | null>(null);
  const status = ref<Status>('idle');
  const fatal = ref<LazyText | null>(null);
  /** The fatal message is final (meeting ended, site removed or not invited): no 重新加入 to offer. */
  const fatalFinal = ref(false);
  const warning = ref<LazyText | null>(null);
  /** A warning that is a lock refusal (MUTE_LOCKED / VIDEO_LOCKED): it goes when the chair lifts the lock. */
  let lockWarning: { text: LazyText; code: string } | null = null;
  const sites = ref<RemoteSite[]>([]);
  const localStream = shallowRef<MediaStream | null>(null);
  const micOn = ref(false);
  const camOn = ref(false);
  const hasMic = ref(false);
  const hasCam = ref(false);
  /** The chair's control state, pushed by the server (control:state). */
  const control = ref<ControlState | null>(null);
  const isChair = ref(false);
  /** Our camera's producer id (tests read it from the local tile). */
  const localVideoProducerId = ref<string | null>(null);
  const sharing = ref(false);
  const chat = ref<ChatMessage[]>([]);
  const auth = useAuthStore();

  // Bumped on every join/leave: async steps of an older session see the mismatch and stop.
  let session = 0;
  let selfPeerId: string | undefined;
  let device: Device | null = null;
  let sendTransport: types.Transport | null = null;
  let recvTransport: types.Transport | null = null;
  let audioProducer: types.Producer | null = null;
  let videoProducer: types.Producer | null = null;
  let screenProducer: types.Producer | null = null;
  /** What we last asked the server for each video consumer: paused, and the simulcast layer. */
  const consumerView = new Map<string, { paused: boolean; layer: number }>();
  /** producerId → its consumer; `consumer` is null while the consume round-trip is in flight. */
  const consumers = new Map<string, { peerId: string; consumer: types.Consumer | null }>();
  /** Producers announced before the recv transport existed. */
  let queued: ProducerInfo[] = [];
  const knownPeers = new Set<string>();
  // Mic/camera choices survive a signalling reconnect.
  let wasMuted = false;
  let wasCamOff = false;

  const onlineUnits = computed(() => new Set(sites.value.map((s) => s.unitCode)));

  // ---- sites -------------------------------------------------------------

  function site(peerId: string): RemoteSite | undefined {
    return sites.value.find((s) => s.peerId === peerId);
  }

  function ensureSite(p: { peerId: string; unitCode: string; unitName: string; displayName?: string; phone?: string }): RemoteSite {
    const existing = site(p.peerId);
    if (existing) {
      if (p.displayName) existing.displayName = p.displayName;
      if (p.phone) existing.phone = p.phone;
      return existing;
    }
    sites.value.push({ peerId: p.peerId, unitCode: p.unitCode, unitName: p.unitName, displayName: p.displayName ?? '', phone: p.phone, video: null, audio: null, screen: null });
    sites.value.sort((a, b) => a.unitCode.localeCompare(b.unitCode));
    return site(p.peerId)!;
  }

  /** A tile stays while its peer is present or it still carries media. */
  function pruneSite(peerId: string): void {
    const s = site(peerId);
    if (s && !s.video && !s.audio && !s.screen && !knownPeers.has(peerId)) sites.value = sites.value.filter((x) => x !== s);
  }

  function isSelf(peerId: string): boolean {
    return !!selfPeerId && peerId === selfPeerId;
  }

  function addPeer(p: PeerInfo): void {
    if (isSelf(p.peerId)) return;
    knownPeers.add(p.peerId);
    ensureSite(p);
  }

  function removePeer(peerId: string): void {
    knownPeers.delete(peerId);
    for (const [producerId, entry] of consumers) if (entry.peerId === peerId) closeConsumer(producerId);
    sites.value = sites.value.filter((x) => x.peerId !== peerId);
  }

  // ---- consuming -----------------------------------------------------------

  async function consume(info: ProducerInfo, my: number): Promise<void> {
    if (isSelf(info.peerId) || consumers.has(info.producerId)) return;
    if (!recvTransport || !device) {
      queued.push(info);
      return;
    }
    const entry: { peerId: string; consumer: types.Consumer | null } = { peerId: info.peerId, consumer: null };
    consumers.set(info.producerId, entry);
    ensureSite({ peerId: info.peerId, unitCode: info.unitCode, unitName: info.unitName });
    try {
      const data = await socket.request<ConsumeData>('consume', { producerId: info.producerId, rtpCapabilities: device.rtpCapabilities });
      if (my !== session) return;
      const consumer = await recvTransport.consume({
        id: data.id,
        producerId: data.producerId,
        kind: data.kind,
        rtpParameters: data.rtpParameters,
        appData: { peerId: data.peerId ?? info.peerId, source: info.source ?? (data.kind === 'audio' ? 'mic' : 'camera') },
      });
      if (my !== session || consumers.get(info.producerId) !== entry) {
        consumer.close(); // we left, or the producer/peer went away while we were subscribing
        return;
      }
      entry.consumer = markRaw(consumer);
      const s = ensureSite({ peerId: data.peerId ?? info.peerId, unitCode: info.unitCode, unitName: info.unitName });
      if (info.source === 'screen') s.screen = markRaw(consumer);
      else if (consumer.kind === 'video') s.video = markRaw(consumer);
      else s.audio = markRaw(consumer);
      if (consumer.kind === 'video') consumerView.set(consumer.id, { paused: false, layer: 2 });
      await socket.request('consumer:resume', { consumerId: consumer.id });
    } catch (e) {
      if (my !== session || consumers.get(info.producerId) !== entry) return;
      console.error('[room] consume failed', info, e);
      closeConsumer(info.producerId);
      pruneSite(info.peerId);
      // A producer that vanished meanwhile is no news; a present site we cannot see is.
      if (knownPeers.has(info.peerId)) warning.value = () => errorText(e);
    }
  }

  function closeConsumer(producerId: string): void {
    const c = consumers.get(producerId)?.consumer;
    consumers.delete(producerId);
    if (!c) return;
    c.close();
    consumerView.delete(c.id);
    const s = sites.value.find((x) => x.video === c || x.audio === c || x.screen === c);
    if (!s) return;
    if (s.video === c) s.video = null;
    if (s.audio === c) s.audio = null;
    if (s.screen === c) s.screen = null;
    pruneSite(s.peerId);
  }

  // ---- transports and producing --------------------------------------------------

  async function createTransport(direction: 'send' | 'recv'): Promise<types.Transport> {
    const p = await socket.request<TransportData>('transport:create', { direction });
    const options = { id: p.id, iceParameters: p.iceParameters, iceCandidates: p.iceCandidates, dtlsParameters: p.dtlsParameters, iceServers: p.iceServers };
    const transport = markRaw(direction === 'send' ? device!.createSendTransport(options) : device!.createRecvTransport(options));
    transport.on('connect', ({ dtlsParameters }, done, fail) => {
      socket.request('transport:connect', { transportId: transport.id, dtlsParameters }).then(() => done(), fail);
    });
    if (direction === 'send') {
      transport.on('produce', ({ kind, rtpParameters, appData }, done, fail) => {
        socket
          .request<{ id: string }>('produce', { transportId: transport.id, kind, rtpParameters, appData })
          .then(({ id }) => done({ id }), fail);
      });
    }
    watchConnection(transport, session);
    return transport;
  }

  /**
   * Media path lost (network drop, NAT rebinding): restart ICE on the same transport; if that does not
   * bring it back, rejoin the meeting from scratch. No user action needed.
   */
  function watchConnection(transport: types.Transport, my: number): void {
    let timer: ReturnType<typeof setTimeout> | undefined;
    let restarting = false;
    const restart = async () => {
      if (my !== session || transport.closed || restarting) return;
      restarting = true;
      try {
        const { iceParameters } = await socket.request<{ iceParameters: types.IceParameters }>('transport:restartIce', { transportId: transport.id });
        if (my !== session || transport.closed) return;
        await transport.restartIce({ iceParameters });
        timer = setTimeout(() => {
          if (my === session && !transport.closed && transport.connectionState !== 'connected') void rejoin('ice restart did not reconnect');
        }, ICE_RESTART_TIMEOUT_MS);
      } catch (e) {
        if (my === session) void rejoin(`ice restart failed: ${(e as Error).message}`);
      } finally {
        restarting = false;
      }
    };
    transport.on('connectionstatechange', (state) => {
      clearTimeout(timer);
      if (my !== session) return;
      if (state === 'connected') {
        if (warning.value === mediaWarning) warning.value = null;
        return;
      }
      if (state === 'failed') {
        warning.value = mediaWarning;
        void restart();
      } else if (state === 'disconnected') {
        timer = setTimeout(() => void restart(), ICE_GRACE_MS);
      }
    });
  }
  const mediaWarning: LazyText = () => t('control.reconnectingMedia');

  async function rejoin(reason: string): Promise<void> {
    const id = meetingId.value;
    if (!id || !active()) return;
    console.warn('[room] rejoining:', reason);
    teardown(false);
    meetingId.value = id;
    status.value = 'reconnecting';
    if (socket.connected) await join(id);
  }

  async function publish(my: number): Promise<void> {
    let stream = localStream.value;
    if (!stream) {
      const capture = await captureLocalMedia();
      if (my !== session) {
        capture.stream?.getTracks().forEach((tr) => tr.stop());
        return;
      }
      stream = capture.stream;
      localStream.value = stream;
      if (capture.problem) {
        const problem = capture.problem;
        const key = stream ? 'room.audioOnly' : 'room.receiveOnly';
        warning.value = () => t(key, { reason: errorText(problem) });
      }
    }
    if (!stream || !sendTransport) return;

    const audioTrack = stream.getAudioTracks()[0];
    const videoTrack = stream.getVideoTracks()[0];
    try {
      if (audioTrack) {
        audioProducer = markRaw(
          await sendTransport.produce({ track: audioTrack, stopTracks: false, codecOptions: AUDIO_CODEC_OPTIONS, appData: { source: 'mic' } }),
        );
        if (my !== session) return;
        hasMic.value = true;
        if (wasMuted || mutedByState()) audioProducer.pause();
        micOn.value = !audioProducer.paused;
      }
      if (videoTrack) {
        videoProducer = markRaw(
          await sendTransport.produce({
            track: videoTrack,
            stopTracks: false,
            encodings: simulcastFor(videoTrack),
            codecOptions: VIDEO_CODEC_OPTIONS,
            appData: { source: 'camera' },
          }),
        );
        if (my !== session) return;
        hasCam.value = true;
        localVideoProducerId.value = videoProducer.id;
        if (wasCamOff || videoOffByState()) videoProducer.pause();
        camOn.value = !videoProducer.paused;
        await preferResolution(videoProducer.rtpSender);
      }
    } catch (e) {
      if (my !== session) return;
      console.error('[room] produce failed', e);
      warning.value = () => errorText(e);
    }
  }

  // ---- lifecycle ------------------------------------------------------------------

  /** In a session that should react to meeting pushes (not idle, failed or waiting to rejoin). */
  const active = () => status.value === 'joining' || status.value === 'joined';

  socket.on('peer:joined', (p: PeerInfo) => active() && addPeer(p));
  socket.on('peer:left', ({ peerId }: { peerId: string }) => active() && removePeer(peerId));
  socket.on('producer:new', (p: ProducerInfo) => active() && void consume(p, session));
  socket.on('producer:closed', ({ producerId }: { producerId: string }) => active() && closeConsumer(producerId));
  socket.on('control:state', (s: ControlState) => {
    if (!active() || s.meetingId !== meetingId.value) return;
    if (control.value && control.value.meetingId === s.meetingId && s.version < control.value.version) return; // stale
    applyControl(s);
  });
  socket.on('meeting:removed', ({ meetingId: id }: { meetingId: string }) => {
    if (id !== meetingId.value) return;
    teardown(true);
    fatal.value = () => t('control.removedNotice');
    fatalFinal.value = true;
  });
  socket.on('meeting:ended', ({ meetingId: id }: { meetingId: string }) => {
    if (id !== meetingId.value) return;
    teardown(true);
    fatal.value = () => t('control.endedNotice');
    fatalFinal.value = true;
  });
  socket.on('chat', (m: ChatMessage) => {
    if (m.meetingId !== meetingId.value) return;
    chat.value = [...chat.value.slice(-199), m];
  });
  socket.on('disconnect', () => {
    if (!active()) return;
    // The server drops our peer with the socket: keep the camera, rebuild the rest on reconnect.
    const id = meetingId.value;
    teardown(false);
    meetingId.value = id;
    status.value = 'reconnecting';
  });
  socket.on('connect', () => {
    if (status.value === 'reconnecting' && meetingId.value) void join(meetingId.value);
  });
  // Not in API.md: the server lost this meeting's media router (worker crash) and asks sites to rejoin.
  socket.on('meeting:restart', ({ meetingId: id }: { meetingId: string }) => {
    if (!active() || id !== meetingId.value) return;
    teardown(false);
    meetingId.value = id;
    status.value = 'reconnecting';
    void join(id);
  });

  async function join(id: string): Promise<void> {
    const keepStream = status.value === 'reconnecting';
    teardown(!keepStream);
    const my = ++session;
    meetingId.value = id;
    status.value = 'joining';
    fatal.value = null;
    fatalFinal.value = false;
    warning.value = null;

    try {
      const data = await socket.request<JoinData>('meeting:join', { meetingId: id, pin: sessionStorage.getItem(`tl.meetingPin.${id}`) ?? undefined });
      if (my !== session) return;
      selfPeerId = data.peerId ?? socket.socketId();
      isChair.value = !!data.chair;
      if (data.control) applyControl(data.control);
      device = new Device();
      await device.load({ routerRtpCapabilities: data.routerRtpCapabilities });
      if (my !== session) return;
      sendTransport = await createTransport('send');
      recvTransport = await createTransport('recv');
      if (my !== session) return;

      data.peers.forEach(addPeer);
      status.value = 'joined';
      const pending = [...data.producers, ...queued];
      queued = [];
      // Receive first: a site with a broken camera must still see and hear the main venue.
      await Promise.all(pending.map((p) => consume(p, my)));
      await publish(my);
    } catch (e) {
      if (my !== session) return;
      console.error('[room] join failed', e);
      const err = toAppError(e);
      if (status.value === 'joining' && err.code === 'SOCKET_DISCONNECTED') {
        status.value = 'reconnecting'; // the 'connect' listener retries
        return;
      }
      if (status.value === 'joining' && keepStream && err.code === 'TIMEOUT') {
        // Rejoining over a link that is still half dead: keep trying by ourselves, never leave it to the operator.
        status.value = 'reconnecting';
        setTimeout(() => {
          if (status.value === 'reconnecting' && meetingId.value === id && socket.connected) void join(id);
        }, 3000);
        return;
      }
      teardown(true);
      meetingId.value = id;
      status.value = 'failed';
      fatal.value = () => t('room.joinFailed', { reason: errorText(err) });
      fatalFinal.value = FINAL_REFUSALS.has(err.code);
    }
  }

  /** Close every mediasoup object; stopping the camera is optional so a reconnect does not re-prompt. */
  function teardown(stopMedia: boolean): void {
    session++;
    if (audioProducer) wasMuted = audioProducer.paused;
    if (videoProducer) wasCamOff = videoProducer.paused;
    for (const { consumer } of consumers.values()) consumer?.close();
    consumers.clear();
    queued = [];
    knownPeers.clear();
    audioProducer?.close();
    videoProducer?.close();
    stopShareLocal();
    audioProducer = videoProducer = null;
    localVideoProducerId.value = null;
    consumerView.clear();
    sendTransport?.close();
    recvTransport?.close();
    sendTransport = recvTransport = null;
    device = null;
    selfPeerId = undefined;
    sites.value = [];
    hasMic.value = hasCam.value = false;
    if (stopMedia) {
      localStream.value?.getTracks().forEach((tr) => tr.stop());
      localStream.value = null;
      wasMuted = wasCamOff = false;
      micOn.value = camOn.value = false;
    }
    meetingId.value = null;
    status.value = 'idle';
    control.value = null;
    isChair.value = false;
  }

  function leave(): void {
    if (status.value === 'joined' || status.value === 'joining') {
      socket.request('meeting:leave', {}).catch(() => undefined); // best effort; disconnect cleans up too
    }
    teardown(true);
    fatal.value = null;
    warning.value = null;
  }

  // ---- own sending stats, for the organiser's site health ------------------------------

  async function reportStats(): Promise<void> {
    if (status.value !== 'joined' || !sendTransport) return;
    let width = 0;
    let height = 0;
    let fps = 0;
    let rttMs: number | null = null;
    const report = await sendTransport.getStats().catch(() => null);
    report?.forEach((s: { type: string; kind?: string; frameWidth?: number; frameHeight?: number; framesPerSecond?: number; nominated?: boolean; state?: string; currentRoundTripTime?: number }) => {
      if (s.type === 'outbound-rtp' && s.kind === 'video' && (s.frameHeight ?? 0) > height) {
        width = s.frameWidth ?? 0;
        height = s.frameHeight ?? 0;
        fps = s.framesPerSecond ?? 0;
      }
      if (s.type === 'candidate-pair' && s.nominated && s.state === 'succeeded' && s.currentRoundTripTime !== undefined) rttMs = s.currentRoundTripTime * 1000;
    });
    socket.request('stats:report', { width, height, fps, rttMs }).catch(() => undefined);
  }
  setInterval(() => void reportStats(), 5000);

  // ---- the chair's control ------------------------------------------------------------

  const myUnit = () => auth.user?.unitCode ?? '';
  const mutedByState = () => !!control.value?.muted.includes(myUnit());
  const videoOffByState = () => !!control.value?.videoOff.includes(myUnit());
  const micLocked = computed(() => !!control.value?.muteLocked.includes(myUnit()));
  const camLocked = computed(() => !!control.value?.videoOff.includes(myUnit()));

  /** The server's state is the truth for our microphone (the SFU already paused or resumed it). */
  function applyControl(s: ControlState): void {
    const before = control.value;
    control.value = s;
    const me = myUnit();
    if (audioProducer) {
      const shouldMute = s.muted.includes(me);
      if (shouldMute && !audioProducer.paused) audioProducer.pause();
      if (!shouldMute && audioProducer.paused) audioProducer.resume();
      micOn.value = !audioProducer.paused;
    }
    if (videoProducer) {
      const off = s.videoOff.includes(me);
      const wasOff = !!before?.videoOff.includes(me);
      if (off && !videoProducer.paused) videoProducer.pause();
      if (!off && wasOff && videoProducer.paused) videoProducer.resume();
      camOn.value = !videoProducer.paused;
    }
    if (screenProducer && s.sharer !== me) stopShareLocal(); // taken back by the chair
    // A refusal because of a lock goes as soon as the chair lifts the lock (this push), not after a while.
    if (lockWarning && warning.value === lockWarning.text) {
      const lifted = lockWarning.code === 'MUTE_LOCKED' ? !s.muteLocked.includes(me) : !s.videoOff.includes(me);
      if (lifted) {
        warning.value = null;
        lockWarning = null;
      }
    }
  }

  /** Sends a control command; the new state arrives with the ack and as a push. Errors become a warning. */
  async function command(cmd: Command | { type: 'raiseHand' }): Promise<boolean> {
    try {
      const res = await socket.request<{ control: ControlState }>('control', { command: cmd });
      if (!control.value || res.control.version >= control.value.version) applyControl(res.control);
      return true;
    } catch (e) {
      const text: LazyText = () => errorText(e);
      warning.value = text;
      const code = toAppError(e).code;
      lockWarning = code === 'MUTE_LOCKED' || code === 'VIDEO_LOCKED' ? { text, code } : null;
      return false;
    }
  }

  async function toggleMic(): Promise<void> {
    if (!audioProducer) return;
    if (audioProducer.paused) {
      if (await command({ type: 'selfUnmute' })) audioProducer?.resume();
    } else {
      audioProducer.pause();
      await command({ type: 'selfMute' });
    }
    micOn.value = !!audioProducer && !audioProducer.paused;
  }

  async function toggleCam(): Promise<void> {
    if (!videoProducer) return;
    const on = videoProducer.paused;
    if (on && !(await command({ type: 'selfVideo', on: true }))) return;
    if (!videoProducer) return;
    if (on) videoProducer.resume();
    else {
      videoProducer.pause();
      await command({ type: 'selfVideo', on: false });
    }
    camOn.value = !!videoProducer && !videoProducer.paused;
  }

  /**
   * A video tile's place on screen: consumers not on screen are paused at the SFU (no bandwidth), the others
   * get the simulcast layer that fits the tile's width.
   */
  function viewVideo(consumer: types.Consumer | null, visible: boolean, widthPx: number): void {
    if (!consumer || consumer.closed) return;
    const cur = consumerView.get(consumer.id);
    if (!cur) return;
    // Not measured yet (0): keep what we have rather than dropping to the smallest layer.
    const layer = widthPx <= 0 ? cur.layer : widthPx >= 640 ? 2 : widthPx >= 320 ? 1 : 0;
    if (cur.paused === !visible && cur.layer === layer) return;
    const wasPaused = cur.paused;
    cur.paused = !visible;
    if (!visible) {
      if (!wasPaused) socket.request('consumer:pause', { consumerId: consumer.id }).catch(() => undefined);
      return;
    }
    if (cur.layer !== layer || wasPaused) {
      cur.layer = layer;
      socket.request('consumer:setPreferredLayers', { consumerId: consumer.id, spatialLayer: layer }).catch(() => undefined);
    }
    if (wasPaused) socket.request('consumer:resume', { consumerId: consumer.id }).catch(() => undefined);
  }

  // ---- content sharing (双流) -----------------------------------------------------------

  async function startShare(): Promise<void> {
    if (!sendTransport || screenProducer) return;
    let stream: MediaStream;
    try {
      stream = await navigator.mediaDevices.getDisplayMedia({ video: { frameRate: { ideal: 15 } }, audio: false });
    } catch (e) {
      warning.value = () => errorText(e);
      return;
    }
    const track = stream.getVideoTracks()[0];
    if (!track || !sendTransport) return;
    try {
      screenProducer = markRaw(await sendTransport.produce({ track, appData: { source: 'screen' }, codecOptions: VIDEO_CODEC_OPTIONS }));
      sharing.value = true;
      track.addEventListener('ended', () => stopShare());
    } catch (e) {
      track.stop();
      warning.value = () => errorText(e);
    }
  }

  function stopShareLocal(): void {
    if (!screenProducer) return;
    screenProducer.track?.stop();
    screenProducer.close();
    screenProducer = null;
    sharing.value = false;
  }

  function stopShare(): void {
    if (!screenProducer) return;
    const id = screenProducer.id;
    stopShareLocal();
    socket.request('producer:close', { producerId: id }).catch(() => undefined);
  }

  async function sendChat(text: string, toUnitCode?: string): Promise<boolean> {
    try {
      await socket.request('chat', { text, toUnitCode });
      return true;
    } catch (e) {
      warning.value = () => errorText(e);
      return false;
    }
  }

  return {
    meetingId,
    status,
    fatal,
    fatalFinal,
    warning,
    sites,
    onlineUnits,
    localStream,
    micOn,
    camOn,
    hasMic,
    hasCam,
    control,
    isChair,
    micLocked,
    camLocked,
    localVideoProducerId,
    sharing,
    chat,
    join,
    leave,
    toggleMic,
    toggleCam,
    command,
    viewVideo,
    startShare,
    stopShare,
    sendChat,
  };
});
