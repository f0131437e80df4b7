/** Before sending: asks the server for near-duplicates of the saved item and, if any, waits for the user's choice. */
import { ref } from 'vue';
import type { DuplicateMatchDto } from '../../../contract/information-duplicates';
import { duplicatesApi } from './duplicatesApi';

export function useDuplicateCheck() {
  const matches = ref<DuplicateMatchDto[] | null>(null);
  let answer: ((send: boolean) => void) | null = null;

  /** True when the item may be sent: no matches, or the user chose to send anyway. A failed check throws. */
  async function confirmSend(itemId: string): Promise<boolean> {
    const r = await duplicatesApi.similar(itemId);
    if (!r.matches.length) return true;
    matches.value = r.matches;
    return new Promise<boolean>((resolve) => (answer = resolve));
  }
  function decide(send: boolean): void {
    matches.value = null;
    answer?.(send);
    answer = null;
  }
  return { matches, confirmSend, decide };
}
