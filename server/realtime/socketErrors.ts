/**
 * What a socket handler's failure looks like to the client: a stable code and a Chinese message. Client
 * mistakes (unknown transport/producer ids, malformed RTP or DTLS parameters, limits) are 4xx codes; the
 * internals of mediasoup only ever reach the log.
 */
import { MediaClientError } from '../../sfu/errors.ts';
import { ApiError, errors, toApiError } from '../http/errors.ts';

const CLIENT: Record<MediaClientError['code'], () => ApiError> = {
  MEDIA_NOT_FOUND: () => new ApiError(404, 'MEDIA_NOT_FOUND', '媒体通道不存在或已关闭，请重新加入会议'),
  MEDIA_CANNOT_CONSUME: () => new ApiError(400, 'MEDIA_CANNOT_CONSUME', '本机浏览器不支持接收该路媒体'),
  MEDIA_NO_RECV_TRANSPORT: () => new ApiError(409, 'MEDIA_NO_RECV_TRANSPORT', '尚未建立接收通道'),
  TRANSPORT_LIMIT: () => new ApiError(429, 'TRANSPORT_LIMIT', '本会场建立的媒体通道过多，请刷新页面后重新加入'),
  PRODUCER_LIMIT: () => new ApiError(429, 'PRODUCER_LIMIT', '本会场发送的媒体路数已达上限'),
};

/** The ApiError for an error thrown by a socket handler; `internal` tells whether to log it as a server fault. */
export function socketError(e: unknown): { error: ApiError; internal: boolean } {
  if (e instanceof ApiError) return { error: e, internal: false };
  if (e instanceof MediaClientError) return { error: CLIENT[e.code](), internal: false };
  const name = (e as Error | null)?.name;
  // mediasoup validates what the browser sent (rtpParameters, dtlsParameters) with TypeError / UnsupportedError.
  if (name === 'TypeError' || name === 'UnsupportedError') return { error: new ApiError(400, 'MEDIA_BAD_PARAMS', '媒体参数不正确或不受支持'), internal: false };
  if (name === 'InvalidStateError') return { error: new ApiError(409, 'MEDIA_STATE', '媒体通道状态已变化，请重试'), internal: false };
  const api = toApiError(e);
  return { error: api.code === 'INTERNAL' ? errors.mediaFailed() : api, internal: true };
}
