/**
 * A session's sockets end with it: logout, a password change or reset, and expiry disconnect them (the
 * console then finds the handshake refused and goes to the login page). Every reconnect runs the session
 * check again (the io middleware); a sweep catches sessions that ended elsewhere (expiry, another process).
 */
import type { Kysely } from 'kysely';
import type { Server as IoServer, Socket } from 'socket.io';
import type { Database } from '../../db/schema.ts';

export class SocketSessions {
  #timer: NodeJS.Timeout | null = null;

  constructor(
    private readonly io: IoServer,
    private readonly db: Kysely<Database>,
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

  #end(match: (s: Socket) => boolean): number {
    let n = 0;
    for (const s of this.io.sockets.sockets.values()) {
      if (!match(s)) continue;
      s.emit('session:ended', {});
      s.disconnect(true);
      n++;
    }
    return n;
  }

  /** Disconnects the sockets of one session (by token hash). */
  endSession(tokenHash: string): number {
    return this.#end((s) => s.data.sessionHash === tokenHash);
  }

  /** Disconnects the sockets of a user, but those of `keepHash` (the session that changed its own password). */
  endUser(userId: number, keepHash?: string): number {
    return this.#end((s) => s.data.user?.id === userId && s.data.sessionHash !== keepHash);
  }

  /** Disconnects sockets whose session is gone or expired. */
  async sweep(): Promise<number> {
    const hashes = [...new Set([...this.io.sockets.sockets.values()].map((s) => s.data.sessionHash as string).filter(Boolean))];
    if (!hashes.length) return 0;
    const live = await this.db.selectFrom('sessions').select('token_hash').where('token_hash', 'in', hashes).where('expires_at', '>', new Date()).execute();
    const ok = new Set(live.map((r) => r.token_hash));
    return this.#end((s) => !ok.has(s.data.sessionHash));
  }
}
