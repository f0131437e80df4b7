import { ref } from 'vue';

/**
 * "Now" on the server's clock, ticking every second for live countdowns. The offset is learned from the
 * `now` the server sends with incident lists, so countdowns agree with the server's deadline watch.
 */
const offsetMs = ref(0);
const now = ref(Date.now());
let timer: ReturnType<typeof setInterval> | null = null;

export function syncServerNow(serverIso: string | undefined): void {
  const t = serverIso ? Date.parse(serverIso) : NaN;
  if (!Number.isNaN(t)) {
    offsetMs.value = t - Date.now();
    now.value = Date.now() + offsetMs.value;
  }
}

export function useNow() {
  if (!timer) timer = setInterval(() => (now.value = Date.now() + offsetMs.value), 1000);
  return now;
}

/** Remaining time as H:MM:SS (negative: time past the deadline). */
export function formatLeft(ms: number): string {
  const abs = Math.abs(ms);
  const h = Math.floor(abs / 3600_000);
  const m = Math.floor((abs % 3600_000) / 60_000);
  const s = Math.floor((abs % 60_000) / 1000);
  return `${ms < 0 ? '-' : ''}${h}:${String(m).padStart(2, '0')}:${String(s).padStart(2, '0')}`;
}
