import { defineStore } from 'pinia';
import { ref, watch } from 'vue';
import { meetingsApi } from './api';
import type { MeetingDto as Meeting, CreateMeetingBody as NewMeeting } from '../../../contract/meetings';
import { useAuthStore } from '../shared/session/authStore';
import { useSocketStore } from '../shared/socketStore';
import { beep, notify } from '../shared/alerts';
import { i18n } from '../shared/i18n';
import { dueReminder, type ReminderKind } from './countdown';

/** Soonest start first (the next meeting on top); same start: newest created first. */
const newestFirst = (a: Meeting, b: Meeting) => a.startsAt.localeCompare(b.startsAt) || b.createdAt.localeCompare(a.createdAt);

/** A meeting as listed, with the server's PIN flag (the PIN itself never leaves the server). */
export type ListedMeeting = Meeting & { hasPin?: boolean };

const REMINDED_KEY = 'tl.meetingReminders';
/** Reminders already given in this browser: "<meetingId>:<kind>" (once per meeting per browser). */
function reminded(): Set<string> {
  try {
    return new Set(JSON.parse(localStorage.getItem(REMINDED_KEY) ?? '[]') as string[]);
  } catch {
    return new Set();
  }
}
function saveReminded(set: Set<string>): void {
  localStorage.setItem(REMINDED_KEY, JSON.stringify([...set].slice(-200)));
}

/** Meetings that include my unit: HTTP snapshot plus `meeting:new` pushes. */
export const useMeetingsStore = defineStore('meetings', () => {
  const auth = useAuthStore();
  const socket = useSocketStore();

  const meetings = ref<ListedMeeting[]>([]);
  /** Ticks every second: the countdowns and the reminders follow it. */
  const now = ref(Date.now());
  let skewMs = 0;
  /** Meetings whose reminder is showing (highlighted until joined or dismissed). */
  const highlighted = ref(new Set<string>());
  const loaded = ref(false);
  const loading = ref(false);
  const error = ref<unknown>(null);

  function upsert(m: Meeting): void {
    const i = meetings.value.findIndex((x) => x.id === m.id);
    if (i >= 0) meetings.value[i] = m;
    else meetings.value.unshift(m);
    meetings.value.sort(newestFirst);
  }

  async function load(): Promise<void> {
    if (!auth.user) return;
    loading.value = true;
    error.value = null;
    try {
      const sent = Date.now();
      const res = await meetingsApi.list();
      // The server's clock minus ours (half the round trip in between): countdowns follow the server.
      if (res.now) skewMs = Date.parse(res.now) - (sent + Date.now()) / 2;
      now.value = Date.now() + skewMs;
      meetings.value = [...res.meetings].sort(newestFirst);
      loaded.value = true;
    } catch (e) {
      error.value = e;
    } finally {
      loading.value = false;
    }
  }

  async function create(input: NewMeeting & { pin?: string }): Promise<Meeting> {
    const { meeting } = await meetingsApi.create(input);
    upsert(meeting);
    return meeting;
  }

  /** 10 minutes before and at the start: sound + system notification + highlight, once per meeting per browser. */
  function remind(): void {
    if (!auth.user) return;
    const given = reminded();
    let changed = false;
    for (const m of meetings.value) {
      const kinds = new Set((['soon', 'start'] as ReminderKind[]).filter((k) => given.has(`${m.id}:${k}`)));
      const due = dueReminder(m, now.value, kinds);
      if (!due) continue;
      // Both at once (the console opened at the start): one reminder, the start one.
      given.add(`${m.id}:soon`).add(`${m.id}:${due}`);
      changed = true;
      highlighted.value = new Set(highlighted.value).add(m.id);
      const { t } = i18n.global;
      beep();
      notify(t(due === 'soon' ? 'meetingExtra.remindSoon' : 'meetingExtra.remindStart'), t('meetingExtra.remindBody', { title: m.title, host: m.hostUnitName }), `meeting-${m.id}-${due}`);
    }
    if (changed) saveReminded(given);
  }

  function dismiss(id: string): void {
    const next = new Set(highlighted.value);
    next.delete(id);
    highlighted.value = next;
  }

  setInterval(() => {
    now.value = Date.now() + skewMs;
    if (loaded.value) remind();
  }, 1000);

  function byId(id: string): Meeting | undefined {
    return meetings.value.find((m) => m.id === id);
  }

  socket.on('meeting:new', (m: Meeting) => {
    if (auth.user) upsert(m);
  });
  // The chair ended it: it leaves the list of meetings to join.
  socket.on('meeting:ended', ({ meetingId }: { meetingId: string }) => {
    const m = byId(meetingId);
    if (m) m.status = 'ended';
  });
  // After a reconnect, pushes may have been missed: take a fresh snapshot.
  socket.on('connect', () => {
    if (loaded.value) void load();
  });

  watch(
    () => auth.user?.id,
    () => {
      meetings.value = [];
      loaded.value = false;
      error.value = null;
    },
  );

  return { meetings, loaded, loading, error, now, highlighted, load, create, byId, dismiss };
});
