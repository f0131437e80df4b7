/** SQL of voice access: meetings by access number, units by registered phone number and its digest HA1s (migrations 017, 020). */
import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.ts';

export async function meetingIdByAccessNumber(db: Kysely<Database>, accessNumber: number): Promise<string | null> {
  if (!Number.isSafeInteger(accessNumber) || accessNumber > 2_147_483_647) return null;
  const row = await db.selectFrom('meetings').select('id').where('access_number', '=', accessNumber).executeTakeFirst();
  return row?.id ?? null;
}

export async function unitOfPhone(db: Kysely<Database>, number: string): Promise<string | null> {
  const row = await db.selectFrom('voice_unit_phones').select('unit_code').where('number', '=', number).where('enabled', '=', true).executeTakeFirst();
  return row?.unit_code ?? null;
}

export interface PhoneRecord {
  number: string;
  unitCode: string;
  enabled: boolean;
  /** Digest HA1s by algorithm, for the realm they were computed in (null: no password). */
  ha1: { realm: string; md5: string; sha256: string } | null;
}

export async function phoneRecord(db: Kysely<Database>, number: string): Promise<PhoneRecord | null> {
  const r = await db.selectFrom('voice_unit_phones').selectAll().where('number', '=', number).executeTakeFirst();
  if (!r) return null;
  return { number: r.number, unitCode: r.unit_code, enabled: r.enabled, ha1: r.ha1_md5 && r.ha1_sha256 && r.realm ? { realm: r.realm, md5: r.ha1_md5, sha256: r.ha1_sha256 } : null };
}

/** The enabled registered phones of a unit (dial-out calls the first one registered, else the first by number). */
export async function phonesOfUnit(db: Kysely<Database>, unitCode: string): Promise<string[]> {
  const rows = await db.selectFrom('voice_unit_phones').select('number').where('unit_code', '=', unitCode).where('enabled', '=', true).orderBy('number').execute();
  return rows.map((r) => r.number);
}

export async function setPhoneDigest(db: Kysely<Database>, number: string, ha1: { realm: string; md5: string; sha256: string } | null): Promise<void> {
  await db.updateTable('voice_unit_phones').set({ realm: ha1?.realm ?? null, ha1_md5: ha1?.md5 ?? null, ha1_sha256: ha1?.sha256 ?? null }).where('number', '=', number).execute();
}

/** Register a unit's phone (its duty line): calls from it join as that unit. */
export async function registerUnitPhone(db: Kysely<Database>, number: string, unitCode: string): Promise<void> {
  await db.insertInto('voice_unit_phones').values({ number, unit_code: unitCode }).onConflict((oc) => oc.column('number').doUpdateSet({ unit_code: unitCode })).execute();
}

export async function accessNumberOf(db: Kysely<Database>, meetingId: string): Promise<number | null> {
  const row = await db.selectFrom('meetings').select('access_number').where('id', '=', meetingId).executeTakeFirst();
  return row?.access_number ?? null;
}

export async function listPhones(db: Kysely<Database>): Promise<{ number: string; unitCode: string; enabled: boolean; hasPassword: boolean }[]> {
  const rows = await db.selectFrom('voice_unit_phones').select(['number', 'unit_code', 'enabled', 'ha1_md5']).orderBy('unit_code').orderBy('number').limit(5000).execute();
  return rows.map((r) => ({ number: r.number, unitCode: r.unit_code, enabled: r.enabled, hasPassword: r.ha1_md5 !== null }));
}

export async function insertPhone(db: Kysely<Database>, p: { number: string; unitCode: string; enabled: boolean; digest: { realm: string; md5: string; sha256: string } | null }): Promise<void> {
  await db
    .insertInto('voice_unit_phones')
    .values({ number: p.number, unit_code: p.unitCode, enabled: p.enabled, realm: p.digest?.realm ?? null, ha1_md5: p.digest?.md5 ?? null, ha1_sha256: p.digest?.sha256 ?? null })
    .execute();
}

export async function updatePhone(db: Kysely<Database>, number: string, p: { unitCode?: string; enabled?: boolean }): Promise<void> {
  const set = { ...(p.unitCode ? { unit_code: p.unitCode } : {}), ...(p.enabled !== undefined ? { enabled: p.enabled } : {}) };
  if (Object.keys(set).length) await db.updateTable('voice_unit_phones').set(set).where('number', '=', number).execute();
}
