/** Leaders' board: open incidents by grade and unit, timeliness per unit this month, pending instructions; Excel export. */
import type { SessionUser } from '../auth/sessions.ts';
import { clock } from '../clock.ts';
import { newWorkbook, tableSheet, workbookBuffer } from '../documents/workbook.ts';
import type { AppContext } from '../context.ts';
import { todayReports } from './listService.ts';
import { visibleIncidentRows } from './repo.ts';
import { incidentDtos } from './incidentFacts.ts';
import { clearedFor, REDACTED_TITLE } from './workflow.ts';
import type { BoardData, InstructionDto, TimelinessRow} from '../../contract/reports.ts';

/**
 * Instructions a user may see: issued by their unit or a unit below it (督办), or addressed to their unit.
 * Text of instructions on classified incidents is shown only to cleared roles.
 */
export async function instructionDtos(
  ctx: AppContext,
  user: SessionUser,
  by: { box?: 'issued' | 'received'; incidentId?: string; ids?: string[] },
): Promise<InstructionDto[]> {
  const { db, tree } = ctx;
  const below = tree.subtree(user.unitCode).map((u) => u.code);
  let q = db
    .selectFrom('report_instructions as i')
    .innerJoin('users as a', 'a.id', 'i.author_id')
    .innerJoin('incidents as inc', 'inc.id', 'i.incident_id')
    .selectAll('i')
    .select(['a.display_name as author_name', 'inc.title as incident_title', 'inc.classification', 'inc.opened_by'])
    // The inner join keeps instructions on incidents only (information items have their own desk).
    .$narrowType<{ incident_id: string }>();
  const addressedToMe = (eb: any) =>
    eb.exists(eb.selectFrom('instruction_targets as t').select('t.unit_code').whereRef('t.instruction_id', '=', 'i.id').where('t.unit_code', '=', user.unitCode));
  if (by.box === 'issued') q = q.where('i.unit_code', 'in', below);
  else if (by.box === 'received') q = q.where(addressedToMe);
  else q = q.where((eb) => eb.or([eb('i.unit_code', 'in', below), addressedToMe(eb)]));
  if (by.incidentId) q = q.where('i.incident_id', '=', by.incidentId);
  if (by.ids) q = q.where('i.id', 'in', by.ids.length ? by.ids : ['00000000-0000-0000-0000-000000000000']);
  const all = await q.orderBy('i.created_at', 'desc').limit(500).execute();
  // Issued below me on an incident I may not see (nothing sent yet): not mine to read, unless addressed to me.
  const seen = new Set((await visibleIncidentRows(db, tree, user, { ids: [...new Set(all.map((r) => r.incident_id))] })).map((i) => i.id));
  const mine = all.length ? await db.selectFrom('instruction_targets').select('instruction_id').where('unit_code', '=', user.unitCode).where('instruction_id', 'in', all.map((r) => r.id)).execute() : [];
  const rows = all.filter((r) => seen.has(r.incident_id) || mine.some((m) => m.instruction_id === r.id));
  if (!rows.length) return [];
  const ids = rows.map((r) => r.id);
  const [targets, feedback] = await Promise.all([
    db.selectFrom('instruction_targets').selectAll().where('instruction_id', 'in', ids).execute(),
    db
      .selectFrom('instruction_feedback as f')
      .innerJoin('users as u', 'u.id', 'f.author_id')
      .selectAll('f')
      .select('u.display_name as author_name')
      .where('f.instruction_id', 'in', ids)
      .orderBy('f.created_at')
      .execute(),
  ]);
  const now = clock.now().getTime();
  const name = (c: string) => tree.get(c)?.name ?? c;
  return rows.map((r) => {
    const cleared = clearedFor(r.classification, user.roles, r.opened_by === user.id);
    return {
      id: r.id,
      incidentId: r.incident_id,
      incidentTitle: cleared ? r.incident_title : REDACTED_TITLE,
      reportId: r.report_id,
      unitCode: r.unit_code,
      unitName: name(r.unit_code),
      authorName: r.author_name,
      text: cleared ? r.text : '【涉密批示，请到保密渠道查阅】',
      dueAt: r.due_at?.toISOString() ?? null,
      createdAt: r.created_at.toISOString(),
      targets: targets
        .filter((t) => t.instruction_id === r.id)
        .map((t) => ({ unitCode: t.unit_code, unitName: name(t.unit_code), doneAt: t.done_at?.toISOString() ?? null, overdue: !t.done_at && !!r.due_at && r.due_at.getTime() < now })),
      feedback: feedback
        .filter((f) => f.instruction_id === r.id)
        .map((f) => ({ unitCode: f.unit_code, unitName: name(f.unit_code), authorName: f.author_name, text: cleared ? f.text : '', done: f.done, createdAt: f.created_at.toISOString() })),
    };
  });
}

export type { BoardData, InstructionDto, TimelinessRow, UnsentLateDto } from '../../contract/reports.ts';

const TZ_MS = 8 * 3600_000;

/** [start, end) of a month 'YYYY-MM' in Beijing time; the current month by default. */
export function monthRange(month: string | undefined, now: Date): { month: string; start: Date; end: Date } {
  const m = month && /^(\d{4})-(0[1-9]|1[0-2])$/.exec(month);
  const local = new Date(now.getTime() + TZ_MS);
  const y = m ? Number(m[1]) : local.getUTCFullYear();
  const mo = m ? Number(m[2]) - 1 : local.getUTCMonth();
  const start = new Date(Date.UTC(y, mo, 1) - TZ_MS);
  const end = new Date(Date.UTC(y, mo + 1, 1) - TZ_MS);
  return { month: `${y}-${String(mo + 1).padStart(2, '0')}`, start, end };
}

export async function boardData(ctx: AppContext, user: SessionUser, month?: string): Promise<BoardData> {
  const { db, tree } = ctx;
  const now = clock.now();
  const range = monthRange(month, now);
  const openRows = await visibleIncidentRows(db, tree, user, { status: 'open' });
  const monthRows = await visibleIncidentRows(db, tree, user, { since: range.start, until: range.end, limit: 5000 });
  const open = await incidentDtos(db, tree, user, openRows, now);
  const inMonth = await incidentDtos(db, tree, user, monthRows, now);

  // Group by the unit directly below me that contains the incident (or my own unit).
  const groupOf = (code: string) => {
    if (code === user.unitCode) return code;
    const chain = [code, ...tree.ancestors(code).map((u) => u.code)];
    const i = chain.indexOf(user.unitCode);
    return i > 0 ? chain[i - 1]! : code;
  };
  const openByGrade = { '1': 0, '2': 0, '3': 0, '4': 0 } as BoardData['openByGrade'];
  const byUnit = new Map<string, number>();
  for (const i of open) {
    openByGrade[String(i.grade) as '1']++;
    const g = groupOf(i.unitCode);
    byUnit.set(g, (byUnit.get(g) ?? 0) + 1);
  }

  const rows = new Map<string, TimelinessRow>();
  const row = (code: string) => {
    let r = rows.get(code);
    if (!r) rows.set(code, (r = { unitCode: code, unitName: tree.get(code)?.name ?? code, onTime: 0, late: 0, missing: 0, pending: 0, demanded: 0 }));
    return r;
  };
  for (const i of inMonth) {
    for (const o of i.deadlines) {
      if (!tree.isWithin(o.unitCode, user.unitCode)) continue;
      const r = row(o.unitCode);
      if (o.status === 'met_on_time') r.onTime++;
      else if (o.status === 'met_late') r.late++;
      else if (o.status === 'overdue') r.missing++;
      else r.pending++;
    }
    if (i.demandedByUnit) row(i.unitCode).demanded++;
  }
  const seen = new Set(monthRows.map((r) => r.id));
  const below = tree.subtree(user.unitCode).map((u) => u.code);
  const hidden = await db
    .selectFrom('deadline_misses as m')
    .innerJoin('incidents as i', 'i.id', 'm.incident_id')
    .select(['m.incident_id', 'm.unit_code', 'm.kind', 'm.due_at', 'm.recorded_at', 'i.grade'])
    .where('i.unit_code', 'in', below)
    .where('i.event_time', '>=', range.start)
    .where('i.event_time', '<', range.end)
    .orderBy('m.due_at')
    .limit(5000)
    .execute();
  const lateUnsent = hidden
    .filter((m) => !seen.has(m.incident_id) && tree.isWithin(m.unit_code, user.unitCode))
    .map((m) => ({ incidentId: m.incident_id, unitCode: m.unit_code, unitName: tree.get(m.unit_code)?.name ?? m.unit_code, kind: m.kind, grade: m.grade, dueAt: m.due_at.toISOString(), recordedAt: m.recorded_at.toISOString() }));
  for (const m of lateUnsent) row(m.unitCode).missing++;
  const instructions = await instructionDtos(ctx, user, { box: 'issued' });
  return {
    month: range.month,
    now: now.toISOString(),
    lateUnsent,
    open,
    openByGrade,
    openByUnit: [...byUnit].map(([unitCode, count]) => ({ unitCode, unitName: tree.get(unitCode)?.name ?? unitCode, count })).sort((a, b) => b.count - a.count),
    timeliness: [...rows.values()].sort((a, b) => b.missing + b.late - (a.missing + a.late) || a.unitCode.localeCompare(b.unitCode)),
    pendingInstructions: instructions.filter((x) => x.targets.some((t) => !t.doneAt)),
    todayReports: await todayReports(ctx, user, now),
  };
}

const GRADE = ['', '特别重大(I)', '重大(II)', '较大(III)', '一般(IV)'];
const KIND: Record<string, string> = { phone: '电话报', initial: '首报', followup: '续报', final: '终报' };
const fmt = (iso: string | null) => (iso ? new Date(new Date(iso).getTime() + TZ_MS).toISOString().slice(0, 16).replace('T', ' ') : '');

export async function boardWorkbook(d: BoardData): Promise<Buffer> {
  const wb = newWorkbook();
  tableSheet(wb, '报送时效', [['单位', 'unitName', 18], ['按时', 'onTime', 8], ['迟报', 'late', 8], ['超时未报', 'missing', 10], ['未到期', 'pending', 8], ['漏报(上级催报)', 'demanded', 14]], d.timeliness);
  tableSheet(
    wb,
    '未结事件',
    [['事件', 'title', 36], ['单位', 'unitName', 14], ['等级', 'grade', 12], ['事发时间', 'eventTime', 18], ['最新报告', 'lastKind', 10], ['超时', 'late', 30]],
    d.open.map((i) => ({
      title: i.title,
      unitName: i.unitName,
      grade: GRADE[i.grade],
      eventTime: fmt(i.eventTime),
      lastKind: i.lastKind ? KIND[i.lastKind] : '',
      late: i.deadlines.filter((x) => x.status === 'overdue' || x.status === 'met_late').map((x) => `${x.unitName}${x.kind === 'phone' ? '电话' : '书面'}`).join('、'),
    })),
  );
  tableSheet(
    wb,
    '待办批示',
    [['批示', 'text', 40], ['事件', 'incidentTitle', 30], ['批示人', 'authorName', 12], ['期限', 'dueAt', 18], ['未办结单位', 'pending', 30]],
    d.pendingInstructions.map((x) => ({ ...x, dueAt: fmt(x.dueAt), pending: x.targets.filter((t) => !t.doneAt).map((t) => t.unitName + (t.overdue ? '(逾期)' : '')).join('、') })),
  );
  return workbookBuffer(wb);
}
