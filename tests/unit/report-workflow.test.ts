/** Who may do what in which state: the urgent-report state machine as a table. */
import { describe, expect, it } from 'vitest';
import { clearedFor, decideHop, decideReport, type HopAction, type ReportAction } from '../../server/reports/workflow.ts';
import type { Role } from '../../db/schema.ts';
import type { HopState, ReportKind, ReportState } from '../../db/tables/reports.ts';

const duty: Role[] = ['duty_officer'];
const leader: Role[] = ['leader'];
const venue: Role[] = ['venue_operator'];
const sysAdmin: Role[] = ['sys_admin'];
const securityAdmin: Role[] = ['security_admin'];
const auditAdmin: Role[] = ['audit_admin'];

describe('report actions in the own unit', () => {
  const cases: [ReportAction, Role[], boolean, ReportState, ReportKind, string | ReportState][] = [
    // action, roles, own unit, state, kind → resulting state or denial
    ['edit', duty, true, 'draft', 'initial', 'draft'],
    ['edit', duty, true, 'returned', 'initial', 'draft'],
    ['edit', duty, true, 'pending_signoff', 'initial', 'STATE'],
    ['edit', leader, true, 'sent', 'initial', 'STATE'],
    ['edit', duty, false, 'draft', 'initial', 'UNIT'],
    ['edit', venue, true, 'draft', 'initial', 'ROLE'],
    ['submit', duty, true, 'draft', 'initial', 'pending_signoff'],
    ['submit', duty, true, 'returned', 'followup', 'pending_signoff'],
    ['submit', duty, true, 'sent', 'initial', 'STATE'],
    ['submit', duty, false, 'draft', 'initial', 'UNIT'],
    ['sign', duty, true, 'pending_signoff', 'initial', 'ROLE'],
    ['sign', leader, true, 'pending_signoff', 'initial', 'sent'],
    ['sign', leader, true, 'draft', 'final', 'sent'],
    // 三员分立: no administrator signs or drafts by virtue of the role.
    ['sign', sysAdmin, true, 'pending_signoff', 'initial', 'ROLE'],
    ['sign', securityAdmin, true, 'pending_signoff', 'initial', 'ROLE'],
    ['sign', auditAdmin, true, 'pending_signoff', 'initial', 'ROLE'],
    ['edit', sysAdmin, true, 'draft', 'initial', 'ROLE'],
    ['sign', leader, true, 'sent', 'initial', 'STATE'],
    ['sign', leader, false, 'pending_signoff', 'initial', 'UNIT'],
    ['sign', leader, true, 'sent', 'phone', 'STATE'],
    ['return', leader, true, 'pending_signoff', 'initial', 'returned'],
    ['return', leader, true, 'draft', 'initial', 'STATE'],
    ['return', duty, true, 'pending_signoff', 'initial', 'ROLE'],
    ['attach', duty, true, 'pending_signoff', 'initial', 'draft'],
    ['attach', duty, true, 'sent', 'initial', 'STATE'],
  ];
  it.each(cases)('%s by %j (own unit %s) in %s (%s) → %s', (action, roles, ownUnit, state, kind, expected) => {
    const d = decideReport(action, { roles, ownUnit, state, kind });
    expect(d.ok ? d.to : d.why).toBe(expected);
  });
});

describe('actions at a receiving office (hop)', () => {
  const base = { atHopUnit: true, hasParent: true, isCopy: false };
  const cases: [HopAction, Role[], HopState, ReportKind, Partial<typeof base>, string | HopState][] = [
    ['acknowledge', duty, 'received', 'initial', {}, 'acknowledged'],
    ['acknowledge', venue, 'received', 'initial', {}, 'ROLE'],
    ['acknowledge', duty, 'received', 'initial', { atHopUnit: false }, 'UNIT'],
    ['acknowledge', duty, 'acknowledged', 'initial', {}, 'STATE'],
    ['acknowledge', leader, 'received', 'initial', { hasParent: false }, 'acknowledged'],
    ['acknowledge', leader, 'received', 'initial', { isCopy: true, hasParent: false }, 'acknowledged'],
    ['assess', duty, 'acknowledged', 'initial', {}, 'acknowledged'],
    ['assess', duty, 'received', 'initial', {}, 'STATE'],
    ['relay', duty, 'acknowledged', 'initial', {}, 'relay_pending'],
    ['relay', duty, 'acknowledged', 'phone', {}, 'relayed'],
    ['relay', duty, 'received', 'initial', {}, 'STATE'],
    ['relay', duty, 'acknowledged', 'initial', { hasParent: false }, 'STATE'],
    ['relay', duty, 'acknowledged', 'initial', { isCopy: true }, 'STATE'],
    ['relay_sign', duty, 'relay_pending', 'initial', {}, 'ROLE'],
    ['relay_sign', leader, 'relay_pending', 'initial', {}, 'relayed'],
    ['relay_sign', leader, 'acknowledged', 'initial', {}, 'relayed'],
    ['relay_sign', leader, 'received', 'initial', {}, 'STATE'],
    ['relay_sign', leader, 'relayed', 'initial', {}, 'STATE'],
    ['relay_sign', leader, 'relay_pending', 'initial', { hasParent: false }, 'STATE'],
    ['relay_return', leader, 'relay_pending', 'initial', {}, 'acknowledged'],
    ['relay_return', duty, 'relay_pending', 'initial', {}, 'ROLE'],
    ['relay_return', leader, 'acknowledged', 'initial', {}, 'STATE'],
  ];
  it.each(cases)('%s by %j in %s (%s, %j) → %s', (action, roles, state, kind, over, expected) => {
    const d = decideHop(action, { roles, state, kind, ...base, ...over });
    expect(d.ok ? d.to : d.why).toBe(expected);
  });
});

describe('classification (密级)', () => {
  const cases: [number, Role[], boolean, boolean][] = [
    [0, duty, false, true],
    [1, duty, false, true],
    [1, venue, false, true],
    [2, duty, false, false],
    [2, duty, true, true], // the drafter
    [2, leader, false, true],
    [3, leader, false, true],
    [2, sysAdmin, false, false],
    [3, securityAdmin, false, false],
    [3, auditAdmin, false, false],
    [3, ['duty_officer', 'venue_operator'], false, false],
  ];
  it.each(cases)('密级 %i for %j (drafter %s) → %s', (c, roles, drafter, expected) => {
    expect(clearedFor(c, roles, drafter)).toBe(expected);
  });
});
