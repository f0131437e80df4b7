/** The roster sheet: what is exported reads back identically, and every bad row is named in Chinese. */
import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { buildRosterWorkbook, parseRosterWorkbook, type ImportPerson } from '../../server/duty/excel.ts';
import { slotsForDates } from '../../server/duty/rules.ts';

const unit = { code: '150102', name: '新城区' };
const people: ImportPerson[] = [
  { id: 1, username: '150102-duty', name: '新城区值班员', phone: '13915010201' },
  { id: 2, username: '150102-duty2', name: '新城区值班员乙', phone: null },
  { id: 3, username: '150102-leader', name: '新城区带班领导', phone: '13815010201' },
];
const slots = slotsForDates(['08:30', '17:30'], '2026-11-01', '2026-11-03');
const duty = { userId: 1, name: '新城区值班员', phone: '13915010201' };
const duty2 = { userId: 2, name: '新城区值班员乙', phone: '13700000000' };
const free = { userId: null, name: '王五', phone: '0471-5555555' };
const leader = { userId: 3, name: '新城区带班领导', phone: '13815010201' };

async function sheet(): Promise<Buffer> {
  return buildRosterWorkbook(
    unit,
    '2026-11',
    slots.map((slot, i) => ({
      slot,
      officers: i === 5 ? [] : i % 2 ? [duty2, free] : [duty],
      leader: i === 5 ? null : leader,
      note: i === 0 ? '节日加强' : '',
    })),
  );
}

async function edited(cells: [number, number, string][]): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load((await sheet()) as unknown as ArrayBuffer);
  for (const [r, c, v] of cells) wb.worksheets[0]!.getCell(r, c).value = v;
  return Buffer.from(await wb.xlsx.writeBuffer());
}

describe('roster sheet', () => {
  it('round-trips every scheduled shift, people with and without accounts, and skips unscheduled ones', async () => {
    const r = await parseRosterWorkbook(await sheet(), unit, ['08:30', '17:30'], people);
    expect(r.errors).toEqual([]);
    expect(r.slots).toHaveLength(5);
    expect(r.slots[0]).toMatchObject({ row: 3, officers: [duty], leader, note: '节日加强' });
    expect(r.slots[1]!.officers).toEqual([duty2, free]);
    expect(r.slots.map((s) => s.start.toISOString())).toEqual(slots.slice(0, 5).map((s) => s.start.toISOString()));
  });

  it.each([
    ['bad date', [[3, 1, '2026-13-01']], '第 3 行：日期「2026-13-01」格式不正确，应为 2026-11-01'],
    ['shift not in the pattern', [[3, 3, '09:00']], '第 3 行：本单位没有 09:00 开始的班次（班次开始时间：08:30、17:30）'],
    ['unknown person without phone', [[3, 4, '赵六'], [3, 5, '']], '第 3 行：值班员「赵六」不是本单位账号，请填写其电话'],
    ['no officer', [[3, 4, '']], '第 3 行：值班员不能为空'],
    ['no leader', [[3, 6, '']], '第 3 行：带班领导不能为空'],
    ['phones do not match the officers', [[4, 5, '13700000000']], '第 4 行：值班员有 2 人，电话有 1 个，请用「、」分隔并一一对应'],
    ['bad phone', [[3, 5, 'abc']], '第 3 行：值班员「新城区值班员」的电话「abc」格式不正确'],
    ['same shift twice', [[4, 1, '2026-11-01'], [4, 3, '08:30']], '第 4 行：与第 3 行是同一班次'],
    ['two problems in one row', [[3, 3, '09:00'], [3, 4, '']], '第 3 行：本单位没有 09:00 开始的班次（班次开始时间：08:30、17:30）；值班员不能为空'],
  ] as [string, [number, number, string][], string][])('reports %s', async (_name, cells, message) => {
    const r = await parseRosterWorkbook(await edited(cells), unit, ['08:30', '17:30'], people);
    expect(r.errors.map((e) => e.message)).toEqual([message]);
    expect(r.slots).toHaveLength(4); // the other rows stay valid
  });

  it('accepts dates and times typed the usual ways, and refuses another unit\'s sheet', async () => {
    const r = await parseRosterWorkbook(await edited([[3, 1, '2026/11/1'], [3, 3, '8:30']]), unit, ['08:30', '17:30'], people);
    expect(r.errors).toEqual([]);
    const other = await parseRosterWorkbook(await sheet(), { code: '150103', name: '回民区' }, ['08:30', '17:30'], people);
    expect(other.errors[0]!.message).toBe('这是单位 150102 的值班表，不能导入到回民区');
    const junk = await parseRosterWorkbook(Buffer.from('not a workbook'), unit, ['08:30'], people);
    expect(junk.errors[0]!.message).toMatch(/无法读取文件/);
  });
});
