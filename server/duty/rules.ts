/**
 * Pure roster rules. China has no DST: local time is UTC+08:00 all year, so all arithmetic is done on UTC
 * instants with a fixed offset (no Intl, no time-zone database, no dependency on the server's TZ).
 */
import type { DutyPerson } from '../../db/tables/duty.ts';

export const CHINA_OFFSET_MS = 8 * 3600_000;
const DAY_MS = 24 * 3600_000;
export const DEFAULT_SHIFT_STARTS = ['08:30'] as const;

export interface Slot {
  start: Date;
  end: Date;
  /** Local calendar date of the start, 'YYYY-MM-DD'. */
  date: string;
  /** Index of the shift within its day (0 = first shift after midnight). */
  index: number;
  /** Local start time 'HH:MM'. */
  startTime: string;
}

const HM = /^([01]\d|2[0-3]):([0-5]\d)$/;
const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

export function parseHm(hm: string): number | null {
  const m = HM.exec(hm);
  return m ? Number(m[1]) * 60 + Number(m[2]) : null;
}

const pad = (n: number) => String(n).padStart(2, '0');
export const formatHm = (min: number) => `${pad(Math.floor(min / 60))}:${pad(min % 60)}`;

/** Validates a shift pattern: 1–6 distinct 'HH:MM' start times; returns them in minutes, ascending, or an error. */
export function checkPattern(starts: readonly string[]): { ok: true; minutes: number[] } | { ok: false; error: string } {
  if (starts.length < 1 || starts.length > 6) return { ok: false, error: '每天应有 1 至 6 个班次' };
  const minutes: number[] = [];
  for (const s of starts) {
    const m = parseHm(s);
    if (m === null) return { ok: false, error: `班次开始时间「${s}」格式不正确，应为 HH:MM` };
    minutes.push(m);
  }
  minutes.sort((a, b) => a - b);
  if (new Set(minutes).size !== minutes.length) return { ok: false, error: '班次开始时间不能重复' };
  return { ok: true, minutes };
}

function minutesOf(starts: readonly string[]): number[] {
  const r = checkPattern(starts);
  if (!r.ok) throw new Error(r.error);
  return r.minutes;
}

/** Local date 'YYYY-MM-DD' (UTC+8) of an instant. */
export function localDate(t: Date): string {
  return new Date(t.getTime() + CHINA_OFFSET_MS).toISOString().slice(0, 10);
}

/** Local time 'HH:MM' (UTC+8) of an instant. */
export function localTime(t: Date): string {
  return new Date(t.getTime() + CHINA_OFFSET_MS).toISOString().slice(11, 16);
}

/** UTC ms of local midnight of a 'YYYY-MM-DD' date, or null if the date is invalid. */
export function localMidnight(date: string): number | null {
  const m = DATE.exec(date);
  if (!m) return null;
  const ms = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]));
  if (new Date(ms).toISOString().slice(0, 10) !== date) return null; // 2026-02-30 and the like
  return ms - CHINA_OFFSET_MS;
}

export function addDays(date: string, n: number): string {
  const ms = localMidnight(date);
  if (ms === null) throw new Error(`bad date ${date}`);
  return localDate(new Date(ms + n * DAY_MS));
}

function slotOf(date: string, index: number, minutes: number[]): Slot {
  const midnight = localMidnight(date)!;
  const start = midnight + minutes[index]! * 60_000;
  const end = index + 1 < minutes.length ? midnight + minutes[index + 1]! * 60_000 : midnight + DAY_MS + minutes[0]! * 60_000;
  return { start: new Date(start), end: new Date(end), date, index, startTime: formatHm(minutes[index]!) };
}

/** The slot that covers instant `t` (start inclusive, end exclusive). */
export function slotAt(starts: readonly string[], t: Date): Slot {
  const minutes = minutesOf(starts);
  const date = localDate(t);
  const local = new Date(t.getTime() + CHINA_OFFSET_MS);
  const m = local.getUTCHours() * 60 + local.getUTCMinutes() + local.getUTCSeconds() / 60 + local.getUTCMilliseconds() / 60_000;
  if (m < minutes[0]!) return slotOf(addDays(date, -1), minutes.length - 1, minutes);
  let i = minutes.length - 1;
  while (minutes[i]! > m) i--;
  return slotOf(date, i, minutes);
}

/** The slot starting exactly at `t`, or null if no shift of the pattern starts then. */
export function slotStartingAt(starts: readonly string[], t: Date): Slot | null {
  const s = slotAt(starts, t);
  return s.start.getTime() === t.getTime() ? s : null;
}

/** The slot right before `slot` (previous shift). */
export function previousSlot(starts: readonly string[], slot: Pick<Slot, 'start'>): Slot {
  return slotAt(starts, new Date(slot.start.getTime() - 1));
}

/** Every slot whose local start date lies in [fromDate, toDate] (inclusive), in order. */
export function slotsForDates(starts: readonly string[], fromDate: string, toDate: string): Slot[] {
  const minutes = minutesOf(starts);
  if (localMidnight(fromDate) === null || localMidnight(toDate) === null) throw new Error('bad date range');
  const out: Slot[] = [];
  for (let d = fromDate; d <= toDate; d = addDays(d, 1)) {
    for (let i = 0; i < minutes.length; i++) out.push(slotOf(d, i, minutes));
    if (out.length > 6 * 400) throw new Error('date range too long');
  }
  return out;
}

/** Monday..Sunday of the week containing `date`. */
export function weekRange(date: string): { from: string; to: string } {
  const ms = localMidnight(date);
  if (ms === null) throw new Error(`bad date ${date}`);
  const dow = new Date(ms + CHINA_OFFSET_MS).getUTCDay(); // 0 = Sunday
  const from = addDays(date, -((dow + 6) % 7));
  return { from, to: addDays(from, 6) };
}

/** First and last day of a month 'YYYY-MM'. */
export function monthRange(month: string): { from: string; to: string } {
  const m = /^(\d{4})-(\d{2})$/.exec(month);
  if (!m || Number(m[2]) < 1 || Number(m[2]) > 12) throw new Error(`bad month ${month}`);
  const y = Number(m[1]);
  const mo = Number(m[2]);
  const last = new Date(Date.UTC(y, mo, 0)).getUTCDate();
  return { from: `${month}-01`, to: `${month}-${pad(last)}` };
}

export interface RosterEntry {
  start: Date;
  end: Date;
  officers: DutyPerson[];
  leader: DutyPerson | null;
}

/** The entry on duty at `now` (start inclusive, end exclusive), if any. */
export function onDutyAt<T extends Pick<RosterEntry, 'start' | 'end'>>(entries: readonly T[], now: Date): T | null {
  const t = now.getTime();
  return entries.find((e) => e.start.getTime() <= t && t < e.end.getTime()) ?? null;
}

/** Same person: the same account, or (both without account) the same name. */
export function samePerson(a: DutyPerson, b: DutyPerson): boolean {
  if (a.userId !== null || b.userId !== null) return a.userId === b.userId;
  return a.name.trim() === b.name.trim();
}

export interface SwapRequest {
  kind: 'swap' | 'replace';
  role: 'officer' | 'leader';
  slotStart: Date;
  from: DutyPerson;
  to: DutyPerson;
  otherSlotStart: Date | null;
}

export type SwapCheck =
  | { ok: true; changes: { start: Date; officers: DutyPerson[]; leader: DutyPerson | null }[] }
  | { ok: false; code: string; message: string };

const fail = (code: string, message: string): SwapCheck => ({ ok: false, code, message });

function replaceIn(entry: RosterEntry, role: 'officer' | 'leader', from: DutyPerson, to: DutyPerson) {
  if (role === 'leader') return { start: entry.start, officers: entry.officers, leader: to };
  return { start: entry.start, officers: entry.officers.map((p) => (samePerson(p, from) ? to : p)), leader: entry.leader };
}

function holds(entry: RosterEntry, role: 'officer' | 'leader', p: DutyPerson): boolean {
  return role === 'leader' ? !!entry.leader && samePerson(entry.leader, p) : entry.officers.some((o) => samePerson(o, p));
}

/**
 * Whether a swap/replacement can be applied to the current roster at `now`, and the resulting slot contents.
 * Rules: slots must exist and not have ended; `from` must hold the role in the slot; `to` must not already hold
 * it there; for a swap, `to` must hold the role in the other slot and `from` must not.
 */
export function checkSwap(roster: readonly RosterEntry[], req: SwapRequest, now: Date): SwapCheck {
  const find = (t: Date) => roster.find((e) => e.start.getTime() === t.getTime());
  const a = find(req.slotStart);
  if (!a) return fail('SWAP_SLOT_MISSING', '所选班次尚未排班');
  if (a.end.getTime() <= now.getTime()) return fail('SWAP_SLOT_PAST', '已结束的班次不能换班');
  if (samePerson(req.from, req.to)) return fail('SWAP_SAME_PERSON', '换班双方不能是同一人');
  if (!holds(a, req.role, req.from)) return fail('SWAP_NOT_ON_SLOT', `${req.from.name}不在该班次值班`);
  if (holds(a, req.role, req.to)) return fail('SWAP_ALREADY_ON_SLOT', `${req.to.name}已在该班次值班`);
  if (req.kind === 'replace') {
    if (req.otherSlotStart) return fail('SWAP_INVALID', '替班不需要另一个班次');
    return { ok: true, changes: [replaceIn(a, req.role, req.from, req.to)] };
  }
  if (!req.otherSlotStart) return fail('SWAP_INVALID', '换班需要选择对方的班次');
  if (req.otherSlotStart.getTime() === req.slotStart.getTime()) return fail('SWAP_INVALID', '换班的两个班次不能相同');
  const b = find(req.otherSlotStart);
  if (!b) return fail('SWAP_SLOT_MISSING', '对方班次尚未排班');
  if (b.end.getTime() <= now.getTime()) return fail('SWAP_SLOT_PAST', '已结束的班次不能换班');
  if (!holds(b, req.role, req.to)) return fail('SWAP_NOT_ON_SLOT', `${req.to.name}不在对方班次值班`);
  if (holds(b, req.role, req.from)) return fail('SWAP_ALREADY_ON_SLOT', `${req.from.name}已在对方班次值班`);
  return { ok: true, changes: [replaceIn(a, req.role, req.from, req.to), replaceIn(b, req.role, req.to, req.from)] };
}

/**
 * Which shifts a handover may close at `now`: the current one and, while the current one started less than
 * `graceMs` ago, the previous one (the night officer hands over just after 08:30) — those not closed yet.
 */
export function closableSlots(
  starts: readonly string[],
  now: Date,
  isClosed: (slotStart: Date) => boolean,
  graceMs = 4 * 3600_000,
): Slot[] {
  const cur = slotAt(starts, now);
  const out = [cur];
  if (now.getTime() - cur.start.getTime() < graceMs) out.push(previousSlot(starts, cur));
  return out.filter((s) => !isClosed(s.start));
}

/**
 * A rotation (轮班): slot i gets `perSlot` consecutive officers from the cycle, and the leaders rotate per
 * local day. Pure: the caller decides which slots may be filled.
 */
export function rotation<P>(slots: readonly Pick<Slot, 'date'>[], officers: readonly P[], leaders: readonly P[], perSlot = 1): { officers: P[]; leader: P }[] {
  if (officers.length === 0 || leaders.length === 0) throw new Error('rotation needs officers and a leader');
  const n = Math.min(Math.max(1, perSlot), officers.length);
  const days = [...new Set(slots.map((s) => s.date))];
  return slots.map((s, i) => ({
    officers: Array.from({ length: n }, (_, k) => officers[(i * n + k) % officers.length]!),
    leader: leaders[days.indexOf(s.date) % leaders.length]!,
  }));
}

/**
 * Handover follows the roster: is `userId` one of the officers rostered on this shift? `null` when the shift
 * has no roster entry (nothing to follow: any duty officer of the unit may act, as before a roster exists).
 */
export function rosteredOfficer(entry: { officers: readonly DutyPerson[] } | null | undefined, userId: number): boolean | null {
  if (!entry) return null;
  return entry.officers.some((o) => o.userId === userId);
}

/** Names of a shift's officers for a message: 「张三、李四」. */
export const officerNames = (entry: { officers: readonly DutyPerson[] }): string => entry.officers.map((o) => o.name).join('、') || '（未排值班员）';
