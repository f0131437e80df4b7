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
}

export interface SessionTable {
  token_hash: string;
  user_id: number;
  created_at: ServerTime;
  expires_at: Date;
}

interface FoundationTables {
  units: UnitTable;
  users: UserTable;
  sessions: SessionTable;
}

/** Each domain keeps its tables in db/tables/<domain>.ts; this is their sum. */
export interface Database extends FoundationTables, MeetingTables, ReportTables, DutyTables, AccessTables, InformationTables, PlatformTables, DuplicateTables, ScoringTables, CertificateTables {}

export type Unit = Selectable<UnitTable>;
export type User = Selectable<UserTable>;
export type NewUser = Insertable<UserTable>;
export type Meeting = Selectable<MeetingTable>;
export type UrgentReport = Selectable<UrgentReportTable>;
export type { MeetingStatus } from './tables/meetings.ts';
