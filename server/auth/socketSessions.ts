/**
 * A session's sockets end with it: logout, a password change or reset, idleness, eviction by a newer session,
 * an administrator's revocation and expiry disconnect them, with the reason (the console says it in words and
 * goes to the login page). Every reconnect runs the session check again (the io middleware); a sweep catches
 * sessions that ended elsewhere (idle on the server clock, expiry, another process).
 */
import type { Kysely } from 'kysely';
import type { Logger } from 'pino';
import type { Server as IoServer, Socket } from 'socket.io';
import type { Database } from '../../db/schema.ts';
import type { SessionEndReason } from '../../contract/sessions.ts';
import { clock } from '../clock.ts';
import { writeAudit } from '../audit/service.ts';
import { endSessionsWhere } from './sessions.ts';
import { isIdle, sessionPolicy } from './policy.ts';

export class SocketSessions {
  #timer: NodeJS.Timeout | null = null;

  constructor(
    private readonly io: IoServer,
    private readonly db: Kysely<Database>,
    private readonly log?: Logger,
  ) {}

  start(intervalMs = 30_000): void {
    if (this.#timer) return;
    this.#timer = setInterval(() => void this.sweep().catch(() => undefined), intervalMs);
    this.#timer.unref();
  }

  stop(): void {
    if (this.#timer) clearInterval(this.#timer);
    this.#timer = null;
  }

  #end(match: (s: Socket) => boolean, reasonOf: (s: Socket) => SessionEndReason | undefined = () => undefined): number {
    let n = 0;
    for (const s of this.io.sockets.sockets.values()) {
      if (!match(s)) continue;
      const reason = reasonOf(s);
      s.emit('session:ended', reason ? { reason } : {});
      s.disconnect(true);
      n++;
    }
    return n;
  }

  /** Disconnects the sockets of one session (by token hash). */
  endSession(tokenHash: string, reason?: SessionEndReason): number {
    return this.#end((s) => s.data.sessionHash === tokenHash, () => reason);
  }

  /** Disconnects the sockets of several sessions. */
  endSessions(tokenHashes: string[], reason?: SessionEndReason): number {
    const set = new Set(tokenHashes);
    return set.size ? this.#end((s) => set.has(s.data.sessionHash), () => reason) : 0;
  }

  /** Disconnects the sockets of a user, but those of `keepHash` (the session that changed its own password). */
  endUser(userId: number, keepHash?: string, reason?: SessionEndReason): number {
    return this.#end((s) => s.data.user?.id === userId && s.data.sessionHash !== keepHash, () => reason);
  }

  /** Disconnects sockets whose session is gone, ended, idle (ending it, audited) or expired. */
  async sweep(): Promise<number> {
    const hashes = [...new Set([...this.io.sockets.sockets.values()].map((s) => s.data.sessionHash as string).filter(Boolean))];
    if (!hashes.length) return 0;
    const rows = await this.db
      .selectFrom('sessions')
      .innerJoin('users', 'users.id', 'sessions.user_id')
      .select(['sessions.id', 'sessions.token_hash', 'sessions.ended_at', 'sessions.end_reason', 'sessions.last_active_at', 'sessions.remote', 'users.id as user_id', 'users.username', 'users.unit_code', 'users.disabled_at'])
      .where('sessions.token_hash', 'in', hashes)
      .where('sessions.expires_at', '>', new Date())
      .execute();
    const policy = await sessionPolicy(this.db);
    const now = clock.now();
    const reason = new Map<string, SessionEndReason | null>();
    for (const r of rows) {
      if (r.ended_at) reason.set(r.token_hash, (r.end_reason as SessionEndReason | null) ?? 'revoked');
      else if (r.disabled_at) reason.set(r.token_hash, 'disabled');
      else if (isIdle(r.last_active_at, now, policy.idleMinutes)) {
        reason.set(r.token_hash, 'idle');
        if ((await endSessionsWhere(this.db, 'idle', { ids: [r.id] })).length && this.log) {
          await writeAudit({ db: this.db, log: this.log }, { actor: { id: r.user_id, username: r.username, unitCode: r.unit_code }, remote: r.remote, action: 'auth.session_idle', target: `session ${r.id}`, status: 401, detail: { idleMinutes: policy.idleMinutes, lastActiveAt: r.last_active_at.toISOString(), via: 'socket' } });
        }
      } else reason.set(r.token_hash, null);
    }
    return this.#end(
      (s) => reason.get(s.data.sessionHash) !== null,
      (s) => reason.get(s.data.sessionHash) ?? undefined,
    );
  }
}
