import { defineStore } from 'pinia';
import { useAuthStore } from '../shared/session/authStore';
import { useAlertStore } from '../shared/alertStore';
import { i18n } from '../shared/i18n';
import { useSocketStore } from '../shared/socketStore';
import { formatDateTime } from '../shared/format';
import type { SwapDto as Swap } from '../../../contract/duty';

/**
 * A new swap request (换班/替班) alerts the unit's leaders, who approve it; once decided (by any of them, or
 * cancelled) the alert clears on every console of the unit.
 */
export const useSwapAlerts = defineStore('swapAlerts', () => {
  const auth = useAuthStore();
  const socket = useSocketStore();
  const alerts = useAlertStore();
  const { t } = i18n.global;

  socket.on('duty:swap', (s: Swap) => {
    if (!auth.user || s.unitCode !== auth.user.unitCode) return;
    const key = `swap-${s.id}`;
    if (s.status !== 'pending') return alerts.resolve(key);
    if (!auth.hasRole('leader') || s.requestedBy === auth.user.id) return;
    alerts.push({
      key,
      kind: 'swap',
      grade: null,
      title: () => t('alert.swapTitle'),
      body: () => t('alert.swapBody', {
        name: s.requestedByName,
        kind: t(`alert.swapKind.${s.kind}`),
        from: s.from.name,
        to: s.to.name,
        slot: formatDateTime(s.slotStart, i18n.global.locale.value),
      }),
      incidentId: null,
      to: { name: 'duty-swaps' },
    });
  });
  return {};
});
