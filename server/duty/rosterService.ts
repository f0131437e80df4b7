/**
 * The duty roster (排班) as operations: shift pattern, one slot, rotation fill, Excel import and export,
 * who is on duty now. Each checks unit and role, writes in one transaction with server time, then pushes.
 */
import type { DutyPerson } from '../../db/tables/duty.ts';
import type { SessionUser } from '../auth/sessions.ts';
import { hasAnyRole } from '../auth/sessions.ts';
import { clock } from '../clock.ts';
import type { AppContext } from '../context.ts';
import { errors } from '../http/errors.ts';
import type { PersonIn, RosterFillBody, RosterSlotBody } from '../../contract/dutyRequests.ts';
import type { OnDutyUnit, RosterEntryDto } from '../../contract/duty.ts';
import { MANAGER_ROLES, pushRosterChanged, writeUnit } from './access.ts';
import { buildRosterWorkbook, parseRosterWorkbook } from './excel.ts';
import { currentRoster, onDutyEntries, sameSlot, saveSettings, settingsFor, settingsOf, unitPeople, writeSlot } from './repo.ts';
import { addDays, checkPattern, localDate, localMidnight, localTime, monthRange, rotation, slotAt, slotStartingAt, slotsForDates } from './rules.ts';

const MAX_RANGE_DAYS = 62;

function checkRange(from: string, to: string): void {
  if (to < from || Date.parse(to) - Date.parse(from) > MAX_RANGE_DAYS * 86400_000) {
    throw errors.validation([{ path: 'to', message: `日期范围应在 ${MAX_RANGE_DAYS} 天以内` }]);
  }
}

/** People named in a request, as the roster stores them: the unit's accounts (checked) or named outsiders. */
export async function resolvePeople(ctx: AppContext, unitCode: string, list: PersonIn[], path: string): Promise<DutyPerson[]> {
  const people = await unitPeople(ctx.db, unitCode);
  return list.map((p, i) => {
    if (p.userId) {
      const acct = people.find((a) => a.id === p.userId);
      if (!acct) throw errors.validation([{ path: `${path}.${i}`, message: '不是本单位的值班人员账号' }]);
      return { userId: acct.id, name: acct.name, phone: p.phone || acct.phone };
    }
    const np = p as { name: string; phone: string };
    return { userId: null, name: np.name, phone: np.phone };
  });
}

export async function saveDutySettings(ctx: AppContext, user: SessionUser, body: { unitCode?: string; shiftStarts: string[]; dutyPhone: string | null }) {
  const unit = writeUnit(user, body.unitCode, MANAGER_ROLES);
  const p = checkPattern(body.shiftStarts);
  if (!p.ok) throw errors.validation([{ path: 'shiftStarts', message: p.error }]);
  const shiftStarts = [...body.shiftStarts].sort();
  await saveSettings(ctx.db, unit, { shiftStarts, dutyPhone: body.dutyPhone || null }, user.id);
  pushRosterChanged(ctx, unit);
  return { unitCode: unit, settings: await settingsFor(ctx.db, unit) };
}

/** Every slot of the dates with its current entry; entries made under an earlier shift pattern stay visible. */
export async function rosterView(ctx: AppContext, unit: string, from: string, to: string) {
  const settings = await settingsFor(ctx.db, unit);
  const slots = slotsForDates(settings.shiftStarts, from, to);
  const start = new Date(localMidnight(from)!);
  const end = new Date(localMidnight(addDays(to, 1))!);
  const entries = await currentRoster(ctx.db, unit, start, end);
  const byStart = new Map(entries.map((e) => [Date.parse(e.start), e]));
  const listed = new Set<number>();
  const out = slots.map((s) => {
    listed.add(s.start.getTime());
    return { start: s.start.toISOString(), end: s.end.toISOString(), date: s.date, index: s.index, startTime: s.startTime, entry: byStart.get(s.start.getTime()) ?? null };
  });
  for (const e of entries) {
    if (listed.has(Date.parse(e.start))) continue;
    out.push({ start: e.start, end: e.end, date: localDate(new Date(e.start)), index: -1, startTime: localTime(new Date(e.start)), entry: e });
  }
  out.sort((a, b) => a.start.localeCompare(b.start));
  return { settings, slots: out };
}

/** `unit`: already checked as readable by the caller (access.ts readUnit). */
export async function rosterFor(ctx: AppContext, user: SessionUser, unit: string, from: string, to: string) {
  checkRange(from, to);
  const view = await rosterView(ctx, unit, from, to);
  return { unitCode: unit, from, to, ...view, canEdit: unit === user.unitCode && hasAnyRole(user, MANAGER_ROLES) };
}

/** A leader's direct change (override): a new version, signed by the leader, the old one kept. */
export async function setSlot(ctx: AppContext, user: SessionUser, body: RosterSlotBody) {
  const unit = writeUnit(user, body.unitCode, MANAGER_ROLES);
  const settings = await settingsFor(ctx.db, unit);
  const slot = slotStartingAt(settings.shiftStarts, new Date(body.start));
  if (!slot) throw errors.validation([{ path: 'start', message: '不是本单位的班次开始时间' }]);
  if (slot.end.getTime() <= clock.now().getTime()) throw errors.dutyConflict('ROSTER_SLOT_PAST', '已结束的班次不能修改：谁值过班是事实');
  const officers = await resolvePeople(ctx, unit, body.officers, 'officers');
  if (new Set(officers.map((o) => o.userId ?? `n:${o.name}`)).size !== officers.length) {
    throw errors.validation([{ path: 'officers', message: '同一班次的值班员重复' }]);
  }
  const [leader] = await resolvePeople(ctx, unit, [body.leader], 'leader');
  const entry = await ctx.db.transaction().execute((trx) =>
    writeSlot(trx, { unitCode: unit, start: slot.start, end: slot.end, officers, leader: leader!, note: body.note, source: 'manual', by: user.id }),
  );
  if (entry) pushRosterChanged(ctx, unit);
  const [current] = await currentRoster(ctx.db, unit, slot.start, new Date(slot.start.getTime() + 1));
  return { entry: current, changed: entry !== null };
}

/** Fill a date range by rotation (轮班). Only shifts that have not ended; scheduled ones only with overwrite. */
export async function fillRoster(ctx: AppContext, user: SessionUser, body: RosterFillBody) {
  const unit = writeUnit(user, undefined, MANAGER_ROLES);
  checkRange(body.from, body.to);
  const settings = await settingsFor(ctx.db, unit);
  const officers = await resolvePeople(ctx, unit, body.officers, 'officers');
  const leaders = await resolvePeople(ctx, unit, body.leaders, 'leaders');
  const now = clock.now();
  const all = slotsForDates(settings.shiftStarts, body.from, body.to).filter((s) => s.end.getTime() > now.getTime());
  const existing = new Set(
    (await currentRoster(ctx.db, unit, new Date(localMidnight(body.from)!), new Date(localMidnight(addDays(body.to, 1))!))).map((e) => Date.parse(e.start)),
  );
  const targets = body.overwrite ? all : all.filter((s) => !existing.has(s.start.getTime()));
  const plan = rotation(targets, officers, leaders, body.perSlot);
  let changed = 0;
  await ctx.db.transaction().execute(async (trx) => {
    for (let i = 0; i < targets.length; i++) {
      const s = targets[i]!;
      const w = await writeSlot(trx, { unitCode: unit, start: s.start, end: s.end, officers: plan[i]!.officers, leader: plan[i]!.leader, note: body.note, source: 'manual', by: user.id });
      if (w) changed++;
    }
  });
  if (changed) pushRosterChanged(ctx, unit);
  return { slots: targets.length, changed, skipped: all.length - targets.length };
}

/** The month's roster as the Excel sheet offices print and sign. */
/** `unit`: already checked as readable by the caller (access.ts readUnit). */
export async function exportRoster(ctx: AppContext, unit: string, month: string) {
  const { from, to } = monthRange(month);
  const view = await rosterView(ctx, unit, from, to);
  const u = ctx.tree.get(unit)!;
  const buf = await buildRosterWorkbook(
    u,
    month,
    view.slots
      .filter((s) => s.index >= 0)
      .map((s) => ({
        slot: { start: new Date(s.start), end: new Date(s.end), date: s.date, index: s.index, startTime: s.startTime },
        officers: s.entry?.officers ?? [],
        leader: s.entry?.leader ?? null,
        note: s.entry?.note ?? '',
      })),
  );
  return { unitName: u.name, buf };
}

/** mode=strict: any bad row → nothing imported; mode=valid: import the good rows. */
export async function importRoster(ctx: AppContext, user: SessionUser, unitQuery: unknown, file: unknown, mode: 'strict' | 'valid') {
  const unit = writeUnit(user, unitQuery, MANAGER_ROLES);
  if (!Buffer.isBuffer(file) || file.length === 0) throw errors.validation([{ path: 'file', message: '请选择 Excel 文件' }]);
  const settings = await settingsFor(ctx.db, unit);
  const people = await unitPeople(ctx.db, unit);
  const parsed = await parseRosterWorkbook(file, ctx.tree.get(unit)!, settings.shiftStarts, people);
  // Ended shifts are facts: a re-imported month may repeat them, but not change them.
  const now = clock.now();
  const past = parsed.slots.filter((s) => s.end.getTime() <= now.getTime());
  if (past.length) {
    const min = Math.min(...past.map((s) => s.start.getTime()));
    const current = await currentRoster(ctx.db, unit, new Date(min), now);
    const byStart = new Map(current.map((e) => [Date.parse(e.start), e]));
    for (const s of past) {
      const cur = byStart.get(s.start.getTime());
      if (!cur || !sameSlot(cur, s)) parsed.errors.push({ row: s.row, message: `第 ${s.row} 行：该班次已结束，不能修改` });
    }
    parsed.errors.sort((a, b) => a.row - b.row);
    parsed.slots = parsed.slots.filter((s) => !parsed.errors.some((e) => e.row === s.row));
  }
  if (parsed.errors.length && (mode === 'strict' || parsed.slots.length === 0)) {
    throw errors.dutyImportInvalid({ errors: parsed.errors, validRows: parsed.slots.length });
  }
  let changed = 0;
  await ctx.db.transaction().execute(async (trx) => {
    for (const s of parsed.slots) {
      const w = await writeSlot(trx, { unitCode: unit, start: s.start, end: s.end, officers: s.officers, leader: s.leader, note: s.note, source: 'import', by: user.id });
      if (w) changed++;
    }
  });
  if (changed) pushRosterChanged(ctx, unit);
  ctx.log.info({ unit, changed, rows: parsed.slots.length, skipped: parsed.errors.length }, 'duty roster imported');
  return { imported: parsed.slots.length, changed, unchanged: parsed.slots.length - changed, errors: parsed.errors };
}

/** Who is on duty now at the caller's unit and every unit below it. */
export async function onDutyNow(ctx: AppContext, user: SessionUser): Promise<{ now: string; units: OnDutyUnit[] }> {
  const now = clock.now();
  const units = ctx.tree.subtree(user.unitCode);
  const codes = units.map((u) => u.code);
  const [entries, settings] = await Promise.all([onDutyEntries(ctx.db, codes, now), settingsOf(ctx.db, codes)]);
  // After a change of shift pattern an old 24-hour entry may overlap a new shorter one: the later start wins.
  entries.sort((a, b) => a.start.localeCompare(b.start));
  const byUnit = new Map<string, RosterEntryDto>(entries.map((e) => [e.unitCode, e]));
  return {
    now: now.toISOString(),
    units: units.map((u) => {
      const e = byUnit.get(u.code);
      const s = settings.get(u.code)!;
      const slot = slotAt(s.shiftStarts, now);
      return {
        code: u.code,
        name: u.name,
        level: u.level,
        parentCode: u.parentCode,
        dutyPhone: s.dutyPhone,
        start: e?.start ?? slot.start.toISOString(),
        end: e?.end ?? slot.end.toISOString(),
        officers: e?.officers ?? [],
        leader: e?.leader ?? null,
      };
    }),
  };
}
