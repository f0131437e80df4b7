import { defineStore } from 'pinia';
import { computed, ref, shallowRef, watch } from 'vue';
import { useSocketStore } from '../../shared/socketStore';
import { errorText, type LazyText } from '../../shared/errorText';
import { i18n } from '../../shared/i18n';
import { toAppError } from '../../shared/errors';
import { useAuthStore } from '../../shared/session/authStore';
import { holdPresence } from '../../shared/session/presence';
import { decideView, layerForWidth, type View } from '../../../../contract/subscription';
import type { Command, ControlState } from '../control/model';
import { RoomClient, type RemoteSite, type Status } from './RoomClient';
import type { Signalling } from './roomEvents';

export type { RemoteSite };

export interface ChatMessage {
  meetingId: string;
  fromUnitCode: string;
  fromUnitName: string;
  fromName: string;
  toUnitCode: string | null;
  text: string;
  at: string;
}

/** Join refusals that retrying cannot change. */
const FINAL_REFUSALS = new Set(['MEETING_ENDED', 'MEETING_REMOVED', 'MEETING_NOT_INVITED', 'NOT_FOUND']);

/**
 * The meeting room's UI state. The media engine is the RoomClient (RoomClient.ts, roomMedia.ts); this store
 * listens to its events, decides what the console shows (contract/subscription.ts) and tells the client to
 * consume exactly that.
 */
export const useRoomStore = defineStore('room', () => {
  const socket = useSocketStore();
  const auth = useAuthStore();
  const { t } = i18n.global;

  const meetingId = ref<string | null>(null);
  const status = ref<Status>('idle');
  const fatal = ref<LazyText | null>(null);
  /** The fatal message is final (meeting ended, site removed or not invited): no 重新加入 to offer. */
  const fatalFinal = ref(false);
  const warning = ref<LazyText | null>(null);
  /** A warning that is a lock refusal (MUTE_LOCKED / VIDEO_LOCKED): it goes when the chair lifts the lock. */
  let lockWarning: { text: LazyText; code: string } | null = null;
  const sites = shallowRef<RemoteSite[]>([]);
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
  /** Units the SFU forwards audio of now (last-N). */
  const audible = shallowRef<string[]>([]);
  /** A site the viewer pinned as its own main picture, and the page of small pictures it looks at. */
  const pin = ref<string | null>(null);
  const page = ref(0);
  /** Measured tile widths (px) by peer: the simulcast layer follows the tile's size. */
  const tileWidths = ref<Record<string, number>>({});

  const client = new RoomClient(socket as unknown as Signalling, () => active());
  const media = client.media;
  const myUnit = () => auth.user?.unitCode ?? '';
  const onlineUnits = computed(() => new Set(sites.value.map((s) => s.unitCode)));

  client.on('sites', (list) => (sites.value = list));
  client.on('audible', (units) => (audible.value = units));
  client.on('chat', (m) => {
    if (m.meetingId !== meetingId.value) return;
    chat.value = [...chat.value.slice(-199), m];
  });
  client.onConsumeError = (e) => (warning.value = () => errorText(e));
  media.on('local', (s) => {
    micOn.value = s.micOn;
    camOn.value = s.camOn;
    hasMic.value = s.hasMic;
    hasCam.value = s.hasCam;
    sharing.value = s.sharing;
    localVideoProducerId.value = s.videoProducerId;
    localStream.value = s.stream;
  });
  const mediaWarning: LazyText = () => t('control.reconnectingMedia');
  media.on('path', (state) => {
    if (state === 'failed') warning.value = mediaWarning;
    else if (warning.value === mediaWarning) warning.value = null;
  });
  media.on('lost', (reason) => void rejoin(reason));
  media.on('problem', (e, capture) => {
    if (capture) warning.value = () => t(capture === 'audioOnly' ? 'room.audioOnly' : 'room.receiveOnly', { reason: errorText(e) });
    else warning.value = () => errorText(e);
  });

  /** What this console shows, and so what it consumes: main picture, this page of small pictures, the heard. */
  const view = computed<View>(() =>
    decideView({
      control: control.value,
      viewerUnit: myUnit(),
      viewerIsChair: isChair.value,
      hostUnitCode: control.value?.hostUnitCode ?? null,
      sites: sites.value.map((s) => ({ key: s.peerId, unitCode: s.unitCode, hasVideo: s.hasVideo, hasScreen: s.hasScreen })),
      pin: pin.value,
      page: page.value,
      audible: audible.value,
    }),
  );
  const wanted = computed(() => ({
    video: view.value.video.map((v) => ({ ...v, layer: v.source === 'screen' ? v.layer : layerForWidth(tileWidths.value[v.key] ?? 0, v.layer) })),
    audio: view.value.audio,
  }));
  watch(wanted, (w) => client.follow(w), { deep: true });

  // ---- lifecycle ------------------------------------------------------------------

  /** In a session that should react to meeting pushes (not idle, failed or waiting to rejoin). */
  const active = () => status.value === 'joining' || status.value === 'joined';

  // Taking part in a meeting is presence for the idle timeout: an hour of listening touches nothing.
  let releasePresence: (() => void) | null = null;
  watch(status, (s) => {
    const inMeeting = s === 'joining' || s === 'joined' || s === 'reconnecting';
    if (inMeeting && !releasePresence) releasePresence = holdPresence();
    else if (!inMeeting && releasePresence) {
      releasePresence();
      releasePresence = null;
    }
  });

  client.on('push', (event, payload) => {
    const id = (payload as { meetingId?: string } | null)?.meetingId;
    switch (event) {
      case 'control:state': {
        const s = payload as ControlState;
        if (!active() || s.meetingId !== meetingId.value) return;
        if (control.value && control.value.meetingId === s.meetingId && s.version < control.value.version) return; // stale
        applyControl(s);
        return;
      }
      case 'meeting:removed':
      case 'meeting:ended':
        if (id !== meetingId.value) return;
        teardown(true);
        fatal.value = () => t(event === 'meeting:removed' ? 'control.removedNotice' : 'control.endedNotice');
        fatalFinal.value = true;
        return;
      case 'meeting:restart':
        // The server lost this meeting's media router (worker crash) and asks sites to rejoin.
        if (!active() || id !== meetingId.value) return;
        restartSoon(id);
        void join(id);
        return;
      case 'disconnect':
        // The server drops our peer with the socket: keep the camera, rebuild the rest on reconnect.
        if (active() && meetingId.value) restartSoon(meetingId.value);
        return;
      case 'connect':
        if (status.value === 'reconnecting' && meetingId.value) void join(meetingId.value);
    }
  });

  function restartSoon(id: string): void {
    teardown(false);
    meetingId.value = id;
    status.value = 'reconnecting';
  }

  async function rejoin(reason: string): Promise<void> {
    const id = meetingId.value;
    if (!id || !active()) return;
    console.warn('[room] rejoining:', reason);
    restartSoon(id);
    if (socket.connected) await join(id);
  }

  async function join(id: string): Promise<void> {
    const keepStream = status.value === 'reconnecting';
    teardown(!keepStream);
    const my = client.session;
    meetingId.value = id;
    status.value = 'joining';
    fatal.value = null;
    fatalFinal.value = false;
    warning.value = null;
    try {
      const data = await client.join(id, sessionStorage.getItem(`tl.meetingPin.${id}`) ?? undefined, my);
      if (!data || my !== client.session) return;
      isChair.value = !!data.chair;
      if (data.control) applyControl(data.control);
      audible.value = data.audible ?? [];
      status.value = 'joined';
      // Receive first: a site with a broken camera must still see and hear the main venue.
      client.follow(wanted.value);
      await media.publish(my, () => control.value, myUnit());
    } catch (e) {
      if (my !== client.session) return;
      console.error('[room] join failed', e);
      const err = toAppError(e);
      if (status.value === 'joining' && err.code === 'SOCKET_DISCONNECTED') {
        status.value = 'reconnecting'; // the 'connect' push retries
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
    client.teardown();
    if (stopMedia) media.stopStream();
    audible.value = [];
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
    pin.value = null;
    page.value = 0;
  }

  setInterval(() => {
    if (status.value === 'joined') void media.reportStats();
  }, 5000);

  // ---- the chair's control ------------------------------------------------------------

  const micLocked = computed(() => !!control.value?.muteLocked.includes(myUnit()));
  const camLocked = computed(() => !!control.value?.videoOff.includes(myUnit()));

  /** The server's state is the truth for our microphone (the SFU already paused or resumed it). */
  function applyControl(s: ControlState): void {
    const before = control.value;
    control.value = s;
    const me = myUnit();
    media.applyControl(s, before, me);
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
    const a = media.audioProducer;
    if (!a) return;
    if (a.paused) {
      if (await command({ type: 'selfUnmute' })) media.audioProducer?.resume();
    } else {
      a.pause();
      await command({ type: 'selfMute' });
    }
    media.changed();
  }

  async function toggleCam(): Promise<void> {
    const v = media.videoProducer;
    if (!v) return;
    const on = v.paused;
    if (on && !(await command({ type: 'selfVideo', on: true }))) return;
    if (!media.videoProducer) return;
    if (on) media.videoProducer.resume();
    else {
      media.videoProducer.pause();
      await command({ type: 'selfVideo', on: false });
    }
    media.changed();
  }

  /** A tile's measured width: its simulcast layer follows (0: 180p, 1: 360p, 2: 720p). */
  function tileWidth(peerId: string, widthPx: number): void {
    if (tileWidths.value[peerId] !== widthPx) tileWidths.value = { ...tileWidths.value, [peerId]: widthPx };
  }

  function togglePin(code: string): void {
    pin.value = pin.value === code ? null : code;
  }

  function setPage(n: number): void {
    page.value = Math.max(0, Math.min(n, view.value.pages - 1));
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
    audible,
    pin,
    page,
    view,
    join,
    leave,
    toggleMic,
    toggleCam,
    command,
    tileWidth,
    togglePin,
    setPage,
    startShare: () => media.startShare(),
    stopShare: () => media.stopShare(),
    sendChat,
    /** Consumers this console holds now (e2e reads it through the stage's data-consumers). */
    consumerCount: () => client.consumerCount,
  };
});
