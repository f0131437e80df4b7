/** 24-hour duty (值班) tables: rosters, handovers, the duty log. */

// eslint-disable-next-line @typescript-eslint/no-empty-object-type
export interface DutyTables {}
