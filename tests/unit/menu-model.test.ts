/** The side menu's sections and counts (console/src/shared/menu/menuModel.ts): what waits where, by unit and role. */
import { describe, expect, it } from 'vitest';
import { pageLabel, reportCounts, sectionOf, visibleSections } from '../../console/src/shared/menu/menuModel.ts';
import type { ReportDto } from '../../contract/reports.ts';

const report = (unitCode: string, state: ReportDto['state'], hops: { unitCode: string; state: ReportDto['hops'][number]['state'] }[]) =>
  ({ unitCode, state, hops }) as unknown as ReportDto;

describe('menu sections', () => {
  it.each([
    ['reports', 'reports'],
    ['incident', 'reports'],
    ['report-print', 'reports'],
    ['duty-handover', 'duty'],
    ['info-inbox', 'information'],
    ['info-score-bulletins', 'information'],
    ['platform-outbox', 'platform'],
    ['home', 'home'],
    ['meeting-attendance', 'home'],
  ])('route %s belongs to %s', (route, section) => {
    expect(sectionOf(route)?.key).toBe(section);
  });

  it('a route outside every section has no crumb', () => {
    expect(sectionOf('login')).toBeNull();
    expect(sectionOf(undefined)).toBeNull();
  });

  it('pages name themselves from their domain tabs', () => {
    expect(pageLabel('duty-log')).toBe('duty.tabs.log');
    expect(pageLabel('platform-alerts')).toBe('platform.tabs.alerts');
    expect(pageLabel('info-score-quota')).toBe('scoring.tabs.score-quota');
    expect(pageLabel('info-inbox')).toBe('information.tabs.inbox');
    expect(pageLabel('incident')).toBe('menu.incident');
    expect(pageLabel('reports')).toBeNull();
  });

  it('the leaders’ board only for leaders and duty officers', () => {
    expect(visibleSections(['info_officer']).map((s) => s.key)).not.toContain('board');
    expect(visibleSections(['leader', 'sys_admin']).map((s) => s.key)).toContain('board');
    expect(visibleSections(['duty_officer']).map((s) => s.key)).toContain('board');
  });
});

it.each([[['sys_admin']], [['security_admin']], [['audit_admin']], [['sys_admin', 'audit_admin']]])('an administrator without a business role (%j) sees no business section', (roles) => {
  expect(visibleSections(roles)).toEqual([]);
});

describe('report counts on the menu', () => {
  const list = [
    report('150102', 'sent', [{ unitCode: '150100', state: 'received' }]), // waits for 150100 to sign for it
    report('150103', 'sent', [{ unitCode: '150100', state: 'acknowledged' }]),
    report('150100', 'pending_signoff', []), // the city's own, waiting for its leader
    report('150104', 'sent', [{ unitCode: '150100', state: 'relay_pending' }]), // relay waiting for the city's leader
    report('150100', 'draft', []),
  ];

  it.each([
    ['150100', ['duty_officer'], { toAcknowledge: 1, toSignOff: 0 }],
    ['150100', ['leader'], { toAcknowledge: 1, toSignOff: 2 }],
    ['150000', ['leader'], { toAcknowledge: 0, toSignOff: 0 }],
  ])('at %s as %j', (unit, roles, expected) => {
    expect(reportCounts(list, unit, roles)).toEqual(expected);
  });
});
