/**
 * Cross-site request refusal (V7). A browser sends Origin on every state-changing request and on the
 * websocket handshake, and Sec-Fetch-Site where it supports it: a request from another site is refused
 * before any route runs. Bodies must be JSON (a cross-site form cannot send that without a preflight we
 * never answer); the raw-body upload and import routes instead require a custom header (X-Requested-With),
 * which a cross-site page cannot add either. Clients without Origin (curl, tests, other servers) carry no
 * browser cookies by accident and are let through to the session check.
 */
import type { IncomingMessage } from 'node:http';
import type { NextFunction, Request, Response } from 'express';
import { errors } from './errors.ts';

const SAFE = new Set(['GET', 'HEAD', 'OPTIONS']);
/** Routes whose body is a file: they need X-Requested-With instead of a JSON body. */
export const RAW_BODY_ROUTES: RegExp[] = [/^\/api\/reports\/[^/]+\/attachments$/, /^\/api\/duty\/roster\/import$/];
export const UPLOAD_HEADER = 'x-requested-with';

/** Extra origins allowed besides the server's own host (ALLOWED_ORIGINS, comma-separated). */
const extraOrigins = () => (process.env.ALLOWED_ORIGINS ?? '').split(',').map((s) => s.trim()).filter(Boolean);

function originAllowed(origin: string, host: string | undefined): boolean {
  if (extraOrigins().includes(origin)) return true;
  try {
    return !!host && new URL(origin).host.toLowerCase() === host.toLowerCase();
  } catch {
    return false; // "null" (sandboxed frames, privacy redirects) and garbage
  }
}

/** Why a browser request is cross-site, or null when it is not. */
export function crossSiteReason(headers: IncomingMessage['headers'], host: string | undefined): string | null {
  const site = headers['sec-fetch-site'];
  if (typeof site === 'string' && site !== 'same-origin' && site !== 'none') return `sec-fetch-site ${site}`;
  const origin = headers.origin;
  if (origin !== undefined && !originAllowed(String(origin), host)) return `origin ${origin}`;
  return null;
}

const hasBody = (req: Request) => Number(req.headers['content-length'] ?? 0) > 0 || req.headers['transfer-encoding'] !== undefined;

export function sameOriginGuard() {
  return (req: Request, _res: Response, next: NextFunction) => {
    if (SAFE.has(req.method)) return next();
    // req.host honours `trust proxy` (X-Forwarded-Host from the loopback proxy), with the port.
    if (crossSiteReason(req.headers, req.host)) throw errors.crossSite();
    if (RAW_BODY_ROUTES.some((r) => r.test(req.path))) {
      if (!req.headers[UPLOAD_HEADER]) throw errors.uploadHeaderRequired();
    } else if (hasBody(req) && !req.is('application/json')) {
      throw errors.jsonRequired();
    }
    next();
  };
}

/** socket.io allowRequest: the same Origin check on the handshake (polling and websocket). */
export function allowSocketRequest(req: IncomingMessage, callback: (err: string | null | undefined, success: boolean) => void): void {
  const loopback = /^(::1|127\.|::ffff:127\.)/.test(req.socket.remoteAddress ?? '');
  const forwarded = loopback ? req.headers['x-forwarded-host'] : undefined;
  const host = (typeof forwarded === 'string' ? forwarded.split(',')[0]!.trim() : undefined) ?? req.headers.host;
  const why = crossSiteReason(req.headers, host);
  callback(why ? 'CROSS_SITE' : null, !why);
}
