/**
 * Attention-getters for urgent information: a WebAudio beep and a system notification.
 * Browsers only allow audio and the permission prompt after a user gesture, hence the
 * explicit `primeAlerts()` hook for the login button and the first-interaction unlock.
 */

import { ref } from 'vue';

let audioCtx: AudioContext | null = null;

/** Whether alert sounds can play: the page shows plainly when the browser blocks them. */
export const audioState = ref<'running' | 'blocked' | 'unsupported'>('blocked');

function context(): AudioContext | null {
  if (audioCtx) return audioCtx;
  const Ctor = window.AudioContext ?? (window as unknown as { webkitAudioContext?: typeof AudioContext }).webkitAudioContext;
  if (!Ctor) {
    audioState.value = 'unsupported';
    return null;
  }
  audioCtx = new Ctor();
  const ctx = audioCtx;
  const update = () => (audioState.value = ctx.state === 'running' ? 'running' : 'blocked');
  ctx.addEventListener('statechange', update);
  update();
  return audioCtx;
}

/** Creates the audio context at start-up, so that its state (blocked or not) is known before the first alert. */
export function probeAudio(): void {
  context();
}

/** From a user gesture: lets sounds play (resolves with whether they can). */
export async function enableSound(): Promise<boolean> {
  const ctx = context();
  if (!ctx) return false;
  await ctx.resume().catch(() => undefined);
  return ctx.state === 'running';
}

/** Unlock audio on the first click/keypress anywhere (e.g. after a page reload). */
export function installAudioUnlock(): void {
  const unlock = () => {
    void context()?.resume();
    window.removeEventListener('pointerdown', unlock);
    window.removeEventListener('keydown', unlock);
  };
  window.addEventListener('pointerdown', unlock);
  window.addEventListener('keydown', unlock);
}

/** Call from a user gesture: resumes audio and asks for notification permission once. */
export function primeAlerts(): void {
  void context()?.resume();
  if ('Notification' in window && Notification.permission === 'default') {
    void Notification.requestPermission().catch(() => undefined);
  }
}

/** Three short two-tone beeps (~0.9 s): hard to miss, not a siren. */
export function beep(): void {
  const ctx = context();
  if (!ctx || ctx.state !== 'running') return;
  const start = ctx.currentTime + 0.02;
  for (let i = 0; i < 3; i++) {
    const t = start + i * 0.3;
    const osc = ctx.createOscillator();
    const gain = ctx.createGain();
    osc.type = 'square';
    osc.frequency.setValueAtTime(988, t);
    osc.frequency.setValueAtTime(784, t + 0.1);
    gain.gain.setValueAtTime(0.0001, t);
    gain.gain.exponentialRampToValueAtTime(0.18, t + 0.01);
    gain.gain.exponentialRampToValueAtTime(0.0001, t + 0.2);
    osc.connect(gain).connect(ctx.destination);
    osc.start(t);
    osc.stop(t + 0.22);
  }
}

/** One tone: a shaped oscillator from `t` for `len` seconds. */
function tone(ctx: AudioContext, type: OscillatorType, t: number, len: number, peak: number, freq: (o: OscillatorNode) => void): void {
  const osc = ctx.createOscillator();
  const gain = ctx.createGain();
  osc.type = type;
  freq(osc);
  gain.gain.setValueAtTime(0.0001, t);
  gain.gain.exponentialRampToValueAtTime(peak, t + 0.03);
  gain.gain.setValueAtTime(peak, t + len - 0.08);
  gain.gain.exponentialRampToValueAtTime(0.0001, t + len);
  osc.connect(gain).connect(ctx.destination);
  osc.start(t);
  osc.stop(t + len + 0.02);
}

/** A siren (~2.4 s: two rising-and-falling sweeps, 650 → 1300 Hz): 特别重大 and 重大, and deadlines passed. */
export function siren(): void {
  const ctx = context();
  if (!ctx || ctx.state !== 'running') return;
  const start = ctx.currentTime + 0.02;
  for (let i = 0; i < 2; i++) {
    const t = start + i * 1.2;
    tone(ctx, 'sawtooth', t, 1.15, 0.2, (o) => {
      o.frequency.setValueAtTime(650, t);
      o.frequency.linearRampToValueAtTime(1300, t + 0.55);
      o.frequency.linearRampToValueAtTime(650, t + 1.1);
    });
  }
}

/** A two-note chime (~1 s, soft sine): 较大, and deadlines drawing near. */
export function chime(): void {
  const ctx = context();
  if (!ctx || ctx.state !== 'running') return;
  const start = ctx.currentTime + 0.02;
  tone(ctx, 'sine', start, 0.5, 0.22, (o) => o.frequency.setValueAtTime(1047, start));
  tone(ctx, 'sine', start + 0.45, 0.6, 0.22, (o) => o.frequency.setValueAtTime(784, start + 0.45));
}

export function notify(title: string, body: string, tag: string): void {
  if (!('Notification' in window) || Notification.permission !== 'granted') return;
  try {
    const n = new Notification(title, { body, tag, requireInteraction: true });
    n.onclick = () => {
      window.focus();
      n.close();
    };
  } catch {
    // Some browsers (Android Chrome) only allow notifications from a service worker.
  }
}
