/** The answer every acked client→server socket event gets (server/realtime/ack.ts sends it). */
export type AckResult<T = unknown> = { ok: true; data: T } | { ok: false; error: { code: string; message: string; details?: unknown } };
export type Ack<T = unknown> = (res: AckResult<T>) => void;
