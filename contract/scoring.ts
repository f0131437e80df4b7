/**
 * Wire types of information scoring (计分), quotas (任务量), commissioned requests (约稿) and bulletins
 * (一月一通报 and the quarterly, half-yearly and yearly summaries): zod schemas with their inferred types, the
 * DTOs the server sends, the shipped default scheme and the period arithmetic both sides use (UTC+8).
 */
import { z } from 'zod';

const points = z.number().int().min(-1000).max(1000);
const tierPoints = z.object({ '1': points, '2': points, '3': points });
export const UNIT_CLASSES = ['any', 'city', 'county', 'department'] as const;
export type UnitClass = (typeof UNIT_CLASSES)[number];
/** An office ranks its divisions below (cities, counties) and its own departments (内设机构) in separate tables. */
export const RANK_GROUPS = ['division', 'department'] as const;
export type RankGroup = (typeof RANK_GROUPS)[number];

/** One version of an office's scheme: every number a score line can cite. */
export const schemeRules = z.object({
  /** 任务量 per unit class per month; the most specific class wins, 'any' otherwise. */
  quotas: z
    .array(z.object({ unitClass: z.enum(UNIT_CLASSES), minItems: z.number().int().min(0).max(200), minAnalysis: z.number().int().min(0).max(50) }))
    .min(1)
    .max(4)
    .refine((qs) => qs.some((q) => q.unitClass === 'any'), 'one quota must be for any unit')
    .refine((qs) => new Set(qs.map((q) => q.unitClass)).size === qs.length, 'one quota per unit class'),
  /** Base points for a month whose quota was met. */
  monthlyBase: points,
  /** Adopted into the ranking office's own publications, by tier (1 政务信息, 2 信息专报, 3 要情快报). */
  own: tierPoints,
  /** Adopted by the office one level above, by tier; a single-item issue scores `up1SingleItem` when higher. */
  up1: tierPoints,
  up1SingleItem: points,
  /** Adopted two or more levels above (inside the system), by tier. */
  higher: tierPoints,
  /** Adopted by an external higher body (民政部, 国办 …). */
  external: points,
  /** 领导批示 bonus by the leader's level relative to the ranking office. */
  instruction: z.object({ own: points, up1: points, higher: points }),
  /** Multiplier per item kind on adoption points (analysis / research count double). */
  kindMultiplier: z.record(z.string().max(40), z.number().min(0).max(10)),
  /** Commissioned requests: answered on time, answered late, missed (a deduction: negative). */
  request: z.object({ onTime: points, late: points, missed: points }),
  /** Missing this many requests in a year zeroes the annual score (0 = never). */
  zeroAfterMissed: z.number().int().min(0).max(50),
});
export type SchemeRules = z.infer<typeof schemeRules>;

/** Modelled on 常山县's published scheme; what an office ranks with until it saves its own. */
export const DEFAULT_RULES: SchemeRules = {
  // Departments (内设机构) write less and no analysis is asked of them.
  quotas: [
    { unitClass: 'any', minItems: 5, minAnalysis: 1 },
    { unitClass: 'department', minItems: 3, minAnalysis: 0 },
  ],
  monthlyBase: 10,
  own: { '1': 5, '2': 10, '3': 30 },
  up1: { '1': 20, '2': 20, '3': 80 },
  up1SingleItem: 50,
  higher: { '1': 80, '2': 80, '3': 80 },
  external: 80,
  instruction: { own: 5, up1: 50, higher: 100 },
  kindMultiplier: { analysis: 2 },
  request: { onTime: 5, late: 0, missed: -10 },
  zeroAfterMissed: 2,
};

const localDate = z.string().regex(/^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/);
/** PUT /api/scoring/scheme — a new version from `effectiveFrom` (today or later in UTC+8, never the past). */
export const schemeBody = z.object({ effectiveFrom: localDate, rules: schemeRules, note: z.string().max(200).default('') });
export type SchemeBody = z.infer<typeof schemeBody>;

export interface SchemeVersionDto {
  id: string | null;
  officeCode: string;
  effectiveFrom: string;
  rules: SchemeRules;
  note: string;
  createdBy: string | null;
  createdAt: string | null;
}

export const PERIOD_KINDS = ['month', 'quarter', 'half', 'year'] as const;
export type PeriodKind = (typeof PERIOD_KINDS)[number];
/** '2026-11', '2026-Q4', '2026-H2', '2026'. */
export const periodKey = z.string().regex(/^\d{4}(-(0[1-9]|1[0-2])|-Q[1-4]|-H[12])?$/);

const TZ_MS = 8 * 3600_000;
export interface PeriodRange {
  kind: PeriodKind;
  key: string;
  start: Date;
  end: Date;
  /** Its months, 'YYYY-MM', with their [start, end). */
  months: { key: string; start: Date; end: Date }[];
  previous: string;
  label: string;
}

const monthStart = (y: number, m0: number) => new Date(Date.UTC(y, m0, 1) - TZ_MS);

/** The period a key names, in Beijing time; null for a malformed key. */
export function periodRange(key: string): PeriodRange | null {
  const m = /^(\d{4})(?:-(\d{2})|-Q([1-4])|-H([12]))?$/.exec(key);
  if (!m) return null;
  const y = Number(m[1]);
  let kind: PeriodKind, first: number, count: number, previous: string, label: string;
  if (m[2]) {
    const mo = Number(m[2]);
    if (mo < 1 || mo > 12) return null;
    [kind, first, count, label] = ['month', mo - 1, 1, `${y}年${mo}月`];
    previous = mo === 1 ? `${y - 1}-12` : `${y}-${String(mo - 1).padStart(2, '0')}`;
  } else if (m[3]) {
    const q = Number(m[3]);
    [kind, first, count, label] = ['quarter', (q - 1) * 3, 3, `${y}年第${'一二三四'[q - 1]}季度`];
    previous = q === 1 ? `${y - 1}-Q4` : `${y}-Q${q - 1}`;
  } else if (m[4]) {
    const h = Number(m[4]);
    [kind, first, count, label] = ['half', (h - 1) * 6, 6, `${y}年${h === 1 ? '上' : '下'}半年`];
    previous = h === 1 ? `${y - 1}-H2` : `${y}-H1`;
  } else {
    [kind, first, count, label, previous] = ['year', 0, 12, `${y}年度`, String(y - 1)];
  }
  const months = Array.from({ length: count }, (_, i) => {
    const m0 = first + i;
    return { key: `${y}-${String(m0 + 1).padStart(2, '0')}`, start: monthStart(y, m0), end: monthStart(y, m0 + 1) };
  });
  return { kind, key, start: months[0]!.start, end: months[months.length - 1]!.end, months, previous, label };
}

/** The month ('YYYY-MM') of an instant in UTC+8. */
export function monthKeyOf(at: Date): string {
  const l = new Date(at.getTime() + TZ_MS);
  return `${l.getUTCFullYear()}-${String(l.getUTCMonth() + 1).padStart(2, '0')}`;
}
/** The date ('YYYY-MM-DD') of an instant in UTC+8. */
export function localDateOf(at: Date): string {
  return new Date(at.getTime() + TZ_MS).toISOString().slice(0, 10);
}

/** POST /api/scoring/requests — 约稿: a topic, what to write, a deadline, the units asked. */
export const requestBody = z.object({
  id: z.string().uuid(),
  topic: z.string().trim().min(1).max(200),
  requirements: z.string().trim().min(1).max(4000),
  deadline: z.string().datetime({ offset: true }),
  /** Units below the office, or its own departments (150000-01). */
  targets: z.array(z.string().regex(/^[0-9]{6}(-[0-9]{2})?$/)).min(1).max(200),
});
export type RequestBody = z.infer<typeof requestBody>;
/** POST /api/scoring/requests/:id/answers — the unit links one of its items (signed off or not yet). */
export const answerBody = z.object({ itemId: z.string().uuid() });
export type AnswerBody = z.infer<typeof answerBody>;

export type AnswerState = 'on_time' | 'late' | 'missing' | 'pending';
export interface RequestDto {
  id: string;
  officeCode: string;
  officeName: string;
  topic: string;
  requirements: string;
  deadline: string;
  createdAt: string;
  targets: { unitCode: string; unitName: string; state: AnswerState; answeredAt: string | null; items: { id: string; title: string }[] }[];
}

export interface QuotaProgressDto {
  month: string;
  officeCode: string;
  officeName: string;
  minItems: number;
  minAnalysis: number;
  /** The month's last instant has not passed: the reminder is three days before it. */
  monthEndsAt: string;
  /** Each unit with its own class's quota (a department's differs from a county's). */
  units: { unitCode: string; unitName: string; group: RankGroup; unitClass: UnitClass; minItems: number; minAnalysis: number; items: number; analysis: number; met: boolean; behind: boolean }[];
}

export type LineKind = 'base' | 'adoption' | 'instruction' | 'request' | 'zeroed';
/** One line of a score's explanation: which item, which adoption, which rule, how many points. */
export interface ScoreLine {
  unitCode: string;
  kind: LineKind;
  /** The rule's path in the scheme (e.g. 'up1.3', 'monthlyBase', 'request.missed') and its version. */
  rule: string;
  schemeFrom: string;
  points: number;
  itemId: string | null;
  itemTitle: string | null;
  refId: string | null;
  /** Chinese sentence a leader reads. */
  text: string;
  at: string;
  authorId: number | null;
}

export interface BulletinRowDto {
  unitCode: string;
  unitName: string;
  /** Ranked within its group: divisions among divisions, departments among departments. */
  group: RankGroup;
  submitted: number;
  adopted: number;
  adoptedItems: number;
  adoptedOwn: number;
  adoptedUp: number;
  adoptedExternal: number;
  /** Adoptions per publication name. */
  byPublication: Record<string, number>;
  adoptionRate: number;
  points: number;
  rank: number;
  previousRank: number | null;
  /** previousRank − rank: positive = moved up. */
  change: number | null;
  requests: { asked: number; onTime: number; late: number; missing: number };
  quotaMonthsMet: number;
  zeroed: boolean;
  timeliness: { onTime: number; late: number; missing: number; demanded: number };
  /** Points per month of the period (the heat map). */
  monthly: Record<string, number>;
}

export interface PersonRowDto {
  userId: number;
  name: string;
  unitName: string;
  adopted: number;
  points: number;
  rank: number;
}

export interface BulletinDto {
  id: string | null;
  officeCode: string;
  officeName: string;
  period: string;
  periodKind: PeriodKind;
  label: string;
  state: 'draft' | 'published';
  publishedAt: string | null;
  computedAt: string;
  rows: BulletinRowDto[];
  people: PersonRowDto[];
  lines: ScoreLine[];
  /** Yearly bulletins: the award lists (先进单位 among divisions and among departments, 优秀信息员). */
  awards: { units: string[]; departments: string[]; people: string[] } | null;
  /** 发文字号 of a published bulletin, e.g. 呼政信通〔2026〕11号; null for a draft. */
  docNumber: string | null;
}

export interface BulletinListRowDto {
  id: string;
  officeCode: string;
  officeName: string;
  period: string;
  label: string;
  publishedAt: string;
}

export const publishBody = z.object({ period: periodKey });
export const bulletinQuery = z.object({ period: periodKey, office: z.string().regex(/^[0-9]{6}$/).optional() });

/** Adoptions by publication, most first: 包头市·信息专报 2、内蒙古自治区·政务信息 1 (as the screen lists them). */
export const byPublicationText = (m: Record<string, number> | undefined) =>
  Object.entries(m ?? {})
    .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
    .map(([k, n]) => `${k} ${n}`)
    .join('、');
