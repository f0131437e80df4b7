/**
 * Inbound alerts of the emergency platform and meeting invitations convened from them: loud (a repeating beep,
 * a system notification, a banner on every page) until this unit's duty officer acknowledges.
 */
import { defineStore } from 'pinia';
import { computed, ref, watch } from 'vue';
import { useAuthStore } from '../shared/session/authStore';
import { notify } from '../shared/alerts';
import type { AlarmLevel } from '../shared/alarm/level';
import { playLevel } from '../shared/alarm/sound';
import { useSocketStore } from '../shared/socketStore';
import { platformApi, type InboundAlertDto } from './api';
import type { PlatformAlertPush, PlatformConvenedPush } from '../../../contract/platform';

const REPEAT_MS = 15_000;

/** As loud as the agency says: Extreme and Severe sound the siren, Moderate the chime, the rest a beep. */
export const levelOf = (severity: string): AlarmLevel => (severity === 'Extreme' || severity === 'Severe' ? 'siren' : severity === 'Moderate' ? 'chime' : 'notice');

export const isOpen = (a: InboundAlertDto) => a.status === 'accepted' && !a.acknowledgedAt && !a.supersededBy && a.msgType !== 'Cancel';

export const usePlatformStore = defineStore('platform', () => {
  const auth = useAuthStore();
  const socket = useSocketStore();
  const alerts = ref<InboundAlertDto[]>([]);
  const loaded = ref(false);
  const invitations = ref<PlatformConvenedPush[]>([]);

  /**
   * Accepted alerts this unit has not acknowledged yet and that still hold: what keeps the alarm going. An
   * agency's later Update replaces an alert (the Update alarms instead); its Cancel lifts it (no alarm at all).
   */
  const open = computed(() => alerts.value.filter(isOpen));

  async function load(): Promise<void> {
    alerts.value = await platformApi.alerts();
    loaded.value = true;
  }

  function upsert(a: InboundAlertDto): void {
    const i = alerts.value.findIndex((x) => x.id === a.id);
    if (i >= 0) alerts.value.splice(i, 1, a);
    else alerts.value.unshift(a);
  }

  async function acknowledge(id: string): Promise<void> {
    upsert(await platformApi.acknowledge(id));
  }

  socket.on('platform:alert', (p: PlatformAlertPush) => {
    if (!auth.user) return;
    const known = alerts.value.some((x) => x.id === p.alert.id);
    upsert(p.alert);
    if (known) return; // a change of state (replaced, lifted), not news
    if (p.alert.msgType === 'Cancel') {
      notify('应急平台：预警解除', p.alert.headline, `platform-${p.alert.id}`);
      return;
    }
    playLevel(levelOf(p.alert.severity));
    notify(`应急平台预警：${p.alert.severity}`, p.alert.headline, `platform-${p.alert.id}`);
  });
  socket.on('platform:alert-ack', () => void load().catch(() => undefined));
  socket.on('platform:convened', (p: PlatformConvenedPush) => {
    if (!auth.user) return;
    if (!invitations.value.some((x) => x.meetingId === p.meetingId)) invitations.value.push(p);
    playLevel('chime');
    notify(`会议召集：${p.hostUnitName}`, p.title, `meeting-${p.meetingId}`);
  });
  socket.on('connect', () => {
    if (auth.user) void load().catch(() => undefined);
  });

  // Loud until acknowledged: the loudest open alert's sound repeats here.
  setInterval(() => {
    if (!auth.user || !open.value.length) return;
    playLevel(open.value.some((a) => levelOf(a.severity) === 'siren') ? 'siren' : open.value.some((a) => levelOf(a.severity) === 'chime') ? 'chime' : 'notice');
  }, REPEAT_MS);

  function dismissInvitation(meetingId: string): void {
    invitations.value = invitations.value.filter((x) => x.meetingId !== meetingId);
  }

  watch(
    () => auth.user?.id,
    () => {
      alerts.value = [];
      invitations.value = [];
      loaded.value = false;
    },
  );

  return { alerts, loaded, open, invitations, load, upsert, acknowledge, dismissInvitation };
});
