// sdp-transform 3.0 ships no types; the two functions we use, typed as loosely as the library is.
declare module 'sdp-transform' {
  export function parse(sdp: string): SessionDescription;
  export function write(session: SessionDescription): string;
  export interface MediaDescription {
    type: string;
    port: number;
    protocol: string;
    payloads?: string;
    rtp: { payload: number; codec: string; rate?: number; encoding?: string }[];
    fmtp: { payload: number; config: string }[];
    connection?: { version: number; ip: string };
    direction?: 'sendrecv' | 'sendonly' | 'recvonly' | 'inactive';
    ptime?: number;
    [key: string]: unknown;
  }
  export interface SessionDescription {
    version?: number;
    origin?: { username: string; sessionId: string | number; sessionVersion: number; netType: string; ipVer: number; address: string };
    name?: string;
    connection?: { version: number; ip: string };
    timing?: { start: number; stop: number };
    media: MediaDescription[];
    [key: string]: unknown;
  }
}
