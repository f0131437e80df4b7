/**
 * The documents module after GB/T 9704: one model, Word and PDF. The Word is read back from its XML (A4, the
 * 版心's margins, the red 发文机关标志 and rule, 2号 title and 3号 body, named standard fonts, "— n —" page
 * numbers on odd and even pages); the PDF with poppler (pdfinfo, pdftotext): the same text, page numbers on
 * every page, the 版记 on the last page, a table's rows whole; the 报送单 of a report in formal Chinese times.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import JSZip from 'jszip';
import { describe, expect, it } from 'vitest';
import { officialDocx, type OfficialDoc } from '../../server/documents/official.ts';
import { officialPdf } from '../../server/documents/officialPdf.ts';
import { chineseDateTime, reportDocument } from '../../server/reports/reportDocument.ts';
import type { ReportDto } from '../../contract/reports.ts';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tl-official-'));
function readPdf(pdf: Buffer, name: string, mode: '-layout' | '-raw' = '-layout'): { info: string; pages: string[]; file: string } {
  const file = path.join(dir, `${name}.pdf`);
  fs.writeFileSync(file, pdf);
  const text = execFileSync('pdftotext', [mode, '-enc', 'UTF-8', file, '-'], { encoding: 'utf8' });
  return { info: execFileSync('pdfinfo', [file], { encoding: 'utf8' }), pages: text.split('\f').filter((p) => p.trim()), file };
}
/** The text in a box of page `n` (1-based), in points from the top left. */
const crop = (file: string, n: number, x: number, y: number, w: number, h: number) =>
  execFileSync('pdftotext', ['-f', String(n), '-l', String(n), '-x', String(x), '-y', String(y), '-W', String(w), '-H', String(h), '-enc', 'UTF-8', file, '-'], { encoding: 'utf8' }).replace(/\s+/g, '');
const flat = (s: string) => s.replace(/\s+/g, '');

const rows = Array.from({ length: 40 }, (_, i) => [String(i + 1), `单位${i + 1}`, String(40 - i), `${i}%`]);
const doc: OfficialDoc = {
  marks: ['内部'],
  issuer: '内蒙古自治区政务信息工作通报',
  docNumber: '内政信通〔2028〕3号',
  title: '2028年2月政务信息报送情况通报',
  addressee: '各盟市、各处室（内设机构）',
  blocks: [
    { kind: 'para', text: '现将2028年2月各盟市政务信息报送情况通报如下。' },
    { kind: 'heading', text: '一、各盟市报送、采用、得分及排名' },
    { kind: 'table', header: ['名次', '单位', '得分', '采用率'], rows, widths: [20, 76, 30, 30] },
  ],
  signature: { office: '内蒙古自治区', date: '2028年3月1日' },
  cc: ['民政部办公厅'],
  printer: { office: '内蒙古自治区', date: '2028年3月1日' },
};

describe('official documents (GB/T 9704)', () => {
  it('Word: A4 with the 版心 margins, red mark and rule, 2号 title, 3号 body, standard fonts named, page numbers odd right and even left', async () => {
    const zip = await JSZip.loadAsync(await officialDocx(doc));
    const xml = await zip.file('word/document.xml')!.async('string');
    expect(xml).toMatch(/<w:pgSz w:w="11906" w:h="16838"/);
    expect(xml).toMatch(/<w:pgMar w:top="2098" w:right="1474" w:bottom="1984" w:left="1587"/); // 37 / 26 / 35 / 28 mm
    expect(xml).toMatch(/<w:color w:val="C00000"\/><w:sz w:val="\d+"\/><w:szCs w:val="\d+"\/><\/w:rPr><w:t xml:space="preserve">内蒙古自治区政务信息工作通报</);
    expect(xml).toMatch(/<w:bottom w:val="single" w:color="C00000"[^>]*\/><\/w:pBdr>[\s\S]{0,400}内政信通〔2028〕3号/);
    expect(xml).toMatch(/<w:sz w:val="44"\/><w:szCs w:val="44"\/><\/w:rPr><w:t xml:space="preserve">2028年2月政务信息报送情况通报</);
    expect(xml).toMatch(/w:eastAsia="仿宋_GB2312"[^>]*\/><w:sz w:val="32"\/><w:szCs w:val="32"\/><\/w:rPr><w:t xml:space="preserve">现将/);
    expect(xml).toContain('方正小标宋简体');
    expect(xml).toContain('各盟市、各处室（内设机构）：');
    expect(xml).toContain('抄送：民政部办公厅。');
    expect(xml).toContain('2028年3月1日印发');
    // The table keeps its 40 rows and its header repeats on each page.
    expect(xml.match(/<w:tr>/g)).toHaveLength(41);
    expect(xml).toContain('<w:tblHeader/>');
    const settings = await zip.file('word/settings.xml')!.async('string');
    expect(settings).toContain('<w:evenAndOddHeaders/>');
    const footers = await Promise.all(Object.keys(zip.files).filter((f) => /word\/footer\d+\.xml/.test(f)).map((f) => zip.file(f)!.async('string')));
    expect(footers.map((f) => [/<w:jc w:val="(\w+)"/.exec(f)?.[1], /PAGE/.test(f) && f.includes('— ')]).sort()).toEqual([
      ['left', true],
      ['right', true],
    ]);
  });

  it('PDF: A4, the same text, "— n —" on every page, the 版记 on the last one, each table row whole', async () => {
    const { info, pages, file } = readPdf(await officialPdf(doc), 'bulletin');
    expect(info).toMatch(/Page size:\s+595\.\d+ x 841\.\d+ pts \(A4\)/);
    expect(pages.length).toBeGreaterThanOrEqual(2);
    pages.forEach((p, i) => expect(flat(p.trim().split('\n').at(-1)!)).toBe(`—${i + 1}—`));
    // Odd page numbers on the right, even ones on the left.
    // Odd page numbers in the right half below the 版心, even ones in the left half (A4 is 595 × 842 pt).
    const below = Math.round(842 - 35 * (72 / 25.4));
    expect([crop(file, 1, 298, below, 297, 60), crop(file, 1, 0, below, 297, 60)]).toEqual(['—1—', '']);
    expect([crop(file, 2, 298, below, 297, 60), crop(file, 2, 0, below, 297, 60)]).toEqual(['', '—2—']);
    const first = flat(pages[0]!);
    for (const s of ['内部', '内蒙古自治区政务信息工作通报', '内政信通〔2028〕3号', '2028年2月政务信息报送情况通报', '各盟市、各处室（内设机构）：', '一、各盟市报送、采用、得分及排名']) expect(first).toContain(s);
    expect(first.indexOf('内政信通')).toBeLessThan(first.indexOf('2028年2月政务信息报送情况通报'));
    const last = flat(pages.at(-1)!);
    expect(last).toContain('抄送：民政部办公厅。');
    expect(last).toContain('内蒙古自治区2028年3月1日印发');
    // Every row once, on one line, in order; the header again on the next page.
    const all = pages.join('\n').split('\n');
    const found = rows.map((r) => all.findIndex((l) => l.trim().split(/\s+/).join(' ') === r.join(' ')));
    expect(found.every((x) => x >= 0)).toBe(true);
    expect([...found].sort((a, b) => a - b)).toEqual(found);
    expect(pages.filter((p) => /名次\s+单位\s+得分\s+采用率/.test(p)).length).toBeGreaterThanOrEqual(2);
  }, 30_000);

  it('the 报送单 of a report: kind, urgency, 签发人, every field and hop, formal times (UTC+8, a leap day)', async () => {
    const report = {
      id: 'r1',
      incidentId: 'i1',
      kind: 'followup',
      seq: 2,
      state: 'sent',
      unitCode: '150102',
      unitName: '新城区',
      title: '新城区供暖管道破裂',
      eventTime: '2028-02-29T15:30:00Z',
      place: '新城区',
      address: '海拉尔东路',
      category: 'accident',
      grade: 2,
      classification: 1,
      summary: '供暖主管道破裂，影响居民1,204户。',
      casualties: '无',
      losses: '',
      cause: '管道老化',
      measures: '抢修中',
      nextSteps: '今晚恢复供暖',
      caller: '',
      callee: '',
      createdBy: 1,
      createdByName: '新城区值班员',
      createdAt: '2028-02-29T15:40:00Z',
      submittedAt: '2028-02-29T15:45:00Z',
      signedByName: '新城区带班领导',
      signedAt: '2028-02-29T15:44:00Z',
      signComment: '同意上报',
      redacted: false,
      hops: [{ unitName: '呼和浩特市', receivedAt: '2028-02-29T15:45:00Z', acknowledgedAt: '2028-02-29T15:50:00Z', acknowledgedByName: '呼和浩特市值班员', assessment: '请持续关注', relayByName: null, relaySignedByName: null, relayedAt: null }],
      attachments: [{ filename: '现场.jpg' }],
    } as unknown as ReportDto;
    expect(chineseDateTime(report.eventTime)).toBe('2028年2月29日23时30分');
    expect(chineseDateTime('2028-02-29T16:05:00Z')).toBe('2028年3月1日0时05分');
    const model = reportDocument(report, { parentName: '呼和浩特市', printedAt: '2028-02-29T16:05:00Z' });
    expect(model.marks).toEqual(['内部', '特急']);
    expect(model.docNumber).toBe('续报（第2次）\u30002028年2月29日23时45分');
    // Read in drawing order: a hop's label sits beside its wrapped text.
    const { pages } = readPdf(await officialPdf(model), 'report', '-raw');
    const text = flat(pages.join(''));
    for (const s of ['新城区突发事件信息报送单', '签发人：新城区带班领导', '呼和浩特市：', '事件等级重大（II级）', '发生时间2028年2月29日23时30分', '基本情况供暖主管道破裂，影响居民1,204户。', '签发意见同意上报', '呼和浩特市2028年2月29日23时45分收到；呼和浩特市值班员2028年2月29日23时50分签收', '研判：请持续关注', '现场.jpg', '2028年3月1日印发'])
      expect(text).toContain(s);
    const xml = await (await JSZip.loadAsync(await officialDocx(model))).file('word/document.xml')!.async('string');
    expect(xml).toContain('签发人：新城区带班领导');
    expect(xml).toContain('2028年2月29日23时30分');
  }, 30_000);
});
