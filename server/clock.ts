/**
 * The server's one clock: every business time (deadlines, shifts, handovers, duty log, timestamps written to
 * SQL) is read from here, never from Postgres' now() or a bare `new Date()`. Production reads the system
 * clock. Tests (TEST_CLOCK=1 only) may set it to an absolute instant — it keeps running from there — or move
 * it by an amount, to run the same scenario at 08:29, at midnight on 31 December or on 29 February.
 */
let offsetMs = 0;

function guard(): void {
  if (process.env.TEST_CLOCK !== '1') throw new Error('the clock can only be moved with TEST_CLOCK=1');
}

export const clock = {
  now: (): Date => new Date(Date.now() + offsetMs),
  /** Test-only: "now" becomes `at` and runs on from there. */
  set(at: Date | string): void {
    guard();
    const ms = new Date(at).getTime();
    if (!Number.isFinite(ms)) throw new Error(`bad instant ${String(at)}`);
    offsetMs = ms - Date.now();
  },
  /** Test-only: move "now" forward (or back) by `ms`. */
  advance(ms: number): void {
    guard();
    offsetMs += ms;
  },
  reset(): void {
    offsetMs = 0;
  },
  get offsetMs(): number {
    return offsetMs;
  },
};
