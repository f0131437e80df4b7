/**
 * The HTTPS server: the client certificate is asked for (when a client CA is configured) but never required
 * at the TLS layer, so a missing or wrong one gets a Chinese message at sign-in instead of a broken
 * connection, and roles that sign in with a password alone need none.
 */
import { X509Certificate as NodeX509 } from 'node:crypto';
import https from 'node:https';
import type { TLSSocket } from 'node:tls';
import type { Express } from 'express';
import { prebuiltPrototypes } from '../http/prebuiltPrototypes.ts';

export function createTlsServer(app: Express, tls: { cert: string; key: string }, clientCa: string | undefined): https.Server {
  const server = https.createServer({ ...prebuiltPrototypes(app), cert: tls.cert, key: tls.key, requestCert: !!clientCa, rejectUnauthorized: false, ...(clientCa ? { ca: clientCa } : {}) }, app);
  // A client certificate whose signature OpenSSL failed to verify (say, a forged CA of the same name) leaves
  // that error in the thread's OpenSSL error queue; Node 20 then takes it for a failure of the next TLS read
  // and drops a connection ("socket hang up"). Parsing the certificate with node:crypto clears the queue.
  server.prependListener('secureConnection', (socket: TLSSocket) => {
    if (!socket.authorizationError) return;
    try {
      const raw = socket.getPeerCertificate(false).raw;
      if (raw?.length) new NodeX509(raw);
    } catch {
      // unparseable: sign-in says so (CERT_INVALID)
    }
  });
  return server;
}
