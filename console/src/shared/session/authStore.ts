import { defineStore } from 'pinia';
import { computed, ref } from 'vue';
import { api } from '../api';
import { AppError } from '../errors';
import type { Role, User } from '../../../../contract/org';
import type { SessionEndReason } from '../../../../contract/sessions';

/** The 401 codes of a session that ended other than by its own logout (server/http/errors.ts). */
const REASON_OF_CODE: Record<string, SessionEndReason> = { SESSION_IDLE: 'idle', SESSION_EVICTED: 'evicted', SESSION_REVOKED: 'revoked', ACCOUNT_DISABLED: 'disabled' };
import type { UkeyProof } from '../../../../contract/certificates';

export const useAuthStore = defineStore('auth', () => {
  const user = ref<User | null>(null);
  /** Whether the initial `/api/auth/me` probe has completed (the router waits for it). */
  const checked = ref(false);
  /** Why the last session ended, when the server said (the login page tells the user). */
  const endedReason = ref<SessionEndReason | null>(null);
  let probe: Promise<void> | null = null;

  const isLoggedIn = computed(() => user.value !== null);

  function hasRole(...roles: Role[]): boolean {
    return !!user.value && user.value.roles.some((r) => roles.includes(r));
  }

  /** Restore the session from the cookie once per page load. */
  function ensureChecked(): Promise<void> {
    probe ??= api
      .get<{ user: User }>('/api/auth/me')
      .then((res) => {
        user.value = res.user;
      })
      .catch((e: unknown) => {
        // 401 simply means "not logged in"; other failures also land on the login page.
        if (!(e instanceof AppError && e.status === 401)) console.warn('[auth] session probe failed', e);
        user.value = null;
      })
      .finally(() => {
        checked.value = true;
      });
    return probe;
  }

  /** `ukey`: the UKey's proof where the account signs in with certificate + password by UKey. */
  async function login(username: string, password: string, ukey?: UkeyProof): Promise<void> {
    const res = await api.post<{ user: User }>('/api/auth/login', { username, password, ...(ukey ? { ukey } : {}) });
    user.value = res.user;
    endedReason.value = null;
    checked.value = true;
  }

  async function logout(): Promise<void> {
    try {
      await api.post('/api/auth/logout');
    } finally {
      // Even if the server is unreachable, this workstation must stop showing the session.
      user.value = null;
    }
  }

  /** Re-check the session (e.g. when the socket is refused); logs out locally only on a definite 401. */
  async function verify(): Promise<void> {
    if (!user.value) return;
    try {
      user.value = (await api.get<{ user: User }>('/api/auth/me')).user;
    } catch (e) {
      if (e instanceof AppError && e.status === 401) expire(e.code);
    }
  }

  /** Session ended elsewhere (401 on a later call, or the socket told why). */
  function expire(code?: string, reason?: SessionEndReason): void {
    const why = reason ?? (code ? REASON_OF_CODE[code] : undefined);
    if (why && user.value) endedReason.value = why;
    user.value = null;
  }

  return { user, checked, endedReason, isLoggedIn, hasRole, ensureChecked, login, logout, verify, expire };
});
