/**
 * SM2 certificates for the UKey tests, as a Chinese CA issues them: the structure with @peculiar/asn1-x509,
 * signed SM2-with-SM3 (default user id) by sm-crypto, since WebCrypto has no SM2.
 */
import 'reflect-metadata'; // @peculiar/x509 needs it loaded before itself
import { AsnConvert } from '@peculiar/asn1-schema';
import { ECParameters } from '@peculiar/asn1-ecc';
import { AlgorithmIdentifier, Certificate, Name as AsnName, SubjectPublicKeyInfo, TBSCertificate, Validity, Version } from '@peculiar/asn1-x509';
import { Name, PemConverter } from '@peculiar/x509';
import smCrypto from 'sm-crypto';
import { SM2_CURVE, SM2_WITH_SM3 } from '../../server/certificates/sm2.ts';
import '../../server/certificates/x509.ts';

const { sm2 } = smCrypto;
const EC_PUBLIC_KEY = '1.2.840.10045.2.1';
const bytes = (hex: string) => Uint8Array.from(Buffer.from(hex, 'hex')).buffer;

export interface Sm2Issued {
  /** 04‖X‖Y hex and the private scalar hex, as sm-crypto has them. */
  publicKey: string;
  privateKey: string;
  certPem: string;
}

export function sm2Certificate(opts: { subject: string; issuer?: { name: string; privateKey: string }; notBefore: Date; notAfter: Date; serial?: string }): Sm2Issued {
  const keys = sm2.generateKeyPairHex();
  const name = (dn: string) => AsnConvert.parse(new Name(dn).toArrayBuffer(), AsnName);
  const tbs = new TBSCertificate({
    version: Version.v3,
    serialNumber: bytes(opts.serial ?? `01${Buffer.from(crypto.getRandomValues(new Uint8Array(8))).toString('hex')}`),
    signature: new AlgorithmIdentifier({ algorithm: SM2_WITH_SM3 }),
    issuer: name(opts.issuer?.name ?? opts.subject),
    validity: new Validity({ notBefore: opts.notBefore, notAfter: opts.notAfter }),
    subject: name(opts.subject),
    subjectPublicKeyInfo: new SubjectPublicKeyInfo({
      algorithm: new AlgorithmIdentifier({ algorithm: EC_PUBLIC_KEY, parameters: AsnConvert.serialize(new ECParameters({ namedCurve: SM2_CURVE })) }),
      subjectPublicKey: bytes(keys.publicKey),
    }),
  });
  const tbsDer = new Uint8Array(AsnConvert.serialize(tbs));
  const signature = sm2.doSignature(Array.from(tbsDer), opts.issuer?.privateKey ?? keys.privateKey, { der: true, hash: true });
  const der = AsnConvert.serialize(new Certificate({ tbsCertificate: tbs, signatureAlgorithm: new AlgorithmIdentifier({ algorithm: SM2_WITH_SM3 }), signatureValue: bytes(signature) }));
  return { publicKey: keys.publicKey, privateKey: keys.privateKey, certPem: PemConverter.encode(der, 'CERTIFICATE') };
}
