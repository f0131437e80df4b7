import { AppError, fromWire } from './errors';

/** Thin JSON client for /api. Session is the httpOnly cookie, so requests are same-origin with credentials. */

type UnauthorizedHandler = (code: string) => void;
let onUnauthorized: UnauthorizedHandler | null = null;

/** Called when a request comes back 401 after login (session expired or revoked elsewhere). */
export function setUnauthorizedHandler(fn: UnauthorizedHandler | null): void {
  onUnauthorized = fn;
}

const TIMEOUT_MS = 15_000;

type Listener = (method: string, path: string) => void;
const listeners = new Set<Listener>();
/** Hears every request the console sends (the idle guard: a change is the user's activity on the server). */
export function onRequest(fn: Listener): () => void {
  listeners.add(fn);
  return () => listeners.delete(fn);
}

/** A file goes up as the raw body; X-Requested-With because the server takes raw uploads only with it (a cross-site page cannot send it). */
function encode(body: unknown): { headers: Record<string, string>; body?: BodyInit } {
  if (body === undefined) return { headers: { Accept: 'application/json' } };
  if (body instanceof Blob) {
    return { headers: { Accept: 'application/json', 'Content-Type': body.type || 'application/octet-stream', 'X-Requested-With': 'XMLHttpRequest' }, body };
  }
  return { headers: { Accept: 'application/json', 'Content-Type': 'application/json' }, body: JSON.stringify(body) };
}

async function request<T>(method: string, path: string, body?: unknown, timeoutMs = TIMEOUT_MS): Promise<T> {
  for (const fn of listeners) fn(method, path);
  const ctrl = new AbortController();
  const timer = setTimeout(() => ctrl.abort(), timeoutMs);
  let res: Response;
  try {
    res = await fetch(path, { method, credentials: 'same-origin', ...encode(body), signal: ctrl.signal });
  } catch (e) {
    throw new AppError(ctrl.signal.aborted ? 'TIMEOUT' : 'NETWORK', e instanceof Error ? e.message : '');
  } finally {
    clearTimeout(timer);
  }

  const data: unknown = await res.json().catch(() => undefined);
  if (!res.ok) {
    const err = fromWire((data as { error?: Record<string, unknown> } | undefined)?.error, res.status);
    if (res.status === 401 && path !== '/api/auth/login' && path !== '/api/auth/me') onUnauthorized?.(err.code);
    throw err;
  }
  return data as T;
}

/** `?a=1&b=x` from the set values (undefined, null and '' are left out); '' when nothing is set. */
export function queryString(params: Record<string, string | number | boolean | null | undefined>): string {
  const s = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== null && v !== '') s.set(k, String(v));
  const str = s.toString();
  return str ? `?${str}` : '';
}

export const api = {
  get: <T>(path: string) => request<T>('GET', path),
  post: <T>(path: string, body: unknown = {}) => request<T>('POST', path, body),
  /** An idempotent write of a client-chosen resource (a draft by its id, a scheme version). */
  put: <T>(path: string, body: unknown) => request<T>('PUT', path, body),
  /** A file as the raw request body (attachments); a slow county line gets two minutes, not fifteen seconds. */
  upload: <T>(path: string, file: Blob) => request<T>('POST', path, file, 120_000),
};
