/** Plain verdicts for the device test (会前调试): green / yellow / red, each with what to do. Pure. */

export type Level = 'good' | 'fair' | 'bad';
export type Item = 'camera' | 'mic' | 'speaker' | 'rtt' | 'loss' | 'upBitrate' | 'downBitrate' | 'decoded';

export interface Verdict {
  item: Item;
  level: Level;
}

export const worst = (levels: Level[]): Level => (levels.includes('bad') ? 'bad' : levels.includes('fair') ? 'fair' : 'good');

/** Camera by the real capture height (0: no picture). */
export function cameraLevel(height: number | null): Level {
  if (!height) return 'bad';
  return height >= 720 ? 'good' : height >= 360 ? 'fair' : 'bad';
}

/** Microphone by the loudest level heard so far (0..1 RMS). */
export function micLevel(peak: number): Level {
  return peak >= 0.02 ? 'good' : peak >= 0.003 ? 'fair' : 'bad';
}

export function rttLevel(ms: number | null): Level {
  if (ms === null) return 'bad';
  return ms < 150 ? 'good' : ms < 300 ? 'fair' : 'bad';
}

export function lossLevel(fraction: number): Level {
  return fraction < 0.02 ? 'good' : fraction < 0.05 ? 'fair' : 'bad';
}

/** Video + audio bitrate in kbit/s, against what a 720p meeting picture needs. */
export function bitrateLevel(kbps: number): Level {
  return kbps >= 700 ? 'good' : kbps >= 250 ? 'fair' : 'bad';
}

/** The picture that came back from the SFU, by height. */
export function decodedLevel(height: number | null): Level {
  if (!height) return 'bad';
  return height >= 540 ? 'good' : height >= 270 ? 'fair' : 'bad';
}
