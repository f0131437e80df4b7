/**
 * Last-N ranking (as Jitsi's last-N, for audio): which sites' microphones the SFU forwards. Pure, so the
 * rule is table-tested (tests/unit/subscription.test.ts); LastNAudio.ts feeds it the AudioLevelObserver.
 */
export interface LastNOptions {
  /** How many sites are heard at once (Jitsi's last-N); MEETING_LAST_N, default 4. */
  n: number;
  /** A site stays heard this long after it was last loud (breaths and pauses between words). */
  holdMs: number;
}

export interface AudibleInput {
  previous: readonly string[];
  /** Units loud in the last interval (above the observer's threshold), with their volume in dBov. */
  loud: readonly { unitCode: string; volume: number }[];
  /** When each unit was last loud (ms); updated and returned. */
  lastLoudAt: Readonly<Record<string, number>>;
  now: number;
  /** Units that may be heard at all: in the meeting with an unpaused (unmuted) microphone. */
  eligible: readonly string[];
}

/**
 * The N sites to forward: the loudest now first, then those heard recently (still within the hold), in
 * their previous order; never a muted or absent one. A quiet site drops out after the hold.
 */
export function nextAudible(input: AudibleInput, opts: LastNOptions): { audible: string[]; lastLoudAt: Record<string, number> } {
  const eligible = new Set(input.eligible);
  const lastLoudAt: Record<string, number> = {};
  for (const [u, at] of Object.entries(input.lastLoudAt)) if (eligible.has(u) && input.now - at < opts.holdMs) lastLoudAt[u] = at;
  const loud = [...input.loud].filter((l) => eligible.has(l.unitCode)).sort((a, b) => b.volume - a.volume);
  for (const l of loud) lastLoudAt[l.unitCode] = input.now;
  const order = [...new Set([...loud.map((l) => l.unitCode), ...input.previous.filter((u) => u in lastLoudAt)])];
  return { audible: order.slice(0, Math.max(0, opts.n)), lastLoudAt };
}

/** The same set of units, whatever the order (no push when only the order changed). */
export function sameUnits(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((u) => b.includes(u));
}
