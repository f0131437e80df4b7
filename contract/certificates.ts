/**
 * Certificate login (issue 16): certificates bound to accounts, the per-role two-factor policy, the UKey
 * (SM2) challenge–signature, and the stable error codes a refused certificate gets.
 */
import { z } from 'zod';
import { ROLES } from './org.ts';

export { CERT_ERROR_CODES, CERT_ERROR_ZH, type CertErrorCode } from './certificateErrors.ts';

export const certificateKind = z.enum(['x509', 'sm2']);

/** One bound certificate as the security administrator sees it. */
export const certificateView = z.object({
  id: z.number().int(),
  username: z.string(),
  kind: certificateKind,
  subject: z.string(),
  issuer: z.string(),
  serial: z.string(),
  notBefore: z.string(),
  notAfter: z.string(),
  fingerprint: z.string(),
  boundBy: z.string(),
  boundAt: z.string(),
  revokedAt: z.string().nullable(),
  revokedBy: z.string().nullable(),
  revokeReason: z.string().nullable(),
});
export type CertificateView = z.infer<typeof certificateView>;

/** GET /api/certificates?username= */
export const certificateListQuery = z.object({ username: z.string().trim().min(1).max(100) });

/** POST /api/certificates: PEM (or base64 DER) pasted or read from an uploaded file. */
export const bindCertificateBody = z.object({ username: z.string().trim().min(1).max(100), pem: z.string().min(40).max(20_000) });
export type BindCertificateBody = z.infer<typeof bindCertificateBody>;

/** POST /api/certificates/:id/revoke */
export const revokeCertificateBody = z.object({ reason: z.string().trim().min(2).max(200) });
export type RevokeCertificateBody = z.infer<typeof revokeCertificateBody>;

/** GET/PUT /api/certificates/policy: which roles sign in with certificate + password. */
export const factorPolicyRow = z.object({ role: z.enum(ROLES), requireCertificate: z.boolean() });
export type FactorPolicyRow = z.infer<typeof factorPolicyRow>;
export const factorPolicyView = z.object({ rows: z.array(factorPolicyRow), enforced: z.boolean() });
export type FactorPolicyView = z.infer<typeof factorPolicyView>;
export const factorPolicyBody = z.object({ rows: z.array(factorPolicyRow).min(1).max(20) });

/** POST /api/auth/ukey/challenge → a single-use nonce the UKey signs. */
export const ukeyChallenge = z.object({
  nonce: z.string(),
  expiresAt: z.string(),
  /** The UKey vendor middleware on the user's machine (UKEY_MIDDLEWARE) and its adapter kind. */
  middleware: z.object({ url: z.string(), kind: z.string() }),
});
export type UkeyChallenge = z.infer<typeof ukeyChallenge>;

/** The UKey part of a login: the key's SM2 certificate and its SM2/SM3 signature (hex, DER) of the nonce. */
export const ukeyProof = z.object({
  nonce: z.string().min(16).max(200),
  certificate: z.string().min(40).max(20_000),
  signature: z.string().regex(/^[0-9a-fA-F]{16,400}$/),
});
export type UkeyProof = z.infer<typeof ukeyProof>;
