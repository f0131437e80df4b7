/**
 * Certificate login (issue 16) against the real server over real TLS: certificate + password for the roles
 * whose policy asks for two factors, each kind of refusal with its code and Chinese message (never a 500),
 * both revocations (the CA's CRL and the security administrator's), the trusted-proxy header, the UKey
 * challenge–signature with a stand-in vendor middleware holding a real SM2 key, and the security
 * administrator's binding API, audited.
 */
process.env.TEST_CLOCK = '1';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp, type RunningApp } from '../../server/app.ts';
import { clock } from '../../server/clock.ts';
import { issue, makeCa, makeCrl, type Issued } from '../../server/certificates/pki.ts';
import { WorkerPool } from '../../sfu/WorkerPool.ts';
import { DEMO_PASSWORD } from '../../server/seed/demo.ts';
import { testDatabases } from '../helpers/databases.ts';
import { sm2Certificate } from '../helpers/sm2Pki.ts';
import { TlsClient, type TlsIdentity } from '../helpers/tlsClient.ts';
import { startUkeyStandIn, type UkeyStandIn } from '../helpers/ukeyStandIn.ts';
import { CERT_ERROR_ZH } from '../../contract/certificates.ts';

// Not today: a leap day in Beijing. Certificates are dated around it.
const T0 = new Date('2032-02-29T09:00:00+08:00');
const Y = 365 * 86_400_000;
const before = (ms: number) => new Date(T0.getTime() - ms);
const after = (ms: number) => new Date(T0.getTime() + ms);
const id = (c: Issued): TlsIdentity => ({ cert: c.certPem, key: c.keyPem });

describe.each(testDatabases())('certificate login ($name)', (tdb) => {
  let app: RunningApp;
  let pool: WorkerPool;
  let base: string;
  let ca: Issued;
  let crlFile: string;
  let ukey: UkeyStandIn;
  const certs: Record<string, Issued> = {};
  const sm2Ca = sm2Certificate({ subject: 'CN=UKey SM2 CA,O=测试', notBefore: before(Y), notAfter: after(5 * Y) });
  const sm2User = sm2Certificate({ subject: 'CN=auditadmin UKey', issuer: { name: 'CN=UKey SM2 CA,O=测试', privateKey: sm2Ca.privateKey }, notBefore: before(Y), notAfter: after(Y) });
  const sm2Other = sm2Certificate({ subject: 'CN=UKey SM2 CA,O=测试', notBefore: before(Y), notAfter: after(5 * Y) }); // same name, another key
  const sm2Forged = sm2Certificate({ subject: 'CN=auditadmin UKey', issuer: { name: 'CN=UKey SM2 CA,O=测试', privateKey: sm2Other.privateKey }, notBefore: before(Y), notAfter: after(Y) });

  const client = (who?: Issued, opts?: ConstructorParameters<typeof TlsClient>[3]) => new TlsClient(base, ca.certPem, who ? id(who) : undefined, opts);
  const login = (c: TlsClient, username: string, extra: Record<string, unknown> = {}) => c.post('/api/auth/login', { username, password: DEMO_PASSWORD, ...extra });
  let sec: TlsClient;

  beforeAll(async () => {
    clock.set(T0);
    // The CA and the server certificate are checked by the TLS client against the machine's real clock, so
    // they span the century; the client certificates are judged by the server on its pinned clock.
    const century = [new Date('2000-01-01T00:00:00Z'), new Date('2099-12-31T00:00:00Z')] as const;
    ca = await makeCa('CN=测试 CA,O=测试单位', ...century);
    const otherCa = await makeCa('CN=测试 CA,O=测试单位', ...century); // same name, another key
    const server = await issue(ca, { subject: 'CN=localhost', notBefore: century[0], notAfter: century[1], server: { dns: ['localhost'], ips: ['127.0.0.1'] } });
    const valid = (subject: string) => issue(ca, { subject, notBefore: before(Y), notAfter: after(Y) });
    for (const u of ['sysadmin', 'secadmin', 'secadmin-2', '150100-leader', '150102-leader', '150103-leader', '150104-leader', '150105-leader', 'crl']) certs[u] = await valid(`CN=${u}`);
    certs.expired = await issue(ca, { subject: 'CN=expired', notBefore: before(2 * Y), notAfter: before(60_000) });
    certs.future = await issue(ca, { subject: 'CN=future', notBefore: after(86_400_000), notAfter: after(Y) });
    certs.otherCa = await issue(otherCa, { subject: 'CN=150100-leader', notBefore: before(Y), notAfter: after(Y) });
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tl-cert-test-'));
    crlFile = path.join(dir, 'crl.pem');
    fs.writeFileSync(crlFile, await makeCrl(ca, [], before(86_400_000), after(30 * 86_400_000)));
    ukey = await startUkeyStandIn({ certPem: sm2User.certPem, privateKey: sm2User.privateKey });

    pool = await WorkerPool.create({ numWorkers: 1, basePort: 0, listenIps: [{ ip: '127.0.0.1' }], logLevel: 'warn' });
    app = await createApp({
      dbHandle: await tdb.open(), pool, seed: true, log: pino({ level: process.env.TEST_LOG ?? 'silent' }),
      tls: { cert: server.certPem, key: server.keyPem },
      certificates: { clientCa: ca.certPem, crlFiles: [crlFile], ukeyCa: sm2Ca.certPem, trustedProxies: ['127.0.0.1'] },
    });
    base = `https://127.0.0.1:${await app.listen(0, '127.0.0.1')}`;
    // The first security administrator's certificate is bound out of band (as the demo seed does).
    const { bindCertificate } = await import('../../server/certificates/service.ts');
    await bindCertificate(app.ctx, { username: 'setup', unitCode: '150000' }, 'secadmin', certs.secadmin!.certPem);
    sec = client(certs.secadmin);
    expect((await login(sec, 'secadmin')).status).toBe(200);
    for (const u of ['sysadmin', '150100-leader', '150102-leader', '150103-leader', '150104-leader']) {
      expect((await sec.post('/api/certificates', { username: u, pem: certs[u]!.certPem })).status, u).toBe(201);
    }
    for (const [u, c] of [['150105-leader', certs.expired], ['150105-leader', certs.future], ['sysadmin', certs.crl]] as const) {
      expect((await sec.post('/api/certificates', { username: u, pem: c!.certPem })).status).toBe(201);
    }
    expect((await sec.post('/api/certificates', { username: 'auditadmin', pem: sm2User.certPem })).status).toBe(201);
    // Leaders sign in with two factors too from here on (the policy is the security administrator's).
    const policy = await sec.put('/api/certificates/policy', { rows: [{ role: 'leader', requireCertificate: true }] });
    expect(policy.status).toBe(200);
    expect(policy.body.rows).toContainEqual({ role: 'leader', requireCertificate: true });
  }, 300_000);
  afterAll(async () => {
    await ukey?.close();
    await app?.close();
    await pool?.close();
    await app?.ctx.db.destroy().catch(() => undefined);
  });

  const refused = async (c: TlsClient, username: string, code: keyof typeof CERT_ERROR_ZH, extra?: Record<string, unknown>) => {
    const r = await login(c, username, extra).catch((e: Error) => {
      throw new Error(`${username} (${code}): ${e.message}`);
    });
    expect(r.status, JSON.stringify(r.body)).toBe(code === 'CERT_INVALID' ? 400 : 401);
    expect(r.body.error).toEqual({ code, message: CERT_ERROR_ZH[code] });
    expect(c.cookie).toBe('');
  };

  it('the right certificate + password signs in; password alone stays enough where the policy asks for one factor', async () => {
    const c = client(certs['150100-leader']);
    const ok = await login(c, '150100-leader');
    expect(ok.status).toBe(200);
    expect((await c.get('/api/auth/me')).body.user.username).toBe('150100-leader');
    expect((await login(client(), '150102-duty')).status).toBe(200);
    // A certificate presented where none is asked for changes nothing.
    expect((await login(client(certs.secadmin), '150103-duty')).status).toBe(200);
  });

  it('refuses no certificate, another CA, expired, not yet valid, unbound and someone else’s, each with its message', async () => {
    await refused(client(), '150102-leader', 'CERT_REQUIRED');
    await refused(client(certs.otherCa), '150100-leader', 'CERT_UNTRUSTED');
    await refused(client(certs.expired), '150105-leader', 'CERT_EXPIRED');
    await refused(client(certs.future), '150105-leader', 'CERT_NOT_YET_VALID');
    await refused(client(certs['secadmin-2']), '150103-leader', 'CERT_UNBOUND');
    await refused(client(certs['150100-leader']), '150104-leader', 'CERT_UNBOUND');
    // The password is checked first: a wrong one is a wrong password, whatever the certificate.
    const wrong = await client(certs['150102-leader']).post('/api/auth/login', { username: '150102-leader', password: 'Wrong@2032' });
    expect(wrong.body.error.code).toBe('AUTH_INVALID');
  });

  it("honours the CA's CRL (re-read when the file changes) and the security administrator's revocation", async () => {
    expect((await login(client(certs.crl), 'sysadmin')).status).toBe(200);
    fs.writeFileSync(crlFile, await makeCrl(ca, [certs.crl!.cert.serialNumber], T0, after(30 * 86_400_000)));
    fs.utimesSync(crlFile, new Date(Date.now() + 5000), new Date(Date.now() + 5000));
    await refused(client(certs.crl), 'sysadmin', 'CERT_REVOKED');
    expect((await login(client(certs.sysadmin), 'sysadmin')).status).toBe(200);

    const list = await sec.get('/api/certificates?username=150103-leader');
    expect(list.status).toBe(200);
    const row = list.body.certificates.find((x: { subject: string }) => x.subject === 'CN=150103-leader');
    expect(row).toMatchObject({ username: '150103-leader', kind: 'x509', issuer: 'CN=测试 CA, O=测试单位', serial: certs['150103-leader']!.cert.serialNumber, revokedAt: null });
    expect(row.fingerprint).toMatch(/^[0-9a-f]{64}$/);
    expect((await login(client(certs['150103-leader']), '150103-leader')).status).toBe(200);
    const revoked = await sec.post(`/api/certificates/${row.id}/revoke`, { reason: '人员调离' });
    expect(revoked.status).toBe(200);
    expect(revoked.body.certificate).toMatchObject({ revokedBy: 'secadmin', revokeReason: '人员调离', revokedAt: expect.any(String) });
    await refused(client(certs['150103-leader']), '150103-leader', 'CERT_REVOKED');
    expect((await sec.post(`/api/certificates/${row.id}/revoke`, { reason: '再次吊销' })).body.error.code).toBe('BAD_COMMAND');
  });

  it('believes a forwarded client certificate only from a trusted proxy address', async () => {
    const header = { 'x-ssl-client-cert': encodeURIComponent(certs['150102-leader']!.certPem) };
    expect((await login(client(undefined, { headers: header }), '150102-leader')).status).toBe(200);
    await refused(client(undefined, { headers: header, localAddress: '127.0.0.2' }), '150102-leader', 'CERT_REQUIRED');
    await refused(client(undefined, { headers: { 'x-ssl-client-cert': 'garbage' } }), '150102-leader', 'CERT_INVALID');
  });

  it('UKey: the stand-in middleware signs a single-use nonce with a real SM2 key; chain, replay, expiry and forgery are checked', async () => {
    const mw = async (nonce: string) => {
      const certificate = ((await (await fetch(`${ukey.url}/certificate`)).json()) as { certificate: string }).certificate;
      const { signature } = (await (await fetch(`${ukey.url}/sign`, { method: 'POST', body: JSON.stringify({ data: nonce }) })).json()) as { signature: string };
      return { nonce, certificate, signature };
    };
    const challenge = async () => (await client().post('/api/auth/ukey/challenge')).body as { nonce: string; expiresAt: string };
    const first = await challenge();
    expect(new Date(first.expiresAt).getTime() - clock.now().getTime()).toBeLessThanOrEqual(60_000);
    await refused(client(), 'auditadmin', 'CERT_REQUIRED');
    const proof = await mw(first.nonce);
    const c = client();
    expect((await login(c, 'auditadmin', { ukey: proof })).status).toBe(200);
    expect((await c.get('/api/auth/me')).body.user.username).toBe('auditadmin');
    await refused(client(), 'auditadmin', 'CERT_CHALLENGE_INVALID', { ukey: proof }); // replayed

    const late = await challenge();
    const lateProof = await mw(late.nonce);
    clock.set(new Date(clock.now().getTime() + 61_000));
    await refused(client(), 'auditadmin', 'CERT_CHALLENGE_INVALID', { ukey: lateProof });

    const other = await challenge();
    await refused(client(), 'auditadmin', 'CERT_SIGNATURE_INVALID', { ukey: { ...(await mw(other.nonce)), nonce: (await challenge()).nonce } });
    ukey.insert({ certPem: sm2Forged.certPem, privateKey: sm2Forged.privateKey });
    await refused(client(), 'auditadmin', 'CERT_UNTRUSTED', { ukey: await mw((await challenge()).nonce) });
    ukey.insert({ certPem: sm2User.certPem, privateKey: sm2User.privateKey });
  });

  it('binding is the security administrator’s, refuses bad and duplicate certificates clearly, and is audited', async () => {
    const sys = client(certs.sysadmin);
    expect((await login(sys, 'sysadmin')).status).toBe(200);
    expect((await sys.post('/api/certificates', { username: '150102-duty', pem: certs['secadmin-2']!.certPem })).status).toBe(403);
    expect((await sys.get('/api/certificates?username=150102-duty')).status).toBe(403);
    const duty = client();
    await login(duty, '150102-duty');
    expect((await duty.put('/api/certificates/policy', { rows: [{ role: 'duty_officer', requireCertificate: true }] })).status).toBe(403);

    const dup = await sec.post('/api/certificates', { username: '150102-duty', pem: certs['150100-leader']!.certPem });
    expect(dup.status).toBe(409);
    expect(dup.body.error.code).toBe('CERT_ALREADY_BOUND');
    const bad = await sec.post('/api/certificates', { username: '150102-duty', pem: '-----BEGIN CERTIFICATE-----\nbm90IGEgY2VydGlmaWNhdGUgYXQgYWxs\n-----END CERTIFICATE-----' });
    expect(bad.status).toBe(400);
    expect(bad.body.error.code).toBe('CERT_INVALID');
    const foreign = await sec.post('/api/certificates', { username: '150102-duty', pem: certs.otherCa!.certPem });
    expect(foreign.status).toBe(422); // not 401: the administrator's session goes on
    expect(foreign.body.error.code).toBe('CERT_UNTRUSTED');
    const several = await sec.post('/api/certificates', { username: '150102-duty', pem: certs['secadmin-2']!.certPem });
    expect(several.status).toBe(201);
    expect((await sec.post('/api/certificates', { username: 'nobody-here', pem: certs['secadmin-2']!.certPem })).status).toBe(404);

    const trail = await app.ctx.db.selectFrom('audit_log').select(['username', 'action', 'detail', 'status']).orderBy('id').execute();
    const bind = trail.find((e) => e.action === 'change POST /api/certificates/' && e.status === 201 && e.detail?.includes('secadmin-2'));
    expect(bind?.username).toBe('secadmin');
    const revoke = trail.find((e) => e.action === 'change POST /api/certificates/:id/revoke' && e.status === 200);
    expect(JSON.parse(revoke!.detail!)).toMatchObject({ before: { revokedAt: null }, after: { revokeReason: '人员调离' } });
    const failed = trail.filter((e) => e.action === 'auth.login_failed').map((e) => JSON.parse(e.detail!).reason);
    expect(failed).toEqual(expect.arrayContaining(['CERT_REQUIRED', 'CERT_UNTRUSTED', 'CERT_EXPIRED', 'CERT_NOT_YET_VALID', 'CERT_REVOKED', 'CERT_UNBOUND', 'CERT_CHALLENGE_INVALID', 'CERT_SIGNATURE_INVALID']));
    const ok = trail.filter((e) => e.action === 'auth.login' && e.username === 'auditadmin').map((e) => JSON.parse(e.detail!));
    expect(ok[0]).toMatchObject({ factors: ['password', 'ukey'], certificate: { subject: 'CN=auditadmin UKey' } });
  });
});
