/**
 * Official documents (公文) after GB/T 9704-2012 《党政机关公文格式》, one model for every printable paper the
 * product issues (the ranking bulletin 政务信息工作通报, the 报送单 of an urgent report …), rendered as Word here
 * and as PDF by officialPdf.ts from the same model, so both carry the same text and numbers.
 *
 * The layout the standard fixes: A4, 版心 156 × 225 mm (top 37 mm, left 28 mm); 版头 with the marks (密级,
 * 紧急程度) top left, the issuing office's mark (发文机关标志) in red 35 mm below the top of the 版心, 发文字号
 * two lines below it (签发人 on the right for upward documents), a red rule 4 mm below; the title in 2号小标宋
 * (22 pt) two lines below the rule; the 主送机关 flush left; the body in 3号仿宋 (16 pt), 22 lines a page,
 * paragraphs indented two characters, first-level headings in 黑体; the signature and date four characters
 * from the right; the 版记 (抄送, 印发机关 and 印发日期) between thick and thin rules; page numbers in 4号
 * (14 pt) as "— 1 —", odd pages on the right and even on the left, one character in.
 * The standard's fonts (方正小标宋简体, 仿宋_GB2312, 黑体) are named in the .docx; the PDF embeds Noto Sans SC.
 * A 简报 (an issue of an information publication) is the same model in its own shape: the masthead as the
 * issuer's mark, 第N期 for the 发文字号, the 编发单位 and date on the line over the red rule (`issuedBy`), no
 * document title, items as `title` / `para` / `source` blocks, and 报 / 送 / 发 lines in the 版记 (`distribution`).
 */
import { AlignmentType, BorderStyle, Document, Footer, LineRuleType, Packer, PageNumber, Paragraph, Table, TableCell, TableRow, TabStopType, TextRun, VerticalAlign, WidthType } from 'docx';

export type Block =
  | { kind: 'heading'; text: string }
  | { kind: 'para'; text: string }
  /** A 简报 item's title: centred, 小标宋 小二 (18 pt). */
  | { kind: 'title'; text: string }
  /** A 简报 item's source, right-aligned: （新城区）. */
  | { kind: 'source'; text: string }
  /** A table in 五号 (10.5 pt); `widths` in mm summing to the 版心's 156; no header row for a form (报送单). */
  | { kind: 'table'; header: string[] | null; rows: string[][]; widths: number[] };

export interface OfficialDoc {
  /** 密级 and 紧急程度 (e.g. 内部, 特急), top left of the first page. */
  marks: string[];
  /** 发文机关标志, printed red: 内蒙古自治区政务信息工作通报. */
  issuer: string;
  /** 发文字号: 内政信通〔2037〕1号; null on a draft. */
  docNumber: string | null;
  /** 签发人 of an upward document (上行文), right of the 发文字号. */
  signer?: string | null;
  /** 简报: the 编发单位 left and the date right on the line over the red rule (签发人 before the date when set). */
  issuedBy?: { office: string; date: string } | null;
  /** null for a 简报: its items carry the titles. */
  title: string | null;
  /** 主送机关 without the colon: 各盟市、各处室. */
  addressee?: string | null;
  blocks: Block[];
  /** 发文机关署名 and 成文日期 (Chinese form, 2037年6月1日). */
  signature: { office: string; date: string } | null;
  /** 版记: 报 / 送 / 发 lines of a 简报 (before 抄送); empty groups are left out. */
  distribution?: { label: string; units: string[] }[];
  cc: string[];
  printer: { office: string; date: string };
}

export const MM = 72 / 25.4;
/** GB/T 9704 page: A4 with the 版心 156 × 225 mm. */
export const PAGE_MM = { width: 210, height: 297, top: 37, bottom: 35, left: 28, right: 26 };
/** Sizes in points: 2号 22, 3号 16, 4号 14, 五号 10.5; 22 lines in 225 mm. */
export const SIZE = { title: 22, itemTitle: 18, body: 16, foot: 14, table: 10.5, line: (225 * MM) / 22 };
/** The issuing office's mark: as large as fits the 版心 on one line, at most 36 pt. */
export const issuerSize = (issuer: string) => Math.min(36, Math.floor(((156 * MM) / [...issuer].length) * 0.92));
export const RED = 'C00000';
/** The 版记's lines above the 印发 line: 报 / 送 / 发 (a 简报), then 抄送. */
export const footLines = (d: OfficialDoc): string[] => [
  ...(d.distribution ?? []).filter((l) => l.units.length).map((l) => `${l.label}：${l.units.join('，')}。`),
  ...(d.cc.length ? [`抄送：${d.cc.join('，')}。`] : []),
];
/** The text on the right of a 简报's 编发 line. */
export const issuedByRight = (d: OfficialDoc) => (d.issuedBy ? `${d.signer ? `签发人：${d.signer}\u3000` : ''}${d.issuedBy.date}` : '');
export const metaTitle = (d: OfficialDoc) => d.title ?? [d.issuer, d.docNumber].filter(Boolean).join(' ');

const FONT_TITLE = { ascii: 'SimSun', eastAsia: '方正小标宋简体', hAnsi: 'SimSun' };
const FONT_BODY = { ascii: 'FangSong', eastAsia: '仿宋_GB2312', hAnsi: 'FangSong' };
const FONT_HEAD = { ascii: 'SimHei', eastAsia: '黑体', hAnsi: 'SimHei' };
const FONT_PAGE = { ascii: 'SimSun', eastAsia: '宋体', hAnsi: 'SimSun' };
const TW = 1440 / 25.4; // twips per mm
const tw = (mm: number) => Math.round(mm * TW);
const half = (pt: number) => Math.round(pt * 2);
const exact = (pt: number) => ({ line: Math.round(pt * 20), lineRule: LineRuleType.EXACT });
const BODY_LINE = exact(SIZE.line);

const run = (text: string, font: typeof FONT_BODY, pt: number, extra: { color?: string; bold?: boolean } = {}) => new TextRun({ text, font, size: half(pt), ...extra });
const rule = (color: string, eighths: number) => ({ color, space: 1, style: BorderStyle.SINGLE, size: eighths });

function table(b: Extract<Block, { kind: 'table' }>): Table {
  const cell = (text: string, width: number, head: boolean) =>
    new TableCell({
      width: { size: tw(width), type: WidthType.DXA },
      verticalAlign: VerticalAlign.CENTER,
      children: [new Paragraph({ alignment: b.header || head ? AlignmentType.CENTER : AlignmentType.LEFT, children: [run(text, head ? FONT_HEAD : FONT_BODY, SIZE.table)] })],
    });
  const rows = [
    ...(b.header ? [new TableRow({ tableHeader: true, children: b.header.map((h, i) => cell(h, b.widths[i]!, true)) })] : []),
    // A form's first column holds the labels (报送单): 黑体 like a header.
    ...b.rows.map((r) => new TableRow({ cantSplit: true, children: r.map((x, i) => cell(x, b.widths[i]!, !b.header && i % 2 === 0 && r.length > 1)) })),
  ];
  return new Table({ width: { size: tw(156), type: WidthType.DXA }, columnWidths: b.widths.map(tw), rows });
}

function footer(side: 'odd' | 'even'): Footer {
  // 一字线 either side of the number; one character (14 pt) in from the 版心's edge.
  return new Footer({
    children: [
      new Paragraph({
        alignment: side === 'odd' ? AlignmentType.RIGHT : AlignmentType.LEFT,
        indent: side === 'odd' ? { right: 280 } : { left: 280 },
        children: [new TextRun({ font: FONT_PAGE, size: half(SIZE.foot), children: ['— ', PageNumber.CURRENT, ' —'] })],
      }),
    ],
  });
}

export function officialDocument(d: OfficialDoc): Document {
  const children: (Paragraph | Table)[] = [];
  for (const m of d.marks) children.push(new Paragraph({ spacing: BODY_LINE, children: [run(m, FONT_HEAD, SIZE.body)] }));
  const issuerPt = issuerSize(d.issuer);
  children.push(
    new Paragraph({
      alignment: AlignmentType.CENTER,
      // 35 mm from the top of the 版心 to the mark, less the lines the marks took.
      spacing: { before: Math.max(0, tw(35) - d.marks.length * Math.round(SIZE.line * 20)), after: Math.round(SIZE.line * 20 * 2) },
      children: [run(d.issuer, FONT_TITLE, issuerPt, { color: RED, bold: true })],
    }),
  );
  // 发文字号 (centred; left with 签发人 on the right for an upward document), the red rule 4 mm below; a 简报's
  // 期号 is centred and the rule goes under its 编发 line instead.
  const upward = !!d.signer && !d.issuedBy;
  const numberRuns = upward ? [run(d.docNumber ?? '', FONT_BODY, SIZE.body), run(`\t签发人：${d.signer}`, FONT_BODY, SIZE.body)] : [run(d.docNumber ?? '', FONT_BODY, SIZE.body)];
  const redRule = { bottom: { ...rule(RED, 12), space: 11 } };
  children.push(
    new Paragraph({
      alignment: upward ? AlignmentType.LEFT : AlignmentType.CENTER,
      tabStops: upward ? [{ type: TabStopType.RIGHT, position: tw(156) }] : undefined,
      border: d.issuedBy ? undefined : redRule,
      spacing: { ...BODY_LINE, after: d.issuedBy ? 0 : Math.round(SIZE.line * 20 * 2) },
      children: numberRuns,
    }),
  );
  if (d.issuedBy) {
    children.push(
      new Paragraph({
        tabStops: [{ type: TabStopType.RIGHT, position: tw(156) }],
        border: redRule,
        spacing: { ...BODY_LINE, after: Math.round(SIZE.line * 20) },
        children: [run(d.issuedBy.office, FONT_BODY, SIZE.body), run(`\t${issuedByRight(d)}`, FONT_BODY, SIZE.body)],
      }),
    );
  }
  if (d.title) children.push(new Paragraph({ alignment: AlignmentType.CENTER, spacing: { line: Math.round(SIZE.title * 1.45 * 20), lineRule: LineRuleType.EXACT, after: Math.round(SIZE.line * 20) }, children: [run(d.title, FONT_TITLE, SIZE.title, { bold: true })] }));
  if (d.addressee) children.push(new Paragraph({ spacing: BODY_LINE, children: [run(`${d.addressee}：`, FONT_BODY, SIZE.body)] }));
  for (const b of d.blocks) {
    if (b.kind === 'table') {
      children.push(table(b), new Paragraph({ spacing: BODY_LINE, children: [] }));
    } else if (b.kind === 'title') {
      children.push(new Paragraph({ alignment: AlignmentType.CENTER, keepNext: true, spacing: { line: Math.round(SIZE.itemTitle * 1.6 * 20), lineRule: LineRuleType.EXACT, before: Math.round(SIZE.line * 20) }, children: [run(b.text, FONT_TITLE, SIZE.itemTitle, { bold: true })] }));
    } else if (b.kind === 'source') {
      children.push(new Paragraph({ alignment: AlignmentType.RIGHT, spacing: BODY_LINE, children: [run(b.text, FONT_BODY, SIZE.body)] }));
    } else {
      children.push(new Paragraph({ spacing: BODY_LINE, indent: { firstLine: 640 }, children: [run(b.text, b.kind === 'heading' ? FONT_HEAD : FONT_BODY, SIZE.body)] }));
    }
  }
  if (d.signature) {
    children.push(
      new Paragraph({ spacing: { ...BODY_LINE, before: Math.round(SIZE.line * 20 * 2) }, alignment: AlignmentType.RIGHT, indent: { right: 640 * 2 }, children: [run(d.signature.office, FONT_BODY, SIZE.body)] }),
      new Paragraph({ spacing: BODY_LINE, alignment: AlignmentType.RIGHT, indent: { right: 640 * 2 }, children: [run(d.signature.date, FONT_BODY, SIZE.body)] }),
    );
  }
  // 版记: thick first and last rules (0.35 mm), thin between (0.25 mm); one character in at either side.
  const thick = rule('000000', 8);
  const thin = rule('000000', 6);
  const lines = footLines(d);
  lines.forEach((text, i) =>
    children.push(new Paragraph({ spacing: { ...exact(SIZE.foot * 1.6), before: i ? 0 : 600 }, indent: { left: 280, right: 280 }, border: { ...(i ? {} : { top: thick }), bottom: thin }, children: [run(text, FONT_BODY, SIZE.foot)] })),
  );
  children.push(
    new Paragraph({
      spacing: { ...exact(SIZE.foot * 1.6), before: lines.length ? 0 : 600 },
      indent: { left: 280, right: 280 },
      tabStops: [{ type: TabStopType.RIGHT, position: tw(156) - 560 }],
      border: { ...(lines.length ? {} : { top: thick }), bottom: thick },
      children: [run(d.printer.office, FONT_BODY, SIZE.foot), run(`\t${d.printer.date}印发`, FONT_BODY, SIZE.foot)],
    }),
  );
  return new Document({
    creator: d.printer.office,
    title: metaTitle(d),
    evenAndOddHeaderAndFooters: true,
    styles: { default: { document: { run: { font: FONT_BODY, size: half(SIZE.body) } } } },
    sections: [
      {
        properties: { page: { size: { width: tw(PAGE_MM.width), height: tw(PAGE_MM.height) }, margin: { top: tw(PAGE_MM.top), bottom: tw(PAGE_MM.bottom), left: tw(PAGE_MM.left), right: tw(PAGE_MM.right), footer: tw(23) } } },
        footers: { default: footer('odd'), even: footer('even') },
        children,
      },
    ],
  });
}

export const officialDocx = (d: OfficialDoc): Promise<Buffer> => Packer.toBuffer(officialDocument(d));
