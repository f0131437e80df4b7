/**
 * What a unit's duty officer must carry over at handover from the urgent-report side: reports awaiting a
 * follow-up or sign-off, and leaders' instructions awaiting feedback. The duty handover reads this.
 */
import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.ts';
import type { OrgTree } from '../org/tree.ts';

export interface OpenReportItem {
  kind: 'report_followup' | 'report_signoff' | 'report_relay' | 'instruction_feedback';
  /** Id of the report or instruction. */
  id: string;
  title: string;
  /** When it is due, if a rule gives a deadline (ISO). */
  dueAt: string | null;
}

export async function openReportItems(_db: Kysely<Database>, _tree: OrgTree, _unitCode: string): Promise<OpenReportItem[]> {
  // Filled in with the report workflow (follow-ups, sign-off, instructions): until then nothing is open.
  return [];
}
