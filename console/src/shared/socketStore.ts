import { defineStore } from 'pinia';
import { ref } from 'vue';
import { io, type Socket } from 'socket.io-client';
import { AppError, fromWire } from './errors';
import type { AckResult, ClientEvent, ClientToServerEvents, ServerToClientEvents } from '../../../contract/socket';

/** Server pushes (the contract's event map) and the connection's own events. */
type Listeners = ServerToClientEvents & { connect: () => void; disconnect: (reason: string) => void; connect_error: (err: Error) => void };
type Listener = (...args: any[]) => void;

const ACK_TIMEOUT_MS = 10_000;

/**
 * The one socket.io connection of a logged-in session. Listeners live here, not on the socket,
 * so they survive logout/login and reconnects. 'connect' and 'disconnect' are dispatched too,
 * which lets stores refetch whatever they may have missed while offline.
 */
export const useSocketStore = defineStore('socket', () => {
  const connected = ref(false);
  /** True once the first connection succeeded: distinguishes "connecting…" from "connection lost". */
  const wasConnected = ref(false);
  const lastError = ref<string | null>(null);

  let socket: Socket<ServerToClientEvents, ClientToServerEvents> | null = null;
  const listeners = new Map<string, Set<Listener>>();

  function dispatch(event: string, args: unknown[]): void {
    for (const fn of listeners.get(event) ?? []) {
      try {
        fn(...args);
      } catch (e) {
        console.error(`[socket] listener for ${event} failed`, e);
      }
    }
  }

  /** Subscribe to a server push (or 'connect' / 'disconnect'). Returns the unsubscribe function. */
  function on<E extends keyof Listeners>(event: E, fn: Listeners[E]): () => void {
    let set = listeners.get(event);
    if (!set) listeners.set(event, (set = new Set()));
    const listener = fn as Listener;
    set.add(listener);
    return () => set.delete(listener);
  }

  function connect(): void {
    if (socket) return;
    const s: Socket<ServerToClientEvents, ClientToServerEvents> = io({ path: '/socket.io', withCredentials: true, transports: ['websocket', 'polling'] });
    s.on('connect', () => {
      connected.value = true;
      wasConnected.value = true;
      lastError.value = null;
      dispatch('connect', []);
    });
    s.on('disconnect', (reason) => {
      connected.value = false;
      dispatch('disconnect', [reason]);
    });
    s.on('connect_error', (err) => {
      lastError.value = err.message;
      // A refusal by the server's auth middleware is not retried by socket.io itself.
      if (!s.active) setTimeout(() => socket === s && s.connect(), 3000);
      dispatch('connect_error', [err]);
    });
    s.onAny((event: string, ...args: unknown[]) => dispatch(event, args));
    socket = s;
  }

  function disconnect(): void {
    socket?.disconnect();
    socket = null;
    connected.value = false;
    wasConnected.value = false;
  }

  /** Client → server call with an ack `{ ok, data | error }`; rejects with AppError. */
  async function request<T>(event: ClientEvent, payload: unknown = {}, timeoutMs = ACK_TIMEOUT_MS): Promise<T> {
    // Right after login or a page load the first connection may still be in progress: wait for it.
    // After a drop, fail fast instead: callers resync on 'connect' rather than replay stale calls.
    if (socket && !socket.connected && !wasConnected.value) await firstConnect(timeoutMs);
    if (!socket?.connected) throw new AppError('SOCKET_DISCONNECTED');
    let res: AckResult<T>;
    try {
      // The payload is checked by the server's zod schema of the event (contract/meetings.ts); the map types the name.
      res = (await (socket as Socket).timeout(timeoutMs).emitWithAck(event, payload)) as AckResult<T>;
    } catch {
      throw new AppError('TIMEOUT');
    }
    if (!res || typeof res !== 'object') throw new AppError('BAD_RESPONSE');
    if (!res.ok) throw fromWire(res.error);
    return res.data;
  }

  function firstConnect(timeoutMs: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(done, timeoutMs);
      const off = on('connect', done);
      function done() {
        clearTimeout(timer);
        off();
        resolve();
      }
    });
  }

  /** Fire-and-forget, for best effort notices such as leaving a meeting. */
  function emit(event: ClientEvent, payload: unknown = {}): void {
    (socket as Socket | null)?.emit(event, payload);
  }

  /** The server-side peer id is most likely the socket id; used to never render ourselves. */
  function socketId(): string | undefined {
    return socket?.id;
  }

  return { connected, wasConnected, lastError, on, connect, disconnect, request, emit, socketId };
});
