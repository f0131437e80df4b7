/** The org tree as the administrators' pages need it (fresh from the server: units change at run time). */
import { ref } from 'vue';
import type { Unit } from '../../../contract/org';
import { adminApi } from './api';

export function useAdminTree() {
  const root = ref<Unit | null>(null);
  const byCode = ref(new Map<string, Unit>());
  async function load(): Promise<void> {
    const r = await adminApi.orgTree();
    const m = new Map<string, Unit>();
    const walk = (u: Unit) => (m.set(u.code, u), u.children.forEach(walk));
    walk(r);
    root.value = r;
    byCode.value = m;
  }
  return { root, byCode, load };
}

export const TREE_PROPS = { label: 'name', children: 'children' };
