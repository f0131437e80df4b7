/** Entry PIN (入会密码) check on meeting:join, with a small limit on wrong guesses per meeting and unit. */
import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.ts';
import { verifyPassword } from '../auth/password.ts';
import { errors } from '../http/errors.ts';
import { meetingPinHash } from './repo.ts';

export const PIN_MAX_WRONG = 5;
export const PIN_WINDOW_MS = 10 * 60_000;
/** Wrong guesses by "<meetingId>:<unitCode>": a 4-digit PIN must not be guessable by trying them all. */
const wrong = new Map<string, number[]>();

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
  const key = `${meeting.id}:${unitCode}`;
  const now = Date.now();
  const recent = (wrong.get(key) ?? []).filter((t) => now - t < PIN_WINDOW_MS);
  if (recent.length >= PIN_MAX_WRONG) throw errors.meetingPinLocked();
  if (await verifyPassword(pin, hash)) {
    wrong.delete(key);
    return;
  }
  recent.push(now);
  wrong.set(key, recent);
  throw errors.meetingPinWrong();
}
