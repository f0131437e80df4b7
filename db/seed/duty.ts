/**
 * Demo duty data: a second duty officer per unit (`<code>-duty2`, so a handover has someone to hand over to),
 * duty phones, and a roster for this week and next at every unit (alternating `-duty` / `-duty2`, `-leader`
 * on duty). Bulk inserts only: this runs at every first start and in every test server.
 */
import { sql, type Insertable, type Kysely } from 'kysely';
import type { Database } from '../schema.ts';
import type { DutyPerson, DutyRosterTable } from '../tables/duty.ts';
import { addDays, DEFAULT_SHIFT_STARTS, localDate, slotsForDates, weekRange } from '../../server/duty/rules.ts';

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


    const users = await trx.selectFrom('users').select(['id', 'username', 'display_name', 'phone', 'unit_code']).where('username', 'like', '%-%').execute();
    const byName = new Map(users.map((u) => [u.username, u]));
    const person = (username: string): DutyPerson | null => {
      const u = byName.get(username);
      return u ? { userId: u.id, name: u.display_name, phone: u.phone } : null;
    };
    const { from } = weekRange(localDate(now));
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
      settings.push({ unit_code: u.code, shift_starts: [...DEFAULT_SHIFT_STARTS], duty_phone: `0471-6${u.code.slice(2)}`, updated_by: leader.userId! });
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
        });
      });
    }
    if (settings.length) await trx.insertInto('duty_settings').values(settings).onConflict((oc) => oc.column('unit_code').doNothing()).execute();
    for (let i = 0; i < rows.length; i += 500) await trx.insertInto('duty_roster').values(rows.slice(i, i + 500)).execute();
  });
}
