/** Urgent report (紧急信息) tables. */
import type { Generated } from 'kysely';
import type { ServerTime } from './common.ts';

export interface UrgentReportTable {
  id: Generated<string>;
  request_id: string; // client-generated, makes submits idempotent
  unit_code: string;
  title: string;
  event_time: Date;
  place: string;
  grade: 1 | 2 | 3 | 4; // 特别重大 I … 一般 IV
  summary: string;
  created_by: number;
  created_at: ServerTime;
}

export interface ReportTables {
  urgent_reports: UrgentReportTable;
}
