/**
 * Certificate login decisions: binding and revoking (the security administrator's), the per-role policy, and
 * the check of the second factor at sign-in — a TLS client certificate (directly or from a trusted proxy) or
 * a UKey's SM2 signature over a single-use nonce.
 */
import { randomBytes } from 'node:crypto';
import type { Request } from 'express';
import { CERT_ERROR_ZH, type CertErrorCode, type CertificateView, type FactorPolicyView, type UkeyChallenge, type UkeyProof } from '../../contract/certificates.ts';
import { ROLES } from '../../contract/org.ts';
import type { AppContext } from '../context.ts';
import { clock } from '../clock.ts';
import { ApiError, errors } from '../http/errors.ts';
import * as repo from './repo.ts';
import { certificateProblem, needsCertificate, type CertFacts } from './rules.ts';
import { isSm2Certificate, sm2SigningCa, verifyNonceSignature } from './sm2.ts';
import type { CertTrust } from './trust.ts';
import { fingerprintOf, onCrl, parseCertificate, signingCa, type X509Certificate } from './x509.ts';

export const CHALLENGE_TTL_MS = 60_000;

const STATUS: Record<CertErrorCode, number> = {
  CERT_REQUIRED: 401, CERT_INVALID: 400, CERT_UNTRUSTED: 401, CERT_EXPIRED: 401, CERT_NOT_YET_VALID: 401, CERT_REVOKED: 401,
  CERT_UNBOUND: 401, CERT_SIGNATURE_INVALID: 401, CERT_CHALLENGE_INVALID: 401, CERT_ALREADY_BOUND: 409,
};
/** At sign-in a refusal is 401; when binding (a session is open: 401 would end it in the console) 422. */
export const certError = (code: CertErrorCode, status = STATUS[code]) => new ApiError(status, code, CERT_ERROR_ZH[code]);

type Ctx = Pick<AppContext, 'db' | 'tree'> & { certs: CertTrust };
type Actor = { username: string; unitCode: string };

function toView(r: repo.CertificateRow): CertificateView {
  return {
    id: r.id, username: r.username, kind: r.kind, subject: r.subject, issuer: r.issuer, serial: r.serial,
    notBefore: r.not_before.toISOString(), notAfter: r.not_after.toISOString(), fingerprint: r.fingerprint,
    boundBy: r.bound_by, boundAt: r.bound_at.toISOString(), revokedAt: r.revoked_at?.toISOString() ?? null,
    revokedBy: r.revoked_by, revokeReason: r.revoke_reason,
  };
}

/** The account, if it exists within the administrator's subtree (else "not found", as the password reset). */
async function accountInScope(ctx: Ctx, admin: Actor, username: string) {
  const user = await repo.userByName(ctx.db, username);
  if (!user || !ctx.tree.isWithin(user.unit_code, admin.unitCode)) throw errors.notFound('用户');
  return user;
}

export async function listCertificates(ctx: Ctx, admin: Actor, username: string): Promise<CertificateView[]> {
  const user = await accountInScope(ctx, admin, username);
  return (await repo.certificatesOfUser(ctx.db, user.id)).map(toView);
}

async function facts(ctx: Ctx, cert: X509Certificate): Promise<CertFacts & { kind: 'x509' | 'sm2' }> {
  if (isSm2Certificate(cert)) return { kind: 'sm2', notBefore: cert.notBefore, notAfter: cert.notAfter, issuerTrusted: !!sm2SigningCa(cert, ctx.certs.ukeyCas), onCrl: false };
  const issuerTrusted = !!(await signingCa(cert, ctx.certs.clientCas));
  return { kind: 'x509', notBefore: cert.notBefore, notAfter: cert.notAfter, issuerTrusted, onCrl: onCrl(cert, await ctx.certs.crls()) };
}

export async function bindCertificate(ctx: Ctx, admin: Actor, username: string, pem: string): Promise<CertificateView> {
  const user = await accountInScope(ctx, admin, username);
  const cert = parseCertificate(pem);
  if (!cert) throw certError('CERT_INVALID');
  const f = await facts(ctx, cert);
  // Only what could ever sign in is bound: a configured CA must have issued it.
  const cas = f.kind === 'sm2' ? ctx.certs.ukeyCas : ctx.certs.clientCas;
  if (cas.length && !f.issuerTrusted) throw certError('CERT_UNTRUSTED', 422);
  const id = await repo.insertCertificate(ctx.db, {
    user_id: user.id, kind: f.kind, subject: cert.subject, issuer: cert.issuer, serial: cert.serialNumber,
    not_before: cert.notBefore, not_after: cert.notAfter, fingerprint: fingerprintOf(cert), pem: cert.toString('pem'),
    bound_by: admin.username, bound_at: clock.now(),
  });
  if (id === null) throw certError('CERT_ALREADY_BOUND');
  return toView((await repo.certificateById(ctx.db, id))!);
}

export async function revokeCertificate(ctx: Ctx, admin: Actor, id: number, reason: string): Promise<{ before: CertificateView; after: CertificateView }> {
  const row = await repo.certificateById(ctx.db, id);
  if (!row || !ctx.tree.isWithin(row.unit_code, admin.unitCode)) throw errors.notFound('证书');
  if (row.revoked_at) throw errors.badCommand();
  await repo.revokeCertificate(ctx.db, id, admin.username, reason, clock.now());
  return { before: toView(row), after: toView((await repo.certificateById(ctx.db, id))!) };
}

export async function policyView(ctx: Ctx): Promise<FactorPolicyView> {
  const stored = new Map((await repo.factorPolicy(ctx.db)).map((r) => [r.role, r.require_certificate]));
  return { rows: ROLES.map((role) => ({ role, requireCertificate: stored.get(role) ?? false })), enforced: ctx.certs.enforced };
}

export async function setPolicy(ctx: Ctx, admin: Actor, rows: { role: string; requireCertificate: boolean }[]): Promise<FactorPolicyView> {
  await repo.setFactorPolicy(ctx.db, rows, admin.username, clock.now());
  return policyView(ctx);
}

export async function issueChallenge(ctx: Ctx): Promise<UkeyChallenge> {
  const now = clock.now();
  const nonce = randomBytes(24).toString('base64url');
  const expiresAt = new Date(now.getTime() + CHALLENGE_TTL_MS);
  await repo.insertChallenge(ctx.db, nonce, expiresAt, now);
  return { nonce, expiresAt: expiresAt.toISOString(), middleware: ctx.certs.ukeyMiddleware };
}

export interface LoginFactors {
  factors: ('password' | 'certificate' | 'ukey')[];
  certificate?: { fingerprint: string; subject: string; serial: string };
  /** The policy asks for a certificate but no CA is configured (plain-http development, tests). */
  unenforced?: boolean;
}

/**
 * The second factor of an account whose password was right. Throws the certificate's error code when the
 * policy asks for a certificate and the one presented does not do.
 */
export async function checkSecondFactor(ctx: Ctx, req: Request, user: { id: number; roles: readonly string[] }, ukey: UkeyProof | undefined): Promise<LoginFactors> {
  const policy = new Map((await repo.factorPolicy(ctx.db)).map((r) => [r.role, r.require_certificate]));
  if (!needsCertificate(user.roles, policy)) return { factors: ['password'] };
  if (!ctx.certs.enforced) return { factors: ['password'], unenforced: true };
  const now = clock.now();
  let cert: X509Certificate | null;
  if (ukey) {
    if (!(await repo.spendChallenge(ctx.db, ukey.nonce, now))) throw certError('CERT_CHALLENGE_INVALID');
    cert = parseCertificate(ukey.certificate);
    if (!cert || !isSm2Certificate(cert)) throw certError('CERT_INVALID');
    if (!verifyNonceSignature(cert, ukey.nonce, ukey.signature)) throw certError('CERT_SIGNATURE_INVALID');
  } else {
    const presented = ctx.certs.presented(req);
    if (!presented) throw certError('CERT_REQUIRED');
    cert = parseCertificate(presented);
    if (!cert || isSm2Certificate(cert)) throw certError('CERT_INVALID');
  }
  const fingerprint = fingerprintOf(cert);
  const binding = await repo.bindingByFingerprint(ctx.db, fingerprint);
  const problem = certificateProblem(await facts(ctx, cert), binding ? { userId: binding.user_id, revokedAt: binding.revoked_at } : null, user.id, now);
  if (problem) throw certError(problem);
  return { factors: ['password', ukey ? 'ukey' : 'certificate'], certificate: { fingerprint, subject: cert.subject, serial: cert.serialNumber } };
}
