/**
 * Presence that is not keyboard or pointer input: a site taking part in a meeting is a person at work, even
 * when nobody touches the machine for an hour of listening. A page holds presence while it lasts (the meeting
 * room while joined); the idle guard reports it to the server like input, at most once a minute.
 */
import { ref } from 'vue';

const holders = ref(new Set<symbol>());

export function holdPresence(): () => void {
  const key = Symbol('presence');
  holders.value = new Set(holders.value).add(key);
  return () => {
    const next = new Set(holders.value);
    next.delete(key);
    holders.value = next;
  };
}

export const presenceHeld = (): boolean => holders.value.size > 0;
