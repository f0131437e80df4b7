/**
 * UKey (USB key) vendor middlewares, behind one interface: the console asks the key's local middleware for
 * its SM2 certificate and for a signature (SM2/SM3, default user id) of the server's nonce. Each vendor's
 * middleware gets an adapter here; the shipped one speaks the stand-in middleware's small HTTP protocol
 * (GET /certificate, POST /sign { data }), which a vendor bridge can offer as well.
 */
export interface UkeyAdapter {
  /** Which vendor middleware this adapter talks to. */
  readonly id: string;
  /** The key's certificate (PEM or base64 DER). */
  certificate(): Promise<string>;
  /** The key's signature (DER, hex) over the nonce's UTF-8 bytes. */
  sign(nonce: string): Promise<string>;
}

/** The middleware could not be reached or answered nothing usable (no key inserted, service not running). */
export class UkeyUnavailable extends Error {}

export function standInAdapter(baseUrl: string): UkeyAdapter {
  const call = async <T>(path: string, init?: RequestInit): Promise<T> => {
    let res: Response;
    try {
      res = await fetch(baseUrl + path, { ...init, signal: AbortSignal.timeout(10_000) });
    } catch {
      throw new UkeyUnavailable('middleware unreachable');
    }
    if (!res.ok) throw new UkeyUnavailable(`middleware answered ${res.status}`);
    return (await res.json()) as T;
  };
  return {
    id: 'stand-in',
    certificate: async () => (await call<{ certificate: string }>('/certificate')).certificate,
    sign: async (nonce) => (await call<{ signature: string }>('/sign', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ data: nonce }) })).signature,
  };
}

/** The adapter for a vendor middleware the server names (UKEY_MIDDLEWARE_KIND); one kind is shipped. */
export function adapterFor(kind: string, baseUrl: string): UkeyAdapter {
  switch (kind) {
    default:
      return standInAdapter(baseUrl);
  }
}
