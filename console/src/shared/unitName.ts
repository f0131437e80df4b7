import { useI18n } from 'vue-i18n';
import { useOrgStore } from './orgStore';

/**
 * The one source of unit names on screen: the org tree, in the console's language (English names in English),
 * the same as the dropdowns. `fallback` (the name the server sent) shows until the tree has loaded.
 */
export function useUnitName(): (code: string, fallback?: string) => string {
  const org = useOrgStore();
  const { locale } = useI18n();
  void org.load();
  return (code, fallback) => {
    const u = org.byCode.get(code);
    if (!u) return fallback || code;
    return locale.value === 'en' && u.nameEn ? u.nameEn : u.name;
  };
}
