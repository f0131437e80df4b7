/** HTTP client of the units' phones page (/api/voice/phones); wire types from the contract. */
import { api } from '../shared/api';
import type { VoicePhoneDto } from '../../../contract/voice';

export interface VoicePhoneChange {
  enabled?: boolean;
  unitCode?: string;
  password?: string;
}

export const voiceApi = {
  phones: async () => (await api.get<{ phones: VoicePhoneDto[] }>('/api/voice/phones')).phones,
  add: (number: string, unitCode: string, password?: string) => api.post('/api/voice/phones', { number, unitCode, ...(password ? { password } : {}) }),
  update: (number: string, change: VoicePhoneChange) => api.put(`/api/voice/phones/${encodeURIComponent(number)}`, change),
};
