import { defineStore } from 'pinia';
import { ref, watch } from 'vue';
import { api } from '../shared/api';
import { beep, notify } from '../shared/alerts';
import { i18n } from '../shared/i18n';
import type { NewReport, Report } from '../shared/types';
import { useAuthStore } from '../auth/authStore';
import { useSocketStore } from '../shared/socketStore';

const FRESH_MS = 60_000;
const newestFirst = (a: Report, b: Report) => b.createdAt.localeCompare(a.createdAt);

/**
 * Urgent reports of my unit and below. Every report that arrives after the first snapshot
 * (push, or found by the refetch after a reconnect) is announced: beep, notification, toast, highlight.
 */
export const useReportsStore = defineStore('reports', () => {
  const auth = useAuthStore();
  const socket = useSocketStore();

  const reports = ref<Report[]>([]);
  const loaded = ref(false);
  const loading = ref(false);
  const error = ref<unknown>(null);
  /** Ids still highlighted in the list. */
  const fresh = ref(new Set<string>());
  /** Reports waiting in the on-screen toast until acknowledged. */
  const unacknowledged = ref<Report[]>([]);

  function has(id: string): boolean {
    return reports.value.some((r) => r.id === id);
  }

  function insert(r: Report): void {
    reports.value.push(r);
    reports.value.sort(newestFirst);
  }

  function announce(r: Report): void {
    fresh.value.add(r.id);
    setTimeout(() => fresh.value.delete(r.id), FRESH_MS);
    unacknowledged.value = [r, ...unacknowledged.value].slice(0, 5);
    beep();
    const { t } = i18n.global;
    notify(t('alert.notifyTitle', { grade: t(`grades.${r.grade}`) }), `${r.unitName}：${r.title}\n${r.place}`, `report-${r.id}`);
  }

  async function load(): Promise<void> {
    if (!auth.user) return;
    loading.value = true;
    error.value = null;
    try {
      const res = await api.get<{ reports: Report[] }>('/api/reports');
      const known = new Set(reports.value.map((r) => r.id));
      const next = [...res.reports].sort(newestFirst);
      const missed = loaded.value ? next.filter((r) => !known.has(r.id) && String(r.createdBy) !== String(auth.user?.id)) : [];
      reports.value = next;
      loaded.value = true;
      missed.forEach(announce);
    } catch (e) {
      error.value = e;
    } finally {
      loading.value = false;
    }
  }

  /** Idempotent on `requestId`: a retry after a lost response returns the same report. */
  async function submit(input: NewReport): Promise<Report> {
    const { report } = await api.post<{ report: Report }>('/api/reports', input);
    if (!has(report.id)) insert(report);
    return report;
  }

  function acknowledge(id?: string): void {
    unacknowledged.value = id ? unacknowledged.value.filter((r) => r.id !== id) : [];
  }

  socket.on('report:new', (r: Report) => {
    if (!auth.user || has(r.id)) return;
    insert(r);
    // My own submission may be pushed back before the POST answers: no alarm for it.
    if (String(r.createdBy) !== String(auth.user.id)) announce(r);
  });
  socket.on('connect', () => {
    if (loaded.value) void load();
  });

  watch(
    () => auth.user?.id,
    () => {
      reports.value = [];
      loaded.value = false;
      error.value = null;
      fresh.value.clear();
      unacknowledged.value = [];
    },
  );

  return { reports, loaded, loading, error, fresh, unacknowledged, load, submit, acknowledge };
});
