/**
 * Chinese text for server-side PDFs in the console's own font (Noto Sans SC from @fontsource, WOFF): the
 * 简体中文 file covers the ~8,000 common characters, Latin and punctuation; a rarer character (生僻字 in a
 * place or person's name) is taken from the numbered slice of the font that holds it, as a browser would.
 * pdfkit embeds only the glyphs used (subset), with a ToUnicode map, so the text can be searched and copied.
 * The files are unpacked to plain TrueType once per process (woff.ts) and kept in memory (~5 MB per weight).
 */
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import { woffToSfnt } from './woff.ts';

const require = createRequire(import.meta.url);
const DIR = path.dirname(require.resolve('@fontsource/noto-sans-sc/package.json'));
// pdfkit's own font parser (its dependency): used to ask which characters the main file has.
type Font = { hasGlyphForCodePoint(cp: number): boolean; glyphForCodePoint(cp: number): { id: number } };
const fontkit = createRequire(require.resolve('pdfkit'))('fontkit') as { create(b: Buffer): Font };

export type Weight = 400 | 700;
export interface Run {
  font: string;
  text: string;
}

const buffers = new Map<string, Buffer>();
const fileOf = (subset: string, w: Weight) => path.join(DIR, 'files', `noto-sans-sc-${subset}-${w}-normal.woff`);
function buffer(subset: string, w: Weight): Buffer {
  const key = `${subset}-${w}`;
  let b = buffers.get(key);
  if (!b) buffers.set(key, (b = woffToSfnt(fs.readFileSync(fileOf(subset, w)))));
  return b;
}

let main: Font | undefined;
const mainHas = (cp: number) => {
  main ??= fontkit.create(buffer('chinese-simplified', 400));
  return main.hasGlyphForCodePoint(cp) && main.glyphForCodePoint(cp).id !== 0;
};

/** unicode.json: each slice's unicode-range (e.g. "[12]": "U+4e00-4e5f,…"). */
let slices: { subset: string; ranges: [number, number][] }[] | undefined;
function sliceOf(cp: number): string | null {
  slices ??= Object.entries(JSON.parse(fs.readFileSync(path.join(DIR, 'unicode.json'), 'utf8')) as Record<string, string>).map(([k, v]) => ({
    subset: k.replace(/^\[(\d+)\]$/, '$1'),
    ranges: v.split(',').map((r) => {
      const [a, b] = r.trim().replace(/^U\+/i, '').split('-');
      return [parseInt(a!, 16), parseInt(b ?? a!, 16)] as [number, number];
    }),
  }));
  return slices.find((s) => s.ranges.some(([a, b]) => cp >= a && cp <= b))?.subset ?? null;
}

/** The text cut into runs, each with the registered font name that draws it. */
export function cjkRuns(text: string, w: Weight): Run[] {
  const out: Run[] = [];
  for (const ch of text) {
    const cp = ch.codePointAt(0)!;
    const subset = cp < 0x80 || mainHas(cp) ? 'chinese-simplified' : (sliceOf(cp) ?? 'chinese-simplified');
    const font = `noto-${subset}-${w}`;
    const last = out[out.length - 1];
    if (last?.font === font) last.text += ch;
    else out.push({ font, text: ch });
  }
  return out;
}

/** The font file a run's name refers to (registered with the document on first use). */
export function cjkFontData(font: string): Buffer {
  const m = /^noto-(.+)-(400|700)$/.exec(font);
  if (!m) throw new Error(`not a CJK font name: ${font}`);
  return buffer(m[1]!, Number(m[2]) as Weight);
}
