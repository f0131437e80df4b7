/**
 * The order of the incidents list, pure (table-tested in tests/unit/incident-order.test.ts). By default
 * ('urgency') open incidents come first, then the most pressing deadline — overdue, due soon, pending, none —
 * then the newest event; a duty officer sees what needs doing at the top of page one.
 */
import type { DeadlineStatus, IncidentSort } from '../../contract/reports.ts';

export interface OrderFacts {
  status: 'open' | 'closed';
  grade: number;
  eventTime: Date;
  deadlineStatuses: readonly DeadlineStatus[];
}

const RANK: Partial<Record<DeadlineStatus, number>> = { overdue: 0, due_soon: 1, pending: 2 };
/** 0 overdue, 1 due soon, 2 pending, 3 every deadline met, 4 no deadline at all. */
export const urgencyOf = (ds: readonly DeadlineStatus[]): number => Math.min(4, ...ds.map((d) => RANK[d] ?? 3));

export function compareIncidents(sort: IncidentSort, order: 'asc' | 'desc'): (a: OrderFacts, b: OrderFacts) => number {
  const newest = (a: OrderFacts, b: OrderFacts) => b.eventTime.getTime() - a.eventTime.getTime();
  const dir = order === 'asc' ? 1 : -1;
  if (sort === 'grade') return (a, b) => dir * (b.grade - a.grade) || newest(a, b);
  if (sort === 'eventTime') return (a, b) => dir * (a.eventTime.getTime() - b.eventTime.getTime());
  return (a, b) => Number(a.status === 'closed') - Number(b.status === 'closed') || urgencyOf(a.deadlineStatuses) - urgencyOf(b.deadlineStatuses) || newest(a, b);
}
