import { api, queryString } from '../shared/api';
import { AppError, fromWire } from '../shared/errors';
import type { DutyPerson, DutySettings, HandoverDto as Handover, HandoverState, LogEntryDto as LogEntry, LogFields, OnDutyUnit, RosterEntryDto as RosterEntry, RosterView, SwapDto as Swap, UnitPerson } from '../../../contract/duty';

const q = queryString;

export type PersonInput = { userId: number; phone?: string } | { userId: null; name: string; phone: string };

export const dutyApi = {
  now: () => api.get<{ now: string; units: OnDutyUnit[] }>('/api/duty/now'),
  roster: (unit: string, from: string, to: string) => api.get<RosterView>(`/api/duty/roster${q({ unit, from, to })}`),
  history: (unit: string, start: string) => api.get<{ versions: RosterEntry[] }>(`/api/duty/roster/history${q({ unit, start })}`),
  people: (unit: string) => api.get<{ people: UnitPerson[] }>(`/api/duty/people${q({ unit })}`),
  setSlot: (body: { start: string; officers: PersonInput[]; leader: PersonInput; note: string }) =>
    api.post<{ entry: RosterEntry; changed: boolean }>('/api/duty/roster/slot', body),
  fill: (body: { from: string; to: string; officers: PersonInput[]; leaders: PersonInput[]; perSlot: number; overwrite: boolean }) =>
    api.post<{ slots: number; changed: number; skipped: number }>('/api/duty/roster/fill', body),
  saveSettings: (body: DutySettings) => api.post<{ settings: DutySettings }>('/api/duty/settings', body),
  exportUrl: (unit: string, month: string) => `/api/duty/roster/export${q({ unit, month })}`,
  async importFile(file: File, mode: 'strict' | 'valid') {
    const res = await fetch(`/api/duty/roster/import${q({ mode })}`, {
      method: 'POST',
      credentials: 'same-origin',
      headers: { 'Content-Type': 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', Accept: 'application/json', 'X-Requested-With': 'XMLHttpRequest' },
      body: file,
    }).catch((e: unknown) => {
      throw new AppError('NETWORK', e instanceof Error ? e.message : '');
    });
    const data = (await res.json().catch(() => undefined)) as any;
    if (!res.ok) throw fromWire(data?.error, res.status);
    return data as { imported: number; changed: number; unchanged: number; errors: { row: number; message: string }[] };
  },
  swaps: (unit: string) => api.get<{ swaps: Swap[] }>(`/api/duty/swaps${q({ unit })}`),
  requestSwap: (body: {
    requestId: string;
    kind: 'swap' | 'replace';
    role: 'officer' | 'leader';
    slotStart: string;
    otherSlotStart: string | null;
    from: PersonInput;
    to: PersonInput;
    reason: string;
  }) => api.post<{ swap: Swap }>('/api/duty/swaps', body),
  decideSwap: (id: string, action: 'approve' | 'reject' | 'cancel', note = '') => api.post<{ swap: Swap }>(`/api/duty/swaps/${id}/${action}`, { note }),
  handover: (unit?: string) => api.get<HandoverState>(`/api/duty/handover${q({ unit })}`),
  closeShift: (body: { requestId: string; slotStart: string; summary: string }) => api.post<{ handover: Handover }>('/api/duty/handovers', body),
  ack: (id: string, body: { itemIds?: number[]; all?: boolean }) => api.post<{ handover: Handover }>(`/api/duty/handovers/${id}/ack`, body),
  accept: (id: string) => api.post<{ handover: Handover }>(`/api/duty/handovers/${id}/accept`, {}),
  log: (params: { unit?: string; date?: string; status?: string; kind?: string; q?: string }) => api.get<{ entries: LogEntry[] }>(`/api/duty/log${q(params)}`),
  createLog: (body: LogFields & { requestId: string }) => api.post<{ entry: LogEntry }>('/api/duty/log', body),
  editLog: (id: string, body: LogFields & { revision: number }) => api.post<{ entry: LogEntry }>(`/api/duty/log/${id}`, body),
  revisions: (id: string) => api.get<{ revisions: { revision: number; data: LogFields; editedAt: string; editedByName: string }[] }>(`/api/duty/log/${id}/revisions`),
};

export const personInput = (p: DutyPerson): PersonInput =>
  p.userId !== null ? { userId: p.userId, ...(p.phone ? { phone: p.phone } : {}) } : { userId: null, name: p.name, phone: p.phone ?? '' };
