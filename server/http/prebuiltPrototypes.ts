/**
 * The HTTP server builds each request and response on the Express app's own prototypes, so the
 * `Object.setPrototypeOf(req, app.request)` (and res) that Express's `app.handle` does on every request finds
 * them in place and changes nothing.
 *
 * Why: swapping the prototype of every live request and response made V8 keep each request's objects through
 * young-generation collections. Measured on bare Express 5.3 at 500 req/s, 7.4 of the 21 KiB allocated per
 * request were promoted to the old generation with the swap and 0.75 KiB without it; the real server's
 * `/api/auth/me` went from 86 to 14 MB promoted in 15 s. Promoted garbage is what makes V8 collect the old
 * generation, and those collections made the duty API's p99 tail (see server/v8Tuning.ts for the rest of it).
 */
import http from 'node:http';
import type { Express } from 'express';

type Ctor = new (...args: unknown[]) => object;

/** A constructor that builds `base`'s objects (its own constructor runs) with `proto` as their prototype. */
function constructorWithPrototype<T>(base: T, proto: object): T {
  const C = function (...args: unknown[]) {
    return Reflect.construct(base as unknown as Ctor, args, C);
  };
  C.prototype = proto;
  return C as unknown as T;
}

/** Server options (http and https alike) whose requests and responses are born as `app`'s. */
export function prebuiltPrototypes(app: Express): Pick<http.ServerOptions, 'IncomingMessage' | 'ServerResponse'> {
  return {
    IncomingMessage: constructorWithPrototype(http.IncomingMessage, app.request),
    ServerResponse: constructorWithPrototype(http.ServerResponse, app.response) as http.ServerOptions['ServerResponse'],
  };
}
