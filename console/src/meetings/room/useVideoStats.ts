import { onBeforeUnmount, ref, watch, type Ref } from 'vue';
import type { types } from 'mediasoup-client';

export interface VideoStats {
  framesDecoded: number;
  frameWidth: number;
  frameHeight: number;
  fps: number;
  kbps: number;
}

export interface AudioStats {
  packetsReceived: number;
  /** 0..1, what the receiver hears now: drives the speaking indicator. */
  level: number;
}

interface Inbound {
  type: string;
  kind?: string;
  mediaType?: string;
  framesDecoded?: number;
  frameWidth?: number;
  frameHeight?: number;
  framesPerSecond?: number;
  bytesReceived?: number;
  packetsReceived?: number;
  audioLevel?: number;
  timestamp: number;
}

/** Polls a consumer's inbound-rtp stats once a second (what the receiver actually gets and decodes). */
function useInboundStats<T>(
  kind: 'audio' | 'video',
  consumer: () => types.Consumer | null,
  derive: (cur: Inbound, prev: Inbound | null) => T,
  intervalMs: number,
): Ref<T | null> {
  const stats = ref<T | null>(null) as Ref<T | null>;
  let timer: ReturnType<typeof setInterval> | undefined;
  let prev: Inbound | null = null;

  async function poll(c: types.Consumer): Promise<void> {
    if (c.closed) return;
    const report = await c.getStats().catch(() => null);
    if (!report || consumer() !== c) return;
    let inbound: Inbound | null = null;
    report.forEach((s: Inbound) => {
      if (s.type === 'inbound-rtp' && (s.kind ?? s.mediaType) === kind) inbound = s;
    });
    const cur = inbound as Inbound | null;
    if (!cur) return;
    stats.value = derive(cur, prev);
    prev = cur;
  }

  function stop(): void {
    clearInterval(timer);
    timer = undefined;
    prev = null;
  }

  watch(
    consumer,
    (c) => {
      stop();
      stats.value = null;
      if (c) timer = setInterval(() => void poll(c), intervalMs);
    },
    { immediate: true },
  );
  onBeforeUnmount(stop);
  return stats;
}

export function useVideoStats(consumer: () => types.Consumer | null, intervalMs = 1000): Ref<VideoStats | null> {
  return useInboundStats('video', consumer, (cur, prev) => {
    const dt = prev ? (cur.timestamp - prev.timestamp) / 1000 : 0;
    const fps = cur.framesPerSecond ?? (prev && dt > 0 ? ((cur.framesDecoded ?? 0) - (prev.framesDecoded ?? 0)) / dt : 0);
    const kbps = prev && dt > 0 ? (((cur.bytesReceived ?? 0) - (prev.bytesReceived ?? 0)) * 8) / dt / 1000 : 0;
    return {
      framesDecoded: cur.framesDecoded ?? 0,
      frameWidth: cur.frameWidth ?? 0,
      frameHeight: cur.frameHeight ?? 0,
      fps: Math.round(fps),
      kbps: Math.max(0, Math.round(kbps)),
    };
  }, intervalMs);
}

export function useAudioStats(consumer: () => types.Consumer | null, intervalMs = 500): Ref<AudioStats | null> {
  return useInboundStats('audio', consumer, (cur) => ({
    packetsReceived: cur.packetsReceived ?? 0,
    level: cur.audioLevel ?? 0,
  }), intervalMs);
}
