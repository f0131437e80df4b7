/**
 * Entry PIN (入会密码) check on meeting:join, with a limit on wrong guesses per meeting and unit that holds
 * under parallel attempts and across restarts: each guess first reserves a slot in the database (one atomic
 * upsert), only then is the hash checked, and a right PIN gives its slot back. Units that passed are recorded.
 */
import { sql, type Kysely } from 'kysely';
import type { Database } from '../../db/schema.ts';
import { verifyPassword } from '../auth/password.ts';
import { clock } from '../clock.ts';
import { errors } from '../http/errors.ts';
import { meetingPinHash } from './repo.ts';

export const PIN_MAX_WRONG = 5;
export const PIN_WINDOW_MS = 10 * 60_000;

/** Throws unless the unit may join: the main venue's unit needs no PIN; every other site gives the right one. */
export async function checkJoinPin(
  db: Kysely<Database>,
  meeting: { id: string; hostUnitCode: string },
  unitCode: string,
  pin: string | undefined,
): Promise<void> {
  if (unitCode === meeting.hostUnitCode) return;
  const hash = await meetingPinHash(db, meeting.id);
  if (!hash) return;
  if (!pin) throw errors.meetingPinRequired();
  const now = clock.now();
  const windowStart = new Date(now.getTime() - PIN_WINDOW_MS);
  const slot = await db
    .insertInto('meeting_pin_attempts')
    .values({ meeting_id: meeting.id, unit_code: unitCode, wrong: 1, window_start: now })
    .onConflict((oc) =>
      oc.columns(['meeting_id', 'unit_code']).doUpdateSet({
        wrong: sql`case when meeting_pin_attempts.window_start < ${windowStart} then 1 else meeting_pin_attempts.wrong + 1 end`,
        window_start: sql`case when meeting_pin_attempts.window_start < ${windowStart} then ${now} else meeting_pin_attempts.window_start end`,
      }),
    )
    .returning('wrong')
    .executeTakeFirstOrThrow();
  if (slot.wrong > PIN_MAX_WRONG) throw errors.meetingPinLocked();
  if (!(await verifyPassword(pin, hash))) throw errors.meetingPinWrong();
  await db
    .updateTable('meeting_pin_attempts')
    .set({ wrong: sql`greatest(wrong - 1, 0)` })
    .where('meeting_id', '=', meeting.id)
    .where('unit_code', '=', unitCode)
    .execute();
  await db.insertInto('meeting_pin_passes').values({ meeting_id: meeting.id, unit_code: unitCode }).onConflict((oc) => oc.doNothing()).execute();
}

/** A unit may read a PIN meeting's control state and recordings only once it passed the PIN (the host always). */
export async function passedPin(db: Kysely<Database>, meeting: { id: string; hostUnitCode: string; hasPin: boolean }, unitCode: string): Promise<boolean> {
  if (!meeting.hasPin || unitCode === meeting.hostUnitCode) return true;
  const row = await db.selectFrom('meeting_pin_passes').select('unit_code').where('meeting_id', '=', meeting.id).where('unit_code', '=', unitCode).executeTakeFirst();
  return row !== undefined;
}
