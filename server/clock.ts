/**
 * The server's notion of "now" for deadline rules. Production reads the system clock; tests may shift it
 * (TEST_CLOCK=1 only) to watch a deadline pass without waiting hours. Stored timestamps still come from
 * Postgres' now() where they record when something happened.
 */
let offsetMs = 0;

export const clock = {
  now: (): Date => new Date(Date.now() + offsetMs),
  /** Test-only: move "now" forward (or back) by `ms`. */
  advance(ms: number): void {
    if (process.env.TEST_CLOCK !== '1') throw new Error('the clock can only be moved with TEST_CLOCK=1');
    offsetMs += ms;
  },
  reset(): void {
    offsetMs = 0;
  },
  get offsetMs(): number {
    return offsetMs;
  },
};
