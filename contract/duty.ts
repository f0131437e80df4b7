/** Wire types of /api/duty (值班): rosters, swaps, handovers, the duty log. DTOs the server sends. */
import type { Role } from './org.ts';

export interface DutyPerson {
  userId: number | null;
  name: string;
  phone: string | null;
}

export interface RosterEntryDto {
  id: number;
  unitCode: string;
  start: string;
  end: string;
  officers: DutyPerson[];
  leader: DutyPerson | null;
  note: string;
  version: number;
  source: RosterSource;
  swapId: string | null;
  createdBy: number;
  createdByName: string;
  createdAt: string;
  supersededAt: string | null;
}

export interface RosterSlot {
  start: string;
  end: string;
  date: string;
  index: number;
  startTime: string;
  entry: RosterEntryDto | null;
}

export const ROSTER_SOURCES = ['manual', 'import', 'swap', 'seed'] as const;
export type RosterSource = (typeof ROSTER_SOURCES)[number];
export const LOG_KINDS = ['call', 'document', 'event', 'other'] as const;

export interface DutySettings {
  shiftStarts: string[];
  dutyPhone: string | null;
}

export interface RosterView {
  unitCode: string;
  from: string;
  to: string;
  settings: DutySettings;
  slots: RosterSlot[];
  canEdit: boolean;
}

export interface UnitPerson {
  id: number;
  username: string;
  name: string;
  phone: string | null;
  roles: Role[];
}

export interface OnDutyUnit {
  code: string;
  name: string;
  level: 1 | 2 | 3;
  parentCode: string | null;
  dutyPhone: string | null;
  start: string;
  end: string;
  officers: DutyPerson[];
  leader: DutyPerson | null;
}

export interface SwapDto {
  id: string;
  unitCode: string;
  kind: 'swap' | 'replace';
  role: 'officer' | 'leader';
  slotStart: string;
  otherSlotStart: string | null;
  from: DutyPerson;
  to: DutyPerson;
  reason: string;
  status: 'pending' | 'approved' | 'rejected' | 'cancelled';
  requestedBy: number;
  requestedByName: string;
  requestedAt: string;
  decidedBy: number | null;
  decidedByName: string | null;
  decidedAt: string | null;
  decisionNote: string | null;
}

export interface HandoverItemDto {
  id: number;
  kind: string;
  refId: string;
  title: string;
  dueAt: string | null;
  acknowledgedBy: number | null;
  acknowledgedByName: string | null;
  acknowledgedAt: string | null;
}

export interface HandoverDto {
  id: string;
  unitCode: string;
  slotStart: string;
  slotEnd: string;
  outgoingUserId: number;
  outgoingName: string;
  summary: string;
  closedAt: string;
  incomingUserId: number | null;
  incomingName: string | null;
  acceptedAt: string | null;
  items: HandoverItemDto[];
}

export interface HandoverState {
  now: string;
  /** officers: who is rostered on the shift (only they may close it), null when it is not rostered. */
  closable: { start: string; end: string; date: string; startTime: string; officers?: string[] | null }[];
  openItems: { kind: string; refId: string; title: string; dueAt: string | null }[];
  pending: HandoverDto[];
  recent: HandoverDto[];
}

export type LogKind = (typeof LOG_KINDS)[number];

export interface LogFields {
  kind: LogKind;
  callTime: string;
  callerUnit: string;
  callerName: string;
  callerTitle: string;
  callerPhone: string;
  summary: string;
  place: string;
  cause: string;
  measures: string;
  notified: string;
  status: 'open' | 'closed';
}

export interface LogEntryDto extends LogFields {
  id: string;
  unitCode: string;
  receivedAt: string;
  revision: number;
  createdBy: number;
  createdByName: string;
  updatedBy: number;
  updatedByName: string;
  updatedAt: string;
}
