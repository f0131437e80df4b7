/**
 * Wire types of urgent reports (紧急信息): value lists, the DTOs the server sends (incidents, reports, the
 * relay chain, deadlines, instructions, the leaders' board) and the zod schemas of the HTTP bodies.
 */
import { z } from 'zod';
import { plausibleInstant, unitCode } from './fields.ts';

/** Severity, the national four grades: 1 特别重大 (I) … 4 一般 (IV). */
export const GRADES = [1, 2, 3, 4] as const;
export type Grade = (typeof GRADES)[number];
/** 密级: 0 公开, 1 内部, 2 秘密, 3 机密. 秘密 and above are for cleared roles only. */
export const CLASSIFICATION_LEVELS = [0, 1, 2, 3] as const;
export type Classification = (typeof CLASSIFICATION_LEVELS)[number];
export const REPORT_KINDS = ['phone', 'initial', 'followup', 'final'] as const;
export type ReportKind = (typeof REPORT_KINDS)[number];
export const REPORT_STATES = ['draft', 'pending_signoff', 'returned', 'sent'] as const;
export type ReportState = (typeof REPORT_STATES)[number];
export const HOP_STATES = ['received', 'acknowledged', 'relay_pending', 'relayed'] as const;
export type HopState = (typeof HOP_STATES)[number];
export const DEADLINE_KINDS = ['phone', 'written'] as const;
export type DeadlineKind = (typeof DEADLINE_KINDS)[number];
export const DEADLINE_STATUSES = ['pending', 'due_soon', 'overdue', 'met_on_time', 'met_late'] as const;
export type DeadlineStatus = (typeof DEADLINE_STATUSES)[number];
/** Event categories ('' until a written report names one: a phone report may not know yet). */
export const CATEGORIES = ['', 'natural_disaster', 'accident', 'public_health', 'social_security'] as const;
export type Category = (typeof CATEGORIES)[number];

export interface HopDto {
  id: string;
  unitCode: string;
  unitName: string;
  fromUnitCode: string;
  state: HopState;
  isCopy: boolean;
  receivedAt: string;
  acknowledgedAt: string | null;
  acknowledgedByName: string | null;
  assessment: string;
  relayByName: string | null;
  relaySignedByName: string | null;
  /** The office leader's comment on signing the relay (签发上报意见). */
  relaySignComment: string | null;
  relayedAt: string | null;
}

export interface AttachmentDto {
  id: string;
  filename: string;
  mime: string;
  size: number;
  createdAt: string;
}

export interface ReportDto {
  id: string;
  incidentId: string;
  kind: ReportKind;
  seq: number;
  state: ReportState;
  unitCode: string;
  unitName: string;
  title: string;
  eventTime: string;
  place: string;
  address: string;
  category: Category;
  grade: Grade;
  classification: Classification;
  summary: string;
  casualties: string;
  losses: string;
  cause: string;
  measures: string;
  nextSteps: string;
  caller: string;
  callee: string;
  createdBy: number;
  createdByName: string;
  createdAt: string;
  submittedAt: string | null;
  signedByName: string | null;
  signedAt: string | null;
  signComment: string | null;
  /** True when the reader is not cleared for its 密级: content fields are blanked. */
  redacted: boolean;
  hops: HopDto[];
  attachments: AttachmentDto[];
}

export interface ObligationDto {
  unitCode: string;
  unitName: string;
  level: 1 | 2 | 3;
  kind: DeadlineKind;
  dueAt: string;
  metAt: string | null;
  status: DeadlineStatus;
  /** 迟报 recorded by the server (immutable), if any. */
  lateRecordedAt: string | null;
}

export interface IncidentDto {
  id: string;
  unitCode: string;
  unitName: string;
  title: string;
  eventTime: string;
  place: string;
  category: Category;
  grade: Grade;
  classification: Classification;
  status: 'open' | 'closed';
  demandedByUnit: string | null;
  demandedByUnitName: string | null;
  demandNote: string | null;
  createdAt: string;
  closedAt: string | null;
  redacted: boolean;
  /** Sent reports so far, e.g. 电话报, 首报, 续报一 … 终报. */
  reportCount: number;
  lastKind: ReportKind | null;
  lastSentAt: string | null;
  deadlines: ObligationDto[];
  /** When the next 续报 is due (open incidents with a sent report), by the configured cadence. */
  followupDueAt: string | null;
  /** Hops waiting at the reader's unit (to acknowledge, relay or sign). */
  waitingHere: number;
}

export interface EventDto {
  id: string;
  reportId: string | null;
  unitCode: string;
  unitName: string;
  actorName: string | null;
  action: string;
  detail: Record<string, unknown>;
  at: string;
}

export interface InstructionDto {
  id: string;
  incidentId: string;
  incidentTitle: string;
  reportId: string | null;
  unitCode: string;
  unitName: string;
  authorName: string;
  text: string;
  dueAt: string | null;
  createdAt: string;
  targets: { unitCode: string; unitName: string; doneAt: string | null; overdue: boolean }[];
  feedback: { unitCode: string; unitName: string; authorName: string; text: string; done: boolean; createdAt: string }[];
}

export interface TimelinessRow {
  unitCode: string;
  unitName: string;
  onTime: number;
  late: number;
  missing: number;
  pending: number;
  demanded: number;
}

/** A missed deadline on an incident the reader may not see yet: the fact, never the title (V2). */
export interface UnsentLateDto {
  incidentId: string;
  unitCode: string;
  unitName: string;
  kind: DeadlineKind;
  grade: Grade;
  dueAt: string;
  recordedAt: string;
}

export interface BoardData {
  month: string;
  /** Late units on incidents nothing was sent for yet (lateness cannot be hidden by not sending). */
  lateUnsent: UnsentLateDto[];
  now: string;
  open: IncidentDto[];
  openByGrade: Record<'1' | '2' | '3' | '4', number>;
  openByUnit: { unitCode: string; unitName: string; count: number }[];
  timeliness: TimelinessRow[];
  pendingInstructions: InstructionDto[];
  /** Reports submitted today (Beijing time) that I may read. */
  todayReports: number;
}

/** The written report's fields as the console's form holds them. */
export type WrittenFields = Pick<
  ReportDto,
  'title' | 'eventTime' | 'place' | 'address' | 'category' | 'grade' | 'classification' | 'summary' | 'casualties' | 'losses' | 'cause' | 'measures' | 'nextSteps'
>;

/** GET /api/reports/incidents/:id */
export interface IncidentDetail {
  incident: IncidentDto;
  reports: ReportDto[];
  timeline: EventDto[];
  instructions: InstructionDto[];
  now: string;
}

// ---------- HTTP bodies ----------

const grade = z.union([z.literal(1), z.literal(2), z.literal(3), z.literal(4)]);
const text = (max: number) => z.string().trim().max(max);
export const reportFields = {
  title: z.string().trim().min(1).max(200),
  eventTime: plausibleInstant(),
  place: z.string().trim().min(1).max(300),
  address: text(300).optional(),
  category: z.enum(CATEGORIES).optional(),
  grade,
  classification: z.union([z.literal(0), z.literal(1), z.literal(2), z.literal(3)]).optional(),
  summary: z.string().trim().min(1).max(20000),
  casualties: text(5000).optional(),
  losses: text(5000).optional(),
  cause: text(5000).optional(),
  measures: text(20000).optional(),
  nextSteps: text(5000).optional(),
};
/** POST /api/reports — a written report (idempotent by requestId). */
export const createReportBody = z.object({
  requestId: z.uuid(),
  incidentId: z.uuid().optional(),
  kind: z.enum(['initial', 'followup', 'final']).default('initial'),
  action: z.enum(['draft', 'submit', 'sign']).default('submit'),
  ...reportFields,
});
export type CreateReportBody = z.input<typeof createReportBody>;
/** POST /api/reports/phone — 电话报. */
export const phoneReportBody = z.object({
  requestId: z.uuid(),
  incidentId: z.uuid().optional(),
  ...reportFields,
  summary: z.string().trim().min(1).max(5000),
  caller: z.string().trim().min(1).max(100),
  callee: z.string().trim().min(1).max(100),
});
export type PhoneReportBody = z.input<typeof phoneReportBody>;
/** PATCH /api/reports/:id — edit a draft or returned report. */
export const editReportBody = z.object(reportFields).partial();
export const commentBody = z.object({ comment: text(2000).optional() });
/** POST /api/reports/hops/:id/{acknowledge,assess,relay,relay-sign,relay-return}. */
export const hopBody = z.object({ text: text(5000).optional(), comment: text(2000).optional() });
/** POST /api/reports/demands — 约报: the office above asks a unit to report an event. */
export const demandBody = z.object({
  unitCode: unitCode(),
  title: reportFields.title,
  eventTime: reportFields.eventTime,
  place: reportFields.place,
  grade,
  note: text(2000).default(''),
});
/** POST /api/reports/instructions — 领导批示. */
export const instructionBody = z.object({
  incidentId: z.uuid(),
  reportId: z.uuid().optional(),
  text: z.string().trim().min(1).max(5000),
  unitCodes: z.array(unitCode()).min(1).max(200),
  dueAt: plausibleInstant().optional(),
});
export const feedbackBody = z.object({ text: z.string().trim().min(1).max(5000), done: z.boolean().default(false) });
/** PUT /api/reports/rules — deadline rules and follow-up cadence. */
export const rulesBody = z
  .object({
    rules: z.array(z.object({ grade, level: z.union([z.literal(1), z.literal(2), z.literal(3)]), kind: z.enum(DEADLINE_KINDS), minutes: z.number().int().min(1).max(10080) })).max(24),
    followupTimes: z.array(z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/)).max(12),
    directCopyMaxGrade: z.number().int().min(0).max(4),
    warnMinutes: z.number().int().min(1).max(240),
  })
  .superRefine((b, ctx) => {
    // One rule per grade, level and kind: a second one would contradict the first.
    const seen = new Set<string>();
    b.rules.forEach((r, i) => {
      const key = `${r.grade}:${r.level}:${r.kind}`;
      if (seen.has(key)) ctx.addIssue({ code: 'custom', path: ['rules', i], message: '同一等级、层级和报送方式的时限规则重复' });
      seen.add(key);
    });
  });

// ---------- the reports list (paged on the server) ----------

export const REPORT_SORTS = ['createdAt', 'eventTime', 'grade'] as const;
export type ReportSort = (typeof REPORT_SORTS)[number];
export const REPORT_PAGE_SIZES = [10, 20, 50, 100] as const;

/** GET /api/reports: one page of the reports I may read, filtered and sorted by the server. */
export const reportListQuery = z.object({
  page: z.coerce.number().int().min(1).max(100_000).default(1),
  pageSize: z.coerce.number().int().min(1).max(100).default(20),
  grade: z.coerce.number().int().min(1).max(4).optional(),
  state: z.enum(REPORT_STATES).optional(),
  kind: z.enum(REPORT_KINDS).optional(),
  /** Only this unit and the units below it (within my own subtree). */
  unit: unitCode().optional(),
  /** Words in the title or place (only of reports whose content I may read). */
  q: z.string().trim().max(100).optional(),
  sort: z.enum(REPORT_SORTS).default('createdAt'),
  order: z.enum(['asc', 'desc']).default('desc'),
});
export type ReportListQuery = Partial<z.output<typeof reportListQuery>>;

// ---------- the incidents list (paged on the server) ----------

/** 'urgency': open first, then the most pressing deadline (overdue, due soon, pending), then the newest event. */
export const INCIDENT_SORTS = ['urgency', 'grade', 'eventTime'] as const;
export type IncidentSort = (typeof INCIDENT_SORTS)[number];

/** GET /api/reports/incidents: one page of the incidents I may see, sorted by the server. */
export const incidentListQuery = z.object({
  status: z.enum(['open', 'closed', 'all']).default('all'),
  page: z.coerce.number().int().min(1).max(100_000).default(1),
  pageSize: z.coerce.number().int().min(1).max(100).default(20),
  sort: z.enum(INCIDENT_SORTS).default('urgency'),
  /** For grade, 'desc' is the most severe (grade 1) first. */
  order: z.enum(['asc', 'desc']).default('desc'),
  /** Only these (comma-separated, at most 50): the console settles its alarms on incidents off the page. */
  ids: z
    .string()
    .max(50 * 37)
    .transform((s) => s.split(',').filter(Boolean))
    .pipe(z.array(z.uuid()).max(50))
    .optional(),
});
/** The query as a client sends it (ids comma-separated). */
export type IncidentListQuery = Partial<Omit<z.output<typeof incidentListQuery>, 'ids'>> & { ids?: string };

export interface IncidentPage {
  incidents: IncidentDto[];
  total: number;
  page: number;
  pageSize: number;
  now: string;
}

/**
 * A report as the lists show it, without its long fields (~550 B, not the ~2 KB of a full report): enough to
 * list it, announce it, count it and settle its alarm. Redacted as the full report would be (title replaced,
 * place blanked). The full report comes with its incident (GET /api/reports/incidents/:id) or alone.
 */
export type ReportSummaryDto = Pick<
  ReportDto,
  | 'id' | 'incidentId' | 'kind' | 'seq' | 'state' | 'unitCode' | 'unitName' | 'title' | 'place' | 'grade' | 'classification'
  | 'eventTime' | 'createdAt' | 'createdByName' | 'submittedAt' | 'signedAt' | 'redacted'
> & { hops: Pick<HopDto, 'id' | 'unitCode' | 'state'>[] };

/**
 * What the console needs of a report that waits for me (~450 B): as the lists show it without the times, and of
 * its hops only my unit's.
 */
export type WaitingReportDto = Omit<ReportSummaryDto, 'eventTime' | 'submittedAt' | 'signedAt'>;

export interface ReportPage {
  reports: ReportSummaryDto[];
  total: number;
  page: number;
  pageSize: number;
}

/**
 * GET /api/reports/waiting: reports waiting for my office or me, whatever page I look at (at most 200): delivered
 * here and not yet signed for (签收), and for leaders my unit's reports and relays waiting for sign-off. Alarms and
 * the menu's counts come from here; the console reads it on load and reconnect, and pushes keep it current (it
 * is not sent again with every page of the list).
 */
export interface WaitingList {
  waiting: WaitingReportDto[];
}

// ---------- pushes ----------

/** report:received: a report reached `unitCode` (report:new and report:update carry the bare ReportDto). */
export interface ReportPush {
  unitCode: string;
  report: ReportDto;
}
/** Content-free notice: refetch the incident if you show it. */
export interface IdNotice {
  id: string;
}
