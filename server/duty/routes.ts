/** 24-hour duty (值班): roster, swaps, on duty now, handover, duty log. Every route checks unit and role. */
import express, { Router, type Response } from 'express';
import type { Transaction } from 'kysely';
import type { Database } from '../../db/schema.ts';
import { z } from 'zod';
import type { DutyPerson } from '../../db/tables/duty.ts';
import { currentUser } from '../auth/middleware.ts';
import { hasAnyRole, type SessionUser } from '../auth/sessions.ts';
import { clock } from '../clock.ts';
import type { AppServices } from '../services.ts';
import { unitRoom, unitRooms, upChain } from '../realtime/rooms.ts';
import type { PushOf } from '../../contract/socket.ts';
import { ApiError, errors } from '../http/errors.ts';
import { checkPastTime, int32, parse, plausibleDate, plausibleInstant, plausibleMonth } from '../http/validate.ts';
import { itemsForReader, openReportItems, UNSENT_KINDS } from '../reports/openItems.ts';
import { buildRosterWorkbook, parseRosterWorkbook } from './excel.ts';
import {
  currentRoster,
  getLogEntry,
  getSwap,
  listSwaps,
  loadHandovers,
  logDto,
  logQuery,
  logSnapshot,
  onDutyEntries,
  sameSlot,
  saveSettings,
  settingsFor,
  settingsOf,
  slotHistory,
  swapByRequestId,
  unitPeople,
  writeSlot,
  type HandoverDto,
  type RosterEntryDto,
} from './repo.ts';
import { addDays, checkPattern, checkSwap, closableSlots, localDate, localMidnight, localTime, monthRange, officerNames, rosteredOfficer, rotation, slotAt, slotStartingAt, slotsForDates } from './rules.ts';

const DUTY_ROLES = ['duty_officer', 'leader', 'admin'] as const;
const MANAGER_ROLES = ['leader', 'admin'] as const;

const dateS = plausibleDate();
const isoS = plausibleInstant();
const phoneS = z.string().trim().max(30).regex(/^[0-9+\-() ]*$/, '电话号码格式不正确');
const personIn = z.union([
  z.object({ userId: int32().positive(), phone: phoneS.optional() }),
  z.object({ userId: z.null().optional(), name: z.string().trim().min(1).max(50), phone: phoneS.min(3) }),
]);
type PersonIn = z.infer<typeof personIn>;

export function dutyRoutes(ctx: AppServices): Router {
  const r = Router();
  const { db, tree } = ctx;

  /** Unit to read: the caller's own unit or one below it (levels above read levels below). */
  function readUnit(user: SessionUser, code: unknown): string {
    const unit = typeof code === 'string' && code ? code : user.unitCode;
    if (!tree.has(unit)) throw errors.notFound('单位');
    if (!tree.isWithin(unit, user.unitCode)) throw errors.scopeForbidden();
    return unit;
  }
  /** Unit to write: only the caller's own. */
  function writeUnit(user: SessionUser, code: unknown, roles: readonly ('duty_officer' | 'leader' | 'admin')[]): string {
    if (!hasAnyRole(user, roles)) throw errors.roleForbidden();
    const unit = typeof code === 'string' && code ? code : user.unitCode;
    if (unit !== user.unitCode) throw errors.dutyUnitForbidden();
    return unit;
  }
  /** Tell the unit and every level above (they watch "on duty now"). */
  function pushUp(unitCode: string, event: 'duty:roster', payload: PushOf<'duty:roster'>) {
    ctx.io.to(unitRooms(upChain(tree, unitCode))).emit(event, payload);
  }

  async function resolvePeople(unitCode: string, list: PersonIn[], path: string): Promise<DutyPerson[]> {
    const people = await unitPeople(db, unitCode);
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

  // ------------------------------------------------------------------ settings and people

  r.get('/settings', async (req, res) => {
    const unit = readUnit(currentUser(res), req.query.unit);
    res.json({ unitCode: unit, settings: await settingsFor(db, unit) });
  });

  r.post('/settings', async (req, res) => {
    const user = currentUser(res);
    const body = parse(z.object({ unitCode: z.string().optional(), shiftStarts: z.array(z.string()).min(1).max(6), dutyPhone: phoneS.nullable() }), req.body);
    const unit = writeUnit(user, body.unitCode, MANAGER_ROLES);
    const p = checkPattern(body.shiftStarts);
    if (!p.ok) throw errors.validation([{ path: 'shiftStarts', message: p.error }]);
    const shiftStarts = [...body.shiftStarts].sort();
    await saveSettings(db, unit, { shiftStarts, dutyPhone: body.dutyPhone || null }, user.id);
    pushUp(unit, 'duty:roster', { unitCode: unit });
    res.json({ unitCode: unit, settings: await settingsFor(db, unit) });
  });

  r.get('/people', async (req, res) => {
    const unit = readUnit(currentUser(res), req.query.unit);
    res.json({ people: await unitPeople(db, unit) });
  });

  // ------------------------------------------------------------------ roster

  async function rosterView(unit: string, from: string, to: string) {
    const settings = await settingsFor(db, unit);
    const slots = slotsForDates(settings.shiftStarts, from, to);
    const start = new Date(localMidnight(from)!);
    const end = new Date(localMidnight(addDays(to, 1))!);
    const entries = await currentRoster(db, unit, start, end);
    const byStart = new Map(entries.map((e) => [Date.parse(e.start), e]));
    const listed = new Set<number>();
    const out = slots.map((s) => {
      listed.add(s.start.getTime());
      return { start: s.start.toISOString(), end: s.end.toISOString(), date: s.date, index: s.index, startTime: s.startTime, entry: byStart.get(s.start.getTime()) ?? null };
    });
    // Entries made under an earlier shift pattern stay visible.
    for (const e of entries) {
      if (listed.has(Date.parse(e.start))) continue;
      out.push({ start: e.start, end: e.end, date: localDate(new Date(e.start)), index: -1, startTime: localTime(new Date(e.start)), entry: e });
    }
    out.sort((a, b) => a.start.localeCompare(b.start));
    return { settings, slots: out };
  }

  r.get('/roster', async (req, res) => {
    const user = currentUser(res);
    const unit = readUnit(user, req.query.unit);
    const q = parse(z.object({ from: dateS, to: dateS }), { from: req.query.from, to: req.query.to });
    if (q.to < q.from || Date.parse(q.to) - Date.parse(q.from) > 62 * 86400_000) {
      throw errors.validation([{ path: 'to', message: '日期范围应在 62 天以内' }]);
    }
    const view = await rosterView(unit, q.from, q.to);
    res.json({ unitCode: unit, from: q.from, to: q.to, ...view, canEdit: unit === user.unitCode && hasAnyRole(user, MANAGER_ROLES) });
  });

  r.get('/roster/history', async (req, res) => {
    const unit = readUnit(currentUser(res), req.query.unit);
    const q = parse(z.object({ start: isoS }), { start: req.query.start });
    res.json({ versions: await slotHistory(db, unit, new Date(q.start)) });
  });

  const slotSchema = z.object({
    unitCode: z.string().optional(),
    start: isoS,
    officers: z.array(personIn).min(1).max(10),
    leader: personIn,
    note: z.string().trim().max(500).default(''),
  });

  // A leader's direct change (override): a new version, signed by the leader, the old one kept.
  r.post('/roster/slot', async (req, res) => {
    const user = currentUser(res);
    const body = parse(slotSchema, req.body);
    const unit = writeUnit(user, body.unitCode, MANAGER_ROLES);
    const settings = await settingsFor(db, unit);
    const slot = slotStartingAt(settings.shiftStarts, new Date(body.start));
    if (!slot) throw errors.validation([{ path: 'start', message: '不是本单位的班次开始时间' }]);
    if (slot.end.getTime() <= clock.now().getTime()) throw errors.dutyConflict('ROSTER_SLOT_PAST', '已结束的班次不能修改：谁值过班是事实');
    const officers = await resolvePeople(unit, body.officers, 'officers');
    if (new Set(officers.map((o) => o.userId ?? `n:${o.name}`)).size !== officers.length) {
      throw errors.validation([{ path: 'officers', message: '同一班次的值班员重复' }]);
    }
    const [leader] = await resolvePeople(unit, [body.leader], 'leader');
    const entry = await db.transaction().execute((trx) =>
      writeSlot(trx, { unitCode: unit, start: slot.start, end: slot.end, officers, leader: leader!, note: body.note, source: 'manual', by: user.id }),
    );
    if (entry) pushUp(unit, 'duty:roster', { unitCode: unit });
    const [current] = await currentRoster(db, unit, slot.start, new Date(slot.start.getTime() + 1));
    res.json({ entry: current, changed: entry !== null });
  });

  // Fill a date range by rotation (轮班). Only shifts that have not ended; scheduled ones only with overwrite.
  r.post('/roster/fill', async (req, res) => {
    const user = currentUser(res);
    const body = parse(
      z.object({
        from: dateS,
        to: dateS,
        officers: z.array(personIn).min(1).max(50),
        leaders: z.array(personIn).min(1).max(20),
        perSlot: z.number().int().min(1).max(10).default(1),
        overwrite: z.boolean().default(false),
        note: z.string().trim().max(500).default(''),
      }),
      req.body,
    );
    const unit = writeUnit(user, undefined, MANAGER_ROLES);
    if (body.to < body.from || Date.parse(body.to) - Date.parse(body.from) > 62 * 86400_000) {
      throw errors.validation([{ path: 'to', message: '日期范围应在 62 天以内' }]);
    }
    const settings = await settingsFor(db, unit);
    const officers = await resolvePeople(unit, body.officers, 'officers');
    const leaders = await resolvePeople(unit, body.leaders, 'leaders');
    const now = clock.now();
    const all = slotsForDates(settings.shiftStarts, body.from, body.to).filter((s) => s.end.getTime() > now.getTime());
    const existing = new Set(
      (await currentRoster(db, unit, new Date(localMidnight(body.from)!), new Date(localMidnight(addDays(body.to, 1))!))).map((e) => Date.parse(e.start)),
    );
    const targets = body.overwrite ? all : all.filter((s) => !existing.has(s.start.getTime()));
    const plan = rotation(targets, officers, leaders, body.perSlot);
    let changed = 0;
    await db.transaction().execute(async (trx) => {
      for (let i = 0; i < targets.length; i++) {
        const s = targets[i]!;
        const w = await writeSlot(trx, { unitCode: unit, start: s.start, end: s.end, officers: plan[i]!.officers, leader: plan[i]!.leader, note: body.note, source: 'manual', by: user.id });
        if (w) changed++;
      }
    });
    if (changed) pushUp(unit, 'duty:roster', { unitCode: unit });
    res.json({ slots: targets.length, changed, skipped: all.length - targets.length });
  });

  r.get('/roster/export', async (req, res) => {
    const user = currentUser(res);
    const unit = readUnit(user, req.query.unit);
    const q = parse(z.object({ month: plausibleMonth() }), { month: req.query.month });
    const { from, to } = monthRange(q.month);
    const view = await rosterView(unit, from, to);
    const u = tree.get(unit)!;
    const buf = await buildRosterWorkbook(
      u,
      q.month,
      view.slots
        .filter((s) => s.index >= 0)
        .map((s) => ({
          slot: { start: new Date(s.start), end: new Date(s.end), date: s.date, index: s.index, startTime: s.startTime },
          officers: s.entry?.officers ?? [],
          leader: s.entry?.leader ?? null,
          note: s.entry?.note ?? '',
        })),
    );
    const filename = `${u.name}-${q.month}-值班表.xlsx`;
    res.setHeader('Content-Type', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
    res.setHeader('Content-Disposition', `attachment; filename="roster-${unit}-${q.month}.xlsx"; filename*=UTF-8''${encodeURIComponent(filename)}`);
    res.send(buf);
  });

  // Body: the .xlsx file itself. mode=strict (default): any bad row → nothing imported; mode=valid: import the good rows.
  r.post('/roster/import', express.raw({ type: () => true, limit: '5mb' }), async (req, res) => {
    const user = currentUser(res);
    const unit = writeUnit(user, req.query.unit, MANAGER_ROLES);
    const mode = req.query.mode === 'valid' ? 'valid' : 'strict';
    if (!Buffer.isBuffer(req.body) || req.body.length === 0) throw errors.validation([{ path: 'file', message: '请选择 Excel 文件' }]);
    const settings = await settingsFor(db, unit);
    const people = await unitPeople(db, unit);
    const parsed = await parseRosterWorkbook(req.body, tree.get(unit)!, settings.shiftStarts, people);
    // Ended shifts are facts: a re-imported month may repeat them, but not change them.
    const now = clock.now();
    const past = parsed.slots.filter((s) => s.end.getTime() <= now.getTime());
    if (past.length) {
      const min = Math.min(...past.map((s) => s.start.getTime()));
      const current = await currentRoster(db, unit, new Date(min), now);
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
    await db.transaction().execute(async (trx) => {
      for (const s of parsed.slots) {
        const w = await writeSlot(trx, { unitCode: unit, start: s.start, end: s.end, officers: s.officers, leader: s.leader, note: s.note, source: 'import', by: user.id });
        if (w) changed++;
      }
    });
    if (changed) pushUp(unit, 'duty:roster', { unitCode: unit });
    ctx.log.info({ unit, changed, rows: parsed.slots.length, skipped: parsed.errors.length }, 'duty roster imported');
    res.json({ imported: parsed.slots.length, changed, unchanged: parsed.slots.length - changed, errors: parsed.errors });
  });

  // ------------------------------------------------------------------ on duty now

  r.get('/now', async (_req, res) => {
    const user = currentUser(res);
    const now = clock.now();
    const units = tree.subtree(user.unitCode);
    const codes = units.map((u) => u.code);
    const [entries, settings] = await Promise.all([onDutyEntries(db, codes, now), settingsOf(db, codes)]);
    // After a change of shift pattern an old 24-hour entry may overlap a new shorter one: the later start wins.
    entries.sort((a, b) => a.start.localeCompare(b.start));
    const byUnit = new Map<string, RosterEntryDto>(entries.map((e) => [e.unitCode, e]));
    res.json({
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
    });
  });

  // ------------------------------------------------------------------ swaps

  r.get('/swaps', async (req, res) => {
    const unit = readUnit(currentUser(res), req.query.unit);
    res.json({ swaps: await listSwaps(db, unit) });
  });

  const swapSchema = z.object({
    requestId: z.uuid(),
    unitCode: z.string().optional(),
    kind: z.enum(['swap', 'replace']),
    role: z.enum(['officer', 'leader']).default('officer'),
    slotStart: isoS,
    from: personIn,
    to: personIn,
    otherSlotStart: isoS.nullable().default(null),
    reason: z.string().trim().max(500).default(''),
  });

  async function rosterAround(q: typeof db | Transaction<Database>, unit: string, times: Date[]) {
    const min = Math.min(...times.map((t) => t.getTime()));
    const max = Math.max(...times.map((t) => t.getTime()));
    const entries = await currentRoster(q, unit, new Date(min), new Date(max + 1));
    return entries.map((e) => ({ start: new Date(e.start), end: new Date(e.end), officers: e.officers, leader: e.leader }));
  }

  r.post('/swaps', async (req, res) => {
    const user = currentUser(res);
    const body = parse(swapSchema, req.body);
    const unit = writeUnit(user, body.unitCode, DUTY_ROLES);
    const prior = await swapByRequestId(db, body.requestId);
    if (prior) {
      if (prior.requestedBy !== user.id) throw errors.requestIdConflict();
      return res.status(200).json({ swap: prior });
    }
    const [from] = await resolvePeople(unit, [body.from], 'from');
    const [to] = await resolvePeople(unit, [body.to], 'to');
    const slotStart = new Date(body.slotStart);
    const otherSlotStart = body.otherSlotStart ? new Date(body.otherSlotStart) : null;
    const roster = await rosterAround(db, unit, otherSlotStart ? [slotStart, otherSlotStart] : [slotStart]);
    const check = checkSwap(roster, { kind: body.kind, role: body.role, slotStart, otherSlotStart, from: from!, to: to! }, clock.now());
    if (!check.ok) throw errors.dutyConflict(check.code, check.message);
    const ins = await db
      .insertInto('duty_swaps')
      .values({
        request_id: body.requestId,
        unit_code: unit,
        kind: body.kind,
        role: body.role,
        slot_start: slotStart,
        other_slot_start: otherSlotStart,
        from_person: JSON.stringify(from),
        to_person: JSON.stringify(to),
        reason: body.reason,
        status: 'pending',
        requested_by: user.id,
        requested_at: clock.now(),
      })
      .onConflict((oc) => oc.column('request_id').doNothing())
      .returning('id')
      .executeTakeFirst();
    const swap = ins ? await getSwap(db, ins.id) : await swapByRequestId(db, body.requestId);
    if (swap) ctx.io.to(unitRoom(unit)).emit('duty:swap', swap);
    res.status(ins ? 201 : 200).json({ swap });
  });

  async function decide(res: Response, id: string, action: 'approve' | 'reject' | 'cancel', note: string) {
    const user = currentUser(res);
    if (!z.uuid().safeParse(id).success) throw errors.notFound('换班申请');
    const swap = await getSwap(db, id);
    if (!swap || !tree.isWithin(swap.unitCode, user.unitCode)) throw errors.notFound('换班申请');
    if (action === 'cancel') {
      if (swap.requestedBy !== user.id) throw errors.roleForbidden();
    } else {
      writeUnit(user, swap.unitCode, MANAGER_ROLES);
    }
    const status = action === 'approve' ? 'approved' : action === 'reject' ? 'rejected' : 'cancelled';
    await db.transaction().execute(async (trx) => {
      const locked = await trx.selectFrom('duty_swaps').select('status').where('id', '=', id).forUpdate().executeTakeFirstOrThrow();
      if (locked.status !== 'pending') throw errors.dutyConflict('SWAP_DECIDED', '该换班申请已处理');
      if (action === 'approve') {
        const slotStart = new Date(swap.slotStart);
        const other = swap.otherSlotStart ? new Date(swap.otherSlotStart) : null;
        const roster = await rosterAround(trx, swap.unitCode, other ? [slotStart, other] : [slotStart]);
        const check = checkSwap(roster, { kind: swap.kind, role: swap.role, slotStart, otherSlotStart: other, from: swap.from, to: swap.to }, clock.now());
        if (!check.ok) throw errors.dutyConflict(check.code, `${check.message}，无法批准`);
        for (const c of check.changes) {
          const e = roster.find((x) => x.start.getTime() === c.start.getTime())!;
          const cur = (await currentRoster(trx, swap.unitCode, e.start, new Date(e.start.getTime() + 1)))[0]!;
          await writeSlot(trx, { unitCode: swap.unitCode, start: e.start, end: e.end, officers: c.officers, leader: c.leader, note: cur.note, source: 'swap', swapId: id, by: user.id });
        }
      }
      await trx
        .updateTable('duty_swaps')
        .set({ status, decided_by: user.id, decided_at: clock.now(), decision_note: note || null })
        .where('id', '=', id)
        .execute();
    });
    const updated = await getSwap(db, id);
    if (updated) ctx.io.to(unitRoom(swap.unitCode)).emit('duty:swap', updated);
    if (action === 'approve') pushUp(swap.unitCode, 'duty:roster', { unitCode: swap.unitCode });
    res.json({ swap: updated });
  }
  const noteBody = z.object({ note: z.string().trim().max(500).default('') });
  r.post('/swaps/:id/approve', (req, res) => decide(res, req.params.id, 'approve', parse(noteBody, req.body ?? {}).note));
  r.post('/swaps/:id/reject', (req, res) => decide(res, req.params.id, 'reject', parse(noteBody, req.body ?? {}).note));
  r.post('/swaps/:id/cancel', (req, res) => decide(res, req.params.id, 'cancel', ''));

  // ------------------------------------------------------------------ handover (交接班)

  /** The roster entry of the shift starting at `start` (none when that shift is not rostered). */
  const rosterAt = (unit: string, start: Date) => currentRoster(db, unit, start, new Date(start.getTime() + 1));

  /** What would be carried over if the shift were closed now: open log entries + open report items. */
  async function openItems(unit: string) {
    const logs = await db
      .selectFrom('duty_log')
      .select(['id', 'summary', 'caller_unit', 'call_time'])
      .where('unit_code', '=', unit)
      .where('status', '=', 'open')
      .orderBy('call_time')
      .execute();
    const reports = await openReportItems(db, tree, unit);
    return [
      ...logs.map((l) => ({ kind: 'log' as const, refId: l.id, title: (l.caller_unit ? `${l.caller_unit}：` : '') + l.summary.slice(0, 200), dueAt: null as string | null })),
      ...reports.map((it) => ({ kind: it.kind, refId: it.id, title: it.title, dueAt: it.dueAt })),
    ];
  }

  /** A handover as `reader` may see it: the unit's unsent work shows as a fact, not a title, outside it. */
  const viewFor = async (h: HandoverDto, reader: string): Promise<HandoverDto> => ({ ...h, items: await itemsForReader(db, h.unitCode, reader, h.items) });
  async function pushHandover(h: HandoverDto) {
    ctx.io.to(unitRoom(h.unitCode)).emit('duty:handover', await viewFor(h, h.unitCode));
    const above = tree.ancestors(h.unitCode).map((u) => u.code);
    if (above.length) ctx.io.to(above.map(unitRoom)).emit('duty:handover', await viewFor(h, above[0]!));
  }

  r.get('/handover', async (req, res) => {
    const user = currentUser(res);
    const unit = readUnit(user, req.query.unit);
    const settings = await settingsFor(db, unit);
    const now = clock.now();
    const recent = await loadHandovers(db, { unitCode: unit }, 10);
    const closed = new Set(recent.map((h) => Date.parse(h.slotStart)));
    if (recent.length === 10) {
      const more = await db.selectFrom('duty_handovers').select('slot_start').where('unit_code', '=', unit).where('slot_start', '>=', new Date(now.getTime() - 3 * 86400_000)).execute();
      more.forEach((m) => closed.add(m.slot_start.getTime()));
    }
    const slots = closableSlots(settings.shiftStarts, now, (s) => closed.has(s.getTime()));
    // Each closable shift with its rostered officers: only they may close it.
    const closable = await Promise.all(
      slots.map(async (s) => {
        const [entry] = await rosterAt(unit, s.start);
        return { start: s.start.toISOString(), end: s.end.toISOString(), date: s.date, startTime: s.startTime, officers: entry ? entry.officers.map((o) => o.name) : null };
      }),
    );
    res.json({
      now: now.toISOString(),
      closable,
      openItems: await itemsForReader(db, unit, user.unitCode, await openItems(unit)),
      pending: await Promise.all(recent.filter((h) => h.acceptedAt === null).map((h) => viewFor(h, user.unitCode))),
      recent: await Promise.all(recent.map((h) => viewFor(h, user.unitCode))),
    });
  });

  r.get('/handovers/:id', async (req, res) => {
    const user = currentUser(res);
    if (!z.uuid().safeParse(req.params.id).success) throw errors.notFound('交接班记录');
    const [h] = await loadHandovers(db, { id: req.params.id });
    if (!h || !tree.isWithin(h.unitCode, user.unitCode)) throw errors.notFound('交接班记录');
    res.json({ handover: await viewFor(h, user.unitCode) });
  });

  r.post('/handovers', async (req, res) => {
    const user = currentUser(res);
    const body = parse(z.object({ requestId: z.uuid(), slotStart: isoS, summary: z.string().trim().min(1).max(20000) }), req.body);
    const unit = writeUnit(user, undefined, DUTY_ROLES);
    const [prior] = await loadHandovers(db, { requestId: body.requestId });
    if (prior) {
      if (prior.outgoingUserId !== user.id) throw errors.requestIdConflict();
      return res.json({ handover: await viewFor(prior, user.unitCode) });
    }
    const settings = await settingsFor(db, unit);
    const now = clock.now();
    const closedRows = await db.selectFrom('duty_handovers').select('slot_start').where('unit_code', '=', unit).where('slot_start', '>=', new Date(now.getTime() - 3 * 86400_000)).execute();
    const closed = new Set(closedRows.map((c) => c.slot_start.getTime()));
    const slot = closableSlots(settings.shiftStarts, now, (s) => closed.has(s.getTime())).find((s) => s.start.getTime() === Date.parse(body.slotStart));
    if (!slot) throw errors.dutyConflict('HANDOVER_NOT_CLOSABLE', '该班次已交班，或不是可交班的班次');
    // Only the officer rostered on the shift closes it.
    const [entry] = await rosterAt(unit, slot.start);
    if (rosteredOfficer(entry, user.id) === false) {
      throw new ApiError(403, 'HANDOVER_NOT_ROSTERED', `该班次的值班员是${officerNames(entry!)}，只有本班值班员可以交班`);
    }
    const items = await openItems(unit);
    const id = await db.transaction().execute(async (trx) => {
      const ins = await trx
        .insertInto('duty_handovers')
        .values({ request_id: body.requestId, unit_code: unit, slot_start: slot.start, slot_end: slot.end, outgoing_user_id: user.id, summary: body.summary, closed_at: now })
        .onConflict((oc) => oc.doNothing())
        .returning('id')
        .executeTakeFirst();
      if (!ins) throw errors.dutyConflict('HANDOVER_NOT_CLOSABLE', '该班次已交班，或不是可交班的班次');
      if (items.length) {
        await trx
          .insertInto('duty_handover_items')
          .values(items.map((it) => ({ handover_id: ins.id, kind: it.kind, ref_id: it.refId, title: UNSENT_KINDS.has(it.kind) ? '' : it.title, due_at: it.dueAt ? new Date(it.dueAt) : null })))
          .execute();
      }
      return ins.id;
    });
    const [h] = await loadHandovers(db, { id });
    await pushHandover(h!);
    ctx.log.info({ unit, handover: id, items: items.length }, 'duty shift closed');
    res.status(201).json({ handover: await viewFor(h!, unit) });
  });

  async function handoverForIncoming(res: Response, id: string) {
    const user = currentUser(res);
    if (!z.uuid().safeParse(id).success) throw errors.notFound('交接班记录');
    const [h] = await loadHandovers(db, { id });
    if (!h || !tree.isWithin(h.unitCode, user.unitCode)) throw errors.notFound('交接班记录');
    writeUnit(user, h.unitCode, DUTY_ROLES);
    if (h.acceptedAt) throw errors.dutyConflict('HANDOVER_ACCEPTED', '该班次已完成接班');
    if (h.outgoingUserId === user.id) throw errors.dutyConflict('HANDOVER_SELF', '交班人不能自己接班，请由接班人登录确认');
    // Only the officer rostered on the next shift takes over (and confirms the carried items).
    const [next] = await rosterAt(h.unitCode, new Date(h.slotEnd));
    if (rosteredOfficer(next, user.id) === false) {
      throw new ApiError(403, 'HANDOVER_NOT_NEXT_ON_DUTY', `下一班的值班员是${officerNames(next!)}，只有下一班值班员可以接班`);
    }
    return { user, h };
  }

  // The incoming officer acknowledges carried items, one by one or all at once.
  r.post('/handovers/:id/ack', async (req, res) => {
    const { user, h } = await handoverForIncoming(res, req.params.id);
    const body = parse(z.object({ itemIds: z.array(int32()).max(1000).optional(), all: z.boolean().optional() }), req.body ?? {});
    const ids = body.all ? h.items.map((i) => i.id) : (body.itemIds ?? []);
    const unknown = ids.filter((i) => !h.items.some((it) => it.id === i));
    if (unknown.length) throw errors.validation([{ path: 'itemIds', message: '交接事项不属于该交接班记录' }]);
    if (ids.length) {
      await db
        .updateTable('duty_handover_items')
        .set({ acknowledged_by: user.id, acknowledged_at: clock.now() })
        .where('handover_id', '=', h.id)
        .where('id', 'in', ids)
        .where('acknowledged_at', 'is', null)
        .execute();
    }
    const [updated] = await loadHandovers(db, { id: h.id });
    const view = await viewFor(updated!, h.unitCode);
    ctx.io.to(unitRoom(h.unitCode)).emit('duty:handover', view);
    res.json({ handover: view });
  });

  // Accepting the shift (接班) is refused while any carried item is unacknowledged.
  r.post('/handovers/:id/accept', async (req, res) => {
    const { user, h } = await handoverForIncoming(res, req.params.id);
    const open = h.items.filter((i) => !i.acknowledgedAt);
    if (open.length) {
      throw errors.dutyConflict('HANDOVER_UNACKNOWLEDGED', `还有 ${open.length} 项交接事项未确认，确认后才能接班`, { itemIds: open.map((i) => i.id) });
    }
    const upd = await db
      .updateTable('duty_handovers')
      .set({ incoming_user_id: user.id, accepted_at: clock.now() })
      .where('id', '=', h.id)
      .where('accepted_at', 'is', null)
      .executeTakeFirst();
    if (Number(upd.numUpdatedRows) === 0) throw errors.dutyConflict('HANDOVER_ACCEPTED', '该班次已完成接班');
    const [updated] = await loadHandovers(db, { id: h.id });
    await pushHandover(updated!);
    res.json({ handover: await viewFor(updated!, h.unitCode) });
  });

  // ------------------------------------------------------------------ duty log (值班日志)

  const logFields = {
    kind: z.enum(['call', 'document', 'event', 'other']).default('call'),
    callTime: isoS,
    callerUnit: z.string().trim().max(200).default(''),
    callerName: z.string().trim().max(50).default(''),
    callerTitle: z.string().trim().max(50).default(''),
    callerPhone: phoneS.default(''),
    summary: z.string().trim().min(1).max(20000),
    place: z.string().trim().max(300).default(''),
    cause: z.string().trim().max(5000).default(''),
    measures: z.string().trim().max(5000).default(''),
    notified: z.string().trim().max(1000).default(''),
    status: z.enum(['open', 'closed']).default('open'),
  };
  const logCreate = z.object({ requestId: z.uuid(), ...logFields });
  const logEdit = z.object({ revision: int32().positive(), ...logFields });

  /** The register's columns, shared by create and edit. */
  const logColumns = (b: z.infer<z.ZodObject<typeof logFields>>) => ({
    kind: b.kind,
    call_time: new Date(b.callTime),
    caller_unit: b.callerUnit,
    caller_name: b.callerName,
    caller_title: b.callerTitle,
    caller_phone: b.callerPhone,
    summary: b.summary,
    place: b.place,
    cause: b.cause,
    measures: b.measures,
    notified: b.notified,
    status: b.status,
  });

  const checkCallTime = (t: string) => checkPastTime(t, 'callTime', '来电时间');

  r.get('/log', async (req, res) => {
    const unit = readUnit(currentUser(res), req.query.unit);
    const q = parse(
      z.object({
        date: dateS.optional(),
        status: z.enum(['open', 'closed']).optional(),
        kind: z.enum(['call', 'document', 'event', 'other']).optional(),
        q: z.string().trim().max(100).optional(),
      }),
      req.query,
    );
    let query = logQuery(db).where('l.unit_code', '=', unit);
    if (q.date) {
      // The day view is the duty day: the 24 hours from local midnight.
      const from = new Date(localMidnight(q.date)!);
      query = query.where('l.call_time', '>=', from).where('l.call_time', '<', new Date(from.getTime() + 86400_000));
    }
    if (q.status) query = query.where('l.status', '=', q.status);
    if (q.kind) query = query.where('l.kind', '=', q.kind);
    if (q.q) {
      const like = `%${q.q.replace(/[%_\\]/g, (c) => `\\${c}`)}%`;
      query = query.where((eb) =>
        eb.or([eb('l.summary', 'ilike', like), eb('l.caller_unit', 'ilike', like), eb('l.caller_name', 'ilike', like), eb('l.place', 'ilike', like)]),
      );
    }
    const rows = await query.orderBy('l.call_time', 'desc').limit(500).execute();
    res.json({ entries: rows.map(logDto) });
  });

  r.post('/log', async (req, res) => {
    const user = currentUser(res);
    const body = parse(logCreate, req.body);
    const unit = writeUnit(user, undefined, DUTY_ROLES);
    checkCallTime(body.callTime);
    const now = clock.now();
    const result = await db.transaction().execute(async (trx) => {
      const ins = await trx
        .insertInto('duty_log')
        .values({
          request_id: body.requestId,
          unit_code: unit,
          ...logColumns(body),
          revision: 1,
          created_by: user.id,
          updated_by: user.id,
          received_at: now,
          updated_at: now,
        })
        .onConflict((oc) => oc.column('request_id').doNothing())
        .returning('id')
        .executeTakeFirst();
      if (!ins) return null;
      const entry = (await getLogEntry(trx, ins.id))!;
      await trx.insertInto('duty_log_revisions').values({ entry_id: ins.id, revision: 1, data: JSON.stringify(logSnapshot(entry)), edited_by: user.id, edited_at: now }).execute();
      return entry;
    });
    if (!result) {
      const prior = await logQuery(db).where('l.request_id', '=', body.requestId).executeTakeFirstOrThrow();
      if (prior.created_by !== user.id) throw errors.requestIdConflict();
      return res.status(200).json({ entry: logDto(prior) });
    }
    ctx.io.to(unitRoom(unit)).emit('duty:log', result);
    res.status(201).json({ entry: result });
  });

  r.post('/log/:id', async (req, res) => {
    const user = currentUser(res);
    if (!z.uuid().safeParse(req.params.id).success) throw errors.notFound('值班记录');
    const cur = await getLogEntry(db, req.params.id);
    if (!cur || !tree.isWithin(cur.unitCode, user.unitCode)) throw errors.notFound('值班记录');
    writeUnit(user, cur.unitCode, DUTY_ROLES);
    const body = parse(logEdit, req.body);
    checkCallTime(body.callTime);
    const now = clock.now();
    const entry = await db.transaction().execute(async (trx) => {
      const upd = await trx
        .updateTable('duty_log')
        .set({
          ...logColumns(body),
          revision: body.revision + 1,
          updated_by: user.id,
          updated_at: now,
        })
        .where('id', '=', cur.id)
        .where('revision', '=', body.revision)
        .executeTakeFirst();
      if (Number(upd.numUpdatedRows) === 0) throw errors.dutyConflict('DUTY_LOG_STALE', '该记录已被他人修改，请刷新后再改（您填写的内容仍保留在表单中）');
      const e = (await getLogEntry(trx, cur.id))!;
      await trx.insertInto('duty_log_revisions').values({ entry_id: e.id, revision: e.revision, data: JSON.stringify(logSnapshot(e)), edited_by: user.id, edited_at: now }).execute();
      return e;
    });
    ctx.io.to(unitRoom(entry.unitCode)).emit('duty:log', entry);
    res.json({ entry });
  });

  r.get('/log/:id/revisions', async (req, res) => {
    const user = currentUser(res);
    if (!z.uuid().safeParse(req.params.id).success) throw errors.notFound('值班记录');
    const cur = await getLogEntry(db, req.params.id);
    if (!cur || !tree.isWithin(cur.unitCode, user.unitCode)) throw errors.notFound('值班记录');
    const rows = await db
      .selectFrom('duty_log_revisions as r')
      .innerJoin('users as u', 'u.id', 'r.edited_by')
      .select(['r.revision', 'r.data', 'r.edited_at', 'u.display_name'])
      .where('r.entry_id', '=', cur.id)
      .orderBy('r.revision')
      .execute();
    res.json({ revisions: rows.map((x) => ({ revision: x.revision, data: x.data, editedAt: x.edited_at.toISOString(), editedByName: x.display_name })) });
  });

  return r;
}
