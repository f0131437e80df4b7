import { Migrator, type Kysely, type Migration, type MigrationProvider } from 'kysely';
import * as m001 from './migrations/001_foundation.ts';
import * as m002 from './migrations/002_report_workflow.ts';
import * as m003 from './migrations/003_duty.ts';
import * as m004 from './migrations/004_meeting_control.ts';
import * as m005 from './migrations/005_clock_times.ts';
import * as m006 from './migrations/006_access.ts';
import * as m007 from './migrations/007_relay_sign_comment.ts';
import * as m008 from './migrations/008_information.ts';
import * as m009 from './migrations/009_platform.ts';
import * as m010 from './migrations/010_departments.ts';
import * as m011 from './migrations/011_scoring.ts';
import * as m012 from './migrations/012_duplicates.ts';
import * as m014 from './migrations/014_inbound_chain.ts';
import * as m015 from './migrations/015_audit_admins.ts';
import * as m017 from './migrations/017_voice_access.ts';
import * as m018 from './migrations/018_certificates.ts';
import * as m019 from './migrations/019_sessions_admin.ts';
import * as m020 from './migrations/020_voice_dialout.ts';

// Migrations are listed in code (not read from disk) so bundling and tsx both see the same set.
const MIGRATIONS: Record<string, Migration> = {
  '001_foundation': m001,
  '002_report_workflow': m002,
  '003_duty': m003,
  '004_meeting_control': m004,
  '005_clock_times': m005,
  '006_access': m006,
  '007_relay_sign_comment': m007,
  '008_information': m008,
  '009_platform': m009,
  '010_departments': m010,
  '011_scoring': m011,
  '012_duplicates': m012,
  '014_inbound_chain': m014,
  '015_audit_admins': m015,
  '017_voice_access': m017,
  '018_certificates': m018,
  '019_sessions_admin': m019,
  '020_voice_dialout': m020,
};

/** Every migration's name, in the order they run. */
export const MIGRATION_NAMES: readonly string[] = Object.keys(MIGRATIONS).sort();

const provider: MigrationProvider = { getMigrations: async () => MIGRATIONS };

export async function migrateToLatest(db: Kysely<any>): Promise<string[]> {
  const migrator = new Migrator({ db, provider });
  const { error, results } = await migrator.migrateToLatest();
  if (error) throw error instanceof Error ? error : new Error(String(error));
  return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
}
