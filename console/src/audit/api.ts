/** HTTP client of /api/audit (the audit administrator's trail); wire types from the contract. */
import { api, queryString } from '../shared/api';
import type { AuditPageDto, AuditVerifyDto } from '../../../contract/audit';

export interface AuditFilter {
  from?: string;
  to?: string;
  username?: string;
  action?: string;
}

export const auditApi = {
  page: (filter: AuditFilter, page: number, pageSize: number) => api.get<AuditPageDto>(`/api/audit${queryString({ ...filter, page, pageSize })}`),
  verify: () => api.get<AuditVerifyDto>('/api/audit/verify'),
  /** A link, not a fetch: the browser downloads the workbook of the same filter. */
  exportUrl: (filter: AuditFilter) => `/api/audit/export.xlsx${queryString({ ...filter })}`,
};
