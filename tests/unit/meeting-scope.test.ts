import { describe, expect, it } from 'vitest';
import { flattenTree } from '../../server/seed/demo.ts';
import { ORG_TREE } from '../../server/seed/org-tree.ts';
import { resolveScope, type MeetingScope } from '../../server/meetings/scope.ts';
import { OrgTree } from '../../server/org/tree.ts';

const tree = new OrgTree(
  flattenTree(ORG_TREE).map((u) => ({ code: u.code, name: u.name, nameEn: u.name_en, level: u.level, parentCode: u.parent_code, sortOrder: u.sort_order })),
);
const HOHHOT_COUNTIES = ['150102', '150103', '150104', '150105', '150121', '150122', '150123', '150124', '150125'];

describe('resolveScope: who a meeting includes', () => {
  const ok: [string, string, MeetingScope, string[] | number][] = [
    ['region-wide, by the region', '150000', { kind: 'region' }, 116],
    ['one city and its counties, by the region', '150000', { kind: 'cityWithCounties', cityCode: '150100' }, ['150000', '150100', ...HOHHOT_COUNTIES]],
    ['one city and its counties, by that city', '150100', { kind: 'cityWithCounties', cityCode: '150100' }, ['150100', ...HOHHOT_COUNTIES]],
    ['all cities, by the region', '150000', { kind: 'level', level: 2 }, 13],
    ['all counties of a city, by the city', '150100', { kind: 'level', level: 3 }, ['150100', ...HOHHOT_COUNTIES]],
    ['a chosen set, host first then org order', '150000', { kind: 'units', unitCodes: ['152502', '150102', '150100'] }, ['150000', '150100', '150102', '152502']],
    ['a county calling its city', '150102', { kind: 'units', unitCodes: ['150100'] }, ['150102', '150100']],
    ['duplicates and the host itself are folded', '150100', { kind: 'units', unitCodes: ['150102', '150102', '150100'] }, ['150100', '150102']],
  ];
  it.each(ok)('%s', (_name, host, scope, expected) => {
    const r = resolveScope(tree, host, scope);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    if (typeof expected === 'number') expect(r.unitCodes).toHaveLength(expected);
    else expect(r.unitCodes).toEqual(expected);
    expect(r.unitCodes[0]).toBe(host);
  });

  const refused: [string, string, MeetingScope, RegExp][] = [
    ['region-wide by a city', '150100', { kind: 'region' }, /only the region/],
    ['another city by a city', '150100', { kind: 'cityWithCounties', cityCode: '150200' }, /jurisdiction/],
    ['a sibling county by a county', '150102', { kind: 'units', unitCodes: ['150103'] }, /jurisdiction/],
    ['the region by a county (skipping its city)', '150102', { kind: 'units', unitCodes: ['150000'] }, /jurisdiction/],
    ['a county code as a city', '150000', { kind: 'cityWithCounties', cityCode: '150102' }, /not a city/],
    ['an unknown code', '150000', { kind: 'units', unitCodes: ['990000'] }, /unknown units/],
    ['nobody but the host', '150100', { kind: 'units', unitCodes: ['150100'] }, /at least one other/],
    ['counties by a county (its subtree is itself)', '150102', { kind: 'level', level: 3 }, /at least one other/],
  ];
  it.each(refused)('refuses %s', (_name, host, scope, reason) => {
    const r = resolveScope(tree, host, scope);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.reason).toMatch(reason);
  });
});
