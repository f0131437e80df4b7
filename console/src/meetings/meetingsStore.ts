import { defineStore } from 'pinia';
import { ref, watch } from 'vue';
import { api } from '../shared/api';
import type { Meeting, NewMeeting } from '../shared/types';
import { useAuthStore } from '../auth/authStore';
import { useSocketStore } from '../shared/socketStore';

const newestFirst = (a: Meeting, b: Meeting) => b.createdAt.localeCompare(a.createdAt);

/** Meetings that include my unit: HTTP snapshot plus `meeting:new` pushes. */
export const useMeetingsStore = defineStore('meetings', () => {
  const auth = useAuthStore();
  const socket = useSocketStore();

  const meetings = ref<Meeting[]>([]);
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
      const res = await api.get<{ meetings: Meeting[] }>('/api/meetings');
      meetings.value = [...res.meetings].sort(newestFirst);
      loaded.value = true;
    } catch (e) {
      error.value = e;
    } finally {
      loading.value = false;
    }
  }

  async function create(input: NewMeeting): Promise<Meeting> {
    const { meeting } = await api.post<{ meeting: Meeting }>('/api/meetings', input);
    upsert(meeting);
    return meeting;
  }

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

  return { meetings, loaded, loading, error, load, create, byId };
});
