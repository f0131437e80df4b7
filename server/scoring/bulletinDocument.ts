/**
 * The ranking bulletin (政务信息工作通报) as an official document (documents/official.ts): the same numbers as the
 * screen and the Excel — one table for the divisions below, one for the office's departments, the urgent-report
 * timeliness, 优秀信息员, the yearly award lists — and every score line as the 附件, so each number traces back.
 */
import { RANK_GROUPS, type BulletinDto, type RankGroup } from '../../contract/scoring.ts';
import type { Block, OfficialDoc } from '../documents/official.ts';

const NUMBERS = '一二三四五六七八九十';
const HEADER = ['名次', '单位', '报送', '采用', '采用率', '得分', '变化', '约稿', '迟报', '漏报'];
/** mm, summing to the 版心's 156. */
const WIDTHS = [11, 46, 10, 10, 14, 12, 11, 14, 14, 14];
export const changeText = (c: number | null) => (c === null ? '—' : c > 0 ? `↑${c}` : c < 0 ? `↓${-c}` : '—');

/** The cells of one unit's row: what the Word and PDF tables show (and the tests compare with the API). */
export const rowCells = (r: BulletinDto['rows'][number]) => [
  String(r.rank),
  r.unitName,
  String(r.submitted),
  String(r.adopted),
  `${r.adoptionRate}%`,
  String(r.points),
  changeText(r.change),
  `${r.requests.onTime + r.requests.late}/${r.requests.asked}`,
  String(r.timeliness.late + r.timeliness.missing),
  String(r.timeliness.demanded),
];

/** The bulletin's tables: divisions (盟市 below the region, 旗县（市、区） below a city), then departments (处室). */
export function groupTables(b: BulletinDto, officeLevel: number): { group: RankGroup; heading: string; rows: BulletinDto['rows'] }[] {
  const heading = { division: officeLevel === 1 ? '各盟市' : '各旗县（市、区）', department: '各处室（内设机构）' } as const;
  return RANK_GROUPS.map((g) => ({ group: g, heading: heading[g], rows: b.rows.filter((r) => r.group === g) })).filter((t) => t.rows.length);
}

export function bulletinDocument(b: BulletinDto, office: { level: number; parentName: string | null; date: string }): OfficialDoc {
  const tables = groupTables(b, office.level);
  let n = 0;
  const heading = (text: string): Block => ({ kind: 'heading', text: `${NUMBERS[n++]}、${text}` });
  const blocks: Block[] = [{ kind: 'para', text: `现将${b.label}${tables.map((t) => t.heading).join('和')}政务信息报送、采用、计分及排名情况通报如下。` }];
  for (const t of tables) blocks.push(heading(`${t.heading}报送、采用、得分及排名`), { kind: 'table', header: HEADER, rows: t.rows.map(rowCells), widths: WIDTHS });
  const late = b.rows.reduce((s, r) => s + r.timeliness.late, 0);
  const missing = b.rows.reduce((s, r) => s + r.timeliness.missing, 0);
  const demanded = b.rows.reduce((s, r) => s + r.timeliness.demanded, 0);
  const named = (f: (r: BulletinDto['rows'][number]) => number) => b.rows.filter((r) => f(r) > 0).map((r) => `${r.unitName}${f(r)}次`).join('、');
  blocks.push(
    heading('紧急重大信息报送情况'),
    { kind: 'para', text: late + missing + demanded ? `本期迟报${late}次${late ? `（${named((r) => r.timeliness.late)}）` : ''}，超时未报${missing}次${missing ? `（${named((r) => r.timeliness.missing)}）` : ''}，漏报${demanded}次${demanded ? `（${named((r) => r.timeliness.demanded)}）` : ''}。` : '本期无迟报、漏报。' },
    heading('优秀信息员'),
    { kind: 'para', text: b.people.length ? b.people.slice(0, 10).map((p) => `${p.name}（${p.unitName}，${p.points}分）`).join('；') + '。' : '本期无。' },
  );
  if (b.awards) {
    blocks.push(heading('年度考核评比'), { kind: 'para', text: `先进单位：${b.awards.units.join('、') || '无'}。` });
    if (b.awards.departments.length) blocks.push({ kind: 'para', text: `先进处室：${b.awards.departments.join('、')}。` });
    blocks.push({ kind: 'para', text: `优秀信息员：${b.awards.people.join('、') || '无'}。` });
  }
  const unitName = (code: string) => b.rows.find((r) => r.unitCode === code)?.unitName ?? code;
  blocks.push({ kind: 'heading', text: '附件：计分明细' }, ...b.lines.map((l): Block => ({ kind: 'para', text: `${unitName(l.unitCode)}：${l.text}` })));
  const addressee = tables.map((t) => t.heading).join('、');
  return {
    marks: b.state === 'draft' ? ['草稿'] : [],
    issuer: `${b.officeName}政务信息工作通报`,
    docNumber: b.docNumber,
    title: `${b.label}政务信息报送情况通报`,
    addressee,
    blocks,
    signature: { office: b.officeName, date: office.date },
    cc: [...(office.parentName ? [office.parentName] : []), `${b.officeName}领导班子成员`],
    printer: { office: b.officeName, date: office.date },
  };
}
