/**
 * The bulletin (简报/信息刊物) as PDF, shaped like the Word one (bulletin.ts): red masthead (红头), issue
 * number, issuing office with 签发人 and date over a thick red rule, the items each with its source unit,
 * and the 发送/抄送 lines and 印发 line between thin rules at the end. A4, Chinese in Noto Sans SC (cjkFont.ts).
 */
import PDFDocument from 'pdfkit';
import type { BulletinInput } from './bulletin.ts';
import { paragraph, twoSided } from './pdfText.ts';

const RED = '#C00000';
const MM = 72 / 25.4;
// GB/T 9704 公文 page: A4 with 37 mm top, 35 mm bottom, 28 mm left, 26 mm right.
const MARGINS = { top: 37 * MM, bottom: 35 * MM, left: 28 * MM, right: 26 * MM };

type Doc = InstanceType<typeof PDFDocument>;

function rule(doc: Doc, color: string, width: number, gap = 4): void {
  const { left, right } = doc.page.margins;
  doc.y += gap;
  doc.moveTo(left, doc.y).lineTo(doc.page.width - right, doc.y).lineWidth(width).strokeColor(color).stroke();
  doc.y += gap + width;
}

export function bulletinPdf(b: BulletinInput): Promise<Buffer> {
  const doc = new PDFDocument({ size: 'A4', margins: MARGINS, info: { Title: `${b.masthead} ${b.issueLabel}`, Author: b.office, Creator: b.office }, lang: 'zh-CN' });
  const chunks: Buffer[] = [];
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('data', (c) => chunks.push(c));
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', (e) => reject(e ?? new Error('pdf failed')));
  });

  if (b.classificationMark) paragraph(doc, b.classificationMark, { size: 16, weight: 700 });
  doc.fillColor(RED);
  paragraph(doc, b.masthead, { size: 40, weight: 700, align: 'center', spacing: 6 });
  doc.fillColor('black');
  paragraph(doc, `（${b.issueLabel}）`, { size: 16, align: 'center' });
  doc.y += 8;
  twoSided(doc, b.office, `签发人：${b.signer}\u3000${b.date}`, 15);
  rule(doc, RED, 2.5, 2);

  for (const it of b.items) {
    doc.y += 14;
    paragraph(doc, it.title, { size: 18, weight: 700, align: 'center' });
    doc.y += 6;
    for (const p of it.body.split(/\n+/).map((s) => s.trim()).filter(Boolean)) paragraph(doc, p, { size: 16, indent: 32, lineGap: 6 });
    paragraph(doc, `（${it.source}）`, { size: 15, align: 'right' });
  }

  // The 版记 at the end: 发送 / 抄送 and the 印发 line between thin rules, kept together on one page.
  doc.y += 24;
  const lineOf = (size: number) => size * 1.45 + 12;
  const footHeight = lineOf(14) * (3 + Math.ceil((b.sendTo.join('、').length + b.cc.join('、').length) / 28));
  if (doc.y + footHeight > doc.page.height - MARGINS.bottom) {
    doc.addPage();
    doc.y = MARGINS.top;
  }
  rule(doc, 'black', 0.8);
  paragraph(doc, `发送：${b.sendTo.join('、') || '—'}`, { size: 14 });
  if (b.cc.length) {
    rule(doc, 'black', 0.5);
    paragraph(doc, `抄送：${b.cc.join('、')}`, { size: 14 });
  }
  rule(doc, 'black', 0.5);
  twoSided(doc, b.office, `${b.date}印发`, 14);
  rule(doc, 'black', 0.8);
  doc.end();
  return done;
}
