import type { types } from 'mediasoup-client';
import { AppError, toAppError } from '../../shared/errors';

/** Capture and encoding settings for HD meetings. */

export const CAMERA_CONSTRAINTS: MediaTrackConstraints = {
  width: { ideal: 1280 },
  height: { ideal: 720 },
  frameRate: { ideal: 30 },
};

/** Three simulcast layers (180p / 360p / 720p); the SFU forwards whichever fits each receiver's link. */
export const SIMULCAST_ENCODINGS: RTCRtpEncodingParameters[] = [
  { scaleResolutionDownBy: 4, maxBitrate: 150_000 },
  { scaleResolutionDownBy: 2, maxBitrate: 500_000 },
  { scaleResolutionDownBy: 1, maxBitrate: 1_500_000 },
];

/**
 * 720p by default; 1080p where the camera gives it (a site may opt in with localStorage 'tl.camera' = '1080').
 * '360' caps the capture (many sites on one small machine, e.g. browser tests).
 */
function cameraConstraints(): MediaTrackConstraints {
  const pref = localStorage.getItem('tl.camera');
  if (pref === '1080') return { width: { ideal: 1920 }, height: { ideal: 1080 }, frameRate: { ideal: 30 } };
  if (pref === '360') return { width: { ideal: 640 }, height: { ideal: 360 }, frameRate: { ideal: 15 } };
  return CAMERA_CONSTRAINTS;
}

/** 1080p cameras get a 1080p top layer with the bitrate it needs; the lower layers stay as they are. */
export function simulcastFor(track: MediaStreamTrack): RTCRtpEncodingParameters[] {
  const height = track.getSettings().height ?? 720;
  if (height < 1080) return SIMULCAST_ENCODINGS;
  return [
    { scaleResolutionDownBy: 4, maxBitrate: 200_000 },
    { scaleResolutionDownBy: 2, maxBitrate: 700_000 },
    { scaleResolutionDownBy: 1, maxBitrate: 2_500_000 },
  ];
}

export const VIDEO_CODEC_OPTIONS: types.ProducerCodecOptions = { videoGoogleStartBitrate: 1000 };
export const AUDIO_CODEC_OPTIONS: types.ProducerCodecOptions = { opusFec: true };

export interface Capture {
  stream: MediaStream | null;
  /** Why the camera (or everything) is missing, when something is. */
  problem: AppError | null;
}

/**
 * Camera + microphone, degrading to microphone only, then to nothing (receive-only),
 * so a county site with a broken camera can still take part.
 */
export async function captureLocalMedia(): Promise<Capture> {
  if (!window.isSecureContext || !navigator.mediaDevices?.getUserMedia) {
    return { stream: null, problem: new AppError(window.isSecureContext ? 'UnsupportedError' : 'INSECURE_CONTEXT') };
  }
  try {
    const stream = await navigator.mediaDevices.getUserMedia({ audio: true, video: cameraConstraints() });
    return { stream, problem: null };
  } catch (e) {
    const problem = toAppError(e);
    if (problem.code === 'NotAllowedError') return { stream: null, problem };
    try {
      const stream = await navigator.mediaDevices.getUserMedia({ audio: true });
      return { stream, problem };
    } catch {
      return { stream: null, problem };
    }
  }
}

/** Keep sharpness (slides, faces) and drop frame rate first when bandwidth or CPU is short. */
export async function preferResolution(sender: RTCRtpSender | undefined): Promise<void> {
  if (!sender) return;
  try {
    const params = sender.getParameters();
    params.degradationPreference = 'maintain-resolution';
    await sender.setParameters(params);
  } catch (e) {
    console.warn('[room] degradationPreference not applied', e);
  }
}
