/** The row types of the HTTP access matrix (access-rules.ts and the per-domain rule files import them). */
import type { Fixtures } from './access-fixtures.ts';

type F = Fixtures;
export interface HttpCase {
  as: string;
  url?: (f: F) => string;
  body?: (f: F) => unknown;
  /** Raw upload (X-Requested-With is sent, as the console does). */
  raw?: { type: string; data: (f: F) => Uint8Array | string };
  expect: number[];
  mustNotSee?: (f: F) => string;
}
export interface HttpRule {
  route: string;
  who: string;
  /** Reachable without a session (the anonymous check expects no 401). */
  public?: boolean;
  /** Only mounted in some configurations (e.g. TEST_CLOCK=1). */
  optional?: boolean;
  allow: HttpCase[];
  deny: HttpCase[];
  /** Why there is no refused case beyond anonymous. */
  denyNote?: string;
}
