/** HTTP client of the account pages (my password, my sessions, the first-sign-in reset); wire types from the contract. */
import { api } from '../shared/api';
import type { SessionInfo } from '../../../contract/sessions';

export const accountApi = {
  changePassword: (oldPassword: string, newPassword: string) => api.post('/api/auth/password', { oldPassword, newPassword }),
  resetPassword: (username: string, newPassword: string) => api.post('/api/auth/reset', { username, newPassword }),
  mySessions: async () => (await api.get<{ sessions: SessionInfo[] }>('/api/auth/sessions')).sessions,
  endSession: async (id: number) => (await api.post<{ ended: number }>(`/api/auth/sessions/${id}/end`)).ended,
  endOtherSessions: async () => (await api.post<{ ended: number }>('/api/auth/sessions/end-others')).ended,
};
