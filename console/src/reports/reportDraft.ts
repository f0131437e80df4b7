import { reactive, watch } from 'vue';
import { toLocalInput } from '../shared/format';
import { uuid } from '../shared/uuid';
import type { Grade } from '../shared/types';

export interface ReportDraft {
  title: string;
  /** datetime-local value, local time */
  eventTime: string;
  place: string;
  grade: Grade;
  summary: string;
  /** Minted at the first submit attempt and kept for retries, so the server can de-duplicate. */
  requestId: string | null;
}

const key = (userId: string) => `tl.reportDraft.${userId}`;

function blank(): ReportDraft {
  return { title: '', eventTime: toLocalInput(), place: '', grade: 4, summary: '', requestId: null };
}

function read(userId: string): ReportDraft | null {
  try {
    const raw = localStorage.getItem(key(userId));
    if (!raw) return null;
    const d = JSON.parse(raw) as Partial<ReportDraft>;
    const base = blank();
    return {
      title: typeof d.title === 'string' ? d.title : base.title,
      eventTime: typeof d.eventTime === 'string' && d.eventTime ? d.eventTime : base.eventTime,
      place: typeof d.place === 'string' ? d.place : base.place,
      grade: d.grade === 1 || d.grade === 2 || d.grade === 3 || d.grade === 4 ? d.grade : base.grade,
      summary: typeof d.summary === 'string' ? d.summary : base.summary,
      requestId: typeof d.requestId === 'string' ? d.requestId : null,
    };
  } catch {
    return null;
  }
}

/**
 * The urgent-report draft, autosaved to localStorage on every keystroke so nothing typed
 * under pressure is lost to a reload, a crash or a failed submit. Keyed per user because
 * duty workstations are shared across shifts.
 */
export function useReportDraft(userId: string) {
  const restored = read(userId);
  const draft = reactive<ReportDraft>(restored ?? blank());

  const hasContent = () => !!(draft.title.trim() || draft.place.trim() || draft.summary.trim());

  watch(draft, () => {
    try {
      if (hasContent() || draft.requestId) localStorage.setItem(key(userId), JSON.stringify(draft));
      else localStorage.removeItem(key(userId));
    } catch {
      // Storage full or disabled: the form still works, only without autosave.
    }
  });

  /** The idempotency key for this draft: created once, reused on every retry. */
  function requestId(): string {
    draft.requestId ??= uuid();
    return draft.requestId;
  }

  /** After a successful submit (or an explicit clear): fresh draft, new requestId next time. */
  function reset(): void {
    Object.assign(draft, blank());
    localStorage.removeItem(key(userId));
  }

  return { draft, restored: restored !== null && !!(restored.title || restored.place || restored.summary), requestId, reset };
}
