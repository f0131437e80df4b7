/**
 * The console's own dialogs (Element Plus, in the page's language and style) instead of the browser's
 * `confirm()` and `prompt()`, which look foreign, block the page and show the site's address as their title.
 */
import { ElMessageBox } from 'element-plus';

/** Resolves true when the user confirms. */
export async function confirmDialog(message: string, opts: { title?: string; danger?: boolean } = {}): Promise<boolean> {
  try {
    await ElMessageBox.confirm(message, opts.title ?? '', { type: 'warning', confirmButtonClass: opts.danger ? 'el-button--danger' : undefined, customClass: 'tl-dialog' });
    return true;
  } catch {
    return false; // cancelled or closed
  }
}

/** Resolves with the trimmed answer, or null when cancelled or left empty. */
export async function promptDialog(message: string, opts: { title?: string; secret?: boolean; pattern?: RegExp; patternError?: string } = {}): Promise<string | null> {
  try {
    const { value } = await ElMessageBox.prompt(message, opts.title ?? '', {
      inputType: opts.secret ? 'password' : 'text',
      inputPattern: opts.pattern,
      inputErrorMessage: opts.patternError,
      customClass: 'tl-dialog',
    });
    return value?.trim() || null;
  } catch {
    return null;
  }
}
