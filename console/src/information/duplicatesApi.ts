/** HTTP client of the near-duplicate check and flags (/api/information, part 3). */
import { api } from '../shared/api';
import type { DuplicateFlagsDto, SimilarCheckDto } from '../../../contract/information-duplicates';

export const duplicatesApi = {
  /** The unit's own item against the region's submitted items (before 送审 / 签发). */
  similar: (itemId: string) => api.get<SimilarCheckDto>(`/api/information/items/${itemId}/similar`),
  /** What a delivered item matched when it was sent (the receiving editor). */
  flags: (deliveryId: string) => api.get<DuplicateFlagsDto>(`/api/information/deliveries/${deliveryId}/duplicates`),
};
