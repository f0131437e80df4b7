/** JSON over HTTPS with an optional client certificate (fetch cannot present one), keeping the session cookie. */
import https from 'node:https';

export interface TlsIdentity {
  cert: string;
  key: string;
}

export class TlsClient {
  cookie = '';
  constructor(
    readonly baseUrl: string,
    readonly ca: string,
    readonly identity?: TlsIdentity,
    readonly opts: { localAddress?: string; headers?: Record<string, string> } = {},
  ) {}

  request(method: string, path: string, body?: unknown): Promise<{ status: number; body: any }> {
    const data = body === undefined ? undefined : JSON.stringify(body);
    return new Promise((resolve, reject) => {
      const req = https.request(
        this.baseUrl + path,
        {
          method,
          ca: this.ca,
          ...(this.identity ? { cert: this.identity.cert, key: this.identity.key } : {}),
          localAddress: this.opts.localAddress,
          agent: false, // a fresh TLS session per request: the certificate presented is this client's
          headers: { 'content-type': 'application/json', ...(this.cookie ? { cookie: this.cookie } : {}), ...this.opts.headers },
        },
        (res) => {
          const set = (res.headers['set-cookie'] ?? []).find((c) => c.startsWith('tl_session='));
          if (set) this.cookie = set.split(';')[0]!;
          let text = '';
          res.on('data', (c: Buffer) => (text += c.toString('utf8')));
          res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text ? JSON.parse(text) : null }));
        },
      );
      req.on('error', reject);
      req.end(data);
    });
  }
  get = (p: string) => this.request('GET', p);
  post = (p: string, b?: unknown) => this.request('POST', p, b ?? {});
  put = (p: string, b?: unknown) => this.request('PUT', p, b ?? {});
}
