/**
 * The session policy in force: the security administrator's row in security_policy, else the server's
 * defaults (SESSION_IDLE_MINUTES / SESSION_MAX_CONCURRENT, or what createApp was given). Every request reads
 * it, so it is kept in memory per database and replaced when the administrator saves (one server per DB).
 */
import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.ts';
import type { SessionPolicy } from '../../contract/sessions.ts';
import { clock } from '../clock.ts';

export interface SessionDefaults {
  /** 0: not enforced. */
  idleMinutes: number;
  /** 0: no limit. */
  maxSessions: number;
}

/** 等保: idle sessions end after 30 min; three at once (an office PC, the duty room's, one spare). */
export const PRODUCTION_DEFAULTS: SessionDefaults = { idleMinutes: 30, maxSessions: 3 };

export function defaultsFromEnv(env: NodeJS.ProcessEnv = process.env): SessionDefaults {
  const num = (v: string | undefined, d: number) => (v !== undefined && /^\d+$/.test(v) ? Number(v) : d);
  return { idleMinutes: num(env.SESSION_IDLE_MINUTES, PRODUCTION_DEFAULTS.idleMinutes), maxSessions: num(env.SESSION_MAX_CONCURRENT, PRODUCTION_DEFAULTS.maxSessions) };
}

const defaultsOf = new WeakMap<object, SessionDefaults>();
const cached = new WeakMap<object, SessionPolicy>();

export function setSessionDefaults(db: Kysely<Database>, d: SessionDefaults): void {
  defaultsOf.set(db, d);
  cached.delete(db);
}

export async function sessionPolicy(db: Kysely<Database>): Promise<SessionPolicy> {
  const hit = cached.get(db);
  if (hit) return hit;
  const row = await db.selectFrom('security_policy').selectAll().where('id', '=', 1).executeTakeFirst();
  const d = defaultsOf.get(db) ?? PRODUCTION_DEFAULTS;
  const p: SessionPolicy = row
    ? { idleMinutes: row.idle_minutes, maxSessions: row.max_sessions, updatedAt: row.updated_at.toISOString(), updatedBy: row.updated_by }
    : { idleMinutes: d.idleMinutes, maxSessions: d.maxSessions, updatedAt: null, updatedBy: null };
  cached.set(db, p);
  return p;
}

export async function saveSessionPolicy(db: Kysely<Database>, p: { idleMinutes: number; maxSessions: number }, by: string): Promise<SessionPolicy> {
  const values = { idle_minutes: p.idleMinutes, max_sessions: p.maxSessions, updated_at: clock.now(), updated_by: by };
  await db.insertInto('security_policy').values({ id: 1, ...values }).onConflict((oc) => oc.column('id').doUpdateSet(values)).execute();
  cached.delete(db);
  return sessionPolicy(db);
}

/** Back to the server's defaults (the row goes). */
export async function resetSessionPolicy(db: Kysely<Database>): Promise<SessionPolicy> {
  await db.deleteFrom('security_policy').execute();
  cached.delete(db);
  return sessionPolicy(db);
}

/** The console warns this long before an idle lapse (a quarter of the timeout, at most two minutes). */
export const warnSecondsFor = (idleMinutes: number) => Math.min(120, Math.floor((idleMinutes * 60) / 4));

/** Pure: is a session idle at `now`? */
export const isIdle = (lastActiveAt: Date, now: Date, idleMinutes: number) => idleMinutes > 0 && now.getTime() - lastActiveAt.getTime() > idleMinutes * 60_000;
