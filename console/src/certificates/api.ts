/** HTTP client of the security administrator's certificates page (/api/certificates); wire types from the contract. */
import { api, queryString } from '../shared/api';
import type { CertificateView, FactorPolicyRow, FactorPolicyView } from '../../../contract/certificates';

export const certificatesApi = {
  list: async (username: string) => (await api.get<{ certificates: CertificateView[] }>(`/api/certificates${queryString({ username })}`)).certificates,
  bind: async (username: string, pem: string) => (await api.post<{ certificate: CertificateView }>('/api/certificates', { username, pem })).certificate,
  revoke: async (id: number, reason: string) => (await api.post<{ certificate: CertificateView }>(`/api/certificates/${id}/revoke`, { reason })).certificate,
  policy: () => api.get<FactorPolicyView>('/api/certificates/policy'),
  savePolicy: (rows: FactorPolicyRow[]) => api.put<FactorPolicyView>('/api/certificates/policy', { rows }),
};
