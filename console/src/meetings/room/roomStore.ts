import { defineStore } from 'pinia';
import { computed, markRaw, ref, shallowRef, type Raw } from 'vue';
import { Device, type types } from 'mediasoup-client';
import { useSocketStore } from '../../shared/socketStore';
import { errorText, type LazyText } from '../../shared/errorText';
import { i18n } from '../../shared/i18n';
import { toAppError } from '../../shared/errors';
import type { PeerInfo, ProducerInfo } from '../../shared/types';
import {
  AUDIO_CODEC_OPTIONS,
  SIMULCAST_ENCODINGS,
  VIDEO_CODEC_OPTIONS,
  captureLocalMedia,
  preferResolution,
} from './media';

/** One remote site (peer) = one tile: its video and audio consumers. */
export interface RemoteSite {
  peerId: string;
  unitCode: string;
  unitName: string;
  displayName: string;
  // Raw: Vue must neither proxy nor type-unwrap mediasoup objects.
  video: Raw<types.Consumer> | null;
  audio: Raw<types.Consumer> | null;
}

interface JoinData {
  routerRtpCapabilities: types.RtpCapabilities;
  peers: PeerInfo[];
  producers: ProducerInfo[];
  /** Not in API.md; used if the server sends it. Otherwise our peer id is assumed to be the socket id. */
  peerId?: string;
}

interface TransportData {
  id: string;
  iceParameters: types.IceParameters;
  iceCandidates: types.IceCandidate[];
  dtlsParameters: types.DtlsParameters;
  iceServers?: RTCIceServer[];
}

interface ConsumeData {
  id: string;
  producerId: string;
  kind: types.MediaKind;
  rtpParameters: types.RtpParameters;
  peerId: string;
}

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
  const warning = ref<LazyText | null>(null);
  const sites = ref<RemoteSite[]>([]);
  const localStream = shallowRef<MediaStream | null>(null);
  const micOn = ref(false);
  const camOn = ref(false);
  const hasMic = ref(false);
  const hasCam = ref(false);

  // Bumped on every join/leave: async steps of an older session see the mismatch and stop.
  let session = 0;
  let selfPeerId: string | undefined;
  let device: Device | null = null;
  let sendTransport: types.Transport | null = null;
  let recvTransport: types.Transport | null = null;
  let audioProducer: types.Producer | null = null;
  let videoProducer: types.Producer | null = null;
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

  function ensureSite(p: { peerId: string; unitCode: string; unitName: string; displayName?: string }): RemoteSite {
    const existing = site(p.peerId);
    if (existing) {
      if (p.displayName) existing.displayName = p.displayName;
      return existing;
    }
    sites.value.push({ peerId: p.peerId, unitCode: p.unitCode, unitName: p.unitName, displayName: p.displayName ?? '', video: null, audio: null });
    sites.value.sort((a, b) => a.unitCode.localeCompare(b.unitCode));
    return site(p.peerId)!;
  }

  /** A tile stays while its peer is present or it still carries media. */
  function pruneSite(peerId: string): void {
    const s = site(peerId);
    if (s && !s.video && !s.audio && !knownPeers.has(peerId)) sites.value = sites.value.filter((x) => x !== s);
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
        appData: { peerId: data.peerId ?? info.peerId },
      });
      if (my !== session || consumers.get(info.producerId) !== entry) {
        consumer.close(); // we left, or the producer/peer went away while we were subscribing
        return;
      }
      entry.consumer = markRaw(consumer);
      const s = ensureSite({ peerId: data.peerId ?? info.peerId, unitCode: info.unitCode, unitName: info.unitName });
      if (consumer.kind === 'video') s.video = markRaw(consumer);
      else s.audio = markRaw(consumer);
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
    const s = sites.value.find((x) => x.video === c || x.audio === c);
    if (!s) return;
    if (s.video === c) s.video = null;
    if (s.audio === c) s.audio = null;
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
    transport.on('connectionstatechange', (state) => {
      if (state === 'failed') warning.value = () => t('room.mediaFailed');
    });
    return transport;
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
        if (wasMuted) audioProducer.pause();
        micOn.value = !audioProducer.paused;
      }
      if (videoTrack) {
        videoProducer = markRaw(
          await sendTransport.produce({
            track: videoTrack,
            stopTracks: false,
            encodings: SIMULCAST_ENCODINGS,
            codecOptions: VIDEO_CODEC_OPTIONS,
            appData: { source: 'camera' },
          }),
        );
        if (my !== session) return;
        hasCam.value = true;
        if (wasCamOff) videoProducer.pause();
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
    warning.value = null;

    try {
      const data = await socket.request<JoinData>('meeting:join', { meetingId: id });
      if (my !== session) return;
      selfPeerId = data.peerId ?? socket.socketId();
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
      teardown(true);
      meetingId.value = id;
      status.value = 'failed';
      fatal.value = () => t('room.joinFailed', { reason: errorText(err) });
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
    audioProducer = videoProducer = null;
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
  }

  function leave(): void {
    if (status.value === 'joined' || status.value === 'joining') {
      socket.request('meeting:leave', {}).catch(() => undefined); // best effort; disconnect cleans up too
    }
    teardown(true);
    fatal.value = null;
    warning.value = null;
  }

  function toggleMic(): void {
    if (!audioProducer) return;
    if (audioProducer.paused) audioProducer.resume();
    else audioProducer.pause();
    micOn.value = !audioProducer.paused;
  }

  function toggleCam(): void {
    if (!videoProducer) return;
    if (videoProducer.paused) videoProducer.resume();
    else videoProducer.pause();
    camOn.value = !videoProducer.paused;
  }

  return { meetingId, status, fatal, warning, sites, onlineUnits, localStream, micOn, camOn, hasMic, hasCam, join, leave, toggleMic, toggleCam };
});
