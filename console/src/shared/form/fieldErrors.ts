import { nextTick, ref, watch, type Ref } from 'vue';
import { useI18n } from 'vue-i18n';
import type { LazyText } from '../errorText';

/** A form's check result: the field → the i18n key of what is wrong with it. */
export type FieldProblems<F extends string> = Partial<Record<F, string>>;

/**
 * The errors a form shows under its fields (FormField's `error`). `show` puts a whole check up at once, so the
 * officer sees every field to fix rather than one per click; changing a field takes its own error away. Errors are
 * LazyTexts: a language switch re-translates them.
 */
export function useFieldErrors<F extends string>(values: () => Record<F, unknown>): {
  errors: Ref<Partial<Record<F, LazyText>>>;
  show: (problems: FieldProblems<F>) => boolean;
  clear: () => void;
} {
  const { t } = useI18n();
  const errors = ref({}) as Ref<Partial<Record<F, LazyText>>>;
  watch(values, (now, before) => {
    const changed = (Object.keys(now) as F[]).filter((f) => now[f] !== before[f] && errors.value[f]);
    if (changed.length) errors.value = Object.fromEntries(Object.entries(errors.value).filter(([f]) => !changed.includes(f as F))) as Partial<Record<F, LazyText>>;
  });
  /** Shows the problems (replacing earlier ones); true when there is any. */
  function show(problems: FieldProblems<F>): boolean {
    errors.value = Object.fromEntries(Object.entries(problems).map(([f, key]) => [f, () => t(key as string)])) as Partial<Record<F, LazyText>>;
    return Object.keys(problems).length > 0;
  }
  const clear = () => void (errors.value = {});
  return { errors, show, clear };
}

/** Brings the first field in error into view: on a long form the officer may be looking at the buttons. */
export async function revealFirstError(root: Element | null | undefined): Promise<void> {
  await nextTick();
  root?.querySelector('.is-error')?.scrollIntoView({ block: 'nearest' });
}
