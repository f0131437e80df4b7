/**
 * Security headers (V8) with helmet: a CSP without inline script for the built console (Vite emits module
 * scripts only; Vue, Element Plus and echarts set inline styles, hence style-src 'unsafe-inline'; camera
 * previews and recordings play from blob:/mediastream:), no framing, a same-origin referrer, nosniff on
 * every response, and HSTS only when the product is served over HTTPS (COOKIE_SECURE=1, or a trusted
 * proxy that says the request came in over https) so a plain-http LAN install is not locked out.
 */
import type { NextFunction, Request, Response } from 'express';
import helmet from 'helmet';

export function securityHeaders(opts: { https: boolean; connectExtra?: string[] }) {
  const base = helmet({
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        'default-src': ["'self'"],
        'script-src': ["'self'"],
        'style-src': ["'self'", "'unsafe-inline'"],
        'img-src': ["'self'", 'data:', 'blob:'],
        'font-src': ["'self'", 'data:'],
        'media-src': ["'self'", 'blob:', 'mediastream:'],
        // 'self' covers the same host's ws:/wss: (CSP3); socket.io falls back to polling on the same origin.
        // plus the UKey vendor middleware on the user's machine, when UKey login is configured
        'connect-src': ["'self'", ...(opts.connectExtra ?? [])],
        'worker-src': ["'self'", 'blob:'],
        'object-src': ["'none'"],
        'base-uri': ["'self'"],
        'form-action': ["'self'"],
        'frame-ancestors': ["'none'"],
        ...(opts.https ? { 'upgrade-insecure-requests': [] } : {}),
      },
    },
    frameguard: { action: 'deny' },
    referrerPolicy: { policy: 'same-origin' },
    strictTransportSecurity: false,
  });
  const hsts = helmet.strictTransportSecurity({ maxAge: 180 * 86400, includeSubDomains: true });
  return (req: Request, res: Response, next: NextFunction) =>
    base(req, res, (err?: unknown) => {
      if (err) return next(err);
      if (opts.https || req.secure) return hsts(req, res, next);
      next();
    });
}
