import { fromLocalInput } from '../shared/format';
import type { FieldProblems } from '../shared/form/fieldErrors';

/**
 * The intake forms' own checks, before anything is sent: what would certainly fail on the server, each under the
 * field it concerns (field → i18n key). Every problem at once, so one click shows the officer all that is missing.
 * The rest is the server's call (its clock, its limits).
 */

/** A workstation clock a few minutes fast must not refuse an event that just happened. */
const FUTURE_SLACK_MS = 5 * 60_000;

export type WrittenField = 'title' | 'eventTime' | 'place' | 'summary';
export type PhoneField = WrittenField | 'caller' | 'callee';

function eventTimeProblem(value: string, nowMs: number): string | null {
  const when = fromLocalInput(value);
  if (!when) return 'reports.needEventTime';
  return when.getTime() > nowMs + FUTURE_SLACK_MS ? 'reports.futureEventTime' : null;
}

function collect<F extends string>(checks: [F, string | null | false][]): FieldProblems<F> {
  return Object.fromEntries(checks.filter((c): c is [F, string] => typeof c[1] === 'string')) as FieldProblems<F>;
}

/** 首报/续报/终报 (文字稿). */
export function writtenProblems(d: Record<WrittenField, string>, nowMs: number = Date.now()): FieldProblems<WrittenField> {
  return collect<WrittenField>([
    ['title', !d.title.trim() && 'reports.needTitle'],
    ['eventTime', eventTimeProblem(d.eventTime, nowMs)],
    ['place', !d.place.trim() && 'reports.needPlace'],
    ['summary', !d.summary.trim() && 'reports.needSummary'],
  ]);
}

/** 电话报: the same facts in a few words, plus who called whom. */
export function phoneProblems(d: Record<PhoneField, string>, nowMs: number = Date.now()): FieldProblems<PhoneField> {
  return collect<PhoneField>([
    ['title', !d.title.trim() && 'reports.needTitle'],
    ['eventTime', eventTimeProblem(d.eventTime, nowMs)],
    ['place', !d.place.trim() && 'reports.needPlace'],
    ['summary', !d.summary.trim() && 'phone.needContent'],
    ['caller', !d.caller.trim() && 'phone.needCaller'],
    ['callee', !d.callee.trim() && 'phone.needCallee'],
  ]);
}
