import { sql, type Kysely } from 'kysely';

/**
 * Near-duplicate information items (相同内容的信息，不得重复报送). One fingerprint per submitted item, written
 * when it is signed off: a MinHash signature over character 3-shingles of the normalised text with its band
 * keys in a GIN-indexed int4[] (long texts: candidates by any shared band), and the normalised text itself
 * for short items under a pg_trgm GIN index (short texts: candidates by trigram similarity). Flags record
 * what an item matched when it was sent, for the receiving editors.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`create extension if not exists pg_trgm`.execute(db);
  await sql`
    create table info_fingerprints (
      item_id uuid primary key references info_items(id),
      text_len integer not null,
      minhash integer[] not null,
      bands integer[] not null,
      short_text text,
      submitted_at timestamptz not null
    )`.execute(db);
  await sql`create index info_fingerprints_bands_idx on info_fingerprints using gin (bands)`.execute(db);
  await sql`create index info_fingerprints_short_idx on info_fingerprints using gin (short_text gin_trgm_ops) where short_text is not null`.execute(db);

  await sql`
    create table info_duplicate_flags (
      item_id uuid not null references info_items(id),
      match_item_id uuid not null references info_items(id),
      similarity real not null check (similarity between 0 and 1),
      method text not null check (method in ('trgm','minhash')),
      detected_at timestamptz not null,
      primary key (item_id, match_item_id)
    )`.execute(db);
  // The editor's inbox at scale (ten years at the region): newest first without sorting every delivery.
  await sql`create index info_deliveries_office_received_idx on info_deliveries (office_code, received_at desc)`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop index if exists info_deliveries_office_received_idx`.execute(db);
  await sql`drop table if exists info_duplicate_flags`.execute(db);
  await sql`drop table if exists info_fingerprints`.execute(db);
}
