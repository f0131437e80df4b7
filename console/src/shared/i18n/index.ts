import { createI18n } from 'vue-i18n';
import zhCN from './zh-CN';
import en from './en';

export type Locale = 'zh-CN' | 'en';
export const LOCALES: Locale[] = ['zh-CN', 'en'];
const STORAGE_KEY = 'tl.locale';

/**
 * Domains keep their own messages beside their code, each under its own top-level keys, in files named
 * `i18n.ts`, `i18n*.ts` or `*-i18n.ts`. They are discovered here, not imported one by one, so a new domain
 * needs no line in shared/.
 */
type DomainMessages = { 'zh-CN': Record<string, unknown>; en: Record<string, unknown> };
const found = import.meta.glob<DomainMessages>(['../../**/i18n*.ts', '../../**/*-i18n.ts', '!./**'], { eager: true, import: 'default' });
const DOMAINS: DomainMessages[] = Object.keys(found)
  .sort()
  .map((k) => found[k]!);

function initialLocale(): Locale {
  const saved = localStorage.getItem(STORAGE_KEY);
  return saved === 'en' ? 'en' : 'zh-CN'; // Chinese is the default, regardless of browser language.
}

export const i18n = createI18n({
  legacy: false,
  locale: initialLocale(),
  fallbackLocale: 'zh-CN',
  messages: {
    // Typed as the core messages: domain keys are looked up by string, like every vue-i18n key.
    'zh-CN': Object.assign({}, zhCN, ...DOMAINS.map((d) => d['zh-CN'])) as typeof zhCN,
    en: Object.assign({}, en, ...DOMAINS.map((d) => d.en)) as typeof zhCN,
  },
});

export function setLocale(locale: Locale): void {
  i18n.global.locale.value = locale;
  localStorage.setItem(STORAGE_KEY, locale);
  document.documentElement.lang = locale;
}

document.documentElement.lang = i18n.global.locale.value;
