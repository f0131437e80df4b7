/** The deadline table and the report settings (SQL, and the memory that spares every request reading them). */
import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../../db/schema.ts';
import { ReadCache } from '../../db/readCache.ts';
import type { DeadlineRule } from './deadlines.ts';

type Db = Kysely<Database> | Transaction<Database>;

export interface Settings {
  followupTimes: string[];
  directCopyMaxGrade: number;
  warnMinutes: number;
}

/**
 * Every incidents answer needs the deadline table and the settings; they change only by POST /rules, which
 * calls rulesChanged() after its transaction. Kept per database (db/readCache.ts: one server process per
 * database; a change from elsewhere is seen within a minute). A transaction reads the tables themselves.
 */
const RULES_TTL_MS = 60_000;
const rulesCache = new WeakMap<object, ReadCache<string, DeadlineRule[]>>();
const settingsCache = new WeakMap<object, ReadCache<string, Settings>>();
function cached<V>(map: WeakMap<object, ReadCache<string, V>>, db: Db, read: () => Promise<V>): Promise<V> {
  if (db.isTransaction) return read();
  let c = map.get(db);
  if (!c) map.set(db, (c = new ReadCache<string, V>(RULES_TTL_MS)));
  return c.get('', read);
}

// Frozen: one copy serves every request, none may change it.
export const loadRules = (db: Db): Promise<DeadlineRule[]> =>
  cached(rulesCache, db, async () => {
    const rows = await db.selectFrom('deadline_rules').selectAll().orderBy('level', 'desc').orderBy('grade').orderBy('kind').execute();
    return Object.freeze(rows.map((r) => Object.freeze({ grade: r.grade, level: r.level, kind: r.kind, minutes: r.minutes }))) as DeadlineRule[];
  });

export const loadSettings = (db: Db): Promise<Settings> =>
  cached(settingsCache, db, async () => {
    const s = await db.selectFrom('report_settings').selectAll().where('id', '=', 1).executeTakeFirstOrThrow();
    return Object.freeze({ followupTimes: Object.freeze([...s.followup_times]) as string[], directCopyMaxGrade: s.direct_copy_max_grade, warnMinutes: s.warn_minutes });
  });

/** The deadline table or the settings were written (or a write was tried): the next read goes to the database. */
export function rulesChanged(db: Db): void {
  rulesCache.get(db)?.invalidate();
  settingsCache.get(db)?.invalidate();
}

