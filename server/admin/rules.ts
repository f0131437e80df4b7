/** Pure rules of unit management (table-tested in tests/unit/admin-rules.test.ts). */
import type { OrgTree, OrgUnit } from '../org/tree.ts';

export type MoveProblem = { code: 'UNIT_ROOT' | 'UNIT_CYCLE' | 'UNIT_LEVEL' | 'UNIT_PARENT'; message: string };

/**
 * Can `unit` move under `parent`? Never the root, never under itself or anything below it (a cycle), only
 * under a division one level up (a county under a city: levels are what the reporting deadlines follow).
 */
export function moveProblem(tree: OrgTree, unit: OrgUnit, parent: OrgUnit | undefined): MoveProblem | null {
  if (unit.parentCode === null) return { code: 'UNIT_ROOT', message: '顶级单位不能移动' };
  if (!parent || parent.kind === 'department') return { code: 'UNIT_PARENT', message: '上级单位不存在' };
  if (tree.isWithin(parent.code, unit.code)) return { code: 'UNIT_CYCLE', message: '不能移动到本单位或其下级单位之下（会形成循环）' };
  if (parent.level !== unit.level - 1) return { code: 'UNIT_LEVEL', message: `只能移动到${unit.level === 3 ? '盟市级' : '自治区级'}单位之下（保持单位层级不变）` };
  return null;
}

/** The level a new unit under `parent` has, or a problem (counties have no divisions below them). */
export function newUnitLevel(parent: OrgUnit | undefined): { level: 2 | 3 } | { problem: string } {
  if (!parent || parent.kind === 'department') return { problem: '上级单位不存在' };
  if (parent.level >= 3) return { problem: '旗县级单位下不能再设下级单位' };
  return { level: (parent.level + 1) as 2 | 3 };
}
