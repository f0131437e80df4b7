/**
 * The PDF of an official document (official.ts): the same model, laid out by us on pdfkit after GB/T 9704 —
 * the red 发文机关标志 35 mm into the 版心, 发文字号 and the red rule, the title, 主送机关, body and tables, the
 * signature four characters in from the right, the 版记 at the foot of the last page between its rules, and
 * "— n —" page numbers 7 mm below the 版心 (odd pages right, even left). Chinese in Noto Sans SC (cjkFont.ts).
 * A 简报 (official.ts) puts its 编发 line over the red rule and its 报 / 送 / 发 lines in the 版记.
 */
import PDFDocument from 'pdfkit';
import { footLines, issuedByRight, issuerSize, metaTitle, MM, PAGE_MM, SIZE, type Block, type OfficialDoc } from './official.ts';
import { lineCount, lineHeightOf, paragraph, type ParaOptions } from './pdfText.ts';

type Doc = InstanceType<typeof PDFDocument>;
const RED = '#C00000';
const MARGINS = { top: PAGE_MM.top * MM, bottom: PAGE_MM.bottom * MM, left: PAGE_MM.left * MM, right: PAGE_MM.right * MM };
const WIDTH = 156 * MM;
// 3号 on 22 lines a page.
const BODY: ParaOptions = { size: SIZE.body, lineGap: SIZE.line - SIZE.body * 1.45 };
const FOOT: ParaOptions = { size: SIZE.foot, lineGap: 4 };
const CELL: ParaOptions = { size: SIZE.table, lineGap: 1 };
const PAD = 1 * MM;

function hline(doc: Doc, y: number, color: string, width: number): void {
  doc.moveTo(MARGINS.left, y).lineTo(MARGINS.left + WIDTH, y).lineWidth(width).strokeColor(color).stroke();
}

function newPage(doc: Doc): void {
  doc.addPage();
  doc.y = MARGINS.top;
}

function table(doc: Doc, b: Extract<Block, { kind: 'table' }>): void {
  const widths = b.widths.map((w) => w * MM);
  const xs = widths.map((_, i) => MARGINS.left + widths.slice(0, i).reduce((s, w) => s + w, 0));
  const limit = () => doc.page.height - MARGINS.bottom;
  const drawRow = (cells: string[], head: boolean) => {
    const heights = cells.map((c, i) => lineCount(doc, c, { ...CELL, width: widths[i]! - 2 * PAD, weight: head ? 700 : 400 }) * lineHeightOf(CELL));
    const h = Math.max(lineHeightOf(CELL), ...heights) + 2 * PAD;
    if (doc.y + h > limit()) {
      newPage(doc);
      if (b.header && !head) drawRow(b.header, true); // the header again on each page (续表)
    }
    const y = doc.y;
    cells.forEach((c, i) => {
      const label = head || (!b.header && i % 2 === 0 && cells.length > 1);
      doc.y = y + PAD + (h - 2 * PAD - heights[i]!) / 2;
      const align = b.header || label ? 'center' : 'left';
      paragraph(doc, c, { ...CELL, x: xs[i]! + PAD, width: widths[i]! - 2 * PAD, weight: label ? 700 : 400, align });
    });
    doc.lineWidth(0.5).strokeColor('black');
    doc.moveTo(MARGINS.left, y).lineTo(MARGINS.left + WIDTH, y).stroke();
    doc.moveTo(MARGINS.left, y + h).lineTo(MARGINS.left + WIDTH, y + h).stroke();
    for (const x of [...xs, MARGINS.left + WIDTH]) doc.moveTo(x, y).lineTo(x, y + h).stroke();
    doc.y = y + h;
  };
  if (b.header) drawRow(b.header, true);
  for (const r of b.rows) drawRow(r, false);
  doc.y += SIZE.line / 2;
}

/** Height of the 版记: its lines of 4号 and the gaps around its rules. */
function footHeight(doc: Doc, d: OfficialDoc): number {
  const lines = footLines(d).reduce((n, text) => n + lineCount(doc, text, { ...FOOT, width: WIDTH - 2 * SIZE.foot }), 0);
  return (lines + 1) * lineHeightOf(FOOT) + (footLines(d).length + 2) * 6;
}

export function officialPdf(d: OfficialDoc): Promise<Buffer> {
  const doc = new PDFDocument({ size: 'A4', margins: { ...MARGINS }, bufferPages: true, info: { Title: metaTitle(d), Author: d.printer.office, Creator: d.printer.office }, lang: 'zh-CN' });
  const chunks: Buffer[] = [];
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('data', (c) => chunks.push(c));
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', (e) => reject(e ?? new Error('pdf failed')));
  });

  doc.y = MARGINS.top;
  for (const m of d.marks) paragraph(doc, m, { ...BODY, weight: 700 });
  // 发文机关标志: its top 35 mm below the top of the 版心.
  doc.y = Math.max(doc.y, MARGINS.top + 35 * MM);
  doc.fillColor(RED);
  paragraph(doc, d.issuer, { size: issuerSize(d.issuer), weight: 700, align: 'center' });
  doc.fillColor('black');
  doc.y += SIZE.line;
  const numberY = doc.y;
  const upward = !!d.signer && !d.issuedBy;
  if (upward) {
    paragraph(doc, d.docNumber ?? '', BODY);
    doc.y = numberY;
    paragraph(doc, `签发人：${d.signer}`, { ...BODY, align: 'right' });
  } else paragraph(doc, d.docNumber ?? '', { ...BODY, align: 'center' });
  // The red rule 4 mm below the 发文字号 (below a 简报's 编发 line).
  let ruleY = numberY + SIZE.body * 1.2 + 4 * MM;
  if (d.issuedBy) {
    const y = doc.y;
    paragraph(doc, d.issuedBy.office, BODY);
    doc.y = y;
    paragraph(doc, issuedByRight(d), { ...BODY, align: 'right' });
    ruleY = y + SIZE.body * 1.2 + 3 * MM;
  }
  hline(doc, ruleY, RED, 1.2);
  doc.y = ruleY + (d.title ? SIZE.line * 2 - SIZE.body : SIZE.line / 2);
  if (d.title) {
    paragraph(doc, d.title, { size: SIZE.title, weight: 700, align: 'center', lineGap: 4 });
    doc.y += SIZE.line / 2;
  }
  if (d.addressee) paragraph(doc, `${d.addressee}：`, BODY);

  for (const b of d.blocks) {
    if (b.kind === 'table') table(doc, b);
    else if (b.kind === 'title') {
      // A title is kept with the first lines of its item.
      if (doc.y + SIZE.itemTitle * 1.6 + 2 * SIZE.line > doc.page.height - MARGINS.bottom) newPage(doc);
      else doc.y += SIZE.line / 2;
      paragraph(doc, b.text, { size: SIZE.itemTitle, weight: 700, align: 'center', lineGap: 6 });
      doc.y += 4;
    } else if (b.kind === 'source') paragraph(doc, b.text, { ...BODY, align: 'right' });
    else paragraph(doc, b.text, { ...BODY, indent: 2 * SIZE.body, weight: b.kind === 'heading' ? 700 : 400 });
  }

  if (d.signature) {
    doc.y += SIZE.line;
    if (doc.y + 2 * SIZE.line > doc.page.height - MARGINS.bottom) newPage(doc);
    // 成文日期 four characters from the right; the office centred over it.
    const right = 4 * SIZE.body;
    const dateW = [...d.signature.date].length * SIZE.body;
    const officeW = [...d.signature.office].length * SIZE.body;
    const officeRight = Math.max(0, right + (dateW - officeW) / 2);
    paragraph(doc, d.signature.office, { ...BODY, align: 'right', rightIndent: officeRight });
    paragraph(doc, d.signature.date, { ...BODY, align: 'right', rightIndent: right });
  }

  // 版记 at the foot of the last page: thick first and last rules (0.35 mm), thin between (0.25 mm).
  const h = footHeight(doc, d);
  if (doc.y + SIZE.line + h > doc.page.height - MARGINS.bottom) newPage(doc);
  let y = doc.page.height - MARGINS.bottom - h;
  hline(doc, y, 'black', 0.35 * MM);
  y += 6;
  for (const text of footLines(d)) {
    doc.y = y;
    paragraph(doc, text, { ...FOOT, x: MARGINS.left + SIZE.foot, width: WIDTH - 2 * SIZE.foot });
    y = doc.y;
    hline(doc, y, 'black', 0.25 * MM);
    y += 6;
  }
  doc.y = y;
  paragraph(doc, d.printer.office, { ...FOOT, x: MARGINS.left + SIZE.foot, width: WIDTH - 2 * SIZE.foot });
  doc.y = y;
  paragraph(doc, `${d.printer.date}印发`, { ...FOOT, x: MARGINS.left + SIZE.foot, width: WIDTH - 2 * SIZE.foot, align: 'right' });
  hline(doc, doc.y, 'black', 0.35 * MM);

  // "— n —" 7 mm below the 版心: odd pages right, even pages left, one character in.
  const { count } = doc.bufferedPageRange();
  for (let i = 0; i < count; i++) {
    doc.switchToPage(i);
    const bottom = doc.page.margins.bottom;
    doc.page.margins.bottom = 0; // drawing below the 版心 must not start a new page
    doc.y = doc.page.height - MARGINS.bottom + 7 * MM;
    const odd = (i + 1) % 2 === 1;
    paragraph(doc, `— ${i + 1} —`, { size: SIZE.foot, x: MARGINS.left + (odd ? 0 : SIZE.foot), width: WIDTH - SIZE.foot, align: odd ? 'right' : 'left' });
    doc.page.margins.bottom = bottom;
  }
  doc.end();
  return done;
}
