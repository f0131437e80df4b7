/**
 * The urgent-report state machine, pure: who may do what in which state.
 *
 * A report lives in its own unit: draft → pending_signoff → (returned → draft edits) → sent (签发).
 * Once sent it travels up one level at a time; at each receiving office a hop goes
 * received → acknowledged (签收, may add an assessment 研判) → relay_pending (submitted for the office
 * leader's sign-off) → relayed (签发 and sent to the next level). Phone reports (电话报) are facts of a
 * call: recorded as sent, and relayed by the receiving office without a written sign-off.
 * The top office (no parent) only acknowledges.
 */
import type { HopState, ReportKind, ReportState } from '../../db/tables/reports.ts';
import type { Role } from '../../db/schema.ts';

export type ReportAction = 'edit' | 'attach' | 'submit' | 'sign' | 'return';
export type HopAction = 'acknowledge' | 'assess' | 'relay' | 'relay_sign' | 'relay_return';
export type Action = ReportAction | HopAction;

/** Roles that draft, acknowledge and relay (值班员 and above). */
export const WORK_ROLES: readonly Role[] = ['duty_officer', 'leader'];
/** Roles that sign off (审核签发) and write instructions (批示). */
export const SIGN_ROLES: readonly Role[] = ['leader'];

interface Rule<S extends string> {
  from: readonly S[];
  roles: readonly Role[];
  to: (kind: ReportKind) => S;
}

export const REPORT_RULES: Record<ReportAction, Rule<ReportState>> = {
  edit: { from: ['draft', 'returned'], roles: WORK_ROLES, to: () => 'draft' },
  attach: { from: ['draft', 'returned', 'pending_signoff'], roles: WORK_ROLES, to: () => 'draft' },
  submit: { from: ['draft', 'returned'], roles: WORK_ROLES, to: () => 'pending_signoff' },
  // A leader may sign what they drafted themselves without a separate submit.
  sign: { from: ['draft', 'returned', 'pending_signoff'], roles: SIGN_ROLES, to: () => 'sent' },
  return: { from: ['pending_signoff'], roles: SIGN_ROLES, to: () => 'returned' },
};

export const HOP_RULES: Record<HopAction, Rule<HopState>> = {
  acknowledge: { from: ['received'], roles: WORK_ROLES, to: () => 'acknowledged' },
  assess: { from: ['acknowledged'], roles: WORK_ROLES, to: () => 'acknowledged' },
  // A phone report is relayed by phone at once; a written one waits for the office leader's sign-off.
  relay: { from: ['acknowledged'], roles: WORK_ROLES, to: (kind) => (kind === 'phone' ? 'relayed' : 'relay_pending') },
  relay_sign: { from: ['acknowledged', 'relay_pending'], roles: SIGN_ROLES, to: () => 'relayed' },
  relay_return: { from: ['relay_pending'], roles: SIGN_ROLES, to: () => 'acknowledged' },
};

export type Denial = 'ROLE' | 'UNIT' | 'STATE';
export type Decision<S> = { ok: true; to: S } | { ok: false; why: Denial };

/** May a user of `roles`, in the report's own unit or not, do `action` on a report in `state`? */
export function decideReport(
  action: ReportAction,
  a: { roles: readonly Role[]; ownUnit: boolean; state: ReportState; kind: ReportKind },
): Decision<ReportState> {
  const rule = REPORT_RULES[action];
  if (!a.ownUnit) return { ok: false, why: 'UNIT' };
  if (!a.roles.some((r) => rule.roles.includes(r))) return { ok: false, why: 'ROLE' };
  if (a.kind === 'phone' || !rule.from.includes(a.state)) return { ok: false, why: 'STATE' };
  return { ok: true, to: rule.to(a.kind) };
}

/**
 * May a user act on the hop of a report at a receiving office? `atHopUnit`: the user belongs to that office.
 * `hasParent`: the office has a level above to relay to; `isCopy`: a direct copy (read and acknowledge only).
 */
export function decideHop(
  action: HopAction,
  a: { roles: readonly Role[]; atHopUnit: boolean; state: HopState; kind: ReportKind; hasParent: boolean; isCopy: boolean },
): Decision<HopState> {
  const rule = HOP_RULES[action];
  if (!a.atHopUnit) return { ok: false, why: 'UNIT' };
  if (!a.roles.some((r) => rule.roles.includes(r))) return { ok: false, why: 'ROLE' };
  const relaying = action === 'relay' || action === 'relay_sign' || action === 'relay_return';
  if (relaying && (!a.hasParent || a.isCopy)) return { ok: false, why: 'STATE' };
  if (action === 'relay_sign' && a.kind === 'phone' && a.state === 'acknowledged') return { ok: true, to: 'relayed' };
  if (!rule.from.includes(a.state)) return { ok: false, why: 'STATE' };
  return { ok: true, to: rule.to(a.kind) };
}

/** 密级 labels; 秘密 (2) and above are classified. */
export const CLASSIFICATIONS = ['公开', '内部', '秘密', '机密'] as const;
export const CLASSIFIED_FROM = 2;
/** What a reader without clearance sees instead of a classified report's or incident's title. */
export const REDACTED_TITLE = '【涉密信息】';

/**
 * Classified reports (秘密 and 机密) are readable only by users holding the leader role — plus the
 * drafter, who wrote it. Everyone else sees a redacted stub (unit, kind, grade, times, state), so deadlines
 * stay visible without revealing content.
 */
export function clearedFor(classification: number, roles: readonly Role[], isDrafter = false): boolean {
  if (classification < CLASSIFIED_FROM) return true;
  // No administrator role clears anyone (三员分立): administering the system is not a need to know.
  return isDrafter || roles.includes('leader');
}

/** Category top levels of GB/T 35561-2017 (突发事件分类与编码). */
export const CATEGORIES = ['natural_disaster', 'accident', 'public_health', 'social_security'] as const;
