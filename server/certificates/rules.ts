/**
 * The pure verdict on a presented certificate, after parsing and signature checks have produced the facts.
 * Order matters for the message the user reads: a certificate we do not trust is refused as such before its
 * dates are looked at, and an unbound one never tells whose it is.
 */
import type { CertErrorCode } from '../../contract/certificates.ts';

export interface CertFacts {
  notBefore: Date;
  notAfter: Date;
  /** Signed by one of the configured CAs (X.509: TLS_CLIENT_CA; SM2: UKEY_CA). */
  issuerTrusted: boolean;
  /** Listed on a CRL of its issuer. */
  onCrl: boolean;
}

export interface CertBinding {
  userId: number;
  revokedAt: Date | null;
}

export function certificateProblem(facts: CertFacts, binding: CertBinding | null, userId: number, now: Date): CertErrorCode | null {
  if (!facts.issuerTrusted) return 'CERT_UNTRUSTED';
  if (now.getTime() < facts.notBefore.getTime()) return 'CERT_NOT_YET_VALID';
  if (now.getTime() > facts.notAfter.getTime()) return 'CERT_EXPIRED';
  if (facts.onCrl) return 'CERT_REVOKED';
  if (!binding || binding.userId !== userId) return 'CERT_UNBOUND';
  if (binding.revokedAt && binding.revokedAt.getTime() <= now.getTime()) return 'CERT_REVOKED';
  return null;
}

/** Does this account's sign-in take a certificate? Any of its roles asking for it is enough. */
export function needsCertificate(roles: readonly string[], policy: ReadonlyMap<string, boolean>): boolean {
  return roles.some((r) => policy.get(r) === true);
}
