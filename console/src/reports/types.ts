/** Wire types of the urgent-report workflow (docs/API.md, 紧急信息). */
import type { Grade } from '../shared/types';

export type { Grade };
export type Classification = 0 | 1 | 2 | 3;
export type ReportKind = 'phone' | 'initial' | 'followup' | 'final';
export type ReportState = 'draft' | 'pending_signoff' | 'returned' | 'sent';
export type HopState = 'received' | 'acknowledged' | 'relay_pending' | 'relayed';
export type DeadlineKind = 'phone' | 'written';
export type DeadlineStatus = 'pending' | 'due_soon' | 'overdue' | 'met_on_time' | 'met_late';
export type Category = '' | 'natural_disaster' | 'accident' | 'public_health' | 'social_security';

export interface Hop {
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
  relaySignComment: string | null;
  relayedAt: string | null;
}

export interface Attachment {
  id: string;
  filename: string;
  mime: string;
  size: number;
  createdAt: string;
}

export interface FullReport {
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
  createdBy: string | number;
  createdByName: string;
  createdAt: string;
  submittedAt: string | null;
  signedByName: string | null;
  signedAt: string | null;
  signComment: string | null;
  redacted: boolean;
  hops: Hop[];
  attachments: Attachment[];
}

export interface Obligation {
  unitCode: string;
  unitName: string;
  level: 1 | 2 | 3;
  kind: DeadlineKind;
  dueAt: string;
  metAt: string | null;
  status: DeadlineStatus;
  lateRecordedAt: string | null;
}

export interface Incident {
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
  reportCount: number;
  lastKind: ReportKind | null;
  lastSentAt: string | null;
  deadlines: Obligation[];
  followupDueAt: string | null;
  waitingHere: number;
}

export interface TimelineEvent {
  id: string;
  reportId: string | null;
  unitCode: string;
  unitName: string;
  actorName: string | null;
  action: string;
  detail: Record<string, unknown>;
  at: string;
}

export interface Instruction {
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

export interface IncidentDetail {
  incident: Incident;
  reports: FullReport[];
  timeline: TimelineEvent[];
  instructions: Instruction[];
  now: string;
}

export interface Board {
  month: string;
  now: string;
  open: Incident[];
  openByGrade: Record<'1' | '2' | '3' | '4', number>;
  openByUnit: { unitCode: string; unitName: string; count: number }[];
  timeliness: { unitCode: string; unitName: string; onTime: number; late: number; missing: number; pending: number; demanded: number }[];
  pendingInstructions: Instruction[];
  /** Missed deadlines on incidents nothing was sent for yet: the fact, never the title. */
  lateUnsent?: { incidentId: string; unitCode: string; unitName: string; kind: 'phone' | 'written'; grade: 1 | 2 | 3 | 4; dueAt: string; recordedAt: string }[];
}

export interface WrittenFields {
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
}
