/** The incidents list's order (server/reports/incidentOrder.ts): what a duty officer sees at the top of page one. */
import { describe, expect, it } from 'vitest';
import { compareIncidents, urgencyOf, type OrderFacts } from '../../server/reports/incidentOrder.ts';

const inc = (name: string, o: Partial<OrderFacts>): OrderFacts & { name: string } => ({
  name,
  status: 'open',
  grade: 3,
  eventTime: new Date('2028-02-29T23:30:00+08:00'),
  deadlineStatuses: [],
  ...o,
});
const order = (list: (OrderFacts & { name: string })[], ...how: Parameters<typeof compareIncidents>) => [...list].sort(compareIncidents(...how)).map((i) => i.name);

describe('urgencyOf', () => {
  it.each([
    [['met_on_time', 'overdue'], 0],
    [['due_soon', 'pending'], 1],
    [['pending', 'met_late'], 2],
    [['met_on_time', 'met_late'], 3],
    [[], 4],
  ] as const)('%j → %d', (ds, rank) => expect(urgencyOf(ds)).toBe(rank));
});

describe('compareIncidents', () => {
  const list = [
    inc('closed-overdue', { status: 'closed', deadlineStatuses: ['overdue'], grade: 1 }),
    inc('met-new', { deadlineStatuses: ['met_on_time'], eventTime: new Date('2028-03-01T00:10:00+08:00') }),
    inc('pending', { deadlineStatuses: ['pending'], grade: 4 }),
    inc('overdue-old', { deadlineStatuses: ['overdue', 'pending'], eventTime: new Date('2028-02-28T08:00:00+08:00'), grade: 2 }),
    inc('overdue-new', { deadlineStatuses: ['overdue'], eventTime: new Date('2028-03-01T00:00:00+08:00') }),
    inc('none', { grade: 1 }),
  ];
  it('urgency: open first, the most pressing deadline, then the newest event (order is ignored)', () => {
    const expected = ['overdue-new', 'overdue-old', 'pending', 'met-new', 'none', 'closed-overdue'];
    expect(order(list, 'urgency', 'desc')).toEqual(expected);
    expect(order(list, 'urgency', 'asc')).toEqual(expected);
  });
  it('grade: desc is the most severe first, ties newest first; asc the reverse', () => {
    expect(order(list, 'grade', 'desc')).toEqual(['closed-overdue', 'none', 'overdue-old', 'met-new', 'overdue-new', 'pending']);
    expect(order(list, 'grade', 'asc')[0]).toBe('pending');
  });
  it('event time, across the leap day into March (UTC+8)', () => {
    expect(order(list, 'eventTime', 'asc')).toEqual(['overdue-old', 'closed-overdue', 'pending', 'none', 'overdue-new', 'met-new']);
    expect(order(list, 'eventTime', 'desc').at(0)).toBe('met-new');
  });
});
