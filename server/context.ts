import type { Kysely } from 'kysely';
import type { Logger } from 'pino';
import type { Server as IoServer } from 'socket.io';
import type { Database } from '../db/schema.ts';
import type { OrgTree } from './org/tree.ts';
import type { MeetingHub } from './meetings/hub.ts';
import type { ReportRuntime } from './reports/runtime.ts';
import type { SocketSessions } from './auth/socketSessions.ts';
import type { PlatformRuntime } from './platform/runtime.ts';
import type { ScoringTicker } from './scoring/ticker.ts';

/** What every domain module needs, passed explicitly (no globals). */
export interface AppContext {
  db: Kysely<Database>;
  tree: OrgTree;
  log: Logger;
  io: IoServer;
  meetings: MeetingHub;
  reports: ReportRuntime;
  /** Ends a session's live sockets with it (logout, password change, expiry). */
  sessions: SocketSessions;
  platform: PlatformRuntime;
  /** Quota and commissioned-request reminders on the server clock. */
  scoring: ScoringTicker;
}

/** socket.io room of one unit: every console of that unit listens there. */
export const unitRoom = (code: string) => `unit:${code}`;
