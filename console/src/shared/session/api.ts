/** HTTP client of the idle guard: how long my session has left, and "I am still here". */
import { api } from '../api';
import type { SessionStatus } from '../../../../contract/sessions';

export const sessionApi = {
  status: () => api.get<SessionStatus>('/api/auth/session'),
  activity: () => api.post<SessionStatus>('/api/auth/activity'),
};
