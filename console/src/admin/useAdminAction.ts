/**
 * One administrator's action at a time: busy while it runs, 已保存-style success or the Chinese error, then the
 * page reloads what changed. Returns whether it succeeded (a dialog closes only then).
 */
import { ref } from 'vue';
import { ElMessage } from 'element-plus';
import { errorText } from '../shared/errorText';

export function useAdminAction(reload: () => Promise<unknown>) {
  const busy = ref(false);
  async function run(call: () => Promise<unknown>, done?: string): Promise<boolean> {
    busy.value = true;
    try {
      await call();
      if (done) ElMessage.success(done);
      await reload();
      return true;
    } catch (e) {
      ElMessage.error(errorText(e));
      return false;
    } finally {
      busy.value = false;
    }
  }
  /** A load on its own (page open, a search): only the error is shown. */
  const quietly = (p: Promise<unknown>) => void p.catch((e) => ElMessage.error(errorText(e)));
  return { busy, run, quietly };
}
