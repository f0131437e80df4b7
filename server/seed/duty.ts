/**
 * Demo duty data: a second duty officer per unit (`<code>-duty2`, so a handover has someone to hand over to),
 * duty phones, and a roster for this week and next at every unit (alternating `-duty` / `-duty2`, `-leader`
 * on duty). Bulk inserts only: this runs at every first start and in every test server.
 */
import { sql, type Insertable, type Kysely } from 'kysely';
import type { Database } from '../../db/schema.ts';
import type { DutyPerson, DutyRosterTable } from '../../db/tables/duty.ts';
import { addDays, DEFAULT_SHIFT_STARTS, localDate, slotAt, slotsForDates, weekRange } from '../duty/rules.ts';

export async function seedDutyDemo(db: Kysely<Database>, now: Date): Promise<void> {
  const units = await db.selectFrom('units').select(['code', 'name']).orderBy('code').execute();
  if (units.length === 0) return;
  await db.transaction().execute(async (trx) => {
    // Demo phone numbers for the demo accounts (real accounts keep theirs).
    await sql`update users set phone = '139' || unit_code || '01' where username = unit_code || '-duty' and phone is null`.execute(trx);
    await sql`update users set phone = '138' || unit_code || '01' where username = unit_code || '-leader' and phone is null`.execute(trx);
    const hashes = await trx.selectFrom('users').select(['unit_code', 'password_hash']).where(sql<boolean>`username = unit_code || '-duty'`).execute();
    const hashOf = new Map(hashes.map((h) => [h.unit_code, h.password_hash]));
    const extra = units
      .filter((u) => hashOf.has(u.code))
      .map((u) => ({
        username: `${u.code}-duty2`,
        display_name: `${u.name}值班员乙`,
        password_hash: hashOf.get(u.code)!,
        unit_code: u.code,
        roles: ['duty_officer' as const],
        phone: `139${u.code}02`,
      }));
    for (let i = 0; i < extra.length; i += 200) {
      await trx.insertInto('users').values(extra.slice(i, i + 200)).onConflict((oc) => oc.column('username').doNothing()).execute();
    }


    const { settings, rows } = await demoRoster(trx, units, now);
    if (settings.length) await trx.insertInto('duty_settings').values(settings).onConflict((oc) => oc.column('unit_code').doNothing()).execute();
    await insertRoster(trx, rows);
  });
}

/**
 * The demo roster of this week and next (from `now`), for slots not rostered yet. Also what a test calls after
 * setting the server clock to another date, so the demo units have someone on duty then too.
 */
export async function seedDemoRoster(db: Kysely<Database>, now: Date): Promise<void> {
  const units = await db.selectFrom('units').select(['code', 'name']).orderBy('code').execute();
  await db.transaction().execute(async (trx) => insertRoster(trx, (await demoRoster(trx, units, now)).rows));
}

async function insertRoster(db: Kysely<Database>, rows: Insertable<DutyRosterTable>[]): Promise<void> {
  // A slot already rostered (any version) keeps what it has.
  for (let i = 0; i < rows.length; i += 500) await db.insertInto('duty_roster').values(rows.slice(i, i + 500)).onConflict((oc) => oc.doNothing()).execute();
}

async function demoRoster(db: Kysely<Database>, units: { code: string }[], now: Date) {
  const users = await db.selectFrom('users').select(['id', 'username', 'display_name', 'phone', 'unit_code']).where('username', 'like', '%-%').execute();
  const byName = new Map(users.map((u) => [u.username, u]));
  const person = (username: string): DutyPerson | null => {
    const u = byName.get(username);
    return u ? { userId: u.id, name: u.display_name, phone: u.phone } : null;
  };
  // From the week of the shift on duty now: before 08:30 on a Monday that shift began on Sunday.
  const { from } = weekRange(localDate(slotAt(DEFAULT_SHIFT_STARTS, now).start));
  const slots = slotsForDates(DEFAULT_SHIFT_STARTS, from, addDays(from, 13));
  // The shift running at seed time is `-duty`'s and the next `-duty2`'s (then alternating), so the README's
  // "Try it" works at any hour: 150102-duty closes the shift, 150102-duty2 (rostered next) takes it over.
  const current = Math.max(0, slots.findIndex((s) => s.start.getTime() <= now.getTime() && now.getTime() < s.end.getTime()));
  const settings = [];
  const rows: Insertable<DutyRosterTable>[] = [];
  for (const u of units) {
    const leader = person(`${u.code}-leader`);
    const a = person(`${u.code}-duty`);
    const b = person(`${u.code}-duty2`);
    if (!leader || !a || !b) continue;
    settings.push({ unit_code: u.code, shift_starts: [...DEFAULT_SHIFT_STARTS], duty_phone: `0471-6${u.code.slice(2)}`, updated_by: leader.userId!, updated_at: now });
    slots.forEach((s, i) => {
      rows.push({
        unit_code: u.code,
        slot_start: s.start,
        slot_end: s.end,
        officers: JSON.stringify([(i - current) % 2 === 0 ? a : b]),
        leader: JSON.stringify(leader),
        note: '',
        version: 1,
        source: 'seed' as const,
        created_by: leader.userId!,
        created_at: now,
      });
    });
  }
  return { settings, rows };
}
