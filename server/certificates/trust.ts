/**
 * Where presented certificates are trusted from: the CA(s) of client certificates (TLS_CLIENT_CA), their
 * CRLs (TLS_CRL, re-read when the file changes), the SM2 CA of UKeys (UKEY_CA), and the reverse proxies
 * (TLS_PROXY_TRUST) whose forwarded client-certificate header is believed — from nobody else.
 */
import fs from 'node:fs';
import type { Request } from 'express';
import type { TLSSocket } from 'node:tls';
import { parseCertificates, parseCrls, verifiedCrls, type X509Certificate, type X509Crl } from './x509.ts';

export interface CertTrustConfig {
  /** PEM text of the CA(s) issuing X.509 client certificates. */
  clientCa?: string;
  /** CRL files (PEM), re-read when their modification time changes. */
  crlFiles?: string[];
  /** PEM text of the SM2 CA(s) issuing UKey certificates. */
  ukeyCa?: string;
  /** Addresses of reverse proxies allowed to forward the verified client certificate. */
  trustedProxies?: string[];
  /** The header they put it in (nginx: `$ssl_client_escaped_cert`); default x-ssl-client-cert. */
  proxyHeader?: string;
  /** The UKey vendor middleware on users' machines the console talks to, and which adapter speaks to it. */
  ukeyMiddleware?: { url: string; kind: string };
}

export const DEFAULT_UKEY_MIDDLEWARE = { url: 'http://127.0.0.1:18600', kind: 'stand-in' };

const plainAddress = (a: string | undefined) => (a ?? '').replace(/^::ffff:/, '');

export class CertTrust {
  readonly clientCas: X509Certificate[];
  readonly ukeyCas: X509Certificate[];
  private readonly proxies: Set<string>;
  private readonly header: string;
  private crlCache: { key: string; crls: X509Crl[] } = { key: '', crls: [] };

  constructor(private readonly config: CertTrustConfig = {}) {
    this.clientCas = config.clientCa ? parseCertificates(config.clientCa) : [];
    this.ukeyCas = config.ukeyCa ? parseCertificates(config.ukeyCa) : [];
    this.proxies = new Set((config.trustedProxies ?? []).map(plainAddress));
    this.header = (config.proxyHeader ?? 'x-ssl-client-cert').toLowerCase();
  }

  get ukeyMiddleware(): { url: string; kind: string } {
    return this.config.ukeyMiddleware ?? DEFAULT_UKEY_MIDDLEWARE;
  }

  /** Without a CA to check certificates against, the two-factor policy cannot be enforced. */
  get enforced(): boolean {
    return this.clientCas.length > 0 || this.ukeyCas.length > 0;
  }

  /** The verified CRLs of the client CA(s), re-read when a file changed. */
  async crls(): Promise<X509Crl[]> {
    const files = this.config.crlFiles ?? [];
    const key = files.map((f) => `${f}:${fs.statSync(f, { throwIfNoEntry: false })?.mtimeMs ?? 'missing'}`).join('|');
    if (key !== this.crlCache.key) {
      const crls = files.filter((f) => fs.existsSync(f)).flatMap((f) => parseCrls(fs.readFileSync(f, 'utf8')));
      this.crlCache = { key, crls: await verifiedCrls(crls, this.clientCas) };
    }
    return this.crlCache.crls;
  }

  /**
   * The client certificate of this request, DER or PEM: the TLS peer's when we terminate TLS, or the
   * header of a trusted proxy. A header from any other address is ignored (anyone can send headers).
   */
  presented(req: Request): Uint8Array | string | null {
    const socket = req.socket as Partial<TLSSocket>;
    if (typeof socket.getPeerCertificate === 'function') {
      const peer = socket.getPeerCertificate(false);
      if (peer && peer.raw && peer.raw.length) return new Uint8Array(peer.raw);
    }
    const forwarded = req.headers[this.header];
    if (typeof forwarded === 'string' && forwarded.trim() && this.proxies.has(plainAddress(req.socket.remoteAddress))) return forwarded;
    return null;
  }
}
