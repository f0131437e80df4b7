/**
 * The bulletin PDF (红头简报): it parses, its pages grow with its items, and its text — read back with
 * poppler's pdftotext, as a reader's search would — holds the masthead, the issue, the 签发人, every item's
 * Chinese title and source unit, and the 发送/抄送 line, in the embedded Noto Sans SC.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { bulletinPdf } from '../../server/documents/bulletinPdf.ts';
import type { BulletinInput } from '../../server/documents/bulletin.ts';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tl-pdf-'));
function read(pdf: Buffer, name: string): { pages: number; text: string; fonts: string } {
  const file = path.join(dir, `${name}.pdf`);
  fs.writeFileSync(file, pdf);
  const info = execFileSync('pdfinfo', [file], { encoding: 'utf8' });
  return {
    pages: Number(/Pages:\s+(\d+)/.exec(info)?.[1]),
    // Lines joined: a long title may wrap.
    text: execFileSync('pdftotext', ['-enc', 'UTF-8', file, '-'], { encoding: 'utf8' }).replace(/\s+/g, ''),
    fonts: execFileSync('pdffonts', [file], { encoding: 'utf8' }),
  };
}

const item = (i: number) => ({
  title: `新城区冬季送温暖走访困难群众第${i}批`,
  body: `新城区民政局开展冬季送温暖活动，走访困难群众${120 + i}户，发放救助金38.5万元。\n锡林郭勒盟阿巴嘎旗、鄂托克前旗同步开展摸底。`,
  source: i % 2 ? '新城区办公室' : '回民区',
});
const input = (n: number): BulletinInput => ({
  masthead: '要情快报',
  issueLabel: '2026年第12期',
  office: '内蒙古自治区',
  signer: '内蒙古自治区带班领导',
  date: '2026年2月29日',
  classificationMark: '内部',
  items: Array.from({ length: n }, (_, i) => item(i + 1)),
  sendTo: ['呼和浩特市', '包头市'],
  cc: ['民政部办公厅'],
});

describe('bulletin PDF', () => {
  it('renders a one-item issue on one page with everything a reader looks for', async () => {
    const pdf = await bulletinPdf(input(1));
    expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
    const r = read(pdf, 'one');
    expect(r.pages).toBe(1);
    for (const s of ['内部', '要情快报', '（2026年第12期）', '签发人：内蒙古自治区带班领导', item(1).title, '（新城区办公室）', '发送：呼和浩特市、包头市', '抄送：民政部办公厅', '2026年2月29日印发']) expect(r.text).toContain(s.replace(/\s+/g, ''));
    // The Chinese comes from the embedded font, not from a viewer's fallback.
    expect(r.fonts).toMatch(/NotoSansSC.*CID TrueType\s+Identity-H\s+yes yes yes/);
  }, 30_000);

  it('flows twenty items over several pages, every title in order', async () => {
    const r = read(await bulletinPdf(input(20)), 'twenty');
    expect(r.pages).toBeGreaterThanOrEqual(3);
    expect(r.pages).toBeLessThanOrEqual(8);
    const at = Array.from({ length: 20 }, (_, i) => r.text.indexOf(item(i + 1).title));
    expect(at.every((x) => x >= 0)).toBe(true);
    expect([...at].sort((a, b) => a - b)).toEqual(at);
  }, 30_000);

  it('takes a rarer character from the slice of the font that holds it', async () => {
    // 琲 is outside the 简体中文 file (in slice 54): it is drawn from that slice, embedded as a second font.
    const r = read(await bulletinPdf({ ...input(1), items: [{ title: '珈琲村救助对象核实', body: '琲字已核实。', source: '新城区' }] }), 'rare');
    expect(r.text).toContain('珈琲村救助对象核实');
    expect(r.fonts.match(/NotoSansSC/g)!.length).toBeGreaterThanOrEqual(2);
  }, 30_000);
});
