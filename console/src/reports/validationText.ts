import { i18n } from '../shared/i18n';
import { AppError } from '../shared/errors';
import { errorText } from '../shared/errorText';

/** Our own server checks explain themselves in Chinese (「事发时间不能晚于当前时间」); zod's generic ones do not. */
const OWN_MESSAGE = /[\u4e00-\u9fff]/;

/**
 * What a VALIDATION error means for a form: the server's own field message when it wrote one, else the names
 * of the offending fields (`labels`: field → i18n key), else the generic error text.
 */
export function validationText(e: unknown, labels: Record<string, string>): string {
  const { t, locale } = i18n.global;
  if (e instanceof AppError && e.code === 'VALIDATION' && Array.isArray(e.details)) {
    const names = new Set<string>();
    const own: string[] = [];
    for (const issue of e.details as { path?: unknown; message?: unknown }[]) {
      const path = issue?.path;
      const field = Array.isArray(path) ? path[0] : typeof path === 'string' ? path.split('.')[0] : undefined;
      if (typeof field !== 'string' || !(field in labels)) continue;
      // The Chinese sentence is shown as is in Chinese; in English the field's name is clearer than Chinese text.
      if (typeof issue.message === 'string' && OWN_MESSAGE.test(issue.message) && locale.value !== 'en') own.push(issue.message);
      else names.add(t(labels[field]!));
    }
    if (own.length) return [...new Set(own)].join('；');
    if (names.size) return t('reports.invalidFields', { fields: [...names].join('、') });
  }
  return errorText(e);
}
