/**
 * Word (.docx) of a ranking bulletin (政务信息工作通报): the red masthead like the other bulletins, a table of
 * the units with rank and change, the 优秀信息员 list, the award lists of a yearly assessment, and the score
 * lines (every number traced back to an item and a rule) as an appendix.
 */
import { AlignmentType, BorderStyle, Document, Packer, Paragraph, Table, TableCell, TableRow, TextRun, WidthType } from 'docx';

export interface RankingInput {
  masthead: string;
  office: string;
  date: string;
  title: string;
  /** One table per group: the divisions below (盟市 / 旗县), then the office's own departments (处室). */
  tables: { heading: string; rows: RankingRow[] }[];
  people: string[];
  awards: { units: string[]; departments: string[]; people: string[] } | null;
  lines: string[];
}

export interface RankingRow {
  rank: number;
  unit: string;
  submitted: number;
  adopted: number;
  rate: string;
  points: number;
  change: string;
  requests: string;
  late: number;
  demanded: number;
}

const RED = 'C00000';
const NUMBERS = '一二三四五六七八九十';
const FONT_TITLE = { ascii: 'SimSun', eastAsia: '方正小标宋简体', hAnsi: 'SimSun' };
const FONT_BODY = { ascii: 'FangSong', eastAsia: '仿宋_GB2312', hAnsi: 'FangSong' };
const FONT_HEAD = { ascii: 'SimHei', eastAsia: '黑体', hAnsi: 'SimHei' };

const p = (text: string, opts: { head?: boolean; size?: number; center?: boolean } = {}) =>
  new Paragraph({ alignment: opts.center ? AlignmentType.CENTER : undefined, spacing: { line: 400 }, children: [new TextRun({ text, font: opts.head ? FONT_HEAD : FONT_BODY, size: opts.size ?? 28 })] });
const cell = (text: string, head = false) => new TableCell({ children: [p(text, { head, size: 22, center: true })] });

export function rankingDocument(b: RankingInput): Document {
  const header = ['名次', '单位', '报送', '采用', '采用率', '得分', '变化', '约稿', '迟报', '漏报'];
  const table = (rows: RankingRow[]) =>
    new Table({
      width: { size: 100, type: WidthType.PERCENTAGE },
      rows: [
        new TableRow({ tableHeader: true, children: header.map((h) => cell(h, true)) }),
        ...rows.map((r) => new TableRow({ children: [String(r.rank), r.unit, String(r.submitted), String(r.adopted), r.rate, String(r.points), r.change, r.requests, String(r.late), String(r.demanded)].map((x) => cell(x)) })),
      ],
    });
  let n = 0;
  const heading = (text: string) => p(`${NUMBERS[n++]}、${text}`, { head: true, size: 30 });
  const children: (Paragraph | Table)[] = [
    new Paragraph({ alignment: AlignmentType.CENTER, spacing: { before: 400, after: 200 }, children: [new TextRun({ text: b.masthead, font: FONT_TITLE, size: 80, color: RED, bold: true })] }),
    new Paragraph({ border: { bottom: { color: RED, space: 4, style: BorderStyle.SINGLE, size: 24 } }, spacing: { after: 300 }, children: [new TextRun({ text: `${b.office}\u3000${b.date}`, font: FONT_BODY, size: 28 })] }),
    new Paragraph({ alignment: AlignmentType.CENTER, spacing: { after: 300 }, children: [new TextRun({ text: b.title, font: FONT_TITLE, size: 36, bold: true })] }),
    ...b.tables.flatMap((t) => [heading(t.heading), table(t.rows)]),
    heading('优秀信息员'),
    ...(b.people.length ? b.people.map((x) => p(x)) : [p('无')]),
  ];
  if (b.awards) {
    children.push(heading('年度考核评比'), p(`先进单位：${b.awards.units.join('、') || '无'}`));
    if (b.awards.departments.length) children.push(p(`先进处室：${b.awards.departments.join('、')}`));
    children.push(p(`优秀信息员：${b.awards.people.join('、') || '无'}`));
  }
  children.push(p('附：计分明细', { head: true, size: 30 }), ...b.lines.map((l) => p(l, { size: 24 })));
  return new Document({ creator: b.office, title: b.title, sections: [{ properties: { page: { margin: { top: 1800, bottom: 1600, left: 1400, right: 1400 } } }, children }] });
}

export const rankingDocx = (b: RankingInput): Promise<Buffer> => Packer.toBuffer(rankingDocument(b));
