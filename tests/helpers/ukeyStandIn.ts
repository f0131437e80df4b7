/**
 * A STAND-IN for a UKey vendor's local middleware (the true system edge: a USB key's driver service on the
 * user's machine). It holds a real SM2 key and certificate and answers as such middlewares do over local
 * HTTP: the certificate, and an SM2/SM3 signature (DER, hex, default user id) of the data it is given.
 */
import http from 'node:http';
import smCrypto from 'sm-crypto';

export interface UkeyStandIn {
  url: string;
  /** Swap the key in the "slot" (another user's key, or none). */
  insert(key: { certPem: string; privateKey: string } | null): void;
  close(): Promise<void>;
}

export async function startUkeyStandIn(key: { certPem: string; privateKey: string } | null): Promise<UkeyStandIn> {
  let inserted = key;
  const server = http.createServer((req, res) => {
    // The console calls it from its own origin: CORS, and Chromium's private-network preflight.
    res.setHeader('access-control-allow-origin', req.headers.origin ?? '*');
    res.setHeader('access-control-allow-headers', 'content-type');
    res.setHeader('access-control-allow-private-network', 'true');
    if (req.method === 'OPTIONS') return void res.writeHead(204).end();
    const send = (status: number, body: unknown) => res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
    if (!inserted) return send(404, { error: 'no key inserted' });
    if (req.method === 'GET' && req.url === '/certificate') return send(200, { certificate: inserted.certPem });
    if (req.method === 'POST' && req.url === '/sign') {
      let raw = '';
      req.on('data', (c: Buffer) => (raw += c.toString('utf8')));
      req.on('end', () => {
        const { data } = JSON.parse(raw) as { data: string };
        send(200, { signature: smCrypto.sm2.doSignature(data, inserted!.privateKey, { der: true, hash: true }) });
      });
      return;
    }
    send(404, { error: 'unknown' });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as { port: number }).port;
  return {
    url: `http://127.0.0.1:${port}`,
    insert: (k) => void (inserted = k),
    close: () => new Promise((r) => server.close(() => r())),
  };
}
