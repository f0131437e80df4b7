/** Routine government information (政务信息) tables: officers, items, deliveries, adoptions, publications, issues. */
import type { ColumnType, Generated } from 'kysely';
import type { Classification } from './reports.ts';

/** A fact stamped by the server (clock.now()) on insert: required on insert, never updated. */
type FactTime = ColumnType<Date, Date, never>;

export type InfoItemState = 'draft' | 'pending_signoff' | 'returned' | 'submitted';
export type DeliveryState = 'received' | 'acknowledged' | 'adopted' | 'not_adopted' | 'returned';
export type DeliveryRoute = 'parent' | 'direct' | 'forward';
export type IssueState = 'compiling' | 'pending_signoff' | 'signed' | 'published';

export interface InfoKindTable {
  code: string;
  name: string;
  name_en: string;
  sort_order: number;
}

export interface InfoOfficerTable {
  unit_code: string;
  user_id: number;
  phone: string;
  named_at: Date;
}

export interface InfoUnitSettingsTable {
  unit_code: string;
  /** 分管领导: the one who signs items off; null = any leader of the unit. */
  signoff_user_id: number | null;
  updated_at: Date;
}

export interface InfoDirectPointTable {
  id: Generated<string>;
  unit_code: string;
  office_code: string;
  added_at: FactTime;
  added_by: number;
  dropped_at: Date | null;
  dropped_by: number | null;
  note: Generated<string>;
}

export interface InfoPublicationTable {
  id: Generated<string>;
  office_code: string;
  name: string;
  tier: 1 | 2 | 3;
  max_classification: Classification;
  distribution: string[];
  cc: string[];
  sort_order: Generated<number>;
}

export interface InfoItemTable {
  id: string; // client-generated: makes the first save idempotent
  unit_code: string;
  kind: string;
  title: string;
  body: string;
  classification: Classification;
  state: InfoItemState;
  version: number;
  created_by: number;
  created_at: FactTime;
  updated_at: Date;
  signed_by: number | null;
  signed_at: Date | null;
  /** The version signed off: what the receiving offices got (shown to them while the item is revised). */
  signed_version: Generated<number | null>;
  sign_comment: Generated<string>;
  review_contains_secrets: boolean | null;
  review_fit_to_publish: boolean | null;
  review_figures_checked: boolean | null;
  submitted_at: Date | null;
}

export interface InfoItemRevisionTable {
  id: Generated<string>;
  item_id: string;
  version: number;
  title: string;
  body: string;
  edited_by: number;
  edited_at: FactTime;
  note: string;
}

export interface InfoDeliveryTable {
  id: Generated<string>;
  item_id: string;
  office_code: string;
  route: DeliveryRoute;
  from_office_code: string | null;
  state: DeliveryState;
  received_at: FactTime;
  acknowledged_at: Date | null;
  acknowledged_by: number | null;
  decided_at: Date | null;
  decided_by: number | null;
  reason: Generated<string>;
  forwarded_at: Date | null;
}

export interface InfoIssueTable {
  id: Generated<string>;
  publication_id: string;
  year: number;
  number: number;
  state: IssueState;
  created_by: number;
  created_at: FactTime;
  signed_by: number | null;
  signed_at: Date | null;
  published_by: number | null;
  published_at: Date | null;
}

export interface InfoAdoptionTable {
  id: Generated<string>;
  item_id: string;
  office_code: string | null;
  publication_id: string | null;
  external_body: string | null;
  external_publication: string | null;
  title: string;
  body: string;
  adopted_by: number;
  adopted_at: FactTime;
  issue_id: string | null;
  issue_position: number | null;
}

export interface InfoEventTable {
  id: Generated<string>;
  item_id: string | null;
  issue_id: string | null;
  /** Whose history / notice this is: the item's unit for notices, the acting office otherwise. */
  unit_code: string;
  actor_id: number | null;
  action: string;
  detail: ColumnType<Record<string, unknown>, string, never>;
  at: FactTime;
}

export interface InformationTables {
  info_kinds: InfoKindTable;
  info_officers: InfoOfficerTable;
  info_unit_settings: InfoUnitSettingsTable;
  info_direct_points: InfoDirectPointTable;
  info_publications: InfoPublicationTable;
  info_items: InfoItemTable;
  info_item_revisions: InfoItemRevisionTable;
  info_deliveries: InfoDeliveryTable;
  info_issues: InfoIssueTable;
  info_adoptions: InfoAdoptionTable;
  info_events: InfoEventTable;
}
