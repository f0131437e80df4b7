import { defineStore } from 'pinia';
import { ref, watch } from 'vue';
import { reportsApi } from './api';
import { useAlertStore, type AppAlert } from '../shared/alertStore';
import { i18n } from '../shared/i18n';
import { useAuthStore } from '../shared/session/authStore';
import { useSocketStore } from '../shared/socketStore';
import type { ReportDto as FullReport, Grade, IncidentDto as Incident, ReportKind, WrittenFields } from '../../../contract/reports';
import { syncServerNow } from './useNow';
import { formatDateTime } from '../shared/format';
import { waitsForMe } from '../shared/menu/menuModel';
import type { IncidentListQuery, ReportListQuery, ReportSummaryDto, WaitingReportDto } from '../../../contract/reports';

/** What the reports list asks the server for (all fields set: the table binds to them). */
export type ListQuery = Required<Pick<ReportListQuery, 'page' | 'pageSize' | 'sort' | 'order'>> & Omit<ReportListQuery, 'page' | 'pageSize' | 'sort' | 'order'>;
const DEFAULT_QUERY: ListQuery = { page: 1, pageSize: 20, sort: 'createdAt', order: 'desc' };
/** What the incidents list asks the server for: the page on screen (the most pressing first by default). */
export type IncidentQuery = Required<Omit<IncidentListQuery, 'ids'>>;
const DEFAULT_INCIDENT_QUERY: IncidentQuery = { status: 'open', page: 1, pageSize: 20, sort: 'urgency', order: 'desc' };

const FRESH_MS = 60_000;
const newestFirst = (a: { createdAt: string }, b: { createdAt: string }) => b.createdAt.localeCompare(a.createdAt);

export type { AlertKind } from '../shared/alertStore';
/** A loud on-screen alert (lifecycle: shared/alertStore.ts). */
export type ReportAlert = AppAlert;

export interface NewWritten extends WrittenFields {
  requestId: string;
  incidentId?: string;
  kind?: Exclude<ReportKind, 'phone'>;
  action?: 'draft' | 'submit' | 'sign';
}

export interface NewPhone {
  requestId: string;
  incidentId?: string;
  title: string;
  eventTime: string;
  place: string;
  grade: Grade;
  summary: string;
  caller: string;
  callee: string;
}

/**
 * Urgent reports and incidents of my unit and below. Reports delivered to my office, deadlines about to
 * pass or passed, reports waiting for my sign-off, instructions and report demands are announced loudly:
 * beep, notification, toast, highlight.
 */
export const useReportsStore = defineStore('reports', () => {
  const auth = useAuthStore();
  const socket = useSocketStore();
  const alertStore = useAlertStore();

  /** The page of the reports list on screen, as the server sorted and filtered it (short rows; pushes may be full). */
  const reports = ref<ReportSummaryDto[]>([]);
  const total = ref(0);
  const query = ref<ListQuery>({ ...DEFAULT_QUERY });
  /** Reports waiting for my office or me, whatever page is shown: alarms and the menu's counts. */
  const waiting = ref<WaitingReportDto[]>([]);
  /** The page of the incidents list on screen, as the server ordered it. */
  const incidents = ref<Incident[]>([]);
  const incidentsTotal = ref(0);
  const incidentQuery = ref<IncidentQuery>({ ...DEFAULT_INCIDENT_QUERY });
  const loaded = ref(false);
  const loading = ref(false);
  const error = ref<unknown>(null);
  /** Ids still highlighted in the lists (reports and incidents). */
  const fresh = ref(new Set<string>());
  /** Bumped on any change of an incident, so open incident pages refetch. */
  const changed = ref(new Map<string, number>());

  function upsert(r: FullReport): void {
    settleReport(r);
    const i = reports.value.findIndex((x) => x.id === r.id);
    if (i >= 0) reports.value[i] = r;
    // Not on this page: where it belongs is the server's sorting; refetch the page soon.
    else reloadPageSoon();
    const w = waiting.value.filter((x) => x.id !== r.id);
    if (auth.user && waitsForMe(r, auth.user.unitCode, auth.user.roles)) w.unshift(r);
    waiting.value = w.sort(newestFirst);
    bump(r.incidentId);
  }

  function bump(incidentId: string): void {
    const m = new Map(changed.value);
    m.set(incidentId, (m.get(incidentId) ?? 0) + 1);
    changed.value = m;
  }

  function highlight(id: string): void {
    fresh.value.add(id);
    setTimeout(() => fresh.value.delete(id), FRESH_MS);
  }

  const alert = (a: ReportAlert) => alertStore.push(a);

  /**
   * A report as it is now clears the alerts it has made moot, on every console that receives it: received once
   * my office acknowledged it, sign-off requests once signed or returned, a relay to sign once signed or returned.
   */
  function settleReport(r: WaitingReportDto): void {
    const me = auth.user?.unitCode;
    const hop = r.hops.find((h) => h.unitCode === me);
    alertStore.settle((a) => {
      if (a.key === `received-${r.id}`) return !hop || hop.state !== 'received';
      if (a.key.startsWith(`signoff-${r.id}-`)) return r.state !== 'pending_signoff';
      if (a.key.startsWith(`returned-${r.id}-`)) return r.state !== 'returned';
      if (a.key.startsWith(`relay-${r.id}-`)) return !hop || hop.state !== 'relay_pending';
      return false;
    });
  }

  /** Incidents as they are now: a deadline met clears its warning; a demanded report once sent clears the demand. */
  function settleIncidents(list: Incident[]): void {
    const byId = new Map(list.map((i) => [i.id, i]));
    alertStore.settle((a) => {
      const inc = a.incidentId ? byId.get(a.incidentId) : undefined;
      if (!inc) return false;
      if (a.kind === 'demanded') return inc.reportCount > 0 || inc.status === 'closed';
      if (a.kind === 'warning') {
        const o = inc.deadlines.find((d) => a.key === `warn-${inc.id}-${d.unitCode}-${d.kind}`);
        return inc.status === 'closed' || (!!o && o.status !== 'pending' && o.status !== 'due_soon');
      }
      return false;
    });
  }

  const { t } = i18n.global;
  const incidentTitle = (id: string) => incidents.value.find((i) => i.id === id)?.title ?? '';

  let shownQuery = '';
  async function loadIncidents(): Promise<void> {
    const q = incidentQuery.value;
    const res = await reportsApi.incidents(q);
    syncServerNow(res.now);
    // A page beyond the end (the list shrank): go to the last page that exists.
    const last = Math.max(1, Math.ceil(res.total / res.pageSize));
    if (res.incidents.length === 0 && res.total > 0 && q.page > last) {
      incidentQuery.value = { ...q, page: last };
      return loadIncidents();
    }
    // New on a reload of the same page flashes; a page turned to is not "new".
    const key = JSON.stringify(q);
    const known = new Set(incidents.value.map((i) => i.id));
    if (loaded.value && key === shownQuery) res.incidents.filter((i) => !known.has(i.id)).forEach((i) => highlight(i.id));
    shownQuery = key;
    incidents.value = res.incidents;
    incidentsTotal.value = res.total;
    settleIncidents(res.incidents);
    // Alarms about incidents off this page settle too: those incidents are asked for by id.
    const onPage = new Set(res.incidents.map((i) => i.id));
    const off = [...new Set(alertStore.alerts.map((a) => a.incidentId).filter((id): id is string => !!id && !onPage.has(id)))].slice(0, 50);
    if (off.length) settleIncidents((await reportsApi.incidents({ ids: off.join(','), status: 'all', pageSize: 50 })).incidents);
  }

  /** Changes what the incidents list shows (status, page, sort) and fetches it. */
  async function setIncidentQuery(next: Partial<IncidentQuery>): Promise<void> {
    const resetPage = Object.keys(next).some((k) => k !== 'page');
    incidentQuery.value = { ...incidentQuery.value, ...next, ...(resetPage && next.page === undefined ? { page: 1 } : {}) };
    try {
      await loadIncidents();
      error.value = null;
    } catch (e) {
      error.value = e;
    }
  }

  async function loadPage(): Promise<void> {
    const res = await reportsApi.reports(query.value);
    // A page beyond the end (the list shrank under a filter): go to the last page that exists.
    const last = Math.max(1, Math.ceil(res.total / res.pageSize));
    if (res.reports.length === 0 && res.total > 0 && query.value.page > last) {
      query.value = { ...query.value, page: last };
      return loadPage();
    }
    reports.value = res.reports;
    total.value = res.total;
    loaded.value = true;
    res.reports.forEach(settleReport);
  }

  let waitingLoaded = false;
  /** What waits for me, on load and reconnect (pushes keep it current in between). */
  async function loadWaiting(): Promise<void> {
    const res = await reportsApi.waiting();
    const known = new Set(waiting.value.map((r) => r.id));
    // Reports delivered to my office and not yet acknowledged stay loud, also after a reload or reconnect.
    const missed = res.waiting.filter((r) => (!waitingLoaded || !known.has(r.id)) && r.hops.some((h) => h.unitCode === auth.user?.unitCode && h.state === 'received'));
    waiting.value = res.waiting;
    waitingLoaded = true;
    res.waiting.forEach(settleReport);
    missed.forEach((r) => received(r));
  }

  async function load(): Promise<void> {
    if (!auth.user) return;
    loading.value = true;
    error.value = null;
    try {
      await Promise.all([loadPage(), loadWaiting(), loadIncidents()]);
    } catch (e) {
      error.value = e;
    } finally {
      loading.value = false;
    }
  }

  /** Changes what the list shows (page, size, filters, sort) and fetches it. */
  async function setQuery(next: Partial<ListQuery>): Promise<void> {
    const resetPage = Object.keys(next).some((k) => k !== 'page');
    query.value = { ...query.value, ...next, ...(resetPage && next.page === undefined ? { page: 1 } : {}) };
    loading.value = true;
    error.value = null;
    try {
      await loadPage();
    } catch (e) {
      error.value = e;
    } finally {
      loading.value = false;
    }
  }

  let pageTimer: ReturnType<typeof setTimeout> | null = null;
  function reloadPageSoon(): void {
    if (pageTimer || !loaded.value) return;
    pageTimer = setTimeout(() => {
      pageTimer = null;
      void loadPage().catch(() => undefined);
    }, 300);
  }

  let reloadTimer: ReturnType<typeof setTimeout> | null = null;
  function reloadIncidentsSoon(): void {
    if (reloadTimer) return;
    reloadTimer = setTimeout(() => {
      reloadTimer = null;
      void loadIncidents().catch(() => undefined);
    }, 250);
  }

  function received(r: WaitingReportDto): void {
    highlight(r.id);
    highlight(r.incidentId);
    alert({
      key: `received-${r.id}`,
      kind: 'received',
      grade: r.grade,
      title: () => t('alert.notifyTitle', { grade: t(`grades.${r.grade}`) }),
      body: () => `${r.unitName} ${r.kind === 'followup' ? t('kinds.followupN', { n: r.seq }) : t(`kinds.${r.kind}`)}：${r.title}${r.place ? `\n${r.place}` : ''}`,
      incidentId: r.incidentId,
    });
  }

  /** Idempotent on `requestId`: a retry after a lost response returns the same report. */
  async function submit(input: NewWritten): Promise<FullReport> {
    const { report } = await reportsApi.createWritten(input);
    upsert(report);
    reloadIncidentsSoon();
    return report;
  }

  async function recordPhone(input: NewPhone): Promise<FullReport> {
    const { report } = await reportsApi.recordPhone(input);
    upsert(report);
    reloadIncidentsSoon();
    return report;
  }

  /** A workflow step on one report (sign, acknowledge, relay, …). */
  async function act(id: string, action: string, body: Record<string, unknown> = {}): Promise<FullReport> {
    const { report } = await reportsApi.act(id, action, body);
    upsert(report);
    reloadIncidentsSoon();
    return report;
  }

  socket.on('report:new', (r: FullReport) => {
    if (!auth.user) return;
    const isNew = !reports.value.some((x) => x.id === r.id);
    upsert(r);
    if (isNew && r.unitCode !== auth.user.unitCode) highlight(r.id);
    reloadIncidentsSoon();
  });
  socket.on('report:update', (r: FullReport) => {
    if (!auth.user) return;
    const before = reports.value.find((x) => x.id === r.id);
    upsert(r);
    const mine = r.unitCode === auth.user.unitCode;
    if (mine && r.state === 'pending_signoff' && before?.state !== 'pending_signoff' && auth.hasRole('leader')) {
      alert({ key: `signoff-${r.id}-${r.submittedAt}`, kind: 'signoff', grade: r.grade, title: () => t('alert.signoffTitle'), body: `${r.title}（${r.createdByName}）`, incidentId: r.incidentId });
    }
    if (mine && r.state === 'returned' && before?.state !== 'returned' && r.createdBy === auth.user.id) {
      alert({ key: `returned-${r.id}-${r.signComment}`, kind: 'signoff', grade: r.grade, title: () => t('alert.returnedTitle'), body: `${r.title}：${r.signComment ?? ''}`, incidentId: r.incidentId });
    }
    // A relay at my office waits for my sign-off.
    const hop = r.hops.find((h) => h.unitCode === auth.user?.unitCode);
    const hopBefore = before?.hops.find((h) => h.unitCode === auth.user?.unitCode);
    if (hop?.state === 'relay_pending' && hopBefore?.state !== 'relay_pending' && auth.hasRole('leader')) {
      alert({ key: `relay-${r.id}-${hop.id}`, kind: 'signoff', grade: r.grade, title: () => t('alert.relaySignoffTitle'), body: `${r.unitName}：${r.title}`, incidentId: r.incidentId });
    }
  });
  socket.on('report:received', (p: { unitCode: string; report: FullReport }) => {
    if (!auth.user) return;
    upsert(p.report);
    if (p.unitCode === auth.user.unitCode) received(p.report);
    reloadIncidentsSoon();
  });
  socket.on('incident:changed', (p: { id: string }) => {
    bump(p.id);
    reloadIncidentsSoon();
  });
  // Deadline pushes carry the unit, kind, grade and due time; the title only when it is ours to read.
  type DeadlinePush = { incidentId: string; unitCode: string; unitName: string; kind?: string; grade?: Grade; dueAt: string; title?: string };
  const deadlineBody = (key: 'alert.warningBody' | 'alert.missedBody' | 'alert.followupBody', p: DeadlinePush) => {
    const title = p.title ?? incidentTitle(p.incidentId);
    const text = t(key, {
      unit: p.unitName,
      kind: p.kind ? t(`deadline.kind.${p.kind}`) : '',
      grade: p.grade ? t(`grades.${p.grade}`) : '',
      due: formatDateTime(p.dueAt, i18n.global.locale.value),
    });
    return title ? `${text}\n${title}` : text;
  };
  socket.on('deadline:warning', (p: DeadlinePush) => {
    bump(p.incidentId);
    alert({
      key: `warn-${p.incidentId}-${p.unitCode}-${p.kind}`,
      kind: 'warning',
      grade: p.grade ?? null,
      title: () => t('alert.warningTitle'),
      body: () => deadlineBody('alert.warningBody', p),
      incidentId: p.incidentId,
    });
    reloadIncidentsSoon();
  });
  socket.on('deadline:missed', (p: DeadlinePush) => {
    bump(p.incidentId);
    alert({
      key: `missed-${p.incidentId}-${p.unitCode}-${p.kind}`,
      kind: 'missed',
      grade: null,
      title: () => t('alert.missedTitle'),
      body: () => deadlineBody('alert.missedBody', p),
      incidentId: p.incidentId,
    });
    reloadIncidentsSoon();
  });
  socket.on('followup:due', (p: DeadlinePush) => {
    alert({ key: `followup-${p.incidentId}-${p.dueAt}`, kind: 'followup', grade: null, title: () => t('alert.followupTitle'), body: () => deadlineBody('alert.followupBody', p), incidentId: p.incidentId });
  });
  socket.on('instruction:new', (p: { id: string; incidentId: string; byUnitName: string }) => {
    bump(p.incidentId);
    alert({ key: `instruction-${p.id}`, kind: 'instruction', grade: null, title: () => t('alert.instructionTitle'), body: () => t('alert.instructionBody', { unit: p.byUnitName }), incidentId: p.incidentId });
  });
  // 反馈: the instructing office's leaders are told; a task done by my unit clears its instruction alert here.
  socket.on('instruction:feedback', (p: { id: string; incidentId: string; issuer?: string; unitCode?: string; unitName?: string; authorName?: string; text?: string; done?: boolean; feedbackId?: string }) => {
    bump(p.incidentId);
    if (!auth.user) return;
    if (p.done && p.unitCode === auth.user.unitCode) alertStore.resolve(`instruction-${p.id}`);
    if (p.issuer === auth.user.unitCode && p.unitCode !== auth.user.unitCode && auth.hasRole('leader')) {
      alert({
        key: `feedback-${p.id}-${p.feedbackId ?? p.unitCode}`,
        kind: 'feedback',
        grade: null,
        title: () => (p.done ? t('alert.feedbackDoneTitle') : t('alert.feedbackTitle')),
        body: `${p.unitName ?? ''} ${p.authorName ?? ''}${p.text ? `：${p.text}` : ''}`,
        incidentId: p.incidentId,
      });
    }
  });
  socket.on('incident:demanded', (p: { id: string; byUnitName: string }) => {
    reloadIncidentsSoon();
    alert({ key: `demand-${p.id}`, kind: 'demanded', grade: null, title: () => t('alert.demandTitle'), body: () => t('alert.demandBody', { unit: p.byUnitName }), incidentId: p.id });
  });
  socket.on('connect', () => {
    if (loaded.value) void load();
  });

  watch(
    () => auth.user?.id,
    () => {
      reports.value = [];
      waiting.value = [];
      total.value = 0;
      query.value = { ...DEFAULT_QUERY };
      incidents.value = [];
      incidentsTotal.value = 0;
      incidentQuery.value = { ...DEFAULT_INCIDENT_QUERY };
      shownQuery = '';
      waitingLoaded = false;
      loaded.value = false;
      error.value = null;
      fresh.value.clear();
    },
  );

  return { reports, total, query, waiting, incidents, incidentsTotal, incidentQuery, loaded, loading, error, fresh, changed, load, setQuery, loadIncidents, setIncidentQuery, submit, recordPhone, act, upsert };
});
