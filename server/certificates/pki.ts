/**
 * A small X.509 CA with @peculiar/x509 over Node's WebCrypto (ECDSA P-256, SHA-256): the demo CA of
 * `npm start` and the certificates of the tests. Keys leave it as PKCS#8 PEM.
 */
import 'reflect-metadata'; // @peculiar/x509 needs it loaded before itself
import { webcrypto } from 'node:crypto';
import {
  BasicConstraintsExtension, ExtendedKeyUsage, ExtendedKeyUsageExtension, KeyUsageFlags, KeyUsagesExtension, PemConverter,
  SubjectAlternativeNameExtension, X509CertificateGenerator, X509CrlGenerator, type X509Certificate,
} from '@peculiar/x509';
import './x509.ts'; // sets the crypto provider (and reflect-metadata) first

const subtle = webcrypto.subtle as unknown as SubtleCrypto;
const ALG = { name: 'ECDSA', namedCurve: 'P-256' } as const;
const SIGN = { name: 'ECDSA', hash: 'SHA-256' } as const;

export interface Issued {
  cert: X509Certificate;
  keys: CryptoKeyPair;
  certPem: string;
  keyPem: string;
}

const serialHex = () => `${(1 + Math.floor(Math.random() * 7)).toString(16)}${Buffer.from(webcrypto.getRandomValues(new Uint8Array(9))).toString('hex')}`;

async function finish(cert: X509Certificate, keys: CryptoKeyPair): Promise<Issued> {
  const pkcs8 = await subtle.exportKey('pkcs8', keys.privateKey);
  return { cert, keys, certPem: cert.toString('pem'), keyPem: PemConverter.encode(pkcs8, 'PRIVATE KEY') };
}

const newKeys = () => subtle.generateKey(ALG, true, ['sign', 'verify']) as Promise<CryptoKeyPair>;

export async function makeCa(name: string, notBefore: Date, notAfter: Date): Promise<Issued> {
  const keys = await newKeys();
  const cert = await X509CertificateGenerator.createSelfSigned({
    serialNumber: serialHex(), name, notBefore, notAfter, keys, signingAlgorithm: SIGN,
    extensions: [new BasicConstraintsExtension(true, 0, true), new KeyUsagesExtension(KeyUsageFlags.keyCertSign | KeyUsageFlags.cRLSign, true)],
  });
  return finish(cert, keys);
}

export async function issue(
  ca: Issued,
  opts: { subject: string; notBefore: Date; notAfter: Date; server?: { dns: string[]; ips: string[] } },
): Promise<Issued> {
  const keys = await newKeys();
  const extensions = [
    new BasicConstraintsExtension(false, undefined, true),
    new KeyUsagesExtension(KeyUsageFlags.digitalSignature | KeyUsageFlags.keyAgreement, true),
    new ExtendedKeyUsageExtension([opts.server ? ExtendedKeyUsage.serverAuth : ExtendedKeyUsage.clientAuth]),
    ...(opts.server
      ? [new SubjectAlternativeNameExtension([...opts.server.dns.map((value) => ({ type: 'dns' as const, value })), ...opts.server.ips.map((value) => ({ type: 'ip' as const, value }))])]
      : []),
  ];
  const cert = await X509CertificateGenerator.create({
    serialNumber: serialHex(), subject: opts.subject, issuer: ca.cert.subject, notBefore: opts.notBefore, notAfter: opts.notAfter,
    publicKey: keys.publicKey, signingKey: ca.keys.privateKey, signingAlgorithm: SIGN, extensions,
  });
  return finish(cert, keys);
}

/** A CRL of `ca` listing the serials (hex), PEM-labelled as OpenSSL and nginx expect (X509 CRL). */
export async function makeCrl(ca: Issued, serials: string[], thisUpdate: Date, nextUpdate: Date): Promise<string> {
  const crl = await X509CrlGenerator.create({
    issuer: ca.cert.subject, thisUpdate, nextUpdate, signingKey: ca.keys.privateKey, signingAlgorithm: SIGN,
    entries: serials.map((serialNumber) => ({ serialNumber, revocationDate: thisUpdate })),
  });
  return PemConverter.encode(crl.rawData, 'X509 CRL');
}

/** A CA back from its PEM files (the demo CA on the next start). */
export async function loadIssued(certPem: string, keyPem: string, cert: X509Certificate): Promise<Issued> {
  const privateKey = await subtle.importKey('pkcs8', PemConverter.decodeFirst(keyPem), ALG, true, ['sign']);
  const publicKey = await cert.publicKey.export(ALG, ['verify'], webcrypto as unknown as Crypto);
  return { cert, keys: { privateKey, publicKey }, certPem, keyPem };
}
