/** Departments (内设机构) in the org tree: below their office for look-ups, outside every walk of the divisions. */
import { describe, expect, it } from 'vitest';
import { flattenTree } from '../../server/seed/demo.ts';
import { DEMO_DEPARTMENTS, departmentCode } from '../../server/seed/departments.ts';
import { ORG_TREE } from '../../server/seed/org-tree.ts';
import { OrgTree, type OrgUnit } from '../../server/org/tree.ts';
import { resolveScope } from '../../server/meetings/scope.ts';
import { receivingOffices } from '../../server/information/visibility.ts';

const divisions: OrgUnit[] = flattenTree(ORG_TREE).map((u) => ({ code: u.code, name: u.name, nameEn: u.name_en, level: u.level, parentCode: u.parent_code, sortOrder: u.sort_order }));
const byCode = new Map(divisions.map((u) => [u.code, u]));
const departments: OrgUnit[] = DEMO_DEPARTMENTS.map((d, i) => ({ code: departmentCode(d.office, d.number), name: `${byCode.get(d.office)!.name}${d.name}`, nameEn: d.nameEn, level: byCode.get(d.office)!.level, parentCode: d.office, sortOrder: 1000 + i, kind: 'department' }));
// Departments listed first: the tree must not depend on the order rows come in.
const tree = new OrgTree([...departments, ...divisions]);

describe('departments in the org tree', () => {
  it('keeps the 116 divisions in every walk (meetings, duty, the console tree)', () => {
    expect(tree.subtree('150000')).toHaveLength(116);
    expect(tree.children('150102')).toEqual([]);
    expect(tree.atLevel(1).map((u) => u.code)).toEqual(['150000']);
    expect(JSON.stringify(tree.toNested())).not.toContain('150000-01');
  });

  it.each([
    ['150000-01', '150000', true],
    ['150102-01', '150102', true],
    ['150102-01', '150100', true], // a county department lies below the city too
    ['150102-01', '150103', false],
    ['150102-01', '150102-02', false], // siblings see nothing of each other
    ['150102', '150102-01', false], // the office is not below its department
  ])('isWithin(%s, %s) = %s', (code, ancestor, expected) => {
    expect(tree.isWithin(code, ancestor)).toBe(expected);
  });

  it('lists an office’s departments, including one registered at run time', () => {
    expect(tree.departments('150100').map((d) => d.code)).toEqual(['150100-01', '150100-02']);
    tree.addDepartment({ code: '150100-03', name: '呼和浩特市救灾科', nameEn: '', level: 2, parentCode: '150100', sortOrder: 1003 });
    expect(tree.departments('150100').map((d) => d.code)).toEqual(['150100-01', '150100-02', '150100-03']);
    expect(tree.isDepartment('150100-03')).toBe(true);
    expect(tree.isDepartment('150100')).toBe(false);
    expect(tree.subtree('150100')).toHaveLength(10);
  });

  it('sends a department’s items to its office, and lets it convene nobody beyond its office', () => {
    expect(receivingOffices(tree.get('150000-01')!.parentCode, [])).toEqual([{ office: '150000', route: 'parent' }]);
    // A region department has level 1 but no region of its own to convene.
    expect(resolveScope(tree, '150000-01', { kind: 'region' })).toMatchObject({ ok: false });
    expect(resolveScope(tree, '150000-01', { kind: 'level', level: 2 })).toMatchObject({ ok: false });
  });

  it('refuses a department without an office above it', () => {
    expect(() => new OrgTree([...divisions, { code: '150000-09', name: 'x', nameEn: 'x', level: 1, parentCode: '159999', sortOrder: 1, kind: 'department' }])).toThrow(/office/);
  });
});
