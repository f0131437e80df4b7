import { i18n } from './i18n';
import { toAppError } from './errors';

/**
 * The text to show for any failure: our translation of the stable code when we have one,
 * otherwise the server's own (Chinese) message, otherwise a generic line.
 */
export function errorText(e: unknown): string {
  const err = toAppError(e);
  const { t, te } = i18n.global;
  const key = `errors.${err.code}`;
  if (te(key)) return t(key);
  if (err.message && err.message !== err.code) return t('errors.withMessage', { message: err.message });
  return t('errors.UNKNOWN');
}
