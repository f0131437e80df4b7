/** Certificates the access matrix acts on: one bound to 新城区's duty officer by the security administrator. */
import type { Client } from '../helpers/app.ts';
import { issue, makeCa } from '../../server/certificates/pki.ts';

export interface CertificateFixtures {
  /** A bound certificate's id (to revoke). */
  bound: number;
  /** Fresh certificates (PEM) to bind, one per allowed call. */
  unbound: () => string;
}

export async function makeCertificateFixtures(as: (u: string) => Promise<Client>, ok: <T extends { status: number; body: any }>(r: T, what: string) => T): Promise<CertificateFixtures> {
  const ca = await makeCa('CN=矩阵 CA', new Date('2030-01-01T00:00:00Z'), new Date('2040-01-01T00:00:00Z'));
  const pems: string[] = [];
  for (let i = 0; i < 6; i++) pems.push((await issue(ca, { subject: `CN=矩阵证书${i}`, notBefore: new Date('2030-01-01T00:00:00Z'), notAfter: new Date('2035-01-01T00:00:00Z') })).certPem);
  const sec = await as('secadmin');
  const bound = ok(await sec.post('/api/certificates', { username: '150102-duty', pem: pems.pop() }), 'bound certificate').body.certificate.id as number;
  return { bound, unbound: () => pems.pop() ?? pems[0]! };
}
