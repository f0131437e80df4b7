/**
 * The loud side of the alert tray: every alert in `alertStore` gets a level by its grade (level.ts); sirens and
 * chimes repeat, the banner shows and the tab title flashes until someone at this console acknowledges
 * (确认收到). Acknowledging silences the alarm only: the tray row stays until the cause is handled. What was
 * acknowledged is remembered per user in this browser, so a reload does not sound it again.
 */
import { defineStore } from 'pinia';
import { computed, ref, watch } from 'vue';
import { useAuthStore } from '../session/authStore';
import { alertText, useAlertStore, type AppAlert } from '../alertStore';
import { lastPlayedAt, playLevel } from './sound';
import { readKeys, writeKeys } from '../storedKeys';
import { alarmLevel, loudest, needsAck, REPEAT_MS, type AlarmLevel } from './level';

const REMEMBER = 300;
const TICK_MS = 1_000;
const storageKey = (userId: string | number | undefined) => (userId === undefined ? null : `tl.alarms.acked.${userId}`);

export interface Alarm extends AppAlert {
  level: AlarmLevel;
}

export const useAlarmStore = defineStore('alarms', () => {
  const auth = useAuthStore();
  const alerts = useAlertStore();
  const acked = ref<string[]>(readKeys(storageKey(auth.user?.id)));

  /** Alerts still sounding here: loud ones not yet acknowledged, loudest first, newest first within a level. */
  const active = computed<Alarm[]>(() =>
    alerts.alerts
      .map((a) => ({ ...a, level: alarmLevel(a) }))
      .filter((a) => needsAck(a.level) && !acked.value.includes(a.key))
      .sort((a, b) => (a.level === b.level ? 0 : a.level === 'siren' ? -1 : 1)),
  );
  const level = computed(() => loudest(active.value.map((a) => a.level)));

  function acknowledge(keys: string[]): void {
    acked.value = [...acked.value, ...keys.filter((k) => !acked.value.includes(k))].slice(-REMEMBER);
    writeKeys(storageKey(auth.user?.id), acked.value);
  }

  // A new alert sounds at once, by its level (unless acknowledged here before a reload).
  watch(
    () => alerts.alerts.map((a) => a.key),
    (_keys, before) => {
      const fresh = alerts.alerts.filter((a) => !(before ?? []).includes(a.key) && !acked.value.includes(a.key));
      const l = loudest(fresh.map(alarmLevel));
      if (l) playLevel(l);
    },
  );

  // Repeats: one tick a second plays the loudest waiting level when its interval has passed since the last sound
  // (a new alert sounds at once, above).
  let flashOn = false;
  let baseTitle = '';
  setInterval(() => {
    const l = level.value;
    const every = l ? REPEAT_MS[l] : null;
    if (l && every !== null && Date.now() - lastPlayedAt() >= every) playLevel(l);
    flashTitle(l === 'siren' ? active.value[0]! : null);
  }, TICK_MS);

  /** The tab title flashes while a siren waits, so that a console in another tab is noticed too. */
  function flashTitle(a: Alarm | null): void {
    if (!a) {
      if (baseTitle) document.title = baseTitle;
      baseTitle = '';
      return;
    }
    if (!baseTitle) baseTitle = document.title;
    flashOn = !flashOn;
    document.title = flashOn ? `【紧急】${alertText(a.title)}` : baseTitle;
  }

  watch(
    () => auth.user?.id,
    (id) => (acked.value = readKeys(storageKey(id))),
  );

  return { active, level, acknowledge };
});
