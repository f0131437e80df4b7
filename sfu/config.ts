import os from 'node:os';
import type { types } from 'mediasoup';

export interface SfuConfig {
  numWorkers: number;
  /** Each worker gets one WebRtcServer on basePort + index: one UDP and one TCP port per worker, firewall friendly. */
  basePort: number;
  listenIps: { ip: string; announcedAddress?: string }[];
  logLevel: types.WorkerLogLevel;
  /** The worker's log tags (MEDIASOUP_LOG_TAGS, e.g. "dtls,srtp" with MEDIASOUP_LOG_LEVEL=debug). */
  logTags?: types.WorkerLogTag[];
  /** Last-N audio (sfu/LastNAudio.ts); defaults in AUDIO_DEFAULTS. */
  audio?: Partial<AudioConfig>;
  /** When a meeting opens another router on another worker (sfu/RouterShards.ts); defaults in SPREAD_DEFAULTS. */
  spread?: Partial<SpreadConfig>;
}

export interface SpreadConfig {
  /** A router holding this many consumers takes no new sites (MEDIASOUP_CONSUMERS_PER_ROUTER). */
  consumersPerRouter: number;
  /** A site that has not subscribed yet counts as this many (a console holds ~10: main, a page of 8, the heard). */
  consumersPerSite: number;
}

/** mediasoup advises spreading above a few hundred consumers per router; a 116-site meeting holds ~1,160. */
export const SPREAD_DEFAULTS: SpreadConfig = { consumersPerRouter: 500, consumersPerSite: 10 };

export interface AudioConfig {
  /** How many sites are heard at once: the N loudest unmuted ones (MEETING_LAST_N). */
  lastN: number;
  /** Loud means an average above this many dBov over an interval (MEETING_AUDIO_THRESHOLD_DB, -127..0). */
  thresholdDb: number;
  intervalMs: number;
  /** A site stays heard this long after it was last loud (MEETING_AUDIO_HOLD_MS). */
  holdMs: number;
}

export const AUDIO_DEFAULTS: AudioConfig = { lastN: 4, thresholdDb: -80, intervalMs: 400, holdMs: 2500 };

export function audioConfigFromEnv(env: NodeJS.ProcessEnv = process.env): Partial<AudioConfig> {
  const num = (v: string | undefined) => (v !== undefined && v.trim() !== '' && Number.isFinite(Number(v)) ? Number(v) : undefined);
  const out: Partial<AudioConfig> = {};
  const n = num(env.MEETING_LAST_N);
  if (n !== undefined && n >= 1) out.lastN = Math.floor(n);
  const th = num(env.MEETING_AUDIO_THRESHOLD_DB);
  if (th !== undefined && th >= -127 && th <= 0) out.thresholdDb = Math.round(th);
  const hold = num(env.MEETING_AUDIO_HOLD_MS);
  if (hold !== undefined && hold >= 0) out.holdMs = hold;
  return out;
}

export function sfuConfigFromEnv(env: NodeJS.ProcessEnv = process.env): SfuConfig {
  const announced = env.MEDIASOUP_ANNOUNCED_IP?.trim();
  const listenIps = announced
    ? [{ ip: env.MEDIASOUP_LISTEN_IP?.trim() || '0.0.0.0', announcedAddress: announced }]
    : localIps().map((ip) => ({ ip }));
  return {
    numWorkers: Math.max(1, Number(env.MEDIASOUP_WORKERS) || os.availableParallelism()),
    basePort: Number(env.MEDIASOUP_PORT) || 40000,
    listenIps,
    logLevel: (env.MEDIASOUP_LOG_LEVEL as types.WorkerLogLevel) || 'warn',
    logTags: env.MEDIASOUP_LOG_TAGS ? (env.MEDIASOUP_LOG_TAGS.split(',').map((t) => t.trim()).filter(Boolean) as types.WorkerLogTag[]) : undefined,
    audio: audioConfigFromEnv(env),
    spread: Number(env.MEDIASOUP_CONSUMERS_PER_ROUTER) >= 1 ? { consumersPerRouter: Math.floor(Number(env.MEDIASOUP_CONSUMERS_PER_ROUTER)) } : {},
  };
}

/** Loopback plus every IPv4 interface: works on one machine and on a LAN without configuration. */
function localIps(): string[] {
  const ips = new Set(['127.0.0.1']);
  for (const addrs of Object.values(os.networkInterfaces())) {
    for (const a of addrs ?? []) if (a.family === 'IPv4' && !a.internal) ips.add(a.address);
  }
  return [...ips];
}

export const MEDIA_CODECS: types.RouterRtpCodecCapability[] = [
  { kind: 'audio', mimeType: 'audio/opus', clockRate: 48000, channels: 2 },
  { kind: 'video', mimeType: 'video/VP8', clockRate: 90000, parameters: { 'x-google-start-bitrate': 1000 } },
  {
    kind: 'video',
    mimeType: 'video/H264',
    clockRate: 90000,
    parameters: { 'packetization-mode': 1, 'profile-level-id': '42e01f', 'level-asymmetry-allowed': 1 },
  },
];

/**
 * The pipe between two routers of a meeting (RouterShards.pipe): one UDP socket carries every layer of every piped
 * producer, so with the kernel's default 208 KiB buffer a worker held off its core for ~100 ms overflowed it and
 * dropped keyframes (the region bench at load 7–14: thousands of drops, nearly all on this one socket). 4 MiB
 * rides that out; the kernel caps it at net.core.rmem_max / wmem_max, which a server should raise to 4 MiB.
 */
export const PIPE_LISTEN_INFO: types.TransportListenInfo = { protocol: 'udp', ip: '127.0.0.1', recvBufferSize: 4 * 1024 * 1024, sendBufferSize: 4 * 1024 * 1024 };

/**
 * The kernel silently caps a socket buffer at net.core.rmem_max / wmem_max (Debian's default 208 KiB), so the
 * pipes' 4 MiB needs those raised; returns what to raise, or null. `read` gives a sysctl's value (undefined if
 * unreadable, e.g. not Linux: then nothing is said).
 */
export function pipeBufferShortfall(read: (name: 'rmem_max' | 'wmem_max') => number | undefined): string | null {
  const want = Math.max(PIPE_LISTEN_INFO.recvBufferSize ?? 0, PIPE_LISTEN_INFO.sendBufferSize ?? 0);
  const low = (['rmem_max', 'wmem_max'] as const).filter((n) => {
    const v = read(n);
    return v !== undefined && Number.isFinite(v) && v < want;
  });
  return low.length ? `raise ${low.map((n) => `net.core.${n}`).join(' and ')} to ${want} (sysctl): the kernel caps the meeting pipes' socket buffers below what they need, and router-to-router keyframes can be dropped under load` : null;
}

/** Enough for 1080p simulcast from a sub-venue; the browser's BWE works within it. */
export const TRANSPORT_BITRATE = { initialOutgoing: 1_500_000, maxIncoming: 6_000_000 };
