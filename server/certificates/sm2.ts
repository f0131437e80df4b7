/**
 * SM2 certificates of Chinese USB keys (UKey). @peculiar/x509 parses them (names, serial, dates) but WebCrypto
 * cannot verify SM2, so the signatures — the CA's over the certificate and the key's over our nonce — are
 * checked with sm-crypto (SM2 with SM3 and the standard default user id 1234567812345678, DER signatures).
 */
import { AsnConvert } from '@peculiar/asn1-schema';
import { Certificate } from '@peculiar/asn1-x509';
import smCrypto from 'sm-crypto';
import type { X509Certificate } from './x509.ts';

const { sm2 } = smCrypto;
export const SM2_WITH_SM3 = '1.2.156.10197.1.501';
export const SM2_CURVE = '1.2.156.10197.1.301';
const hex = (b: ArrayBuffer | Uint8Array) => Buffer.from(b instanceof Uint8Array ? b : new Uint8Array(b)).toString('hex');

interface Sm2Parts {
  tbs: number[];
  signatureHex: string;
  signatureAlgorithm: string;
  /** The subject's public key as 04‖X‖Y hex. */
  publicKeyHex: string;
}

function partsOf(cert: X509Certificate): Sm2Parts | null {
  try {
    const asn = AsnConvert.parse(cert.rawData, Certificate);
    return {
      tbs: Array.from(new Uint8Array(asn.tbsCertificateRaw ?? AsnConvert.serialize(asn.tbsCertificate))),
      signatureHex: hex(asn.signatureValue),
      signatureAlgorithm: asn.signatureAlgorithm.algorithm,
      publicKeyHex: hex(asn.tbsCertificate.subjectPublicKeyInfo.subjectPublicKey),
    };
  } catch {
    return null;
  }
}

const verify = (msg: string | number[], sigHex: string, pubHex: string) => {
  try {
    return sm2.doVerifySignature(msg, sigHex, pubHex, { der: true, hash: true });
  } catch {
    return false;
  }
};

export const isSm2Certificate = (cert: X509Certificate): boolean => partsOf(cert)?.signatureAlgorithm === SM2_WITH_SM3;

/** The SM2 CA among `cas` whose key signed `cert`. */
export function sm2SigningCa(cert: X509Certificate, cas: readonly X509Certificate[]): X509Certificate | null {
  const parts = partsOf(cert);
  if (!parts || parts.signatureAlgorithm !== SM2_WITH_SM3) return null;
  for (const ca of cas) {
    const caParts = partsOf(ca);
    if (caParts && ca.subject === cert.issuer && verify(parts.tbs, parts.signatureHex, caParts.publicKeyHex)) return ca;
  }
  return null;
}

/** The key's SM2/SM3 signature (DER, hex) over the nonce's UTF-8 bytes. */
export function verifyNonceSignature(cert: X509Certificate, nonce: string, signatureHex: string): boolean {
  const parts = partsOf(cert);
  return !!parts && verify(nonce, signatureHex.toLowerCase(), parts.publicKeyHex);
}
