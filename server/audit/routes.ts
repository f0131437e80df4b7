/** The audit administrator's view of the trail: pages with filters, the chain's verification, an Excel export. */
import { Router, type Response } from 'express';
import { newWorkbook, tableSheet, workbookBuffer } from '../documents/workbook.ts';
import { MIME, sendDownload } from '../http/download.ts';
import { auditQuery, type AuditEntryDto, type AuditPageDto, type AuditQuery, type AuditVerifyDto } from '../../contract/audit.ts';
import type { AppServices } from '../services.ts';
import { currentUser } from '../auth/middleware.ts';
import { hasAnyRole, type SessionUser } from '../auth/sessions.ts';
import { errors } from '../http/errors.ts';
import { parse } from '../http/validate.ts';
import type { StoredEntry } from './chain.ts';
import { pageAudit, type AuditFilter } from './repo.ts';
import { verifyAudit } from './service.ts';

const EXPORT_MAX = 50_000;

export function auditRoutes(ctx: AppServices): Router {
  const r = Router();

  const auditor = (res: Response): SessionUser => {
    const user = currentUser(res);
    if (!hasAnyRole(user, ['audit_admin'])) throw errors.roleForbidden();
    return user;
  };
  /** The region's auditor sees everything (failed sign-ins have no unit); one below, its subtree. */
  const filterOf = (user: SessionUser, q: AuditQuery): AuditFilter => ({
    from: q.from ? new Date(q.from) : undefined,
    to: q.to ? new Date(q.to) : undefined,
    username: q.username || undefined,
    action: q.action || undefined,
    unitCodes: user.unitCode === ctx.tree.root.code ? undefined : ctx.tree.subtree(user.unitCode).map((u) => u.code),
  });
  const dto = (e: StoredEntry): AuditEntryDto => ({
    id: e.id,
    at: e.at.toISOString(),
    username: e.username,
    unitCode: e.unitCode,
    unitName: e.unitCode ? (ctx.tree.get(e.unitCode)?.name ?? null) : null,
    remote: e.remote,
    action: e.action,
    target: e.target,
    status: e.status,
    detail: e.detail === null ? null : (JSON.parse(e.detail) as unknown),
    hash: e.hash,
  });

  r.get('/', async (req, res) => {
    const user = auditor(res);
    const q = parse(auditQuery, req.query);
    const { total, rows } = await pageAudit(ctx.db, filterOf(user, q), (q.page - 1) * q.pageSize, q.pageSize);
    const body: AuditPageDto = { total, entries: rows.map(dto) };
    res.json(body);
  });

  r.get('/verify', async (_req, res) => {
    auditor(res);
    const body: AuditVerifyDto = await verifyAudit(ctx.db);
    res.json(body);
  });

  r.get('/export.xlsx', async (req, res) => {
    const user = auditor(res);
    const q = parse(auditQuery, req.query);
    const { rows } = await pageAudit(ctx.db, filterOf(user, q), 0, EXPORT_MAX);
    const wb = newWorkbook();
    tableSheet(
      wb,
      '审计日志',
      [['序号', 'id', 10], ['时间 (UTC)', 'at', 26], ['用户', 'username', 18], ['单位', 'unit', 20], ['来源地址', 'remote', 18], ['操作', 'action', 48], ['对象', 'target', 40], ['结果', 'status', 8], ['详情', 'detail', 60], ['哈希', 'hash', 66]],
      rows.map(dto).map((e) => ({ ...e, unit: e.unitName ?? e.unitCode ?? '', detail: e.detail === null ? '' : JSON.stringify(e.detail) })),
    );
    sendDownload(res, MIME.xlsx, { filename: '审计日志.xlsx', ascii: 'audit.xlsx', data: await workbookBuffer(wb) });
  });

  return r;
}
