/** HTTP client of /api/meetings (lists, creation, the organiser's health, attendance and recordings). */
import { api } from '../shared/api';
import type { AttendanceRow, CreateMeetingBody, MeetingDto, RecordingDto, SiteHealth } from '../../../contract/meetings';

export const meetingsApi = {
  list: () => api.get<{ meetings: MeetingDto[]; now?: string }>('/api/meetings'),
  create: (body: CreateMeetingBody) => api.post<{ meeting: MeetingDto }>('/api/meetings', body),
  health: (id: string) => api.get<{ sites: SiteHealth[] }>(`/api/meetings/${encodeURIComponent(id)}/health`),
  attendance: (id: string) => api.get<{ attendance: AttendanceRow[]; absent?: { unitCode: string; unitName: string }[] }>(`/api/meetings/${encodeURIComponent(id)}/attendance`),
  recordings: (id: string) => api.get<{ recordings: RecordingDto[]; recording: unknown }>(`/api/meetings/${encodeURIComponent(id)}/recordings`),
};
