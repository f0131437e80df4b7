/** The verdict on a presented certificate (server/certificates/rules.ts), by table. */
import { describe, expect, it } from 'vitest';
import { certificateProblem, needsCertificate, type CertBinding, type CertFacts } from '../../server/certificates/rules.ts';

// New Year's Eve in UTC+8 (2031-12-31T16:00Z): the validity edges fall around a date change.
const NOW = new Date('2031-12-31T16:00:00Z');
const at = (iso: string) => new Date(iso);
const good: CertFacts = { notBefore: at('2031-01-01T00:00:00Z'), notAfter: at('2033-01-01T00:00:00Z'), issuerTrusted: true, onCrl: false };
const mine: CertBinding = { userId: 7, revokedAt: null };

describe('certificateProblem', () => {
  const cases: [string, CertFacts, CertBinding | null, ReturnType<typeof certificateProblem>][] = [
    ['valid, bound to the account', good, mine, null],
    ['valid until exactly now', { ...good, notAfter: NOW }, mine, null],
    ['expired a second ago', { ...good, notAfter: new Date(NOW.getTime() - 1000) }, mine, 'CERT_EXPIRED'],
    ['valid from a second later', { ...good, notBefore: new Date(NOW.getTime() + 1000) }, mine, 'CERT_NOT_YET_VALID'],
    ['another CA: refused as untrusted before its dates are read', { ...good, issuerTrusted: false, notAfter: at('2020-01-01T00:00:00Z') }, mine, 'CERT_UNTRUSTED'],
    ['on the CRL', { ...good, onCrl: true }, mine, 'CERT_REVOKED'],
    ['on the CRL and unbound: revoked says more', { ...good, onCrl: true }, null, 'CERT_REVOKED'],
    ['bound to nobody', good, null, 'CERT_UNBOUND'],
    ["bound to someone else: the same answer, never whose", good, { userId: 8, revokedAt: null }, 'CERT_UNBOUND'],
    ['revoked by the security administrator', good, { userId: 7, revokedAt: at('2031-12-31T15:59:59Z') }, 'CERT_REVOKED'],
    ["someone else's revoked binding: unbound", good, { userId: 8, revokedAt: at('2031-06-01T00:00:00Z') }, 'CERT_UNBOUND'],
    ['expired and revoked: expired first', { ...good, notAfter: at('2031-06-01T00:00:00Z') }, { userId: 7, revokedAt: at('2031-06-01T00:00:00Z') }, 'CERT_EXPIRED'],
  ];
  it.each(cases)('%s', (_name, facts, binding, expected) => {
    expect(certificateProblem(facts, binding, 7, NOW)).toBe(expected);
  });
});

describe('needsCertificate', () => {
  const policy = new Map([['sys_admin', true], ['security_admin', true], ['audit_admin', true], ['leader', false]]);
  it.each([
    [['security_admin'], true],
    [['duty_officer'], false],
    [['leader'], false],
    [['leader', 'audit_admin'], true],
    [[], false],
  ] as [string[], boolean][])('%j → %s', (roles, expected) => {
    expect(needsCertificate(roles, policy)).toBe(expected);
  });
});
