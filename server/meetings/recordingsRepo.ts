/** Meeting recordings: where the files go and their rows (one per finished file); SQL only. */
import path from 'node:path';
import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.ts';
import type { RecordingDto } from '../../contract/meetings.ts';

export type { RecordingDto } from '../../contract/meetings.ts';

/** Where recordings are written: RECORDINGS_DIR, else DATA_DIR/recordings, else ./data/recordings. */
export function recordingsRoot(env: NodeJS.ProcessEnv = process.env): string {
  if (env.RECORDINGS_DIR) return path.resolve(env.RECORDINGS_DIR);
  return path.resolve(env.DATA_DIR ?? path.join(import.meta.dirname, '..', '..', 'data'), 'recordings');
}

export async function insertRecording(
  db: Kysely<Database>,
  r: { meetingId: string; fileName: string; startedByUnit: string; startedAt: Date; bytes: number; durationSec: number },
): Promise<void> {
  await db
    .insertInto('meeting_recordings')
    .values({ meeting_id: r.meetingId, file_name: r.fileName, started_by_unit: r.startedByUnit, started_at: r.startedAt, bytes: r.bytes, duration_sec: r.durationSec })
    .execute();
}

export async function listRecordings(db: Kysely<Database>, meetingId: string): Promise<RecordingDto[]> {
  const rows = await db.selectFrom('meeting_recordings').selectAll().where('meeting_id', '=', meetingId).orderBy('started_at').orderBy('id').execute();
  return rows.map((r) => ({
    id: r.id,
    meetingId: r.meeting_id,
    fileName: r.file_name,
    startedByUnit: r.started_by_unit,
    startedAt: new Date(r.started_at).toISOString(),
    endedAt: new Date(r.ended_at).toISOString(),
    bytes: Number(r.bytes),
    durationSec: Math.round(Number(r.duration_sec) * 10) / 10,
  }));
}
