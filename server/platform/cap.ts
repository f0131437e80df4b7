/**
 * CAP 1.2 messages from our urgent reports, pure (no I/O): what the region sends to the emergency platform.
 * Alert for the first message of an incident, Update (with references) for 续报 and 终报 (marked final in a
 * parameter), Cancel for a withdrawal. Classified content (秘密 and above) never leaves unredacted.
 */
import { CAP_NS, el, toXml, type XNode } from './capModel.ts';

export type Grade = 1 | 2 | 3 | 4;
export type PushKind = 'first' | 'followup' | 'final' | 'cancel';

/** Grade → CAP severity: 特别重大 I Extreme, 重大 II Severe, 较大 III Moderate, 一般 IV Minor. */
export const SEVERITY_BY_GRADE = { 1: 'Extreme', 2: 'Severe', 3: 'Moderate', 4: 'Minor' } as const;
export const GRADE_ROMAN = { 1: 'I', 2: 'II', 3: 'III', 4: 'IV' } as const;
const GRADE_ZH = { 1: '特别重大', 2: '重大', 3: '较大', 4: '一般' } as const;

/**
 * Our categories are the four top categories of GB/T 35561-2017 (突发事件分类与编码). Each maps to its
 * code there (sent as an eventCode) and to the CAP categories that cover it.
 */
export const CATEGORY_MAP: Record<string, { gbCode: string; gbName: string; cap: string[] }> = {
  natural_disaster: { gbCode: '10000', gbName: '自然灾害', cap: ['Geo', 'Met'] },
  accident: { gbCode: '20000', gbName: '事故灾难', cap: ['Safety'] },
  public_health: { gbCode: '30000', gbName: '公共卫生事件', cap: ['Health'] },
  social_security: { gbCode: '40000', gbName: '社会安全事件', cap: ['Security'] },
  '': { gbCode: '90000', gbName: '其他', cap: ['Other'] },
};
export const categoryOf = (c: string) => CATEGORY_MAP[c] ?? CATEGORY_MAP['']!;

/** 秘密 (2) and above: scope Restricted, content redacted. */
export const CLASSIFIED_FROM = 2;
export const REDACTED = '【涉密内容，不在应急平台公开传输；请通过保密渠道向报送单位调阅】';

export interface CapReport {
  reportId: string;
  incidentId: string;
  kind: 'phone' | 'initial' | 'followup' | 'final';
  seq: number;
  unitCode: string;
  unitName: string;
  /** Names from the region down to the unit, e.g. 内蒙古自治区呼和浩特市新城区. */
  areaName: string;
  title: string;
  place: string;
  category: string;
  grade: Grade;
  classification: number;
  summary: string;
  casualties: string;
  losses: string;
  measures: string;
  nextSteps: string;
  eventTime: Date;
}

export interface CapSender {
  /** CAP sender: unique name of the originator (no spaces or commas). */
  sender: string;
  senderName: string;
  /** GB/T 2260 code of the sending office (the region). */
  areaCode: string;
  /** Organisation code of the sending office, after the area code in the identifier. */
  orgCode: string;
  status: 'Actual' | 'Exercise' | 'Test';
}

export interface SentRef {
  identifier: string;
  sent: string;
}

/** A time as CAP wants it: seconds and an explicit +08:00 (Beijing time), never Z. */
export function capTime(d: Date): string {
  const local = new Date(d.getTime() + 8 * 3600_000).toISOString();
  return `${local.slice(0, 19)}+08:00`;
}

/**
 * GB/T 35965.1 style identifier: the sender's area code and organisation code, the send time
 * (YYYYMMDDhhmmss, Beijing time) and a serial, e.g. 150000-MZ0001-20261201080000-0007.
 */
export function capIdentifier(areaCode: string, orgCode: string, at: Date, serial: number): string {
  const t = capTime(at).slice(0, 19).replace(/[-:T]/g, '');
  return `${areaCode}-${orgCode}-${t}-${String(serial % 10000).padStart(4, '0')}`;
}

/** The msgType a push gets: the first message of an incident is an Alert, later ones Update, withdrawal Cancel. */
export function msgTypeFor(kind: PushKind, hasPrior: boolean): 'Alert' | 'Update' | 'Cancel' {
  if (kind === 'cancel') return 'Cancel';
  return hasPrior ? 'Update' : 'Alert';
}

/** The push kind of a report: 终报 final, 续报 followup, 首报 and 电话报 first (Update if something went before). */
export const pushKindOf = (k: CapReport['kind']): PushKind => (k === 'final' ? 'final' : k === 'followup' ? 'followup' : 'first');

/** CAP references: every earlier message of the incident, "sender,identifier,sent", oldest first. */
export const referencesOf = (sender: string, prior: SentRef[]) => prior.map((p) => `${sender},${p.identifier},${p.sent}`).join(' ');

const KIND_ZH = (r: CapReport) => (r.kind === 'phone' ? '电话报' : r.kind === 'initial' ? '首报' : r.kind === 'final' ? '终报' : `续报（第${r.seq}次）`);

const param = (name: string, value: string) => el('parameter', [el('valueName', name), el('value', value)]);

function description(r: CapReport): string {
  const parts = [r.summary];
  if (r.casualties) parts.push(`人员伤亡：${r.casualties}`);
  if (r.losses) parts.push(`财产损失：${r.losses}`);
  return parts.join('\n');
}

export interface BuiltCap {
  identifier: string;
  sent: string;
  msgType: 'Alert' | 'Update' | 'Cancel';
  tree: XNode;
  xml: string;
}

/** Builds the message for one push of `r`; `prior` are the incident's earlier messages (already decided). */
export function buildCap(r: CapReport, kind: PushKind, prior: SentRef[], s: CapSender, now: Date, serial: number): BuiltCap {
  const identifier = capIdentifier(s.areaCode, s.orgCode, now, serial);
  const sent = capTime(now);
  const msgType = msgTypeFor(kind, prior.length > 0);
  const classified = r.classification >= CLASSIFIED_FROM;
  const cat = categoryOf(r.category);
  const head: XNode[] = [el('identifier', identifier), el('sender', s.sender), el('sent', sent), el('status', s.status), el('msgType', msgType), el('scope', classified ? 'Restricted' : 'Public')];
  if (classified) head.push(el('restriction', '涉密信息：仅限应急平台授权值守人员，内容已脱敏'));
  if (kind === 'cancel') head.push(el('note', '报送单位撤回此前推送的信息'));
  if (prior.length) head.push(el('references', referencesOf(s.sender, prior)));
  head.push(el('incidents', r.incidentId));
  const headline = classified ? `${r.unitName}报告一起${GRADE_ZH[r.grade]}突发事件（涉密）` : `${r.title}（${GRADE_ZH[r.grade]}，${KIND_ZH(r)}）`;
  const info: XNode[] = [
    el('language', 'zh-CN'),
    ...cat.cap.map((c) => el('category', c)),
    el('event', classified ? cat.gbName : `${cat.gbName}：${r.title}`),
    el('urgency', kind === 'cancel' ? 'Past' : r.grade <= 2 ? 'Immediate' : 'Expected'),
    el('severity', SEVERITY_BY_GRADE[r.grade]),
    el('certainty', r.kind === 'phone' ? 'Likely' : 'Observed'),
    el('eventCode', [el('valueName', 'GB/T 35561'), el('value', cat.gbCode)]),
    el('onset', capTime(r.eventTime)),
    el('senderName', s.senderName),
    el('headline', kind === 'cancel' ? `撤回：${headline}` : headline),
    el('description', classified ? REDACTED : description(r)),
  ];
  const instruction = classified ? '' : [r.measures && `已采取措施：${r.measures}`, r.nextSteps && `下一步：${r.nextSteps}`].filter(Boolean).join('\n');
  if (instruction) info.push(el('instruction', instruction));
  info.push(param('报告类型', KIND_ZH(r)), param('事件分级', GRADE_ROMAN[r.grade]), param('报送单位', `${r.unitCode} ${r.unitName}`));
  if (kind === 'final') info.push(param('终报', 'true'));
  info.push(el('area', [el('areaDesc', classified ? r.areaName : `${r.areaName}${r.place ? ` ${r.place}` : ''}`), el('geocode', [el('valueName', 'GB/T 2260'), el('value', r.unitCode)])]));
  const tree = el('alert', [...head, el('info', info)]);
  return { identifier, sent, msgType, tree, xml: toXml(tree) };
}

/** An acknowledgement or error answer (no info): what a receiver returns for a message it got. */
export function buildAnswer(
  type: 'Ack' | 'Error',
  s: { sender: string; identifier: string; now: Date },
  about: { sender: string; identifier: string; sent: string } | null,
  note?: string,
): { xml: string; tree: XNode } {
  const children = [el('identifier', s.identifier), el('sender', s.sender), el('sent', capTime(s.now)), el('status', 'Actual'), el('msgType', type), el('scope', 'Public')];
  if (note) children.push(el('note', note.slice(0, 4000)));
  // An Error about a message we could not read has nothing to reference.
  if (about) children.push(el('references', `${about.sender},${about.identifier},${about.sent}`));
  const tree = el('alert', children);
  return { tree, xml: toXml(tree) };
}

export { CAP_NS };

/** A CAP `references` value: `sender,identifier,sent` per earlier message, space-separated. Pure. */
export function parseReferences(text: string): { sender: string; identifier: string; sent: string }[] {
  return text
    .split(/\s+/)
    .filter(Boolean)
    .map((r) => r.split(','))
    .filter((p) => p.length === 3 && p.every(Boolean))
    .map(([sender, identifier, sent]) => ({ sender: sender!, identifier: identifier!, sent: sent! }));
}
