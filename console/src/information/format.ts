/** Small display helpers of the information desks. */
import type { DeliveryStateName } from '../../../contract/information';

type Tag = 'info' | 'warning' | 'success' | 'danger' | 'primary';
const STATE_TAGS: Record<string, Tag> = { draft: 'info', pending_signoff: 'warning', returned: 'danger', submitted: 'success', compiling: 'info', signed: 'primary', published: 'success' };
export const stateTag = (s: string): Tag => STATE_TAGS[s] ?? 'info';

export const deliveryTag = (s: DeliveryStateName): 'info' | 'warning' | 'success' | 'danger' =>
  (({ received: 'warning', acknowledged: 'info', adopted: 'success', not_adopted: 'info', returned: 'danger' }) as const)[s];

/** YYYY-MM-DD HH:mm in the viewer's time zone. */
export function when(iso: string | null | undefined): string {
  if (!iso) return '—';
  const d = new Date(iso);
  const p = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())} ${p(d.getHours())}:${p(d.getMinutes())}`;
}
