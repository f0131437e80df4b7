/**
 * Bulletins (一月一通报; quarterly, half-yearly, yearly): per ranking office, every unit's submissions, adoptions
 * by level and publication, points with their lines, rank and change since the previous period, commissioned
 * requests, and the urgent-report timeliness of the period. A draft is computed live; publishing freezes it
 * (the published numbers never move) and delivers it to the units. Word and Excel exports.
 */
import type { SessionUser } from '../auth/sessions.ts';
import { clock } from '../clock.ts';
import type { AppContext } from '../context.ts';
import { errors } from '../http/errors.ts';
import { chineseDate } from '../../contract/information.ts';
import { byPublicationText, localDateOf, periodRange, RANK_GROUPS, type BulletinDto, type BulletinListRowDto, type PeriodRange, type RankGroup } from '../../contract/scoring.ts';
import { officialDocx } from '../documents/official.ts';
import { officialPdf } from '../documents/officialPdf.ts';
import { newWorkbook, tableSheet, workbookBuffer, type ColumnSpec } from '../documents/workbook.ts';
import { bulletinDocument } from './bulletinDocument.ts';
import { groupOf, rankedUnitsOf, scoreInput, timelinessOf } from './facts.ts';
import * as repo from './repo.ts';
import { rankGroups, rankPeople, scorePeriod } from './rules.ts';
import { isOfficeStaff, scoringErrors } from './service.ts';

async function compute(ctx: AppContext, office: string, p: PeriodRange, now: Date): Promise<Omit<BulletinDto, 'id' | 'state' | 'publishedAt' | 'docNumber'>> {
  const { db, tree } = ctx;
  const { scores, lines } = scorePeriod(await scoreInput(db, tree, office, p, now));
  const group = (r: { unitCode: string }): RankGroup => (tree.get(r.unitCode) ? groupOf(tree.get(r.unitCode)!) : 'division');
  const ranks = (xs: typeof scores) => rankGroups(xs, group, RANK_GROUPS);
  const prevP = periodRange(p.previous)!;
  const prevPublished = await repo.bulletinRow(db, office, p.previous);
  // The previous rank is the published one when there is one (what the units were told), else computed.
  const prevRanks = new Map<string, number>(
    prevPublished
      ? (prevPublished.data as BulletinDto).rows.map((r) => [r.unitCode, r.rank])
      : ranks(scorePeriod(await scoreInput(db, tree, office, prevP, now)).scores).map((r) => [r.unitCode, r.rank]),
  );
  const time = await timelinessOf(db, tree, office, p, now);
  const rows = ranks(scores).map((s) => {
    const previousRank = prevRanks.get(s.unitCode) ?? null;
    return {
      ...s,
      unitName: tree.get(s.unitCode)?.name ?? s.unitCode,
      adoptionRate: s.submitted ? Math.round((Math.min(s.adoptedItems, s.submitted) / s.submitted) * 1000) / 10 : 0,
      previousRank,
      change: previousRank === null ? null : previousRank - s.rank,
      timeliness: time.get(s.unitCode) ?? { onTime: 0, late: 0, missing: 0, demanded: 0 },
    };
  });
  const ranked = rankPeople(lines);
  const names = await repo.userNames(db, ranked.map((r) => r.userId));
  const people = ranked.map((r) => ({ ...r, name: names.get(r.userId)?.name ?? String(r.userId), unitName: tree.get(names.get(r.userId)?.unit ?? '')?.name ?? '' }));
  // 先进单位: the first three of each table with points and not zeroed; 优秀信息员: the first five.
  const best = (g: RankGroup) => rows.filter((r) => r.group === g && r.rank <= 3 && r.points > 0 && !r.zeroed).map((r) => r.unitName);
  const awards = p.kind === 'year' ? { units: best('division'), departments: best('department'), people: people.filter((r) => r.rank <= 5 && r.points > 0).map((r) => r.name) } : null;
  return { officeCode: office, officeName: tree.get(office)?.name ?? office, period: p.key, periodKind: p.kind, label: p.label, computedAt: now.toISOString(), rows, people, lines, awards };
}

/** Bulletins frozen before departments were ranked carry no group, no department awards and no 发文字号. */
function frozen(b: BulletinDto): BulletinDto {
  return { ...b, rows: b.rows.map((r) => ({ ...r, group: r.group ?? 'division' })), awards: b.awards ? { ...b.awards, departments: b.awards.departments ?? [] } : null, docNumber: b.docNumber ?? null };
}

/** 发文字号 (GB/T 9704 7.2.4): the office's short name, 政信通, the year in 〔〕 and the running number of the year. */
/** The ranking sheet's columns; the departments' sheet has the same ones. */
const RANKING_COLUMNS: readonly ColumnSpec[] = [
  ['名次', 'rank', 6],
  ['单位', 'unitName', 18],
  ['报送', 'submitted', 8],
  ['采用', 'adopted', 8],
  ['本级采用', 'adoptedOwn', 10],
  ['上级采用', 'adoptedUp', 10],
  ['外部采用', 'adoptedExternal', 10],
  ['采用率(%)', 'adoptionRate', 10],
  ['得分', 'points', 8],
  ['名次变化', 'change', 10],
  ['约稿(按时/逾期/未报)', 'requests', 20],
  ['迟报', 'late', 8],
  ['超时未报', 'missing', 10],
  ['漏报', 'demanded', 8],
  ['按刊物采用', 'byPublication', 40],
];

export const docNumberOf = (officeName: string, year: string, n: number) => `${officeName.slice(0, 1)}政信通〔${year}〕${n}号`;

export class BulletinService {
  constructor(private readonly ctx: AppContext) {}

  /** Readable: a published bulletin by the office and every unit below; a draft by the office's staff only. */
  async get(user: SessionUser, periodKey: string, office = user.unitCode): Promise<BulletinDto> {
    const p = periodRange(periodKey);
    if (!p) throw errors.validation([{ path: 'period', message: 'YYYY-MM | YYYY-Qn | YYYY-Hn | YYYY' }]);
    const tree = this.ctx.tree;
    if (!tree.has(office) || !tree.isWithin(user.unitCode, office)) throw errors.notFound('通报');
    const row = await repo.bulletinRow(this.ctx.db, office, p.key);
    if (row) return { ...frozen(row.data as BulletinDto), id: row.id, state: 'published', publishedAt: row.published_at.toISOString() };
    if (office !== user.unitCode || !isOfficeStaff(user)) throw errors.notFound('通报');
    return { ...(await compute(this.ctx, office, p, clock.now())), id: null, state: 'draft', publishedAt: null, docNumber: null };
  }

  async list(user: SessionUser): Promise<BulletinListRowDto[]> {
    const offices = [user.unitCode, ...this.ctx.tree.ancestors(user.unitCode).map((u) => u.code)];
    const rows = await repo.bulletinList(this.ctx.db, offices);
    return rows.map((r) => ({ id: r.id, officeCode: r.office_code, officeName: this.ctx.tree.get(r.office_code)?.name ?? r.office_code, period: r.period, label: r.label, publishedAt: r.published_at.toISOString() }));
  }

  /** 印发: once the period is over; the numbers are frozen and the units are told. */
  async publish(user: SessionUser, periodKey: string): Promise<BulletinDto> {
    if (!isOfficeStaff(user)) throw errors.roleForbidden();
    const p = periodRange(periodKey)!;
    const now = clock.now();
    if (p.end.getTime() > now.getTime()) throw scoringErrors.periodOpen();
    if (await repo.bulletinRow(this.ctx.db, user.unitCode, p.key)) throw scoringErrors.published();
    const year = localDateOf(now).slice(0, 4);
    const computed = await compute(this.ctx, user.unitCode, p, now);
    const data = (n: number) => ({ ...computed, docNumber: docNumberOf(this.ctx.tree.get(user.unitCode)?.name ?? '', year, n) });
    const id = await repo.insertBulletinNumbered(this.ctx.db, { office: user.unitCode, period: p.key, periodKind: p.kind, yearFrom: new Date(`${year}-01-01T00:00:00+08:00`), by: user.id, at: now, data });
    if (!id) throw scoringErrors.published();
    const text = `${computed.officeName}印发《${p.label}政务信息工作通报》`;
    // Delivered: a row each unit keeps among its reminders (read later too), and a notice to its open consoles.
    const units = rankedUnitsOf(this.ctx.tree, user.unitCode);
    await repo.addReminders(this.ctx.db, units.map((u) => ({ unitCode: u.code, kind: 'bulletin' as const, ref: `${user.unitCode}:${p.key}`, text, at: now })));
    for (const u of units) this.ctx.io.to(`unit:${u.code}`).emit('information:notice', { itemId: null, issueId: null, action: 'bulletin', text, at: now.toISOString() });
    return this.get(user, p.key);
  }

  /** The bulletin as an official document (GB/T 9704): Word or PDF from one model, the same numbers as the screen. */
  async document(user: SessionUser, periodKey: string, format: 'docx' | 'pdf', office?: string): Promise<{ filename: string; data: Buffer }> {
    const b = await this.get(user, periodKey, office);
    const unit = this.ctx.tree.get(b.officeCode);
    const parent = unit?.parentCode ? this.ctx.tree.get(unit.parentCode) : undefined;
    const model = bulletinDocument(b, { level: unit?.level ?? 1, parentName: parent?.name ?? null, date: chineseDate(new Date(b.publishedAt ?? b.computedAt)) });
    const data = format === 'docx' ? await officialDocx(model) : await officialPdf(model);
    return { filename: `${b.officeName}${b.label}政务信息通报.${format}`, data };
  }

  async xlsx(user: SessionUser, periodKey: string, office?: string): Promise<{ filename: string; data: Buffer }> {
    const b = await this.get(user, periodKey, office);
    const wb = newWorkbook(b.officeName);
    const row = (r: BulletinDto['rows'][number]) => ({
      ...r,
      change: r.change ?? '',
      requests: `${r.requests.onTime}/${r.requests.late}/${r.requests.missing}`,
      late: r.timeliness.late,
      missing: r.timeliness.missing,
      demanded: r.timeliness.demanded,
      byPublication: byPublicationText(r.byPublication),
    });
    tableSheet(wb, '排名', RANKING_COLUMNS, b.rows.filter((x) => x.group === 'division').map(row));
    // The office's departments are ranked among themselves, on their own sheet.
    const depts = b.rows.filter((x) => x.group === 'department');
    if (depts.length) tableSheet(wb, '处室排名', RANKING_COLUMNS, depts.map(row));
    const unitName = (code: string) => b.rows.find((r) => r.unitCode === code)?.unitName ?? code;
    tableSheet(wb, '计分明细', [['单位', 'unit', 18], ['说明', 'text', 70], ['规则', 'rule', 30], ['版本', 'schemeFrom', 12], ['分值', 'points', 8]], b.lines.map((x) => ({ ...x, unit: unitName(x.unitCode) })));
    tableSheet(wb, '信息员', [['名次', 'rank', 6], ['信息员', 'name', 18], ['单位', 'unitName', 18], ['采用', 'adopted', 8], ['得分', 'points', 8]], b.people);
    // The yearly assessment's award lists (考核评比), as the screen and the Word show them.
    if (b.awards) {
      const unitPoints = (name: string) => b.rows.find((r) => r.unitName === name)?.points;
      tableSheet(wb, '年度考核', [['奖项', 'award', 14], ['名称', 'name', 20], ['得分', 'points', 8]], [
        ...b.awards.units.map((name) => ({ award: '先进单位', name, points: unitPoints(name) })),
        ...b.awards.departments.map((name) => ({ award: '先进处室', name, points: unitPoints(name) })),
        ...b.awards.people.map((name) => ({ award: '优秀信息员', name, points: b.people.find((x) => x.name === name)?.points })),
      ]);
    }
    return { filename: `${b.officeName}${b.label}政务信息通报.xlsx`, data: await workbookBuffer(wb) };
  }
}
