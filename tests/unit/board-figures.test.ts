/** The leaders' board's headline figures and schematic grid (console/src/reports/boardFigures.ts), at chosen instants. */
import { describe, expect, it } from 'vitest';
import { beijingDay, gridTiles, headlineFigures } from '../../console/src/reports/boardFigures.ts';

const board = (o: Partial<Parameters<typeof headlineFigures>[0]> = {}) => ({
  open: [],
  openByGrade: { '1': 0, '2': 0, '3': 0, '4': 0 },
  timeliness: [],
  pendingInstructions: [],
  todayReports: 0,
  ...o,
});

describe('beijingDay', () => {
  it.each([
    ['2026-12-31T15:59:59Z', '2026-12-31'],
    ['2026-12-31T16:00:00Z', '2027-01-01'], // New Year in Beijing while still 2026 in UTC
    ['2028-02-28T16:30:00Z', '2028-02-29'], // leap day
    ['2028-02-29T16:00:00Z', '2028-03-01'],
  ])('%s is %s in Beijing', (iso, day) => expect(beijingDay(iso)).toBe(day));
});

describe('headlineFigures', () => {
  it("shows the server's count of today's reports (the console holds only one page of reports)", () => {
    expect(headlineFigures(board({ todayReports: 7 }), new Date('2027-01-01T00:10:00+08:00')).todayReports).toBe(7);
  });

  it.each([
    ['nothing settled', [], null],
    ['all on time', [{ onTime: 4, late: 0, missing: 0 }], 0],
    ['one late, one missing of eight', [{ onTime: 3, late: 1, missing: 0 }, { onTime: 3, late: 0, missing: 1 }], 25],
    ['one of three, rounded', [{ onTime: 2, late: 1, missing: 0 }], 33],
  ])('late rate: %s', (_w, timeliness, rate) => {
    expect(headlineFigures(board({ timeliness }), new Date('2026-11-30T12:00:00Z')).lateRate).toBe(rate);
  });

  it('overdue instructions: a due time passed with a unit not done, or a unit marked overdue', () => {
    const now = new Date('2028-02-29T12:00:00+08:00');
    const pendingInstructions = [
      { dueAt: '2028-02-29T11:00:00+08:00', targets: [{ doneAt: null, overdue: false }] }, // overdue
      { dueAt: '2028-02-29T13:00:00+08:00', targets: [{ doneAt: null, overdue: false }] }, // not yet
      { dueAt: '2028-02-28T13:00:00+08:00', targets: [{ doneAt: '2028-02-28T12:00:00+08:00', overdue: false }] }, // done in time
      { dueAt: null, targets: [{ doneAt: null, overdue: true }] }, // the server says so
    ];
    expect(headlineFigures(board({ pendingInstructions }), now).overdueInstructions).toBe(2);
  });
});

describe('gridTiles', () => {
  const region = {
    code: '150000',
    name: '内蒙古自治区',
    children: [
      { code: '150100', name: '呼和浩特市', children: [{ code: '150102', name: '新城区', children: [] }, { code: '150103', name: '回民区', children: [] }] },
      { code: '150200', name: '包头市', children: [{ code: '150202', name: '东河区', children: [] }] },
      { code: '152500', name: '锡林郭勒盟', children: [] },
    ],
  };
  it('one tile per city, counting open incidents below it, coloured by the gravest', () => {
    const open = [
      { unitCode: '150102', grade: 3 },
      { unitCode: '150103', grade: 1 },
      { unitCode: '150100', grade: 4 },
      { unitCode: '150202', grade: 2 },
      { unitCode: '150000', grade: 1 }, // the region's own: on no city's tile
    ];
    expect(gridTiles(region, open)).toEqual([
      { code: '150100', name: '呼和浩特市', open: 3, worstGrade: 1 },
      { code: '150200', name: '包头市', open: 1, worstGrade: 2 },
      { code: '152500', name: '锡林郭勒盟', open: 0, worstGrade: null },
    ]);
  });
  it('a county has no tiles; no tree yet, none', () => {
    expect(gridTiles({ code: '150102', name: '新城区', children: [] }, [])).toEqual([]);
    expect(gridTiles(null, [])).toEqual([]);
  });
});
