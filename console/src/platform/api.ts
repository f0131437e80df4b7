/** The platform link's HTTP API (server/platform/routes.ts); wire types from contract/platform.ts. */
import { api } from '../shared/api';
import type { AutoRules, ConveneResult, InboundAlertDto, OutboxDto, ReportDeliveryDto } from '../../../contract/platform';

export type { AutoRules, ConveneResult, InboundAlertDto, OutboxDto, ReportDeliveryDto };

export const platformApi = {
  outbox: () => api.get<{ messages: OutboxDto[]; configured: boolean }>('/api/platform/outbox'),
  delivery: (reportId: string) => api.get<{ delivery: ReportDeliveryDto }>(`/api/platform/reports/${reportId}/delivery`).then((r) => r.delivery),
  push: (reportId: string, note?: string) => api.post<{ delivery: ReportDeliveryDto }>(`/api/platform/reports/${reportId}/push`, note ? { note } : {}).then((r) => r.delivery),
  redrive: (id: number, xml?: string) => api.post<{ ok: true }>(`/api/platform/outbox/${id}/redrive`, xml === undefined ? {} : { xml }),
  withdraw: (incidentId: string) => api.post<{ ok: true }>('/api/platform/withdraw', { incidentId }),
  rules: () => api.get<{ rules: AutoRules }>('/api/platform/rules').then((r) => r.rules),
  saveRules: (rules: AutoRules) => api.post<{ rules: AutoRules }>('/api/platform/rules', { rules }).then((r) => r.rules),
  alerts: () => api.get<{ alerts: InboundAlertDto[] }>('/api/platform/alerts').then((r) => r.alerts),
  alert: (id: string) => api.get<{ alert: InboundAlertDto; xml: string }>(`/api/platform/alerts/${id}`),
  acknowledge: (id: string) => api.post<{ alert: InboundAlertDto }>(`/api/platform/alerts/${id}/ack`).then((r) => r.alert),
  openIncident: (id: string) => api.post<{ incidentId: string }>(`/api/platform/alerts/${id}/incident`).then((r) => r.incidentId),
  demand: (id: string) => api.post<{ incidentIds: string[] }>(`/api/platform/alerts/${id}/demand`).then((r) => r.incidentIds),
  convene: (target: { alertId: string } | { incidentId: string }) => api.post<ConveneResult>('/api/platform/convene', target),
};
