/**
 * Word (.docx) documents shaped like a government bulletin (简报/信息刊物): the red masthead (红头) with the
 * publication's name, the issue number, the issuing office, 签发人 and date over a red rule, the items each
 * with its source unit, and the 发送/抄送 lines at the foot. Reusable for any publication-like document
 * (part 2's monthly bulletins go through here too).
 */
import { AlignmentType, BorderStyle, Document, Packer, Paragraph, TabStopType, TextRun } from 'docx';

export interface BulletinInput {
  /** The masthead, e.g. 政务信息 (printed large and red). */
  masthead: string;
  /** 2026年第12期 */
  issueLabel: string;
  office: string;
  signer: string;
  /** Chinese form, e.g. 2026年12月1日. */
  date: string;
  /** 密级 mark printed top left when above 公开 (e.g. 内部). */
  classificationMark?: string;
  items: { title: string; body: string; source: string }[];
  sendTo: string[];
  cc: string[];
}

const RED = 'C00000';
const FONT_TITLE = { ascii: 'SimSun', eastAsia: '方正小标宋简体', hAnsi: 'SimSun' };
const FONT_BODY = { ascii: 'FangSong', eastAsia: '仿宋_GB2312', hAnsi: 'FangSong' };
const FONT_HEAD = { ascii: 'SimHei', eastAsia: '黑体', hAnsi: 'SimHei' };
const redRule = { bottom: { color: RED, space: 4, style: BorderStyle.SINGLE, size: 24 } };
const thinRule = { top: { color: '000000', space: 2, style: BorderStyle.SINGLE, size: 6 }, bottom: { color: '000000', space: 2, style: BorderStyle.SINGLE, size: 6 } };

const body = (text: string) =>
  text
    .split(/\n+/)
    .map((p) => p.trim())
    .filter(Boolean)
    .map((p) => new Paragraph({ indent: { firstLine: 640 }, spacing: { line: 560 }, children: [new TextRun({ text: p, font: FONT_BODY, size: 32 })] }));

export function bulletinDocument(b: BulletinInput): Document {
  const children: Paragraph[] = [];
  if (b.classificationMark) children.push(new Paragraph({ children: [new TextRun({ text: b.classificationMark, font: FONT_HEAD, size: 32 })] }));
  children.push(
    new Paragraph({ alignment: AlignmentType.CENTER, spacing: { before: 400, after: 200 }, children: [new TextRun({ text: b.masthead, font: FONT_TITLE, size: 96, color: RED, bold: true })] }),
    new Paragraph({ alignment: AlignmentType.CENTER, spacing: { after: 200 }, children: [new TextRun({ text: `（${b.issueLabel}）`, font: FONT_BODY, size: 32 })] }),
    new Paragraph({
      border: redRule,
      tabStops: [{ type: TabStopType.RIGHT, position: 9000 }],
      spacing: { after: 400 },
      children: [new TextRun({ text: b.office, font: FONT_BODY, size: 30 }), new TextRun({ text: `\t签发人：${b.signer}\u3000${b.date}`, font: FONT_BODY, size: 30 })],
    }),
  );
  for (const it of b.items) {
    children.push(new Paragraph({ alignment: AlignmentType.CENTER, spacing: { before: 300, after: 200 }, children: [new TextRun({ text: it.title, font: FONT_TITLE, size: 36, bold: true })] }));
    children.push(...body(it.body));
    children.push(new Paragraph({ alignment: AlignmentType.RIGHT, spacing: { after: 300 }, children: [new TextRun({ text: `（${it.source}）`, font: FONT_BODY, size: 30 })] }));
  }
  children.push(new Paragraph({ border: thinRule, spacing: { before: 600 }, children: [new TextRun({ text: `发送：${b.sendTo.join('、') || '—'}`, font: FONT_BODY, size: 28 })] }));
  if (b.cc.length) children.push(new Paragraph({ border: { bottom: thinRule.bottom }, children: [new TextRun({ text: `抄送：${b.cc.join('、')}`, font: FONT_BODY, size: 28 })] }));
  children.push(
    new Paragraph({
      tabStops: [{ type: TabStopType.RIGHT, position: 9000 }],
      border: { bottom: thinRule.bottom },
      children: [new TextRun({ text: `${b.office}`, font: FONT_BODY, size: 28 }), new TextRun({ text: `\t${b.date}印发`, font: FONT_BODY, size: 28 })],
    }),
  );
  return new Document({
    creator: b.office,
    title: `${b.masthead} ${b.issueLabel}`,
    sections: [{ properties: { page: { margin: { top: 2000, bottom: 1800, left: 1580, right: 1480 } } }, children }],
  });
}

export const bulletinDocx = (b: BulletinInput): Promise<Buffer> => Packer.toBuffer(bulletinDocument(b));
