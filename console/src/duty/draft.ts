import { reactive, watch } from 'vue';
import { uuid } from '../shared/uuid';

/**
 * A form autosaved to localStorage on every keystroke (per user: duty workstations are shared), with the
 * idempotency key minted at the first submit attempt and kept for retries.
 */
export function useDraft<T extends object>(key: string, blank: () => T, hasContent: (d: T) => boolean) {
  let restored: T | null = null;
  try {
    const raw = localStorage.getItem(key);
    if (raw) restored = { ...blank(), ...(JSON.parse(raw) as Partial<T>) };
  } catch {
    restored = null;
  }
  const draft = reactive({ ...(restored ?? blank()), requestId: (restored as { requestId?: string } | null)?.requestId ?? null }) as T & { requestId: string | null };
  watch(draft, () => {
    try {
      if (hasContent(draft as T) || draft.requestId) localStorage.setItem(key, JSON.stringify(draft));
      else localStorage.removeItem(key);
    } catch {
      // Storage full or disabled: the form still works.
    }
  });
  return {
    draft,
    restored: restored !== null && hasContent(restored),
    requestId: () => (draft.requestId ??= uuid()),
    reset() {
      Object.assign(draft, blank(), { requestId: null });
      localStorage.removeItem(key);
    },
  };
}
