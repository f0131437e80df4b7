/** Presence for the idle timeout (console/src/shared/session/presence.ts): held while any holder lasts. */
import { describe, expect, it } from 'vitest';
import { holdPresence, presenceHeld } from '../../console/src/shared/session/presence.ts';

describe('presence', () => {
  it('is held while at least one holder lasts, and a release is idempotent per holder', () => {
    expect(presenceHeld()).toBe(false);
    const room = holdPresence();
    const other = holdPresence();
    expect(presenceHeld()).toBe(true);
    room();
    expect(presenceHeld()).toBe(true);
    room();
    expect(presenceHeld()).toBe(true);
    other();
    expect(presenceHeld()).toBe(false);
  });
});
