/**
 * Media errors caused by the client (an unknown id, a limit reached): a stable code the hub turns into a 4xx,
 * and a message for the log only — mediasoup's own text never goes back to a browser.
 */
export type MediaClientCode = 'MEDIA_NOT_FOUND' | 'MEDIA_CANNOT_CONSUME' | 'MEDIA_NO_RECV_TRANSPORT' | 'TRANSPORT_LIMIT' | 'PRODUCER_LIMIT';

export class MediaClientError extends Error {
  constructor(
    readonly code: MediaClientCode,
    message: string,
  ) {
    super(message);
    this.name = 'MediaClientError';
  }
}

/** Live WebRTC transports per site: send + receive, plus room for one reconnect each. */
export const MAX_TRANSPORTS_PER_PEER = 4;
/** Live producers per site: microphone, camera, shared screen (and its sound). */
export const MAX_PRODUCERS_PER_PEER = 4;
