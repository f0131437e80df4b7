/**
 * Wire types of routine government information (政务信息): every HTTP body and push payload as a zod schema
 * with its inferred type, the DTOs the server sends, and the value lists both sides show.
 */
import { z } from 'zod';

/** 密级: 0 公开, 1 内部, 2 秘密, 3 机密 (same scale as urgent reports). */
export const CLASSIFICATIONS = [
  { value: 0, zh: '公开', en: 'Public' },
  { value: 1, zh: '内部', en: 'Internal' },
  { value: 2, zh: '秘密', en: 'Secret' },
  { value: 3, zh: '机密', en: 'Confidential' },
] as const;
export type InfoClassification = 0 | 1 | 2 | 3;
const classification = z.number().int().min(0).max(3);

export const ITEM_STATES = ['draft', 'pending_signoff', 'returned', 'submitted'] as const;
export type ItemState = (typeof ITEM_STATES)[number];
export const DELIVERY_STATES = ['received', 'acknowledged', 'adopted', 'not_adopted', 'returned'] as const;
export type DeliveryStateName = (typeof DELIVERY_STATES)[number];
export const ISSUE_STATES = ['compiling', 'pending_signoff', 'signed', 'published'] as const;
export type IssueStateName = (typeof ISSUE_STATES)[number];
/** Kinds are data (table info_kinds); these are the codes the migration ships. */
export const DEFAULT_KIND_CODES = ['dynamic', 'key_event', 'practice', 'suggestion', 'analysis'] as const;

const uuid = z.string().uuid();
/** A division (GB/T 2260) or an office's department (150000-01, migration 010). */
const unitCode = z.string().regex(/^[0-9]{6}(-[0-9]{2})?$/);
const text = (max: number) => z.string().trim().min(1).max(max);

/** PUT /api/information/items/:id — create (idempotent: the id is client-generated) or update a draft. */
export const saveItemBody = z.object({
  kind: z.string().min(1).max(40),
  title: text(200),
  body: text(20_000),
  classification,
  /** The version the editor started from; a stale save is refused instead of overwriting. */
  baseVersion: z.number().int().min(0).optional(),
});
export type SaveItemBody = z.infer<typeof saveItemBody>;

/** 保密审查 recorded with the sign-off. */
export const secrecyReview = z.object({
  containsSecrets: z.boolean(),
  fitToPublish: z.boolean(),
  figuresChecked: z.boolean(),
});
export type SecrecyReview = z.infer<typeof secrecyReview>;

/** POST /api/information/items/:id/signoff — the leader signs (with the review and the final 密级) or returns. */
export const signoffBody = z.discriminatedUnion('decision', [
  z.object({ decision: z.literal('sign'), review: secrecyReview, classification, comment: z.string().max(500).default('') }),
  z.object({ decision: z.literal('return'), comment: text(500) }),
]);
export type SignoffBody = z.infer<typeof signoffBody>;

/** POST /api/information/deliveries/:id/adopt — the editor may edit the text for publication. */
export const adoptBody = z.object({ publicationId: uuid, title: text(200), body: text(20_000) });
export type AdoptBody = z.infer<typeof adoptBody>;
/** POST …/deliveries/:id/reject (不采用) and …/return (退回修改). */
export const reasonBody = z.object({ reason: text(500) });
export type ReasonBody = z.infer<typeof reasonBody>;

/** POST /api/information/items/:id/external — an adoption by a body outside the system (民政部, 国办 …). */
export const externalAdoptionBody = z.object({ body: text(100), publication: text(100), title: text(200).optional() });
export type ExternalAdoptionBody = z.infer<typeof externalAdoptionBody>;

export const publicationBody = z.object({
  name: text(60),
  tier: z.number().int().min(1).max(3),
  maxClassification: classification,
  distribution: z.array(unitCode).max(200),
  cc: z.array(unitCode).max(200).default([]),
});
export type PublicationBody = z.infer<typeof publicationBody>;

export const createIssueBody = z.object({ publicationId: uuid });
/** POST /api/information/issues/:id/items — the issue's items in order (replaces the list while compiling). */
export const issueItemsBody = z.object({ adoptionIds: z.array(uuid).max(100) });
export type IssueItemsBody = z.infer<typeof issueItemsBody>;
export const issueSignBody = z.object({ decision: z.enum(['sign', 'return']) });

export const instructBody = z.object({ text: text(2000), dueAt: z.string().datetime({ offset: true }).optional() });
export type InstructBody = z.infer<typeof instructBody>;
export const feedbackBody = z.object({ text: text(2000), done: z.boolean() });
export type FeedbackBody = z.infer<typeof feedbackBody>;

/** PUT /api/information/officers — the unit's leader names one or two officers (实名制, with phone). */
export const officersBody = z.object({
  officers: z.array(z.object({ userId: z.number().int().positive(), phone: z.string().regex(/^[0-9+\- ]{5,20}$/) })).min(1).max(2),
  signoffUserId: z.number().int().positive().nullable(),
});
export type OfficersBody = z.infer<typeof officersBody>;

export const directPointBody = z.object({ unitCode, note: z.string().max(200).default('') });
export type DirectPointBody = z.infer<typeof directPointBody>;

const page = z.coerce.number().int().min(1).default(1);
const pageSize = z.coerce.number().int().min(1).max(100).default(20);
/** GET /api/information/items — the officer's own items, or the leader's sign-off queue. */
export const itemListQuery = z.object({
  box: z.enum(['mine', 'signoff']).default('mine'),
  state: z.enum(ITEM_STATES).optional(),
  page,
  pageSize,
  sort: z.enum(['updatedAt', 'title']).default('updatedAt'),
  order: z.enum(['asc', 'desc']).default('desc'),
});
export type ItemListQuery = z.infer<typeof itemListQuery>;
/** GET /api/information/inbox — what was submitted to the editor's office. */
export const inboxQuery = z.object({
  unit: unitCode.optional(),
  kind: z.string().max(40).optional(),
  state: z.enum(DELIVERY_STATES).optional(),
  page,
  pageSize,
  sort: z.enum(['receivedAt', 'unit', 'title']).default('receivedAt'),
  order: z.enum(['asc', 'desc']).default('desc'),
});
export type InboxQuery = z.infer<typeof inboxQuery>;
/** GET /api/information/issues — the archive (full-text over the issues' items). */
export const issueListQuery = z.object({ q: z.string().max(100).optional(), publicationId: uuid.optional(), page, pageSize });
export type IssueListQuery = z.infer<typeof issueListQuery>;

export interface Paged<T> {
  rows: T[];
  total: number;
  page: number;
  pageSize: number;
}

export interface KindDto {
  code: string;
  name: string;
  nameEn: string;
}

export interface ItemDto {
  id: string;
  unitCode: string;
  unitName: string;
  kind: string;
  title: string;
  body: string;
  classification: InfoClassification;
  state: ItemState;
  version: number;
  createdBy: string;
  createdAt: string;
  updatedAt: string;
  signedBy: string | null;
  signedAt: string | null;
  signComment: string;
  review: SecrecyReview | null;
  submittedAt: string | null;
  /** Where the item stands at each receiving office. */
  deliveries: { id: string; officeCode: string; officeName: string; route: 'parent' | 'direct' | 'forward'; state: DeliveryStateName; reason: string; receivedAt: string }[];
  adoptions: AdoptionDto[];
  /** True when the viewer may sign it off now. */
  canSign: boolean;
}

export interface AdoptionDto {
  id: string;
  itemId: string;
  officeCode: string | null;
  officeName: string;
  publicationId: string | null;
  publicationName: string;
  tier: number | null;
  title: string;
  body: string;
  adoptedAt: string;
  adoptedBy: string;
  issueId: string | null;
  issueLabel: string | null;
}

export interface InboxRowDto {
  deliveryId: string;
  itemId: string;
  unitCode: string;
  unitName: string;
  kind: string;
  /** What reached this office: the item's text, or for a forward (转报) the forwarding office's adopted edit. */
  title: string;
  body: string;
  classification: InfoClassification;
  route: 'parent' | 'direct' | 'forward';
  fromOfficeName: string | null;
  state: DeliveryStateName;
  reason: string;
  receivedAt: string;
  forwardedAt: string | null;
  adoptionId: string | null;
  review: SecrecyReview | null;
  signedBy: string | null;
  /** Highest similarity to an earlier submitted item found when it was sent (near-duplicates), or null. */
  duplicateSimilarity: number | null;
}

export interface PublicationDto {
  id: string;
  officeCode: string;
  officeName: string;
  name: string;
  tier: number;
  maxClassification: InfoClassification;
  distribution: { code: string; name: string }[];
  cc: { code: string; name: string }[];
}

export interface IssueDto {
  id: string;
  publicationId: string;
  publicationName: string;
  officeCode: string;
  officeName: string;
  year: number;
  number: number;
  /** 2026年第12期 */
  label: string;
  state: IssueStateName;
  createdAt: string;
  signedBy: string | null;
  signedAt: string | null;
  publishedAt: string | null;
  items: (AdoptionDto & { unitName: string })[];
}

export interface NoticeDto {
  id: string;
  itemId: string | null;
  issueId: string | null;
  action: string;
  text: string;
  at: string;
}

export interface InfoInstructionDto {
  id: string;
  itemId: string;
  itemTitle: string;
  unitCode: string;
  unitName: string;
  authorName: string;
  text: string;
  dueAt: string | null;
  createdAt: string;
  targets: { unitCode: string; unitName: string; doneAt: string | null; overdue: boolean }[];
  feedback: { unitName: string; authorName: string; text: string; done: boolean; createdAt: string }[];
}

export interface OfficerDto {
  userId: number;
  name: string;
  username: string;
  phone: string;
}
export interface DirectPointDto {
  id: string;
  unitCode: string;
  unitName: string;
  addedAt: string;
  droppedAt: string | null;
  note: string;
}

/** Socket pushes (server → console). */
export const INFO_EVENTS = { notice: 'information:notice', issue: 'information:issue', changed: 'information:changed' } as const;
export const noticePush = z.object({ itemId: z.string().nullable(), issueId: z.string().nullable(), action: z.string(), text: z.string(), at: z.string() });
export type NoticePush = z.infer<typeof noticePush>;
export const issuePush = z.object({ id: z.string(), label: z.string(), publicationName: z.string(), officeName: z.string() });
export type IssuePush = z.infer<typeof issuePush>;
/** Content-free: tells the consoles of the offices concerned to refetch. */
export const changedPush = z.object({ itemId: z.string() });
export type ChangedPush = z.infer<typeof changedPush>;

/** Chinese form of a date in UTC+8: 2026年12月1日. */
export function chineseDate(d: Date): string {
  const l = new Date(d.getTime() + 8 * 3600_000);
  return `${l.getUTCFullYear()}年${l.getUTCMonth() + 1}月${l.getUTCDate()}日`;
}
/** The issue's year: the year in UTC+8 at the given instant. */
export const issueYear = (d: Date): number => new Date(d.getTime() + 8 * 3600_000).getUTCFullYear();
export const issueLabel = (year: number, number: number) => `${year}年第${number}期`;
