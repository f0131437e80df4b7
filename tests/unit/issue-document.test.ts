/**
 * An information issue (简报) through the documents module: 报 / 送 / 发 by where each unit sits from the office;
 * the Word and the PDF (read back as a reader's search would: the document XML's text, poppler's pdftotext) hold
 * the red masthead, 第N期, the 编发单位 with 签发人 and the Chinese date, every item's title, body and source in
 * the issue's order, the 报 / 送 / 发 lines, "— n —" on every page, in the embedded Noto Sans SC.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import JSZip from 'jszip';
import { describe, expect, it } from 'vitest';
import type { IssueDto } from '../../contract/information.ts';
import { officialDocx } from '../../server/documents/official.ts';
import { officialPdf } from '../../server/documents/officialPdf.ts';
import { distributionOf, issueDocument, type IssueTree } from '../../server/information/issueDocument.ts';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tl-issue-'));
const flat = (s: string) => s.replace(/\s+/g, '');
function readPdf(pdf: Buffer, name: string): { pages: string[]; text: string; fonts: string } {
  const file = path.join(dir, `${name}.pdf`);
  fs.writeFileSync(file, pdf);
  const raw = execFileSync('pdftotext', ['-layout', '-enc', 'UTF-8', file, '-'], { encoding: 'utf8' });
  return { pages: raw.split('\f').filter((p) => p.trim()), text: flat(raw), fonts: execFileSync('pdffonts', [file], { encoding: 'utf8' }) };
}
/** The Word's text as read: every run of document.xml in order. */
async function docxText(docx: Buffer): Promise<string> {
  const xml = await (await JSZip.loadAsync(docx)).file('word/document.xml')!.async('string');
  return flat([...xml.matchAll(/<w:t(?: [^>]*)?>([^<]*)<\/w:t>/g)].map((m) => m[1]).join(''));
}

// A small slice of the region: 内蒙古自治区 › 呼和浩特市 › 新城区, 包头市, and a body outside it.
const PARENT: Record<string, string | null> = { '150000': null, '150000-01': '150000', '150100': '150000', '150102': '150100', '150100-01': '150100', '150200': '150000', '100000': null };
const NAMES: Record<string, string> = { '150000': '内蒙古自治区', '150000-01': '内蒙古自治区社会救助处', '150100': '呼和浩特市', '150102': '新城区', '150100-01': '呼和浩特市办公室', '150200': '包头市', '100000': '民政部办公厅' };
const tree: IssueTree = {
  get: (c) => (NAMES[c] ? { name: NAMES[c]! } : undefined),
  ancestors: (c) => {
    const out: { code: string }[] = [];
    for (let p = PARENT[c]; p; p = PARENT[p]) out.push({ code: p });
    return out;
  },
  isWithin: (c, a) => c === a || tree.ancestors(c).some((u) => u.code === a),
};

const item = (i: number) => ({
  title: `新城区冬季送温暖走访困难群众第${i}批`,
  body: `新城区民政局开展冬季送温暖活动，走访困难群众${120 + i}户，发放救助金38.5万元。\n锡林郭勒盟阿巴嘎旗同步开展摸底。`,
  unitName: i % 2 ? '新城区' : '呼和浩特市办公室',
});
const issue = (n: number, items = Array.from({ length: n }, (_, i) => item(i + 1))): IssueDto =>
  ({
    id: 'x',
    publicationId: 'p',
    publicationName: '政务信息',
    officeCode: '150100',
    officeName: '呼和浩特市',
    year: 2026,
    number: 12,
    label: '2026年第12期',
    state: 'published',
    createdAt: '',
    signedBy: '呼和浩特市带班领导',
    signedAt: null,
    publishedAt: null,
    items,
  }) as unknown as IssueDto;
const model = (dto: IssueDto) =>
  issueDocument(dto, { tree, distribution: ['150102', '150100-01', '150000'], cc: ['100000', '150200'], classificationMark: '内部', date: '2026年12月1日' });

describe('an information issue (简报) as an official document', () => {
  it('sorts the units it goes to into 报 (above), 送 (elsewhere) and 发 (below)', () => {
    expect(distributionOf(tree, '150100', ['150102', '150000', '150200', '100000', '150100-01', '150100', '150102'])).toEqual([
      { label: '报', units: ['内蒙古自治区'] },
      { label: '送', units: ['包头市', '民政部办公厅'] },
      { label: '发', units: ['新城区', '呼和浩特市办公室'] },
    ]);
  });

  it('Word and PDF carry the masthead, 第N期, 编发单位, 签发人, the date, every item in order and 报/送/发', async () => {
    const dto = issue(3);
    const m = model(dto);
    const [word, pdf] = [await docxText(await officialDocx(m)), readPdf(await officialPdf(m), 'three')];
    const head = ['内部', '政务信息', '第12期', '呼和浩特市编', '签发人：呼和浩特市带班领导', '2026年12月1日'];
    const foot = ['报：内蒙古自治区。', '送：民政部办公厅，包头市。', '发：新城区，呼和浩特市办公室。', '呼和浩特市2026年12月1日印发'];
    const body = dto.items.flatMap((it) => [it.title, ...it.body.split('\n'), `（${it.unitName}）`]);
    // In reading order: the header, each item's title, body and source, then the 版记 — each found after the last.
    const unfound = (text: string) => {
      let pos = 0;
      return [...head, ...body, ...foot].filter((s) => {
        const i = text.indexOf(flat(s), pos);
        if (i >= 0) pos = i + flat(s).length;
        return i < 0;
      });
    };
    expect({ docx: unfound(word), pdf: unfound(pdf.text) }).toEqual({ docx: [], pdf: [] });
    pdf.pages.forEach((p, i) => expect(flat(p.trim().split('\n').at(-1)!)).toBe(`—${i + 1}—`));
    fs.writeFileSync(path.join(dir, 'three.docx'), await officialDocx(m));
    expect(pdf.fonts).toMatch(/NotoSansSC.*CID TrueType\s+Identity-H\s+yes yes yes/);
  }, 30_000);

  it('flows twenty items over several numbered pages, every title in order', async () => {
    const dto = issue(20);
    const r = readPdf(await officialPdf(model(dto)), 'twenty');
    expect(r.pages.length).toBeGreaterThanOrEqual(3);
    r.pages.forEach((p, i) => expect(flat(p.trim().split('\n').at(-1)!)).toBe(`—${i + 1}—`));
    const at = dto.items.map((it) => r.text.indexOf(it.title));
    expect(at.every((x) => x >= 0)).toBe(true);
    expect([...at].sort((a, b) => a - b)).toEqual(at);
    // The 版记 closes the last page.
    expect(flat(r.pages.at(-1)!)).toContain('呼和浩特市2026年12月1日印发');
  }, 30_000);

  it('takes a rarer character from the slice of the font that holds it', async () => {
    const r = readPdf(await officialPdf(model(issue(1, [{ title: '珈琲村救助对象核实', body: '琲字已核实。', unitName: '新城区' }] as IssueDto['items']))), 'rare');
    expect(r.text).toContain('珈琲村救助对象核实');
    expect(r.fonts.match(/NotoSansSC/g)!.length).toBeGreaterThanOrEqual(2);
  }, 30_000);
});
