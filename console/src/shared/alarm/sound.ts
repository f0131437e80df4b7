/** Plays an alarm level's sound and remembers when, so that repeats keep their interval from the last sound. */
import { beep, chime, siren } from '../alerts';
import type { AlarmLevel } from './level';

const SOUND: Record<AlarmLevel, () => void> = { siren, chime, notice: beep };
let lastAt = 0;

export function playLevel(level: AlarmLevel): void {
  SOUND[level]();
  lastAt = Date.now();
}

/** When any alarm sound last played (ms since the epoch, browser clock). */
export const lastPlayedAt = () => lastAt;
