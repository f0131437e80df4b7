/**
 * X.509 with @peculiar/x509 over Node's WebCrypto: parse what a browser, a proxy header or an administrator
 * hands us (PEM, URL-escaped PEM, base64 or binary DER), and the facts the rules need (issuer signature, CRL).
 */
import 'reflect-metadata';
import { webcrypto, createHash } from 'node:crypto';
import { cryptoProvider, X509Certificate, X509Crl } from '@peculiar/x509';

cryptoProvider.set(webcrypto as unknown as Crypto);

export { X509Certificate, X509Crl };

const PEM_CERT = /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g;

/** The certificates in a text (PEM, possibly several, or URL-escaped as nginx forwards it) or DER bytes. */
export function parseCertificates(input: string | Uint8Array): X509Certificate[] {
  if (typeof input !== 'string') return [new X509Certificate(Uint8Array.from(input))];
  let text = input.trim();
  if (text.includes('%')) text = decodeURIComponent(text);
  const pems = text.match(PEM_CERT);
  if (pems) return pems.map((p) => new X509Certificate(p));
  return [new X509Certificate(Buffer.from(text.replace(/\s+/g, ''), 'base64'))];
}

/** One certificate, or null when the input is not one (never throws). */
export function parseCertificate(input: string | Uint8Array): X509Certificate | null {
  try {
    const cert = parseCertificates(input)[0];
    // Touch the fields the rules read, so a malformed body fails here rather than later.
    return cert && cert.subject !== undefined && cert.notAfter instanceof Date ? cert : null;
  } catch {
    return null;
  }
}

export function parseCrls(text: string): X509Crl[] {
  const pems = text.match(/-----BEGIN (?:X509 )?CRL-----[\s\S]+?-----END (?:X509 )?CRL-----/g) ?? [];
  return pems.map((p) => new X509Crl(p));
}

export const fingerprintOf = (cert: X509Certificate): string => createHash('sha256').update(Buffer.from(cert.rawData)).digest('hex');

/** The CA among `cas` that signed `cert` (name match and a valid signature), if any. */
export async function signingCa(cert: X509Certificate, cas: readonly X509Certificate[]): Promise<X509Certificate | null> {
  for (const ca of cas) {
    if (ca.subject !== cert.issuer) continue;
    try {
      if (await cert.verify({ publicKey: ca.publicKey, signatureOnly: true })) return ca;
    } catch {
      // an algorithm WebCrypto cannot verify: not this CA
    }
  }
  return null;
}

/** Listed on a CRL that its issuer signed. */
export function onCrl(cert: X509Certificate, crls: readonly X509Crl[]): boolean {
  return crls.some((crl) => crl.issuer === cert.issuer && crl.findRevoked(cert.serialNumber) !== null);
}

/** CRLs that one of `cas` really signed (an unsigned list must not revoke, nor be trusted). */
export async function verifiedCrls(crls: readonly X509Crl[], cas: readonly X509Certificate[]): Promise<X509Crl[]> {
  const ok: X509Crl[] = [];
  for (const crl of crls) {
    for (const ca of cas) {
      if (ca.subject !== crl.issuer) continue;
      try {
        if (await crl.verify({ publicKey: ca.publicKey })) ok.push(crl);
      } catch {
        // not verifiable with this CA
      }
    }
  }
  return ok;
}
