/**
 * The audio offer/answer of a phone call (RFC 3264), pure: G.711 only (PCMA or PCMU at 8 kHz, 20 ms),
 * RFC 4733 telephone-events for the keys. Parsed and written with sdp-transform.
 */
import { parse, write } from 'sdp-transform';

export interface AudioOffer {
  /** Where the phone wants our RTP. */
  address: string;
  port: number;
  codec: 'PCMU' | 'PCMA';
  payloadType: 0 | 8;
  /** RFC 4733 payload type, null if the phone sends no telephone-events (SIP INFO then). */
  dtmfPayloadType: number | null;
  /** The phone put us on hold / sends only. */
  direction: 'sendrecv' | 'sendonly' | 'recvonly' | 'inactive';
}

export class SdpError extends Error {}

const IPV4 = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/;

/** The offer's first usable audio stream; throws SdpError (→ 488) when there is none. */
export function parseAudioOffer(sdp: string): AudioOffer {
  if (sdp.length > 8192) throw new SdpError('SDP too large');
  if (!/^v=0\r?\n/.test(sdp)) throw new SdpError('not an SDP');
  let session: ReturnType<typeof parse>;
  try {
    session = parse(sdp);
  } catch {
    throw new SdpError('unreadable SDP');
  }
  const audio = (session.media ?? []).find((m) => m.type === 'audio' && Number.isInteger(m.port) && m.port > 0 && m.port < 65536 && m.protocol === 'RTP/AVP');
  if (!audio) throw new SdpError('no RTP/AVP audio stream');
  const address = audio.connection?.ip ?? session.connection?.ip;
  if (!address || !IPV4.test(address) || address.split('.').some((o) => Number(o) > 255)) throw new SdpError('no IPv4 connection address');
  const payloads = String(audio.payloads ?? '').split(/\s+/).filter(Boolean).map(Number);
  const rtp = audio.rtp ?? [];
  const g711 = payloads.find((p) => p === 0 || p === 8);
  if (g711 === undefined) throw new SdpError('no G.711 codec offered');
  const te = rtp.find((r) => /^telephone-event$/i.test(r.codec) && (r.rate ?? 8000) === 8000 && payloads.includes(r.payload));
  return {
    address,
    port: audio.port,
    codec: g711 === 0 ? 'PCMU' : 'PCMA',
    payloadType: g711 as 0 | 8,
    dtmfPayloadType: te ? te.payload : null,
    direction: audio.direction ?? 'sendrecv',
  };
}

type Local = { address: string; port: number; sessionId: number };
type Codec = { payload: number; codec: string };

/** One audio stream at our RTP address: the codecs in order of preference, then RFC 4733 keys if any. */
function writeAudio(local: Local, codecs: Codec[], dtmfPayloadType: number | null, direction: AudioOffer['direction']): string {
  const rtp = [...codecs, ...(dtmfPayloadType !== null ? [{ payload: dtmfPayloadType, codec: 'telephone-event' }] : [])];
  return write({
    version: 0,
    origin: { username: '-', sessionId: local.sessionId, sessionVersion: 1, netType: 'IN', ipVer: 4, address: local.address },
    name: '-',
    connection: { version: 4, ip: local.address },
    timing: { start: 0, stop: 0 },
    media: [
      {
        type: 'audio',
        port: local.port,
        protocol: 'RTP/AVP',
        payloads: rtp.map((c) => c.payload).join(' '),
        rtp: rtp.map((c) => ({ ...c, rate: 8000 })),
        fmtp: dtmfPayloadType !== null ? [{ payload: dtmfPayloadType, config: '0-15' }] : [],
        ptime: 20,
        direction,
      },
    ],
  });
}

/** Our answer: the chosen codec (+ telephone-event if offered) at our RTP address. */
export function writeAudioAnswer(offer: AudioOffer, local: Local): string {
  const answerDirection = ({ sendrecv: 'sendrecv', sendonly: 'recvonly', recvonly: 'sendonly', inactive: 'inactive' } as const)[offer.direction];
  return writeAudio(local, [{ payload: offer.payloadType, codec: offer.codec }], offer.dtmfPayloadType, answerDirection);
}

/** Our offer when we place a call (dial-out): PCMA and PCMU at 8 kHz, 20 ms, RFC 4733 keys on 101. */
export function writeAudioOffer(local: Local): string {
  return writeAudio(local, [{ payload: 8, codec: 'PCMA' }, { payload: 0, codec: 'PCMU' }], 101, 'sendrecv');
}
