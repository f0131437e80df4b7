/**
 * The request/ack shape of every client→server socket event: the payload is checked against its zod
 * schema, the handler's answer goes back as `{ ok: true, data }`, a refusal as `{ ok: false, error }` with a
 * stable code (server faults only reach the log).
 */
import type { Logger } from 'pino';
import type { Socket } from 'socket.io';
import type { z } from 'zod';
import type { Ack } from '../../contract/socket.ts';
import { ApiError } from '../http/errors.ts';
import { check } from '../http/validate.ts';
import { socketError } from './socketErrors.ts';

export type RequestHandler = <S extends z.ZodType>(event: string, schema: S, fn: (input: z.infer<S>) => Promise<unknown>) => void;

/** A registrar of acked handlers on one socket; `what` names the area in the log ("signalling", "device test"). */
export function acked(socket: Socket, log: Logger, what: string): RequestHandler {
  const username = (socket.data.user as { username?: string } | undefined)?.username;
  return (event, schema, fn) => {
    socket.on(event, async (payload: unknown, ack?: Ack) => {
      try {
        const parsed = check(schema, payload ?? {});
        if (!parsed.ok) throw parsed.error;
        const data = await fn(parsed.data);
        if (typeof ack === 'function') ack({ ok: true, data: data ?? {} });
      } catch (e) {
        const { error, internal } = socketError(e);
        if (internal) log.warn({ event, err: (e as Error).message, user: username }, `${what} failed`);
        else if (!(e instanceof ApiError)) log.debug({ event, err: (e as Error).message, user: username }, `${what} refused`);
        if (typeof ack === 'function') ack({ ok: false, error: error.toJSON() });
      }
    });
  };
}
