/** What the room's media engine (RoomClient, RoomMedia) shares: a typed emitter and the signalling it needs. */
import type { ClientEvent, ServerToClientEvents } from '../../../../contract/socket';

type Handler<A extends unknown[]> = (...args: A) => void;

/** A few lines of typed emitter (Node's EventEmitter is not in the browser bundle). */
export class TypedEmitter<E extends { [K in keyof E]: unknown[] }> {
  readonly #handlers = new Map<keyof E, Set<Handler<never>>>();
  on<K extends keyof E>(event: K, fn: Handler<E[K]>): () => void {
    let set = this.#handlers.get(event);
    if (!set) this.#handlers.set(event, (set = new Set()));
    set.add(fn as Handler<never>);
    return () => set.delete(fn as Handler<never>);
  }
  protected emit<K extends keyof E>(event: K, ...args: E[K]): void {
    for (const fn of this.#handlers.get(event) ?? []) (fn as Handler<E[K]>)(...args);
  }
}

/** What the engine needs of the socket (the console's socket store gives it). */
export interface Signalling {
  request<T>(event: ClientEvent, payload?: unknown): Promise<T>;
  on<E extends keyof ServerToClientEvents>(event: E, fn: ServerToClientEvents[E]): unknown;
  on(event: 'connect' | 'disconnect', fn: () => void): unknown;
  readonly connected: boolean;
  socketId(): string | undefined;
}
