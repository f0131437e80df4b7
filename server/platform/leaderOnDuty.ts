/**
 * 带班领导: pushing to the emergency platform, withdrawing from it and convening from an alert are the leader on
 * duty's decisions. Where the unit's roster names a leader with an account for the shift running now, only that
 * leader decides; where it names none (no roster for the hour, or a leader without an account), any leader of the
 * unit may, so that a gap in the roster never blocks a report at 3 a.m.
 */
import type { SessionUser } from '../auth/sessions.ts';
import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../../db/schema.ts';
import { ApiError } from '../http/errors.ts';
import { onDutyEntries } from '../duty/repo.ts';
import type { DutyPerson } from '../../db/tables/duty.ts';

type Db = Kysely<Database> | Transaction<Database>;

/** The leaders the running shifts name (those with accounts). Pure. */
export function namedLeaders(entries: readonly { leader: DutyPerson | null }[]): DutyPerson[] {
  return entries.map((e) => e.leader).filter((p): p is DutyPerson => !!p && typeof p.userId === 'number');
}

/** Whether `userId` may decide as the leader on duty, given the running shifts. Pure. */
export function decidesAsLeaderOnDuty(userId: number, entries: readonly { leader: DutyPerson | null }[]): boolean {
  const named = namedLeaders(entries);
  return named.length === 0 || named.some((p) => p.userId === userId);
}

export const notLeaderOnDuty = (names: string) =>
  new ApiError(403, 'PLATFORM_NOT_LEADER_ON_DUTY', `本时段带班领导为${names}，请由带班领导签发`);

/** Refuses a leader who is not the one the roster has on duty at `unitCode` now. */
export async function assertLeaderOnDuty(db: Db, unitCode: string, user: SessionUser, now: Date): Promise<void> {
  const entries = await onDutyEntries(db, [unitCode], now);
  if (decidesAsLeaderOnDuty(user.id, entries)) return;
  throw notLeaderOnDuty(namedLeaders(entries).map((p) => p.name).join('、'));
}
