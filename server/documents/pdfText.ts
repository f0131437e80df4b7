/**
 * Paragraph layout for Chinese PDFs: lines broken by us, not by pdfkit, because one line may need several
 * fonts (a rarer character comes from another slice of Noto Sans SC) and pdfkit's `continued` text loses
 * alignment and order across font changes. Chinese breaks between any two characters, except that closing
 * punctuation never starts a line (避头) and a Latin word or number stays whole; each line is drawn as
 * fragments on one baseline, so text extraction reads it in order.
 */
import type PDFDocument from 'pdfkit';
import { cjkFontData, cjkRuns, type Weight } from './cjkFont.ts';

type Doc = InstanceType<typeof PDFDocument>;
export interface ParaOptions {
  size: number;
  weight?: Weight;
  align?: 'left' | 'center' | 'right';
  /** First-line indent in points (首行缩进). */
  indent?: number;
  /** Extra space between lines, in points. */
  lineGap?: number;
  /** Extra space between characters, in points (the masthead is spaced out). */
  spacing?: number;
  /** A box narrower than the page (a table cell): its left edge and width in points. */
  x?: number;
  width?: number;
  /** Space kept free at the right (署名 four characters in). */
  rightIndent?: number;
}

const NO_LINE_START = /^[，。、；：？！）》」』”’…—·%,.;:?!)\]]/;
interface Token {
  font: string;
  text: string;
  width: number;
}

/** Fonts already registered with each document (pdfkit wants each once). */
const registered = new WeakMap<Doc, Set<string>>();
function use(doc: Doc, font: string, size: number): Doc {
  let set = registered.get(doc);
  if (!set) registered.set(doc, (set = new Set()));
  if (!set.has(font)) {
    doc.registerFont(font, cjkFontData(font));
    set.add(font);
  }
  return doc.font(font).fontSize(size);
}

function tokens(doc: Doc, text: string, o: ParaOptions): Token[] {
  const out: Token[] = [];
  for (const run of cjkRuns(text, o.weight ?? 400)) {
    use(doc, run.font, o.size);
    // A Latin word or a number is one token; every other character is its own.
    for (const piece of run.text.match(/[A-Za-z0-9.,%\-+/]+|[\s\S]/gu) ?? []) {
      out.push({ font: run.font, text: piece, width: doc.widthOfString(piece) + (o.spacing ?? 0) * [...piece].length });
    }
  }
  return out;
}

function lines(toks: Token[], width: number, indent: number): Token[][] {
  const out: Token[][] = [];
  let line: Token[] = [];
  let used = indent;
  for (const t of toks) {
    if (line.length && used + t.width > width && !NO_LINE_START.test(t.text)) {
      out.push(line);
      line = [];
      used = 0;
    }
    if (!line.length && out.length && t.text === ' ') continue; // no leading space on a wrapped line
    line.push(t);
    used += t.width;
  }
  if (line.length) out.push(line);
  return out;
}

export const lineHeightOf = (o: ParaOptions) => o.size * 1.45 + (o.lineGap ?? 0);

function box(doc: Doc, o: ParaOptions): { left: number; width: number } {
  const { left, right } = doc.page.margins;
  return { left: o.x ?? left, width: (o.width ?? doc.page.width - left - right) - (o.rightIndent ?? 0) };
}

/** How many lines the paragraph takes (a table row's height is its tallest cell's). */
export function lineCount(doc: Doc, text: string, o: ParaOptions): number {
  return lines(tokens(doc, text, o), box(doc, o).width, o.indent ?? 0).length;
}

/** Writes one paragraph at doc.y between the page margins (or in o's box), adding pages as needed; doc.y ends below it. */
export function paragraph(doc: Doc, text: string, o: ParaOptions): void {
  const { top, bottom } = doc.page.margins;
  const { left, width } = box(doc, o);
  const indent = o.indent ?? 0;
  const lineHeight = lineHeightOf(o);
  for (const [i, line] of lines(tokens(doc, text, o), width, indent).entries()) {
    if (doc.y + lineHeight > doc.page.height - bottom) {
      doc.addPage();
      doc.y = top;
    }
    const y = doc.y;
    const w = line.reduce((s, t) => s + t.width, 0) + (i === 0 ? indent : 0);
    let x = left + (o.align === 'center' ? (width - w) / 2 : o.align === 'right' ? width - w : 0) + (i === 0 ? indent : 0);
    // Consecutive tokens of one font are drawn as one fragment.
    for (let k = 0; k < line.length; ) {
      let j = k;
      let str = '';
      let fw = 0;
      for (; j < line.length && line[j]!.font === line[k]!.font; j++) {
        str += line[j]!.text;
        fw += line[j]!.width;
      }
      use(doc, line[k]!.font, o.size).text(str, x, y, { lineBreak: false, characterSpacing: o.spacing ?? 0 });
      x += fw;
      k = j;
    }
    doc.y = y + lineHeight;
  }
  doc.x = doc.page.margins.left;
}

