import { defineStore } from 'pinia';
import { computed, ref, watch } from 'vue';
import { api } from './api';
import type { Unit } from '../../../contract/org';
import { useAuthStore } from './session/authStore';

function find(unit: Unit, code: string): Unit | null {
  if (unit.code === code) return unit;
  for (const child of unit.children ?? []) {
    const hit = find(child, code);
    if (hit) return hit;
  }
  return null;
}

/** The org tree (region → cities → counties), loaded once per session. */
export const useOrgStore = defineStore('org', () => {
  const auth = useAuthStore();
  const root = ref<Unit | null>(null);
  const loading = ref(false);
  const error = ref<unknown>(null);
  let pending: Promise<void> | null = null;

  /** The caller's own unit node: meetings may only include units in this subtree. */
  const myUnit = computed(() => (root.value && auth.user ? find(root.value, auth.user.unitCode) : null));

  /** Level-2 units (盟市) inside my subtree; a city user sees only itself. */
  const cities = computed<Unit[]>(() => {
    const me = myUnit.value;
    if (!me) return [];
    if (me.level === 2) return [me];
    if (me.level === 1) return me.children ?? [];
    return [];
  });

  function load(): Promise<void> {
    if (root.value) return Promise.resolve();
    pending ??= (async () => {
      loading.value = true;
      error.value = null;
      try {
        root.value = (await api.get<{ root: Unit }>('/api/org/tree')).root;
      } catch (e) {
        error.value = e;
      } finally {
        loading.value = false;
        pending = null;
      }
    })();
    return pending;
  }

  /** Every unit by code (for names: see unitName.ts). */
  const byCode = computed(() => {
    const m = new Map<string, Unit>();
    const walk = (u: Unit) => {
      m.set(u.code, u);
      u.children?.forEach(walk);
    };
    if (root.value) walk(root.value);
    return m;
  });

  function unit(code: string): Unit | null {
    return byCode.value.get(code) ?? null;
  }

  watch(
    () => auth.user?.id,
    () => {
      root.value = null;
    },
  );

  return { root, loading, error, myUnit, cities, byCode, load, unit };
});
