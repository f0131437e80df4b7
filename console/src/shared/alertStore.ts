import { defineStore } from 'pinia';
import { ref, watch } from 'vue';
import type { RouteLocationRaw } from 'vue-router';
import { useAuthStore } from './session/authStore';
import type { Grade } from '../../../contract/reports';
import { notify } from './alerts';
import { alarmLevel } from './alarm/level';
import { readKeys, writeKeys } from './storedKeys';

/** A fixed text (what the user typed, a unit's name) or one to translate when shown. */
export type AlertText = string | (() => string);
export const alertText = (x: AlertText): string => (typeof x === 'function' ? x() : x);

export type AlertKind = 'received' | 'signoff' | 'warning' | 'missed' | 'followup' | 'instruction' | 'demanded' | 'feedback' | 'swap';

/** A loud alert: beep, system notification and a row in the alert tray (ReportAlertToast.vue). */
export interface AppAlert {
  /** Stable per cause: the same cause never alerts twice, and handling it clears the alert by key. */
  key: string;
  kind: AlertKind;
  grade: Grade | null;
  /** Lazy where it is translated: the banner and the tray follow a language switch while the alert is up. */
  title: AlertText;
  body: AlertText;
  incidentId: string | null;
  /** Where 查看 leads (default: the incident, else home). */
  to?: RouteLocationRaw;
}

/**
 * Alerts that ask for an action stay until the action is done (by anyone: the push that tells us clears them
 * on every console) or until dismissed; the others are news and close by themselves after AUTO_CLOSE_MS.
 */
export const STICKY: ReadonlySet<AlertKind> = new Set<AlertKind>(['received', 'signoff', 'warning', 'instruction', 'demanded', 'swap']);
export const AUTO_CLOSE_MS = 15_000;
/** How many alerts the tray shows in full; the rest are collected behind 「另有 N 条提醒」. */
export const TRAY_VISIBLE = 2;
const REMEMBER = 300;

const storageKey = (userId: string | number | undefined) => (userId === undefined ? null : `tl.alerts.handled.${userId}`);

/**
 * The alert lifecycle, one place for every domain. A dismissed or handled alert is remembered per user in this
 * browser, so a reload does not bring it back.
 */
export const useAlertStore = defineStore('alerts', () => {
  const auth = useAuthStore();
  const alerts = ref<AppAlert[]>([]);
  let handled: string[] = readKeys(storageKey(auth.user?.id));
  const timers = new Map<string, ReturnType<typeof setTimeout>>();

  function remember(key: string): void {
    if (handled.includes(key)) return;
    handled = [...handled, key].slice(-REMEMBER);
    writeKeys(storageKey(auth.user?.id), handled); // lost only if storage is full: the alert may come back after a reload
  }

  function drop(key: string): void {
    alerts.value = alerts.value.filter((a) => a.key !== key);
    const timer = timers.get(key);
    if (timer) clearTimeout(timer);
    timers.delete(key);
  }

  function push(a: AppAlert): void {
    if (handled.includes(a.key) || alerts.value.some((x) => x.key === a.key)) return;
    alerts.value = [a, ...alerts.value];
    if (!STICKY.has(a.kind)) timers.set(a.key, setTimeout(() => drop(a.key), AUTO_CLOSE_MS));
    // The sound, by the alert's grade, is the alarm store's (alarm/alarmStore.ts): it knows what was acknowledged.
    notify(alarmLevel(a) === 'siren' ? `【紧急】${alertText(a.title)}` : alertText(a.title), alertText(a.body), a.key);
  }

  /** The user closed it (知道了 or 查看): gone here, and not back after a reload. */
  function dismiss(key: string): void {
    remember(key);
    drop(key);
  }

  /** Its cause was handled (by anyone): gone. (What a reload re-raises checks the cause again.) */
  function resolve(key: string): void {
    drop(key);
  }

  /** Resolves every showing alert for which `done` says its cause is handled. */
  function settle(done: (a: AppAlert) => boolean): void {
    for (const a of alerts.value.filter(done)) resolve(a.key);
  }

  watch(
    () => auth.user?.id,
    (id) => {
      for (const t of timers.values()) clearTimeout(t);
      timers.clear();
      alerts.value = [];
      handled = readKeys(storageKey(id));
    },
  );

  return { alerts, push, dismiss, resolve, settle };
});
