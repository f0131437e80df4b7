/**
 * The information item's state machine, pure: who may do what in which state.
 *
 * In its unit an item goes draft → pending_signoff (送审) → submitted (审核签发 with the secrecy review),
 * or back to returned (the leader sends it back; edits make it a draft again). Once submitted it has one
 * delivery per receiving office: received → acknowledged (签收) → adopted (采用) | not_adopted (不采用) |
 * returned (退回修改: the item is returned to its unit, and a new sign-off sends it again). An adopted
 * delivery may be forwarded (转报) once to the office's parent. Issues of a publication go
 * compiling → pending_signoff → signed (the office leader) → published.
 */
import type { Role } from '../../db/schema.ts';
import type { DeliveryState, InfoItemState, IssueState } from '../../db/tables/information.ts';

export type ItemAction = 'save' | 'submit' | 'sign' | 'return' | 'revise';
export type DeliveryAction = 'acknowledge' | 'adopt' | 'reject' | 'return' | 'forward';
export type IssueAction = 'compile' | 'submit' | 'sign' | 'return' | 'publish';

/** Who writes items in a unit. */
export const WRITE_ROLES: readonly Role[] = ['info_officer', 'editor', 'leader'];
/** Who signs items and issues off, and writes 批示. */
export const SIGN_ROLES: readonly Role[] = ['leader'];
/** Who handles what was submitted to an office (签收, 采用 …) and compiles issues. */
export const EDIT_ROLES: readonly Role[] = ['editor', 'leader'];

interface Rule<S extends string> {
  from: readonly S[];
  roles: readonly Role[];
  to: S | null; // null: the state does not change
}

export const ITEM_RULES: Record<ItemAction, Rule<InfoItemState>> = {
  save: { from: ['draft', 'returned'], roles: WRITE_ROLES, to: 'draft' },
  submit: { from: ['draft', 'returned'], roles: WRITE_ROLES, to: 'pending_signoff' },
  // A leader may sign a draft they wrote themselves without a separate 送审.
  sign: { from: ['draft', 'returned', 'pending_signoff'], roles: SIGN_ROLES, to: 'submitted' },
  return: { from: ['pending_signoff'], roles: SIGN_ROLES, to: 'returned' },
  // 退回修改 by a receiving office (decided on the delivery).
  revise: { from: ['submitted'], roles: EDIT_ROLES, to: 'returned' },
};

export const DELIVERY_RULES: Record<DeliveryAction, Rule<DeliveryState>> = {
  acknowledge: { from: ['received'], roles: EDIT_ROLES, to: 'acknowledged' },
  adopt: { from: ['received', 'acknowledged'], roles: EDIT_ROLES, to: 'adopted' },
  reject: { from: ['received', 'acknowledged'], roles: EDIT_ROLES, to: 'not_adopted' },
  return: { from: ['received', 'acknowledged'], roles: EDIT_ROLES, to: 'returned' },
  forward: { from: ['adopted'], roles: EDIT_ROLES, to: null },
};

export const ISSUE_RULES: Record<IssueAction, Rule<IssueState>> = {
  compile: { from: ['compiling'], roles: EDIT_ROLES, to: null },
  submit: { from: ['compiling'], roles: EDIT_ROLES, to: 'pending_signoff' },
  sign: { from: ['pending_signoff'], roles: SIGN_ROLES, to: 'signed' },
  return: { from: ['pending_signoff'], roles: SIGN_ROLES, to: 'compiling' },
  publish: { from: ['signed'], roles: EDIT_ROLES, to: 'published' },
};

export type Decision<S> = { ok: true; to: S } | { ok: false; why: 'role' | 'unit' | 'state' | 'signer' | 'review' | 'classification' | 'empty' | 'top' | 'done' };

const hasRole = (roles: readonly Role[], allowed: readonly Role[]) => roles.some((r) => allowed.includes(r));

export interface ItemFacts {
  roles: readonly Role[];
  /** The actor belongs to the item's unit. */
  ownUnit: boolean;
  state: InfoItemState;
  /** The unit named a 分管领导 and it is someone else. */
  otherSigner?: boolean;
  /** For sign: the review and the 密级 chosen. */
  review?: { containsSecrets: boolean; figuresChecked: boolean };
  classification?: number;
}

export function decideItem(action: ItemAction, f: ItemFacts): Decision<InfoItemState> {
  const rule = ITEM_RULES[action];
  if (!hasRole(f.roles, rule.roles)) return { ok: false, why: 'role' };
  // Only a receiving office revises; everything else happens inside the item's own unit.
  if (action === 'revise' ? f.ownUnit : !f.ownUnit) return { ok: false, why: 'unit' };
  if (!rule.from.includes(f.state)) return { ok: false, why: 'state' };
  if (action === 'sign' || action === 'return') {
    if (f.otherSigner) return { ok: false, why: 'signer' };
  }
  if (action === 'sign') {
    // 保密审查: the figures must have been checked; content with state secrets must carry 秘密 or above.
    if (!f.review?.figuresChecked) return { ok: false, why: 'review' };
    if (f.review.containsSecrets && (f.classification ?? 0) < 2) return { ok: false, why: 'classification' };
  }
  return { ok: true, to: rule.to ?? f.state };
}

export interface DeliveryFacts {
  roles: readonly Role[];
  /** The actor belongs to the receiving office. */
  atOffice: boolean;
  state: DeliveryState;
  /** adopt: the item's 密级 and the publication's maximum. */
  classification?: number;
  maxClassification?: number;
  /** forward: whether the office has a parent and whether it already forwarded. */
  hasParent?: boolean;
  forwarded?: boolean;
}

export function decideDelivery(action: DeliveryAction, f: DeliveryFacts): Decision<DeliveryState> {
  const rule = DELIVERY_RULES[action];
  if (!hasRole(f.roles, rule.roles)) return { ok: false, why: 'role' };
  if (!f.atOffice) return { ok: false, why: 'unit' };
  if (!rule.from.includes(f.state)) return { ok: false, why: 'state' };
  if (action === 'adopt' && (f.classification ?? 0) > (f.maxClassification ?? 0)) return { ok: false, why: 'classification' };
  if (action === 'forward') {
    if (!f.hasParent) return { ok: false, why: 'top' };
    if (f.forwarded) return { ok: false, why: 'done' };
  }
  return { ok: true, to: rule.to ?? f.state };
}

export interface IssueFacts {
  roles: readonly Role[];
  atOffice: boolean;
  state: IssueState;
  itemCount: number;
}

export function decideIssue(action: IssueAction, f: IssueFacts): Decision<IssueState> {
  const rule = ISSUE_RULES[action];
  if (!hasRole(f.roles, rule.roles)) return { ok: false, why: 'role' };
  if (!f.atOffice) return { ok: false, why: 'unit' };
  if (!rule.from.includes(f.state)) return { ok: false, why: 'state' };
  if ((action === 'submit' || action === 'sign') && f.itemCount === 0) return { ok: false, why: 'empty' };
  return { ok: true, to: rule.to ?? f.state };
}
