/**
 * One audit entry per state-changing request, per export (an attachment answer) and per read a handler marks
 * as classified (`markClassifiedRead`), written where routes are mounted rather than in every handler. The
 * answer is held until the entry is stored, so a client that saw the answer can rely on the entry.
 */
import type { Express, NextFunction, Request, Response } from 'express';
import type { AppContext } from '../context.ts';
import type { SessionUser } from '../auth/sessions.ts';
import { routeIndex } from './routeIndex.ts';
import { writeAudit, type AuditInput } from './service.ts';

const READS = new Set(['GET', 'HEAD', 'OPTIONS']);
/** Sign-in writes its own entries (success and each kind of failure). */
const EXPLICIT = new Set(['/api/auth/login']);
const SECRET_KEY = /pass|pin|secret|token|key/i;
/**
 * State-changing requests that are not acts worth a trail entry: the console's "the user is here" signal (at most
 * once a minute per active user) would bury the trail. What it leads to is audited: an idle lapse, a sign-in.
 */
export const NOT_AUDITED = new Set(['/api/auth/activity']);

/** What a handler adds to its request's entry: before/after of a change, or what classified thing it read. */
export interface AuditNote {
  before?: unknown;
  after?: unknown;
  read?: { kind: string; id: string | number; classification: number }[];
}

export function noteAudit(res: Response, note: AuditNote): void {
  const cur = (res.locals.audit ?? {}) as AuditNote;
  res.locals.audit = { ...cur, ...note, ...(note.read ? { read: [...(cur.read ?? []), ...note.read] } : {}) };
}

/** Marks the classified report(s) or item(s) of a read, so the read is audited. */
export function markClassifiedRead(res: Response, kind: string, things: { id: string | number; classification: number }[], from = 2): void {
  const read = things.filter((t) => t.classification >= from).map((t) => ({ kind, id: t.id, classification: t.classification }));
  if (read.length) noteAudit(res, { read });
}

function redact(v: unknown, depth = 0): unknown {
  if (Buffer.isBuffer(v) || v instanceof Uint8Array) return { bytes: v.length };
  if (Array.isArray(v)) return depth > 6 ? '[…]' : v.map((x) => redact(x, depth + 1));
  if (v && typeof v === 'object') {
    if (depth > 6) return '{…}';
    return Object.fromEntries(Object.entries(v as Record<string, unknown>).map(([k, x]) => [k, SECRET_KEY.test(k) ? '***' : redact(x, depth + 1)]));
  }
  return v;
}

export function requestEntry(req: Request, res: Response, routeOf: (method: string, path: string) => string | null): AuditInput | null {
  const path = req.originalUrl.split('?')[0] ?? '';
  if (EXPLICIT.has(path) || NOT_AUDITED.has(path) || !(path.startsWith('/api/') || path.startsWith('/platform/'))) return null;
  const note = res.locals.audit as AuditNote | undefined;
  const disposition = String(res.getHeader('content-disposition') ?? '');
  const kind = !READS.has(req.method) ? 'change' : disposition.startsWith('attachment') ? 'export' : note?.read?.length ? 'read' : null;
  if (!kind) return null;
  const route = routeOf(req.method, path) ?? `${req.method} ${path}`;
  const user = res.locals.user as SessionUser | undefined;
  const body = kind === 'change' && req.body !== undefined ? redact(req.body) : undefined;
  return {
    actor: user ? { id: user.id, username: user.username, unitCode: user.unitCode } : null,
    remote: req.ip ?? null,
    action: `${kind} ${route}`,
    target: req.originalUrl,
    status: res.statusCode,
    detail: { ...(body !== undefined ? { body } : {}), ...(note ?? {}), ...(kind === 'export' ? { file: disposition } : {}) },
  };
}

export function auditRequests(ctx: Pick<AppContext, 'db' | 'log'>, app: () => Express) {
  const routeOf = routeIndex(app);
  return (req: Request, res: Response, next: NextFunction) => {
    const end = res.end.bind(res) as (...args: unknown[]) => Response;
    let held = false;
    res.end = ((...args: unknown[]) => {
      if (held) return end(...args);
      held = true;
      const entry = requestEntry(req, res, routeOf);
      if (!entry) return end(...args);
      void writeAudit(ctx, entry).finally(() => end(...args));
      return res;
    }) as unknown as Response['end'];
    next();
  };
}
