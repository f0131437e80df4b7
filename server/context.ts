import type { Kysely } from 'kysely';
import type { Logger } from 'pino';
import type { Database } from '../db/schema.ts';
import type { OrgTree } from './org/tree.ts';
import type { AppIo } from './realtime/io.ts';

/**
 * The infrastructure every domain module needs, passed explicitly (no globals). Domain runtimes are not
 * here (they take this and are gathered in server/services.ts), so no domain imports another through it.
 */
export interface AppContext {
  db: Kysely<Database>;
  tree: OrgTree;
  log: Logger;
  io: AppIo;
}
