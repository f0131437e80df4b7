import { describe, expect, it } from 'vitest';
import { flattenTree } from '../../server/seed/demo.ts';
import { ORG_TREE } from '../../server/seed/org-tree.ts';
import { OrgTree } from '../../server/org/tree.ts';

const tree = new OrgTree(
  flattenTree(ORG_TREE).map((u) => ({ code: u.code, name: u.name, nameEn: u.name_en, level: u.level, parentCode: u.parent_code, sortOrder: u.sort_order })),
);

describe('demo org tree (GB/T 2260)', () => {
  it('has the region, 12 leagues/cities and 103 banners/counties', () => {
    expect(tree.root.code).toBe('150000');
    expect(tree.atLevel(2)).toHaveLength(12);
    expect(tree.atLevel(3)).toHaveLength(103);
  });

  it('keeps every code under its parent\'s prefix', () => {
    for (const city of tree.atLevel(2)) {
      expect(city.code.slice(0, 2)).toBe('15');
      for (const county of tree.children(city.code)) expect(county.code.slice(0, 4)).toBe(city.code.slice(0, 4));
    }
  });
});

describe('OrgTree look-ups', () => {
  it.each([
    ['150102', '150100', true], // 新城区 is under 呼和浩特市
    ['150102', '150000', true],
    ['150102', '150102', true],
    ['150202', '150100', false], // 包头 district is not under 呼和浩特
    ['150100', '150102', false], // a city is not under its county
  ])('isWithin(%s, %s) = %s', (code, ancestor, expected) => {
    expect(tree.isWithin(code, ancestor)).toBe(expected);
  });

  it('lists ancestors parent first', () => {
    expect(tree.ancestors('150102').map((u) => u.code)).toEqual(['150100', '150000']);
    expect(tree.ancestors('150000')).toEqual([]);
  });

  it('rejects a tree with two roots or an unknown parent', () => {
    const u = (code: string, parentCode: string | null) => ({ code, name: code, nameEn: code, level: 1 as const, parentCode, sortOrder: 0 });
    expect(() => new OrgTree([u('150000', null), u('160000', null)])).toThrow(/exactly one root/);
    expect(() => new OrgTree([u('150000', null), u('150100', '999999')])).toThrow(/unknown parent/);
  });
});
