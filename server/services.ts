/**
 * The running app's domain runtimes over the infrastructure context: what the HTTP routes are handed.
 * Only routes and app.ts import this file; the runtimes themselves take `AppContext` and their peers
 * explicitly, so there is no import circle through it.
 */
import type { AppContext } from './context.ts';
import type { SocketSessions } from './auth/socketSessions.ts';
import type { MeetingHub } from './meetings/hub.ts';
import type { PlatformRuntime } from './platform/runtime.ts';
import type { ReportRuntime } from './reports/runtime.ts';
import type { ScoringTicker } from './scoring/ticker.ts';
import type { CertTrust } from './certificates/trust.ts';

export interface AppServices extends AppContext {
  meetings: MeetingHub;
  reports: ReportRuntime;
  /** Ends a session's live sockets with it (logout, password change, expiry). */
  sessions: SocketSessions;
  platform: PlatformRuntime;
  /** Quota and commissioned-request reminders on the server clock. */
  scoring: ScoringTicker;
  /** Where client and UKey certificates are trusted from (certificate login). */
  certs: CertTrust;
}
