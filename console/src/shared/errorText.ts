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
  // Details such as { retryAfterMin } fill the translation's named placeholders.
  const named = err.details && typeof err.details === 'object' && !Array.isArray(err.details) ? (err.details as Record<string, unknown>) : {};
  if (te(key)) return t(key, named);
  // Server messages are written to be shown as they are (e.g. NOT_FOUND: 「会议不存在」).
  if (err.message && err.message !== err.code) return err.message;
  return t('errors.UNKNOWN');
}

/**
 * A message kept as a function and evaluated at render time, so it follows a language switch
 * instead of freezing in the language it was produced in.
 */
export type LazyText = () => string;
