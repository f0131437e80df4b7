/** Configuration of the emergency-platform link, from the environment (README: "Emergency platform"). */
export interface PlatformConfig {
  /** Where CAP messages are POSTed; null: nothing is sent (messages wait as 待推送). */
  url: string | null;
  /** Shared key of the HMAC-SHA256 body signatures, both directions; null: inbound is refused. */
  sharedKey: string | null;
  sender: string;
  senderName: string;
  orgCode: string;
  status: 'Actual' | 'Exercise' | 'Test';
  timeoutMs: number;
  retryBaseMs: number;
  retryMaxMs: number;
  pollMs: number;
  /** Bearer token for pulling the Atom feed; null: the feed is closed. */
  feedToken: string | null;
  /** Inbound requests accepted per minute and client address. */
  inboundPerMinute: number;
}

const num = (v: string | undefined, d: number) => (v && Number.isFinite(Number(v)) && Number(v) > 0 ? Number(v) : d);

export function platformConfigFromEnv(env = process.env, rootCode = '150000'): PlatformConfig {
  const status = env.PLATFORM_STATUS;
  return {
    url: env.PLATFORM_URL || null,
    sharedKey: env.PLATFORM_SHARED_KEY || null,
    sender: env.PLATFORM_SENDER || `dutyoffice@${rootCode}.threelevel`,
    senderName: env.PLATFORM_SENDER_NAME || '自治区民政厅总值班室',
    orgCode: env.PLATFORM_ORG_CODE || 'MZ0001',
    status: status === 'Exercise' || status === 'Test' ? status : 'Actual',
    timeoutMs: num(env.PLATFORM_TIMEOUT_MS, 10_000),
    retryBaseMs: num(env.PLATFORM_RETRY_BASE_MS, 2_000),
    retryMaxMs: num(env.PLATFORM_RETRY_MAX_MS, 120_000),
    pollMs: num(env.PLATFORM_POLL_MS, 1_000),
    feedToken: env.PLATFORM_FEED_TOKEN || null,
    inboundPerMinute: num(env.PLATFORM_INBOUND_PER_MINUTE, 60),
  };
}

/** Exponential backoff with ±20 % jitter, capped: attempt 1 → base, 2 → 2×base, … */
export function backoffMs(attempt: number, baseMs: number, maxMs: number, rand = Math.random): number {
  const raw = Math.min(maxMs, baseMs * 2 ** Math.max(0, attempt - 1));
  return Math.round(raw * (0.8 + 0.4 * rand()));
}
