/**
 * The leaders' board's headline figures and the region's schematic grid, computed from what the board and the
 * report list already hold. Pure (structural types), table-tested in tests/unit/board-figures.test.ts.
 */
const BEIJING_MS = 8 * 3600_000; // UTC+8 all year: no daylight saving

/** The Beijing calendar day of an instant, as YYYY-MM-DD. */
export const beijingDay = (iso: string | number | Date) => new Date(new Date(iso).getTime() + BEIJING_MS).toISOString().slice(0, 10);

export interface HeadlineFigures {
  /** Reports sent today (Beijing day) by my unit and the units below. */
  todayReports: number;
  openIncidents: number;
  openByGrade: Record<'1' | '2' | '3' | '4', number>;
  /** Late and missing over all deadlines settled this month, as a whole percent; null when none settled. */
  lateRate: number | null;
  /** Instructions with a due time passed and a unit not done yet. */
  overdueInstructions: number;
}

interface TimelinessLike {
  onTime: number;
  late: number;
  missing: number;
}
interface InstructionLike {
  dueAt: string | null;
  targets: { doneAt: string | null; overdue: boolean }[];
}

export function headlineFigures(
  board: { open: unknown[]; openByGrade: Record<'1' | '2' | '3' | '4', number>; timeliness: TimelinessLike[]; pendingInstructions: InstructionLike[]; todayReports: number },
  now: Date,
): HeadlineFigures {
  const settled = board.timeliness.reduce((n, r) => n + r.onTime + r.late + r.missing, 0);
  const bad = board.timeliness.reduce((n, r) => n + r.late + r.missing, 0);
  return {
    // Counted by the server over every report I may read (the console holds one page of them).
    todayReports: board.todayReports,
    openIncidents: board.open.length,
    openByGrade: board.openByGrade,
    lateRate: settled ? Math.round((bad / settled) * 100) : null,
    overdueInstructions: board.pendingInstructions.filter(
      (i) => i.targets.some((t) => t.overdue) || (i.dueAt !== null && Date.parse(i.dueAt) < now.getTime() && i.targets.some((t) => !t.doneAt)),
    ).length,
  };
}

export interface UnitNode {
  code: string;
  name: string;
  children: UnitNode[];
}

export interface GridTile {
  code: string;
  name: string;
  /** Open incidents in the unit and every unit below it. */
  open: number;
  /** The gravest open incident's grade (1 = 特别重大), null when none. */
  worstGrade: number | null;
}

/** One tile per unit directly below mine (the region: its leagues and cities), coloured by what is open there. */
export function gridTiles(me: UnitNode | null, open: { unitCode: string; grade: number }[]): GridTile[] {
  if (!me) return [];
  return me.children.map((child) => {
    const inside = new Set<string>();
    const walk = (u: UnitNode) => {
      inside.add(u.code);
      u.children.forEach(walk);
    };
    walk(child);
    const here = open.filter((i) => inside.has(i.unitCode));
    return { code: child.code, name: child.name, open: here.length, worstGrade: here.length ? Math.min(...here.map((i) => i.grade)) : null };
  });
}
