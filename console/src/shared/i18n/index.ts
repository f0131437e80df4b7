import { createI18n } from 'vue-i18n';
import zhCN from './zh-CN';
import en from './en';
import duty from '../../duty/i18n';
import meetingControl from '../../meetings/control/i18n';
import deviceTest from '../../meetings/device/i18n';
import account from '../../account/i18n';
import information from '../../information/i18n';
import infoOffice from '../../information/i18nOffice';
import infoDuplicates from '../../information/duplicates-i18n';
import platform from '../../platform/i18n';
import alarm from '../alarm/i18n';
import scoring from '../../information/scoring/i18n';
import menu from '../menu/i18n';
import audit from '../../audit/i18n';

export type Locale = 'zh-CN' | 'en';
export const LOCALES: Locale[] = ['zh-CN', 'en'];
const STORAGE_KEY = 'tl.locale';

/** Domains keep their own messages beside their code, each under its own top-level key. */
const DOMAINS: { 'zh-CN': Record<string, unknown>; en: Record<string, unknown> }[] = [duty, meetingControl, deviceTest, account, information, infoOffice, infoDuplicates, platform, alarm, scoring, menu, audit];

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
