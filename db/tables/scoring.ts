/** Information scoring tables: schemes (effective-dated), commissioned requests, reminders, published bulletins. */
import type { ColumnType, Generated } from 'kysely';

type FactTime = ColumnType<Date, Date, never>;
type Json<T> = ColumnType<T, string, never>;

export interface InfoScoreSchemeTable {
  id: Generated<string>;
  office_code: string;
  /** 'YYYY-MM-DD' in UTC+8: the version applies from this day on. */
  effective_from: string;
  rules: Json<unknown>;
  note: Generated<string>;
  created_by: number;
  created_at: FactTime;
}

export interface InfoRequestTable {
  id: string; // client-generated: a retried send creates one request
  office_code: string;
  topic: string;
  requirements: string;
  deadline: Date;
  created_by: number;
  created_at: FactTime;
}

export interface InfoRequestTargetTable {
  request_id: string;
  unit_code: string;
}

export interface InfoRequestAnswerTable {
  request_id: string;
  unit_code: string;
  item_id: string;
  linked_by: number;
  linked_at: FactTime;
}

export interface InfoReminderTable {
  unit_code: string;
  /** quota and request: the ticker's reminders; request_new and bulletin: a 约稿 or a published bulletin delivered. */
  kind: 'quota' | 'request' | 'request_new' | 'bulletin';
  ref: string;
  text: string;
  at: FactTime;
}

export interface InfoBulletinTable {
  id: Generated<string>;
  office_code: string;
  period: string;
  period_kind: 'month' | 'quarter' | 'half' | 'year';
  data: Json<unknown>;
  published_by: number;
  published_at: FactTime;
}

export interface ScoringTables {
  info_score_schemes: InfoScoreSchemeTable;
  info_requests: InfoRequestTable;
  info_request_targets: InfoRequestTargetTable;
  info_request_answers: InfoRequestAnswerTable;
  info_reminders: InfoReminderTable;
  info_bulletins: InfoBulletinTable;
}
