/** HTTP client of /api/reports (urgent reports, incidents, instructions, deadline rules); wire types from the contract. */
import type { z } from 'zod';
import { api, queryString } from '../shared/api';
import type {
  BoardData,
  CreateReportBody,
  IncidentDetail,
  IncidentDto,
  IncidentListQuery,
  IncidentPage,
  InstructionDto,
  PhoneReportBody,
  ReportDto,
  ReportListQuery,
  ReportPage,
  WaitingList,
  demandBody,
  feedbackBody,
  instructionBody,
  rulesBody,
} from '../../../contract/reports';

export type RulesBody = z.input<typeof rulesBody>;
export type RulesAnswer = Pick<RulesBody, 'rules'> & { settings: Omit<RulesBody, 'rules'> };

export const reportsApi = {
  reports: (query: ReportListQuery) => api.get<ReportPage>(`/api/reports${queryString(query)}`),
  waiting: () => api.get<WaitingList>('/api/reports/waiting'),
  report: (id: string) => api.get<{ report: ReportDto }>(`/api/reports/${encodeURIComponent(id)}`),
  /** Idempotent on `requestId`: a retry after a lost response returns the same report. */
  createWritten: (body: CreateReportBody) => api.post<{ report: ReportDto }>('/api/reports', body),
  recordPhone: (body: PhoneReportBody) => api.post<{ report: ReportDto }>('/api/reports/phone', body),
  /** A workflow step on one report (sign, acknowledge, relay, …). */
  act: (id: string, action: string, body: Record<string, unknown> = {}) => api.post<{ report: ReportDto }>(`/api/reports/${encodeURIComponent(id)}/${action}`, body),
  incidents: (query: IncidentListQuery) => api.get<IncidentPage>(`/api/reports/incidents${queryString(query)}`),
  incident: (id: string) => api.get<IncidentDetail>(`/api/reports/incidents/${encodeURIComponent(id)}`),
  /** 漏报: open an incident for a unit below and demand its report. */
  demand: (body: z.input<typeof demandBody>) => api.post<{ incident: IncidentDto }>('/api/reports/incidents/demand', body),
  instructions: (box: 'received' | 'issued') => api.get<{ instructions: InstructionDto[] }>(`/api/reports/instructions?box=${box}`),
  instruct: (body: z.input<typeof instructionBody>) => api.post('/api/reports/instructions', body),
  feedback: (instructionId: string, body: z.input<typeof feedbackBody>) =>
    api.post<{ instruction: InstructionDto }>(`/api/reports/instructions/${encodeURIComponent(instructionId)}/feedback`, body),
  board: (month?: string) => api.get<BoardData>(`/api/reports/board${month ? `?month=${encodeURIComponent(month)}` : ''}`),
  rules: () => api.get<RulesAnswer>('/api/reports/rules'),
  saveRules: (body: RulesBody) => api.post<RulesAnswer>('/api/reports/rules', body),
  attach: (id: string, file: File) =>
    api.upload<{ report: ReportDto }>(`/api/reports/${encodeURIComponent(id)}/attachments${queryString({ filename: file.name })}`, file),
};
