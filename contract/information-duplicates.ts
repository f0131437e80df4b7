/**
 * Wire types of near-duplicate information items (相同内容的信息，不得重复报送): what the submitter sees before
 * sending, and the flag the receiving editor sees beside the match.
 */

/** A run of text; `shared` marks a passage that also occurs in the other item. */
export interface TextSegment {
  text: string;
  shared: boolean;
}

export type DuplicateLevel = 'identical' | 'similar';

export interface DuplicateMatchDto {
  level: DuplicateLevel;
  /**
   * False when the viewer may not read the matching item (another unit's item outside its sight, or
   * classified): then only the level is given — no unit, title, date or text; to the submitter not even
   * the figure, so the check cannot be used to probe other units' reports.
   */
  visible: boolean;
  /** 0–1 (shingle Jaccard); null when withheld. */
  similarity: number | null;
  itemId: string | null;
  unitName: string | null;
  title: string | null;
  submittedAt: string | null;
  /** The checked item's title and text, its passages shared with the match marked (visible matches only). */
  mine: TextSegment[] | null;
  /** The match's title and text with the same marking. */
  theirs: TextSegment[] | null;
}

/** GET /api/information/items/:id/similar — the unit's own item against every submitted item of the region. */
export interface SimilarCheckDto {
  threshold: number;
  matches: DuplicateMatchDto[];
}

/** GET /api/information/deliveries/:id/duplicates — what the delivered item matched when it was sent. */
export interface DuplicateFlagsDto {
  threshold: number;
  flags: (DuplicateMatchDto & { method: 'trgm' | 'minhash'; detectedAt: string })[];
}
