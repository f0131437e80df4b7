/** Who may do what in which state: the information item, its deliveries and issues as tables. */
import { describe, expect, it } from 'vitest';
import type { Role } from '../../db/schema.ts';
import type { DeliveryState, InfoItemState, IssueState } from '../../db/tables/information.ts';
import { decideDelivery, decideIssue, decideItem, type DeliveryAction, type IssueAction, type ItemAction } from '../../server/information/workflow.ts';
import { itemSight, receivingOffices } from '../../server/information/visibility.ts';
import { chineseDate, issueLabel, issueYear } from '../../contract/information.ts';

const officer: Role[] = ['info_officer'];
const leader: Role[] = ['leader'];
const editor: Role[] = ['editor'];
const duty: Role[] = ['duty_officer'];
const checked = { containsSecrets: false, figuresChecked: true };

describe('item actions', () => {
  type Extra = { otherSigner?: boolean; review?: { containsSecrets: boolean; figuresChecked: boolean }; classification?: number };
  const cases: [ItemAction, Role[], boolean, InfoItemState, Extra, string][] = [
    // action, roles, own unit, state, facts → resulting state or denial
    ['save', officer, true, 'draft', {}, 'draft'],
    ['save', officer, true, 'returned', {}, 'draft'],
    ['save', officer, true, 'pending_signoff', {}, 'state'],
    ['save', officer, true, 'submitted', {}, 'state'],
    ['save', officer, false, 'draft', {}, 'unit'],
    ['save', duty, true, 'draft', {}, 'role'],
    ['submit', officer, true, 'draft', {}, 'pending_signoff'],
    ['submit', officer, true, 'returned', {}, 'pending_signoff'],
    ['submit', officer, true, 'submitted', {}, 'state'],
    ['sign', officer, true, 'pending_signoff', { review: checked }, 'role'],
    ['sign', leader, true, 'pending_signoff', { review: checked }, 'submitted'],
    ['sign', leader, true, 'draft', { review: checked }, 'submitted'],
    ['sign', leader, false, 'pending_signoff', { review: checked }, 'unit'],
    ['sign', leader, true, 'submitted', { review: checked }, 'state'],
    // 分管领导 named: another leader of the unit may not sign
    ['sign', leader, true, 'pending_signoff', { review: checked, otherSigner: true }, 'signer'],
    ['return', leader, true, 'pending_signoff', { otherSigner: true }, 'signer'],
    // 保密审查: figures unchecked, or secrets with a 密级 below 秘密
    ['sign', leader, true, 'pending_signoff', { review: { containsSecrets: false, figuresChecked: false } }, 'review'],
    ['sign', leader, true, 'pending_signoff', { review: { containsSecrets: true, figuresChecked: true }, classification: 1 }, 'classification'],
    ['sign', leader, true, 'pending_signoff', { review: { containsSecrets: true, figuresChecked: true }, classification: 2 }, 'submitted'],
    ['sign', leader, true, 'pending_signoff', {}, 'review'],
    ['return', leader, true, 'pending_signoff', {}, 'returned'],
    ['return', leader, true, 'draft', {}, 'state'],
    ['revise', editor, false, 'submitted', {}, 'returned'],
    ['revise', editor, true, 'submitted', {}, 'unit'],
    ['revise', officer, false, 'submitted', {}, 'role'],
  ];
  it.each(cases)('%s by %j (own unit %s) in %s %j → %s', (action, roles, ownUnit, state, extra, expected) => {
    const d = decideItem(action, { roles, ownUnit, state, ...extra });
    expect(d.ok ? d.to : d.why).toBe(expected);
  });
});

describe('delivery actions at the receiving office', () => {
  type Extra = { classification?: number; maxClassification?: number; hasParent?: boolean; forwarded?: boolean };
  const cases: [DeliveryAction, Role[], boolean, DeliveryState, Extra, string][] = [
    ['acknowledge', editor, true, 'received', {}, 'acknowledged'],
    ['acknowledge', editor, true, 'acknowledged', {}, 'state'],
    ['acknowledge', editor, false, 'received', {}, 'unit'],
    ['acknowledge', officer, true, 'received', {}, 'role'],
    ['acknowledge', duty, true, 'received', {}, 'role'],
    ['adopt', editor, true, 'acknowledged', { classification: 1, maxClassification: 1 }, 'adopted'],
    ['adopt', leader, true, 'received', { classification: 0, maxClassification: 2 }, 'adopted'],
    ['adopt', editor, true, 'acknowledged', { classification: 2, maxClassification: 1 }, 'classification'],
    ['adopt', editor, true, 'adopted', { classification: 0, maxClassification: 1 }, 'state'],
    ['adopt', editor, true, 'not_adopted', {}, 'state'],
    ['reject', editor, true, 'acknowledged', {}, 'not_adopted'],
    ['reject', editor, true, 'adopted', {}, 'state'],
    ['return', editor, true, 'received', {}, 'returned'],
    ['return', editor, true, 'returned', {}, 'state'],
    ['forward', editor, true, 'adopted', { hasParent: true }, 'adopted'],
    ['forward', editor, true, 'adopted', { hasParent: true, forwarded: true }, 'done'],
    ['forward', editor, true, 'adopted', { hasParent: false }, 'top'],
    ['forward', editor, true, 'acknowledged', { hasParent: true }, 'state'],
  ];
  it.each(cases)('%s by %j (at office %s) in %s %j → %s', (action, roles, atOffice, state, extra, expected) => {
    const d = decideDelivery(action, { roles, atOffice, state, ...extra });
    expect(d.ok ? d.to : d.why).toBe(expected);
  });
});

describe('issue actions', () => {
  const cases: [IssueAction, Role[], boolean, IssueState, number, string][] = [
    ['compile', editor, true, 'compiling', 0, 'compiling'],
    ['compile', editor, true, 'signed', 1, 'state'],
    ['compile', editor, false, 'compiling', 1, 'unit'],
    ['submit', editor, true, 'compiling', 2, 'pending_signoff'],
    ['submit', editor, true, 'compiling', 0, 'empty'],
    ['sign', editor, true, 'pending_signoff', 2, 'role'],
    ['sign', leader, true, 'pending_signoff', 2, 'signed'],
    ['sign', leader, false, 'pending_signoff', 2, 'unit'],
    ['return', leader, true, 'pending_signoff', 2, 'compiling'],
    ['publish', editor, true, 'pending_signoff', 2, 'state'],
    ['publish', editor, true, 'signed', 2, 'published'],
    ['publish', officer, true, 'signed', 2, 'role'],
    ['publish', editor, true, 'published', 2, 'state'],
  ];
  it.each(cases)('%s by %j (at office %s) in %s with %i items → %s', (action, roles, atOffice, state, itemCount, expected) => {
    const d = decideIssue(action, { roles, atOffice, state, itemCount });
    expect(d.ok ? d.to : d.why).toBe(expected);
  });
});

describe('who sees an item', () => {
  const base = { viewerUnit: '150100', viewerRoles: editor, itemUnit: '150102', state: 'submitted' as InfoItemState, viewerIsAbove: true, deliveredToViewer: true, classification: 0 };
  const cases: [string, Partial<typeof base>, string][] = [
    ['own unit, draft', { viewerUnit: '150102', state: 'draft', viewerIsAbove: false, deliveredToViewer: false }, 'full'],
    ['own unit, secret', { viewerUnit: '150102', viewerRoles: officer, classification: 3 }, 'full'],
    ['parent office, submitted', {}, 'full'],
    ['region above, not delivered, submitted', { viewerUnit: '150000', deliveredToViewer: false }, 'full'],
    ['region above, draft', { viewerUnit: '150000', state: 'draft', deliveredToViewer: false }, 'none'],
    ['parent, awaiting sign-off (never sent)', { state: 'pending_signoff', deliveredToViewer: false }, 'none'],
    ['parent, returned for revision after receiving it (being edited again)', { state: 'returned', deliveredToViewer: true }, 'none'],
    ['office it was forwarded to, not above', { viewerIsAbove: false, deliveredToViewer: true }, 'full'],
    ['sibling county', { viewerUnit: '150103', viewerIsAbove: false, deliveredToViewer: false }, 'none'],
    ['other city', { viewerUnit: '150200', viewerIsAbove: false, deliveredToViewer: false }, 'none'],
    ['secret item, duty officer above', { viewerRoles: duty, classification: 2 }, 'redacted'],
    ['secret item, editor above', { classification: 2 }, 'full'],
  ];
  it.each(cases)('%s → %s', (_name, over, expected) => {
    expect(itemSight({ ...base, ...over })).toBe(expected);
  });
});

describe('receiving offices and dates', () => {
  it('sends to the parent, and to the region as well for a 直报点 (once, even when the parent is the region)', () => {
    expect(receivingOffices('150100', [])).toEqual([{ office: '150100', route: 'parent' }]);
    expect(receivingOffices('150100', ['150000'])).toEqual([
      { office: '150100', route: 'parent' },
      { office: '150000', route: 'direct' },
    ]);
    expect(receivingOffices('150000', ['150000'])).toEqual([{ office: '150000', route: 'parent' }]);
    expect(receivingOffices(null, [])).toEqual([]);
  });
  it.each([
    ['2026-12-31T15:59:59Z', 2026, '2026年12月31日'],
    ['2026-12-31T16:00:00Z', 2027, '2027年1月1日'],
    ['2028-02-28T16:30:00Z', 2028, '2028年2月29日'],
    ['2026-12-01T00:00:00Z', 2026, '2026年12月1日'],
  ])('%s is in issue year %i, dated %s (UTC+8)', (iso, year, date) => {
    expect(issueYear(new Date(iso))).toBe(year);
    expect(chineseDate(new Date(iso))).toBe(date);
  });
  it('labels issues per year', () => expect(issueLabel(2026, 12)).toBe('2026年第12期'));
});
