/** Certificate login tables (migration 018). */
import type { Generated } from 'kysely';

export interface UserCertificateTable {
  id: Generated<number>;
  user_id: number;
  kind: 'x509' | 'sm2';
  subject: string;
  issuer: string;
  serial: string;
  not_before: Date;
  not_after: Date;
  /** sha-256 of the DER, lower-case hex. */
  fingerprint: string;
  pem: string;
  bound_by: string;
  bound_at: Date;
  revoked_at: Date | null;
  revoked_by: string | null;
  revoke_reason: string | null;
}

/** Per role: does signing in take a certificate besides the password? */
export interface AuthFactorPolicyTable {
  role: string;
  require_certificate: boolean;
  updated_by: string | null;
  updated_at: Date | null;
}

/** UKey challenge nonces: single use, short-lived. */
export interface AuthChallengeTable {
  nonce: string;
  expires_at: Date;
  used_at: Date | null;
}

export interface CertificateTables {
  user_certificates: UserCertificateTable;
  auth_factor_policy: AuthFactorPolicyTable;
  auth_challenges: AuthChallengeTable;
}
