/** The pure rules of unit moves, new units' levels, 三员分立 role sets and idleness, as tables. */
import { describe, expect, it } from 'vitest';
import { OrgTree, type OrgUnit } from '../../server/org/tree.ts';
import { moveProblem, newUnitLevel } from '../../server/admin/rules.ts';
import { roleProblems } from '../../contract/admin.ts';
import { isIdle, warnSecondsFor } from '../../server/auth/policy.ts';
import type { Role } from '../../contract/org.ts';

const u = (code: string, level: 1 | 2 | 3, parentCode: string | null, kind?: 'department'): OrgUnit => ({ code, name: code, nameEn: code, level, parentCode, sortOrder: 0, ...(kind ? { kind } : {}) });
const tree = new OrgTree([u('150000', 1, null), u('150100', 2, '150000'), u('150102', 3, '150100'), u('150200', 2, '150000'), u('150202', 3, '150200'), u('150102-01', 3, '150102', 'department')]);
const g = (c: string) => tree.get(c)!;

describe('moveProblem', () => {
  it.each([
    ['150102', '150200', null],
    ['150102', '150100', null],
    ['150000', '150100', 'UNIT_ROOT'],
    ['150100', '150102', 'UNIT_CYCLE'],
    ['150100', '150100', 'UNIT_CYCLE'],
    ['150102', '150000', 'UNIT_LEVEL'],
    ['150102', '150202', 'UNIT_LEVEL'],
    ['150100', '150200', 'UNIT_LEVEL'],
    ['150102', '150102-01', 'UNIT_PARENT'],
    ['150102', 'nope', 'UNIT_PARENT'],
  ])('%s under %s → %s', (unit, parent, code) => {
    expect(moveProblem(tree, g(unit), tree.get(parent))?.code ?? null).toBe(code);
  });
});

describe('newUnitLevel', () => {
  it.each([
    ['150000', 2],
    ['150100', 3],
    ['150102', null],
    ['150102-01', null],
  ])('under %s → level %s', (parent, level) => {
    const r = newUnitLevel(tree.get(parent));
    expect('level' in r ? r.level : null).toBe(level);
  });
});

describe('roleProblems (三员分立)', () => {
  it.each<[Role[], number]>([
    [[], 0],
    [['duty_officer', 'leader'], 0],
    [['sys_admin'], 0],
    [['security_admin'], 0],
    [['sys_admin', 'audit_admin'], 1],
    [['sys_admin', 'security_admin', 'audit_admin'], 1],
    [['security_admin', 'leader'], 1],
    [['audit_admin', 'sys_admin', 'editor'], 2],
    [['leader', 'leader'], 1],
  ])('%j → %i problem(s)', (roles, n) => {
    expect(roleProblems(roles)).toHaveLength(n);
  });
});

describe('isIdle / warnSecondsFor', () => {
  const at = new Date('2030-02-28T23:59:00+08:00');
  it.each([
    [29, 30, false],
    [30, 30, false],
    [31, 30, true],
    [600, 0, false],
  ])('%i min after the last activity with %i min → idle %s', (after, idle, expected) => {
    expect(isIdle(at, new Date(at.getTime() + after * 60_000), idle)).toBe(expected);
  });
  it('warns two minutes ahead, less for short timeouts', () => {
    expect(warnSecondsFor(30)).toBe(120);
    expect(warnSecondsFor(5)).toBe(75);
  });
});
