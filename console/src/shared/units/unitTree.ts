/** The org tree as el-tree / el-tree-select data (pure, table-tested). */
import type { Unit } from '../../../../contract/org';

export interface UnitNodeData {
  value: string;
  label: string;
  children?: UnitNodeData[];
}

export const unitLabel = (u: Pick<Unit, 'name' | 'nameEn'>, locale: string) => (locale === 'en' && u.nameEn ? u.nameEn : u.name);

/** `root` and everything below it; with `below`, only the units under `root` (a forest). */
export function unitTreeData(root: Unit, locale: string, below = false): UnitNodeData[] {
  const node = (u: Unit): UnitNodeData => {
    const children = (u.children ?? []).map(node);
    return children.length ? { value: u.code, label: unitLabel(u, locale), children } : { value: u.code, label: unitLabel(u, locale) };
  };
  return below ? (root.children ?? []).map(node) : [node(root)];
}
