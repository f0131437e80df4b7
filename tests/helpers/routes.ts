/** What the server really answers: Express's router stack walked, and the events a connected socket listens to. */
import type { Express } from 'express';
import type { Server as IoServer } from 'socket.io';

interface LayerLike {
  route?: { path: string | RegExp; methods: Record<string, boolean> };
  handle?: { stack?: LayerLike[] };
  rawPath?: string | RegExp | (string | RegExp)[];
}

/** Every "METHOD /path" the app routes, mount paths joined (Express 5 / router 2 layers). */
export function expressRoutes(app: Express): string[] {
  const out: string[] = [];
  const walk = (stack: LayerLike[], prefix: string) => {
    for (const layer of stack) {
      if (layer.route) {
        for (const m of Object.keys(layer.route.methods)) if (m !== '_all') out.push(`${m.toUpperCase()} ${prefix}${String(layer.route.path)}`);
      } else if (layer.handle?.stack) {
        const p = typeof layer.rawPath === 'string' && layer.rawPath !== '/' ? layer.rawPath : '';
        walk(layer.handle.stack, prefix + p);
      }
    }
  };
  walk((app as unknown as { router: { stack: LayerLike[] } }).router.stack, '');
  return [...new Set(out)].sort();
}

/** Events the server side of one connected socket listens to. */
export function socketEvents(io: IoServer): string[] {
  const [socket] = io.sockets.sockets.values();
  if (!socket) throw new Error('connect a socket first');
  return socket.eventNames().map(String).sort();
}
