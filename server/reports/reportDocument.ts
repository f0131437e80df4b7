/**
 * The 报送单 (突发事件信息报送单) of one report as an official document (documents/official.ts), Word and PDF
 * from one model: the reporting unit's red mark, the report's kind as 发文字号 with the 签发人 on the right (an
 * upward document, 上行文), the 密级 and an urgency mark by grade, the form's fields as a two-column table,
 * every hop (received, signed for, relayed, its assessment), addressed to the unit above. Times in the
 * formal Chinese form (2026年12月1日14时43分, UTC+8). A report the reader is not cleared for stays blank.
 */
import { chineseDate } from '../../contract/information.ts';
import type { ReportDto } from '../../contract/reports.ts';
import type { OfficialDoc } from '../documents/official.ts';

// Latin numerals: the Roman number forms (Ⅰ–Ⅳ) are not in the embedded font's common set.
const GRADE = { 1: '特别重大（I级）', 2: '重大（II级）', 3: '较大（III级）', 4: '一般（IV级）' } as const;
const CATEGORY: Record<string, string> = { natural_disaster: '自然灾害', accident: '事故灾难', public_health: '公共卫生事件', social_security: '社会安全事件' };
const CLASSIFICATION = { 0: '公开', 1: '内部', 2: '秘密', 3: '机密' } as const;
// 特急 for I and II, 加急 for III (GB/T 9704 7.2.3 紧急程度).
const URGENCY = { 1: '特急', 2: '特急', 3: '加急', 4: null } as const;

/** 2026年12月1日14时43分 (UTC+8). */
export function chineseDateTime(iso: string | null): string {
  if (!iso) return '';
  const d = new Date(iso);
  const l = new Date(d.getTime() + 8 * 3600_000);
  return `${chineseDate(d)}${l.getUTCHours()}时${String(l.getUTCMinutes()).padStart(2, '0')}分`;
}

export const reportKindText = (r: Pick<ReportDto, 'kind' | 'seq'>) => (r.kind === 'phone' ? '电话报' : r.kind === 'initial' ? '首报' : r.kind === 'final' ? '终报' : `续报（第${r.seq}次）`);

export function reportDocument(r: ReportDto, o: { parentName: string | null; printedAt: string }): OfficialDoc {
  const field = (label: string, value: string) => [label, value || '—'];
  const rows: string[][] = [
    field('事件名称', r.title),
    field('报送单位', r.unitName),
    field('事件等级', GRADE[r.grade]),
    field('事件类别', CATEGORY[r.category] ?? ''),
    field('发生时间', chineseDateTime(r.eventTime)),
    field('发生地点', `${r.place} ${r.address}`.trim()),
    ...(r.kind === 'phone' ? [field('报告人', r.caller), field('接报人', r.callee)] : []),
    field('基本情况', r.summary),
    field('伤亡情况', r.casualties),
    field('损失情况', r.losses),
    field('原因分析', r.cause),
    field('已采取措施', r.measures),
    field('下一步工作', r.nextSteps),
    field('附件', r.attachments.map((a) => a.filename).join('、')),
    field('拟稿', `${r.createdByName} ${chineseDateTime(r.createdAt)}`),
    field('签发', r.kind === 'phone' ? '电话报告，无需签发' : `${r.signedByName ?? ''} ${chineseDateTime(r.signedAt)}`.trim()),
    ...(r.signComment ? [field('签发意见', r.signComment)] : []),
    ...r.hops.map((h) =>
      field(
        h.unitName,
        [
          `${chineseDateTime(h.receivedAt)}收到`,
          h.acknowledgedAt ? `${h.acknowledgedByName ?? ''}${chineseDateTime(h.acknowledgedAt)}签收` : '',
          h.relayedAt ? `${h.relaySignedByName ?? h.relayByName ?? ''}${chineseDateTime(h.relayedAt)}续报上级` : '',
          h.assessment ? `研判：${h.assessment}` : '',
          h.relaySignComment ? `签发意见：${h.relaySignComment}` : '',
        ]
          .filter(Boolean)
          .join('；'),
      ),
    ),
  ];
  const urgency = URGENCY[r.grade];
  return {
    marks: [...(r.classification > 0 ? [CLASSIFICATION[r.classification]] : []), ...(urgency ? [urgency] : [])],
    issuer: `${r.unitName}突发事件信息报送单`,
    docNumber: `${reportKindText(r)}\u3000${chineseDateTime(r.submittedAt ?? r.createdAt)}`,
    signer: r.kind === 'phone' ? null : (r.signedByName ?? '（未签发）'),
    title: r.title,
    addressee: o.parentName,
    blocks: [{ kind: 'table', header: null, rows, widths: [32, 124] }],
    signature: { office: r.unitName, date: chineseDate(new Date(r.submittedAt ?? r.createdAt)) },
    cc: [],
    printer: { office: r.unitName, date: chineseDate(new Date(o.printedAt)) },
  };
}
