/** The audit trail on the wire (GET /api/audit, /api/audit/verify, /api/audit/export.xlsx): audit administrator only. */
import { z } from 'zod';

const isoTime = z.string().max(40).refine((s) => !Number.isNaN(Date.parse(s)), '时间格式不正确');

export const auditQuery = z.object({
  from: isoTime.optional(),
  to: isoTime.optional(),
  username: z.string().trim().max(100).optional(),
  /** Part of the action ("change", "export", "auth.login_failed", "/api/reports"). */
  action: z.string().trim().max(200).optional(),
  page: z.coerce.number().int().min(1).max(100_000).default(1),
  pageSize: z.coerce.number().int().min(1).max(200).default(50),
});
export type AuditQuery = z.infer<typeof auditQuery>;

export interface AuditEntryDto {
  id: string;
  at: string;
  username: string | null;
  unitCode: string | null;
  unitName: string | null;
  remote: string | null;
  action: string;
  target: string | null;
  status: number | null;
  /** Parsed detail: request body (secrets masked), before/after of a change, what classified thing was read. */
  detail: unknown;
  hash: string;
}

export interface AuditPageDto {
  total: number;
  entries: AuditEntryDto[];
}

export interface AuditVerifyDto {
  ok: boolean;
  checked: number;
  /** The first entry whose link does not hold: PREV_HASH (one before it was removed or reordered), HASH (it was changed). */
  broken: { id: string; reason: 'PREV_HASH' | 'HASH'; at: string | null; action: string | null } | null;
}
