/**
 * One error shape for HTTP, socket acks and local failures, so every view can show
 * a message keyed by the stable `code` (see i18n `errors.*`) with the server text as fallback.
 */
export class AppError extends Error {
  constructor(
    readonly code: string,
    message = '',
    readonly details?: unknown,
    readonly status?: number,
  ) {
    super(message || code);
    this.name = 'AppError';
  }
}

interface WireError {
  code?: unknown;
  message?: unknown;
  details?: unknown;
}

/** Build an AppError from the `{ error: { code, message, details } }` body of the API. */
export function fromWire(err: WireError | undefined, status?: number): AppError {
  const code = typeof err?.code === 'string' ? err.code : status ? `HTTP_${status}` : 'UNKNOWN';
  const message = typeof err?.message === 'string' ? err.message : '';
  return new AppError(code, message, err?.details, status);
}

export function toAppError(e: unknown): AppError {
  if (e instanceof AppError) return e;
  if (e instanceof DOMException || e instanceof Error) return new AppError(e.name || 'UNKNOWN', e.message);
  return new AppError('UNKNOWN', String(e));
}
