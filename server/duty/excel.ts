/**
 * A month's roster of one unit as an Excel sheet (值班表), and back. The import validates every row and
 * reports problems per Excel row number, in Chinese.
 */
import ExcelJS from 'exceljs';
import type { DutyPerson } from '../../db/tables/duty.ts';
import { localDate, localMidnight, parseHm, slotStartingAt, type Slot } from './rules.ts';

export const HEADERS = ['日期', '星期', '班次开始', '值班员', '值班员电话', '带班领导', '带班领导电话', '备注'] as const;
const WEEKDAYS = ['日', '一', '二', '三', '四', '五', '六'];
const SEP = /[、,，;；]/;
const FIRST_DATA_ROW = 3;

export interface ExportRow {
  slot: Slot;
  officers: DutyPerson[];
  leader: DutyPerson | null;
  note: string;
}

export async function buildRosterWorkbook(unit: { code: string; name: string }, month: string, rows: ExportRow[]): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  wb.creator = '三级视频会议与值班平台';
  const ws = wb.addWorksheet('值班表', { views: [{ state: 'frozen', ySplit: 2 }] });
  const [y, m] = month.split('-');
  ws.mergeCells(1, 1, 1, HEADERS.length);
  ws.getCell(1, 1).value = `${unit.name}（${unit.code}）${y}年${Number(m)}月值班表`;
  ws.getCell(1, 1).font = { bold: true, size: 14 };
  ws.getCell(1, 1).alignment = { horizontal: 'center' };
  ws.getRow(2).values = [...HEADERS];
  ws.getRow(2).font = { bold: true };
  ws.columns = [12, 6, 10, 24, 28, 14, 16, 24].map((width) => ({ width }));
  rows.forEach((r, i) => {
    const dow = new Date(localMidnight(r.slot.date)! + 8 * 3600_000).getUTCDay();
    const row = ws.getRow(FIRST_DATA_ROW + i);
    // Text cells only: a date cell would come back shifted by the reader's time zone.
    row.values = [
      r.slot.date,
      WEEKDAYS[dow]!,
      r.slot.startTime,
      r.officers.map((p) => p.name).join('、'),
      r.officers.some((p) => p.phone) ? r.officers.map((p) => p.phone ?? '').join('、') : '',
      r.leader?.name ?? '',
      r.leader?.phone ?? '',
      r.note,
    ];
    for (let c = 1; c <= HEADERS.length; c++) row.getCell(c).numFmt = '@';
  });
  return Buffer.from(await wb.xlsx.writeBuffer());
}

export interface ImportPerson {
  id: number;
  username: string;
  name: string;
  phone: string | null;
}

export interface ImportedSlot {
  row: number;
  start: Date;
  end: Date;
  officers: DutyPerson[];
  leader: DutyPerson;
  note: string;
}

export interface RowError {
  row: number;
  message: string;
}

/** Cell text: strings as they are, numbers and dates made readable, rich text flattened. */
function text(v: ExcelJS.CellValue): string {
  if (v === null || v === undefined) return '';
  if (v instanceof Date) return v.toISOString().slice(0, 10); // Excel dates are "floating": read their UTC parts
  if (typeof v === 'object') {
    if ('richText' in v) return v.richText.map((t) => t.text).join('').trim();
    if ('text' in v) return String(v.text).trim();
    if ('result' in v) return text(v.result as ExcelJS.CellValue);
    return '';
  }
  return String(v).trim();
}

function normDate(s: string): string {
  const m = /^(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?$/.exec(s);
  return m ? `${m[1]}-${m[2]!.padStart(2, '0')}-${m[3]!.padStart(2, '0')}` : s;
}

function normTime(s: string): string {
  const m = /^(\d{1,2})[:：](\d{2})(?::\d{2})?$/.exec(s);
  return m ? `${m[1]!.padStart(2, '0')}:${m[2]}` : s;
}

/**
 * Reads and validates an exported-format sheet for `unit` with the unit's shift pattern.
 * Rows without anyone (unscheduled slots) are skipped, never treated as deletions.
 */
export async function parseRosterWorkbook(
  data: Buffer,
  unit: { code: string; name: string },
  shiftStarts: readonly string[],
  people: ImportPerson[],
): Promise<{ slots: ImportedSlot[]; errors: RowError[]; rows: number }> {
  const wb = new ExcelJS.Workbook();
  try {
    await wb.xlsx.load(data as unknown as ArrayBuffer);
  } catch {
    return { slots: [], errors: [{ row: 0, message: '无法读取文件，请上传从本系统导出的 .xlsx 值班表' }], rows: 0 };
  }
  const ws = wb.worksheets[0];
  if (!ws) return { slots: [], errors: [{ row: 0, message: '文件中没有工作表' }], rows: 0 };
  const title = text(ws.getCell(1, 1).value);
  const codeInTitle = /（(\d{6})）/.exec(title)?.[1];
  if (codeInTitle && codeInTitle !== unit.code) {
    return { slots: [], errors: [{ row: 1, message: `这是单位 ${codeInTitle} 的值班表，不能导入到${unit.name}` }], rows: 0 };
  }
  const header = HEADERS.map((_, i) => text(ws.getCell(2, i + 1).value));
  if (header.slice(0, 7).join('|') !== HEADERS.slice(0, 7).join('|')) {
    return { slots: [], errors: [{ row: 2, message: `表头应为：${HEADERS.join('、')}` }], rows: 0 };
  }

  const byName = new Map<string, ImportPerson>();
  for (const p of people) {
    byName.set(p.name, p);
    byName.set(p.username, p);
  }
  const slots: ImportedSlot[] = [];
  const errors: RowError[] = [];
  const seen = new Map<number, number>();
  let rows = 0;

  for (let r = FIRST_DATA_ROW; r <= ws.rowCount; r++) {
    const cells = HEADERS.map((_, i) => text(ws.getCell(r, i + 1).value));
    const [dateS, , timeS, officersS, officerPhonesS, leaderS, leaderPhoneS, note] = cells as [string, string, string, string, string, string, string, string];
    if (cells.every((c) => c === '')) continue;
    rows++;
    const problems: string[] = [];
    const err = (m: string) => problems.push(m);

    const date = normDate(dateS);
    const hm = normTime(timeS);
    let slot: Slot | null = null;
    if (localMidnight(date) === null) err(`日期「${dateS}」格式不正确，应为 2026-11-01`);
    else if (parseHm(hm) === null) err(`班次开始「${timeS}」格式不正确，应为 08:30`);
    else {
      const midnight = localMidnight(date)!;
      slot = slotStartingAt(shiftStarts, new Date(midnight + parseHm(hm)! * 60_000));
      if (!slot || localDate(slot.start) !== date) {
        slot = null;
        err(`本单位没有 ${hm} 开始的班次（班次开始时间：${shiftStarts.join('、')}）`);
      }
    }

    const officerNames = officersS ? officersS.split(SEP).map((s) => s.trim()).filter(Boolean) : [];
    const officerPhones = officerPhonesS ? officerPhonesS.split(SEP).map((s) => s.trim()) : [];
    if (officersS === '' && leaderS === '') continue; // unscheduled slot: nothing to import
    if (officerNames.length === 0) err('值班员不能为空');
    const phonesMismatch = officerNames.length > 0 && officerPhones.length > 0 && officerPhones.length !== officerNames.length;
    if (phonesMismatch) err(`值班员有 ${officerNames.length} 人，电话有 ${officerPhones.length} 个，请用「、」分隔并一一对应`);
    const person = (name: string, phone: string, what: string): DutyPerson | null => {
      const acct = byName.get(name);
      if (phone && !/^[0-9+\-() ]{3,30}$/.test(phone)) {
        err(`${what}「${name}」的电话「${phone}」格式不正确`);
        return null;
      }
      if (acct) return { userId: acct.id, name: acct.name, phone: phone || acct.phone };
      if (!phone) {
        err(`${what}「${name}」不是本单位账号，请填写其电话`);
        return null;
      }
      if (name.length > 50) {
        err(`${what}姓名过长`);
        return null;
      }
      return { userId: null, name, phone };
    };
    const officers = phonesMismatch ? [] : officerNames.map((n, i) => person(n, officerPhones[i] ?? '', '值班员'));
    if (new Set(officerNames).size !== officerNames.length) err('同一班次的值班员重复');
    let leader: DutyPerson | null = null;
    if (!leaderS) err('带班领导不能为空');
    else leader = person(leaderS, leaderPhoneS, '带班领导');
    if (note.length > 500) err('备注不能超过 500 字');

    if (slot) {
      const prior = seen.get(slot.start.getTime());
      if (prior !== undefined) err(`与第 ${prior} 行是同一班次`);
      else seen.set(slot.start.getTime(), r);
    }
    if (problems.length) {
      errors.push({ row: r, message: `第 ${r} 行：${problems.join('；')}` });
      continue;
    }
    slots.push({ row: r, start: slot!.start, end: slot!.end, officers: officers as DutyPerson[], leader: leader!, note });
  }
  if (rows === 0 && errors.length === 0) errors.push({ row: 0, message: '文件中没有值班数据' });
  return { slots, errors, rows };
}
