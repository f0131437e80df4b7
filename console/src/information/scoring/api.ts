/** HTTP client of /api/scoring; wire types come from the shared contract. */
import { api } from '../../shared/api';
import type { BulletinDto, BulletinListRowDto, QuotaProgressDto, RequestBody, RequestDto, SchemeBody, SchemeVersionDto } from '../../../../contract/scoring';

const base = '/api/scoring';

export interface Reminder {
  kind: string;
  ref: string;
  text: string;
  at: string;
}

export const scoringApi = {
  scheme: () => api.get<{ officeCode: string; current: SchemeVersionDto; versions: SchemeVersionDto[] }>(`${base}/scheme`),
  saveScheme: (b: SchemeBody) => api.put<{ officeCode: string; current: SchemeVersionDto; versions: SchemeVersionDto[] }>(`${base}/scheme`, b),
  quota: (view: 'own' | 'office', month?: string) => api.get<{ progress: QuotaProgressDto }>(`${base}/quota?view=${view}${month ? `&month=${month}` : ''}`),
  reminders: () => api.get<{ reminders: Reminder[] }>(`${base}/reminders`),
  requests: (box: 'issued' | 'received') => api.get<{ requests: RequestDto[] }>(`${base}/requests?box=${box}`),
  createRequest: (b: RequestBody) => api.post<{ request: RequestDto }>(`${base}/requests`, b),
  answer: (id: string, itemId: string) => api.post<{ request: RequestDto }>(`${base}/requests/${id}/answers`, { itemId }),
  bulletins: () => api.get<{ bulletins: BulletinListRowDto[] }>(`${base}/bulletins`),
  bulletin: (period: string, office?: string) => api.get<{ bulletin: BulletinDto }>(`${base}/bulletins/${period}${office ? `?office=${office}` : ''}`),
  publish: (period: string) => api.post<{ bulletin: BulletinDto }>(`${base}/bulletins`, { period }),
  fileUrl: (period: string, kind: 'docx' | 'pdf' | 'xlsx', office?: string) => `${base}/bulletins/${period}/${kind}${office ? `?office=${office}` : ''}`,
};
