/**
 * Postgres only (PGlite is in-process: parsing costs no round trip there). Unnamed statements are parsed and
 * planned by Postgres on every execution — most of its CPU under the duty read mix. Here each pooled
 * connection gives every distinct statement text a name, so Postgres parses it once per connection and keeps
 * its plan (pg sends Parse once, then only Bind/Execute).
 *
 * Bounded: texts with many parameters (long `in (...)` lists, each length a new text) or very long texts stay
 * unnamed, and past MAX_PER_CONNECTION names the least recently used one is deallocated. Names are never
 * reused (a counter), so a DEALLOCATE that failed (an aborted transaction) leaves a stray statement on that
 * connection, never a clash. A lost connection (Postgres restarted) goes with its names: the pool connects
 * afresh and the new connection starts empty.
 */
import type pg from 'pg';

export const MAX_PER_CONNECTION = 200;
const MAX_TEXT = 8_000;
const MAX_PARAMS = 32;
const NAMEABLE = /^\s*(select|insert|update|delete|with)\b/i;

let counter = 0;

type Query = (...args: unknown[]) => Promise<unknown>;
interface PgConnection {
  parsedStatements: Record<string, string>;
}

/** Wraps one client's query(): Kysely calls query(text, values). Anything else passes through. */
export function prepareStatements(client: pg.ClientBase): void {
  const query = client.query.bind(client) as unknown as Query;
  const conn = (client as unknown as { connection: PgConnection }).connection;
  const names = new Map<string, string>(); // text → name, least recently used first

  const forget = (text: string, name: string) => {
    names.delete(text);
    if (conn.parsedStatements[name] === undefined) return; // never confirmed: nothing to free
    delete conn.parsedStatements[name];
    void query(`deallocate ${name}`).catch(() => undefined);
  };

  client.query = ((...args: unknown[]) => {
    const [text, values] = args;
    if (args.length !== 2 || typeof text !== 'string' || !Array.isArray(values) || values.length > MAX_PARAMS || text.length > MAX_TEXT || !NAMEABLE.test(text)) {
      return query(...args);
    }
    let name = names.get(text);
    if (name !== undefined) names.delete(text);
    else {
      if (names.size >= MAX_PER_CONNECTION) {
        const [oldText, oldName] = names.entries().next().value as [string, string];
        forget(oldText, oldName);
      }
      name = `tl_${(++counter).toString(36)}`;
    }
    names.set(text, name);
    const named = name;
    // A table's columns changed under a kept plan ("cached plan must not change result type", after a
    // migration): the statement fails once, and the next use prepares it afresh under a new name.
    return query({ name: named, text, values }).catch((e: unknown) => {
      if ((e as { code?: string })?.code === '0A000' && names.get(text) === named) forget(text, named);
      throw e;
    });
  }) as unknown as typeof client.query;
}
