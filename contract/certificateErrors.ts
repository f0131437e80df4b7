/**
 * The stable codes of a refused certificate and their Chinese messages (contract/certificates.ts re-exports
 * them). No zod here: the console's core messages import this eagerly, before zod is set to run without eval.
 */
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
