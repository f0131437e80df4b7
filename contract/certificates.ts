/**
 * Certificate login (issue 16): certificates bound to accounts, the per-role two-factor policy, the UKey
 * (SM2) challenge–signature, and the stable error codes a refused certificate gets.
 */
import { z } from 'zod';
import { ROLES } from './org.ts';

/** Why a certificate was refused (the API's error codes; the console shows each in Chinese). */
export const CERT_ERROR_CODES = [
  'CERT_REQUIRED',
  'CERT_INVALID',
  'CERT_UNTRUSTED',
  'CERT_EXPIRED',
  'CERT_NOT_YET_VALID',
  'CERT_REVOKED',
  'CERT_UNBOUND',
  'CERT_SIGNATURE_INVALID',
  'CERT_CHALLENGE_INVALID',
  'CERT_ALREADY_BOUND',
] as const;
export type CertErrorCode = (typeof CERT_ERROR_CODES)[number];

export const CERT_ERROR_ZH: Record<CertErrorCode, string> = {
  CERT_REQUIRED: '该账号须使用数字证书登录：请插入 UKey 或在浏览器中选择本人的数字证书后重试',
  CERT_INVALID: '数字证书无法识别，请确认选择了正确的证书文件',
  CERT_UNTRUSTED: '数字证书不是由本系统信任的证书机构签发，不能用于登录',
  CERT_EXPIRED: '数字证书已过期，请联系安全保密管理员更换证书',
  CERT_NOT_YET_VALID: '数字证书尚未生效，请核对证书有效期或联系安全保密管理员',
  CERT_REVOKED: '数字证书已被吊销，不能用于登录，请联系安全保密管理员',
  CERT_UNBOUND: '该数字证书未绑定到此账号，请联系安全保密管理员绑定',
  CERT_SIGNATURE_INVALID: 'UKey 签名验证失败，请重新插入 UKey 后重试',
  CERT_CHALLENGE_INVALID: '登录验证码已失效，请重新登录',
  CERT_ALREADY_BOUND: '该数字证书已绑定到某个账号，不能重复绑定',
};

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
