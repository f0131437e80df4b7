/** SQL of voice access: meetings by access number, units by registered phone number (migration 017). */
import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.ts';

export async function meetingIdByAccessNumber(db: Kysely<Database>, accessNumber: number): Promise<string | null> {
  if (!Number.isSafeInteger(accessNumber) || accessNumber > 2_147_483_647) return null;
  const row = await db.selectFrom('meetings').select('id').where('access_number', '=', accessNumber).executeTakeFirst();
  return row?.id ?? null;
}

export async function unitOfPhone(db: Kysely<Database>, number: string): Promise<string | null> {
  const row = await db.selectFrom('voice_unit_phones').select('unit_code').where('number', '=', number).executeTakeFirst();
  return row?.unit_code ?? null;
}

/** Register a unit's phone (its duty line): calls from it join as that unit. */
export async function registerUnitPhone(db: Kysely<Database>, number: string, unitCode: string): Promise<void> {
  await db.insertInto('voice_unit_phones').values({ number, unit_code: unitCode }).onConflict((oc) => oc.column('number').doUpdateSet({ unit_code: unitCode })).execute();
}

export async function accessNumberOf(db: Kysely<Database>, meetingId: string): Promise<number | null> {
  const row = await db.selectFrom('meetings').select('access_number').where('id', '=', meetingId).executeTakeFirst();
  return row?.access_number ?? null;
}
