/**
 * How the voice access is set up: where it listens, the general access number, limits, the digest realm, and
 * the operator's trunk for dial-out (from VOICE_TRUNK_* in the environment).
 */
import type { DigestAlgorithm } from './digest.ts';
import type { Timers } from './sipServer.ts';

export const DEFAULT_REALM = 'threelevel';

/** The operator's trunk for dial-out to any number (VOICE_TRUNK_*). */
export interface TrunkOptions {
  host: string;
  port: number;
  transport: 'UDP' | 'TCP';
  /** Host part of the request-URI (default: host). */
  domain?: string;
  /** Digest credentials, when the trunk challenges our INVITEs. */
  user?: string;
  password?: string;
  /** Our number in From (default: user, else the access number). */
  caller?: string;
}

export interface VoiceOptions {
  host: string;
  port: number;
  /** Address written into SDP and Contact (the host's public address behind Kamailio/NAT). */
  advertise?: string;
  /** The one general number: the caller then keys the meeting number. */
  accessNumber: string;
  maxCalls: number;
  maxCallMinutes: number;
  promptDir: string;
  timers?: Timers;
  /** Seconds the caller has to key a number or PIN before the call ends. */
  keyTimeoutSec?: number;
  /** Digest realm for REGISTER and challenged INVITEs (the registered phones' HA1s are computed for it). */
  realm?: string;
  /** Challenge algorithms, preferred first (RFC 8760: SHA-256 before MD5). */
  digestAlgorithms?: DigestAlgorithm[];
  trunk?: TrunkOptions | null;
  /** Seconds a dialled site may ring before we CANCEL (无人接听). */
  ringSeconds?: number;
}

/** VOICE_TRUNK_HOST=host[:port] (+ _TRANSPORT udp|tcp, _DOMAIN, _USER, _PASSWORD, _CALLER); unset: no trunk. */
export function trunkFromEnv(env: Record<string, string | undefined>): TrunkOptions | null {
  const m = /^([^:\s]+)(?::(\d{1,5}))?$/.exec(env.VOICE_TRUNK_HOST ?? '');
  if (!m) return null;
  return {
    host: m[1],
    port: Number(m[2] ?? 5060),
    transport: (env.VOICE_TRUNK_TRANSPORT ?? 'udp').toLowerCase() === 'tcp' ? 'TCP' : 'UDP',
    domain: env.VOICE_TRUNK_DOMAIN || undefined,
    user: env.VOICE_TRUNK_USER || undefined,
    password: env.VOICE_TRUNK_PASSWORD || undefined,
    caller: env.VOICE_TRUNK_CALLER || undefined,
  };
}
