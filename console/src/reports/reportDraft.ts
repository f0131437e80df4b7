import { reactive, watch } from 'vue';
import { toLocalInput } from '../shared/format';
import { uuid } from '../shared/uuid';
import type { Category, ReportDto as FullReport } from '../../../contract/reports';

/**
 * The editable fields of a report as the form holds them (the same names and types as FullReport;
 * `eventTime` is a datetime-local value, local time; caller/callee only for a phone report), plus the
 * request id minted at the first submit attempt and kept for retries, so the server can de-duplicate.
 */
export type ReportDraft = Pick<
  FullReport,
  | 'title' | 'eventTime' | 'place' | 'address' | 'category' | 'grade' | 'classification' | 'summary'
  | 'casualties' | 'losses' | 'cause' | 'measures' | 'nextSteps' | 'caller' | 'callee'
> & { requestId: string | null };

const TEXT_FIELDS = ['title', 'place', 'address', 'summary', 'casualties', 'losses', 'cause', 'measures', 'nextSteps', 'caller', 'callee'] as const;
const CATEGORIES: Category[] = ['', 'natural_disaster', 'accident', 'public_health', 'social_security'];

/** `scope`: 'new' for a new incident's 首报, 'phone' for the phone form, or `<incidentId>.<kind>` for follow-ups. */
const key = (userId: string, scope: string) => (scope === 'new' ? `tl.reportDraft.${userId}` : `tl.reportDraft.${userId}.${scope}`);

export function blankDraft(seed: Partial<ReportDraft> = {}): ReportDraft {
  return {
    title: '',
    eventTime: toLocalInput(),
    place: '',
    address: '',
    category: '',
    grade: 4,
    classification: 0,
    summary: '',
    casualties: '',
    losses: '',
    cause: '',
    measures: '',
    nextSteps: '',
    caller: '',
    callee: '',
    requestId: null,
    ...seed,
  };
}

function read(userId: string, scope: string, seed: Partial<ReportDraft>): ReportDraft | null {
  try {
    const raw = localStorage.getItem(key(userId, scope));
    if (!raw) return null;
    const d = JSON.parse(raw) as Partial<ReportDraft>;
    const out = blankDraft(seed);
    for (const f of TEXT_FIELDS) if (typeof d[f] === 'string') out[f] = d[f];
    if (typeof d.eventTime === 'string' && d.eventTime) out.eventTime = d.eventTime;
    if (d.grade === 1 || d.grade === 2 || d.grade === 3 || d.grade === 4) out.grade = d.grade;
    if (d.classification === 0 || d.classification === 1 || d.classification === 2 || d.classification === 3) out.classification = d.classification;
    if (CATEGORIES.includes(d.category as Category)) out.category = d.category as Category;
    out.requestId = typeof d.requestId === 'string' ? d.requestId : null;
    return out;
  } catch {
    return null;
  }
}

const filled = (d: ReportDraft) => TEXT_FIELDS.some((f) => f !== 'title' && f !== 'place' && d[f].trim()) || !!(d.title.trim() || d.place.trim());

/**
 * An urgent-report draft, autosaved to localStorage on every keystroke so nothing typed under pressure
 * is lost to a reload, a crash or a failed submit. Keyed per user (duty workstations are shared across
 * shifts) and per form.
 */
export function useReportDraft(userId: string, scope = 'new', seed: Partial<ReportDraft> = {}) {
  const restored = read(userId, scope, seed);
  const draft = reactive<ReportDraft>(restored ?? blankDraft(seed));

  watch(draft, () => {
    try {
      if (filled(draft) || draft.requestId) localStorage.setItem(key(userId, scope), JSON.stringify(draft));
      else localStorage.removeItem(key(userId, scope));
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
    Object.assign(draft, blankDraft(seed));
    localStorage.removeItem(key(userId, scope));
  }

  return { draft, restored: restored !== null && filled(restored), requestId, reset, hasContent: () => filled(draft) };
}
