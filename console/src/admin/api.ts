/** HTTP client of the administrators' pages (/api/admin/*, the org tree, password resets); wire types from the contract. */
import { api, queryString } from '../shared/api';
import type { Account, AssignRolesBody, CreateAccountBody, CreateUnitBody, EditAccountBody, EditUnitBody } from '../../../contract/admin';
import type { Unit } from '../../../contract/org';
import type { SessionInfo, SessionPolicy, SessionPolicyBody } from '../../../contract/sessions';

export const adminApi = {
  orgTree: async () => (await api.get<{ root: Unit }>('/api/org/tree')).root,
  accounts: async (filter: { unit?: string | null; q?: string }) =>
    (await api.get<{ accounts: Account[] }>(`/api/admin/users${queryString({ unit: filter.unit, q: filter.q?.trim() || undefined })}`)).accounts,
  createAccount: (body: CreateAccountBody) => api.post('/api/admin/users', body),
  editAccount: (id: number, body: EditAccountBody) => api.post(`/api/admin/users/${id}`, body),
  setDisabled: (id: number, disabled: boolean) => api.post(`/api/admin/users/${id}/${disabled ? 'disable' : 'enable'}`),
  assignRoles: (id: number, body: AssignRolesBody) => api.post(`/api/admin/users/${id}/roles`, body),
  resetPassword: (username: string, newPassword: string) => api.post('/api/auth/reset', { username, newPassword }),
  endAllSessions: (id: number) => api.post(`/api/admin/users/${id}/sessions/end`),
  createUnit: (body: CreateUnitBody) => api.post('/api/admin/units', body),
  editUnit: (code: string, body: EditUnitBody) => api.post(`/api/admin/units/${code}`, body),
  sessions: async (username?: string) =>
    (await api.get<{ sessions: SessionInfo[] }>(`/api/admin/sessions${queryString({ username: username?.trim() || undefined })}`)).sessions,
  endSession: (id: number) => api.post(`/api/admin/sessions/${id}/end`),
  policy: async () => (await api.get<{ policy: SessionPolicy }>('/api/admin/security-policy')).policy,
  savePolicy: async (body: SessionPolicyBody) => (await api.put<{ policy: SessionPolicy }>('/api/admin/security-policy', body)).policy,
  resetPolicy: async () => (await api.post<{ policy: SessionPolicy }>('/api/admin/security-policy/reset')).policy,
};
