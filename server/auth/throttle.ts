/**
 * Login throttle (V9): failures counted per account and per address in our own table (PGlite and Postgres,
 * kept across restarts). Each try first reserves a slot with one atomic upsert, so parallel guesses cannot
 * outrun the count and a locked account is refused before the (expensive) scrypt. After LOGIN_MAX_FAILURES
 * failures within the window the key is locked for LOGIN_LOCK_MS; a success clears the account's count.
 */
import { sql, type Kysely } from 'kysely';
import type { Database } from '../../db/schema.ts';
import { clock } from '../clock.ts';

export const LOGIN_MAX_FAILURES = 5;
/** An office behind one NAT address shares it: more room there, still far from a brute force. */
export const ADDRESS_MAX_FAILURES = 30;
export const LOGIN_WINDOW_MS = 15 * 60_000;
export const LOGIN_LOCK_MS = 15 * 60_000;

export const accountKey = (username: string) => `user:${username.toLowerCase()}`;
export const addressKey = (ip: string) => `ip:${ip}`;

interface Slot {
  key: string;
  max: number;
  failures: number;
  lockedUntil: Date | null;
}

async function reserve(db: Kysely<Database>, key: string, max: number, now: Date): Promise<Slot> {
  const stale = new Date(now.getTime() - LOGIN_WINDOW_MS);
  const t = sql.ref('login_throttle');
  const locked = sql`${t}.locked_until is not null and ${t}.locked_until > ${now}`;
  const fresh = sql`(${t}.locked_until is not null and ${t}.locked_until <= ${now}) or (${t}.locked_until is null and ${t}.window_start < ${stale})`;
  const row = await db
    .insertInto('login_throttle')
    .values({ key, failures: 1, window_start: now, locked_until: null })
    .onConflict((oc) =>
      oc.column('key').doUpdateSet({
        failures: sql`case when ${locked} then ${t}.failures when ${fresh} then 1 else ${t}.failures + 1 end`,
        window_start: sql`case when ${locked} then ${t}.window_start when ${fresh} then ${now} else ${t}.window_start end`,
        locked_until: sql`case when ${locked} then ${t}.locked_until else null end`,
      }),
    )
    .returning(['failures', 'locked_until'])
    .executeTakeFirstOrThrow();
  return { key, max, failures: row.failures, lockedUntil: row.locked_until };
}

export type Attempt =
  | { ok: true; slots: Slot[] }
  | { ok: false; retryAfterMin: number };

/** Reserves one try on the account and the address; refused (cheaply) when either is locked or full. */
export async function beginAttempt(db: Kysely<Database>, username: string, ip: string): Promise<Attempt> {
  const now = clock.now();
  const slots = [await reserve(db, accountKey(username), LOGIN_MAX_FAILURES, now), await reserve(db, addressKey(ip), ADDRESS_MAX_FAILURES, now)];
  const locked = slots.filter((s) => (s.lockedUntil && s.lockedUntil > now) || s.failures > s.max);
  if (!locked.length) return { ok: true, slots };
  // Parallel tries past the limit lock the key too.
  for (const s of locked.filter((x) => !x.lockedUntil)) await lock(db, s.key, now);
  const until = Math.max(...locked.map((s) => (s.lockedUntil ? s.lockedUntil.getTime() : now.getTime() + LOGIN_LOCK_MS)));
  return { ok: false, retryAfterMin: Math.max(1, Math.ceil((until - now.getTime()) / 60_000)) };
}

async function lock(db: Kysely<Database>, key: string, now: Date) {
  await db.updateTable('login_throttle').set({ locked_until: new Date(now.getTime() + LOGIN_LOCK_MS) }).where('key', '=', key).where('locked_until', 'is', null).execute();
}

/** A wrong password: lock the keys that reached their limit; returns the tries left on the account. */
export async function failAttempt(db: Kysely<Database>, slots: Slot[]): Promise<number> {
  const now = clock.now();
  for (const s of slots) if (s.failures >= s.max) await lock(db, s.key, now);
  const account = slots[0]!;
  return Math.max(0, account.max - account.failures);
}

/** The right password: the account starts afresh; the address gives its slot back. */
export async function succeedAttempt(db: Kysely<Database>, slots: Slot[]): Promise<void> {
  const [account, address] = slots;
  await db.deleteFrom('login_throttle').where('key', '=', account!.key).execute();
  await db.updateTable('login_throttle').set({ failures: sql`greatest(failures - 1, 0)` }).where('key', '=', address!.key).execute();
}

/** An administrator's reset unlocks the account. */
export async function clearAccount(db: Kysely<Database>, username: string): Promise<void> {
  await db.deleteFrom('login_throttle').where('key', '=', accountKey(username)).execute();
}
