/** Near-duplicate detection of information items: fingerprints of submitted items and the flags they raised. */

export interface InfoFingerprintTable {
  item_id: string;
  /** Length of the normalised text (characters). */
  text_len: number;
  /** MinHash signature (see server/information/similarity.ts). */
  minhash: number[];
  /** Band keys of the signature: a shared key makes a candidate. */
  bands: number[];
  /** The normalised text, kept for short items only (pg_trgm). */
  short_text: string | null;
  submitted_at: Date;
}

export interface InfoDuplicateFlagTable {
  item_id: string;
  match_item_id: string;
  similarity: number;
  method: 'trgm' | 'minhash';
  detected_at: Date;
}

export interface DuplicateTables {
  info_fingerprints: InfoFingerprintTable;
  info_duplicate_flags: InfoDuplicateFlagTable;
}
