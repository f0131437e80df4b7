/** The database schema as Kysely types: the one source of truth the migrations implement. */
import type { Generated, Insertable, Selectable } from 'kysely';
import type { AccessTables } from './tables/access.ts';
import type { CertificateTables } from './tables/certificates.ts';
import type { ServerTime } from './tables/common.ts';
import type { DuplicateTables } from './tables/duplicates.ts';
import type { DutyTables } from './tables/duty.ts';
import type { InformationTables } from './tables/information.ts';
import type { MeetingTable, MeetingTables } from './tables/meetings.ts';
import type { PlatformTables } from './tables/platform.ts';
import type { ReportTables, UrgentReportTable } from './tables/reports.ts';
import type { ScoringTables } from './tables/scoring.ts';

// The value list is the wire's (contract/ is the bottom layer, shared by db, server and console).
import type { Role } from '../contract/org.ts';
export { ROLES, type Role } from '../contract/org.ts';

export interface UnitTable {
  code: string; // GB/T 2260 six-digit division code
  name: string;
  name_en: string;
  level: 1 | 2 | 3;
  parent_code: string | null;
  sort_order: number;
  /** 'department': an office's own department submitting information to it (migration 010). */
  kind: Generated<'division' | 'department'>;
}

export interface UserTable {
  id: Generated<number>;
  username: string;
  display_name: string;
  password_hash: string;
  unit_code: string;
  roles: Role[];
  phone: string | null;
  created_at: ServerTime;
  /** Last password change (self or admin reset); null: the seeded one. */
  password_changed_at: Date | null;
  /** Disabled by the system administrator (migration 019): cannot sign in; never deleted. */
  disabled_at: Generated<Date | null>;
  /** Set by an administrator's password reset: the next sign-in must change it first. */
  must_change_password: Generated<boolean>;
}

export interface SessionTable {
  token_hash: string;
  user_id: number;
  created_at: ServerTime;
  expires_at: Date;
  /** Migration 019: public id, remote end, last user activity (server clock), how it ended. */
  id: Generated<number>;
  remote: string | null;
  user_agent: string | null;
  /** Sign-in on the server clock (created_at is the database's). */
  started_at: Date;
  last_active_at: Date;
  ended_at: Date | null;
  end_reason: string | null;
}

/** The security administrator's session policy (migration 019): one row, id 1. */
export interface SecurityPolicyTable {
  id: number;
  idle_minutes: number;
  max_sessions: number;
  updated_at: Date;
  updated_by: string;
}

interface FoundationTables {
  units: UnitTable;
  users: UserTable;
  sessions: SessionTable;
  security_policy: SecurityPolicyTable;
}

/** Each domain keeps its tables in db/tables/<domain>.ts; this is their sum. */
export interface Database extends FoundationTables, MeetingTables, ReportTables, DutyTables, AccessTables, InformationTables, PlatformTables, DuplicateTables, ScoringTables, CertificateTables {}

export type Unit = Selectable<UnitTable>;
export type User = Selectable<UserTable>;
export type NewUser = Insertable<UserTable>;
export type Meeting = Selectable<MeetingTable>;
export type UrgentReport = Selectable<UrgentReportTable>;
export type { MeetingStatus } from './tables/meetings.ts';
