/**
 * Certificate + password sign-in in Chromium over real TLS (issue 16), with Playwright's clientCertificates:
 * the right certificate logs the security administrator in (and its console page binds and revokes); no
 * certificate, one of another CA, an expired one and one on the CA's CRL are refused with the Chinese
 * message. Its own HTTPS server (tls-server.ts) with its own CA, clock pinned to New Year's Eve in UTC+8.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import https from 'node:https';
import os from 'node:os';
import path from 'node:path';
import { expect, test, type Browser } from '@playwright/test';
import { issue, makeCa, makeCrl, type Issued } from '../../server/certificates/pki.ts';
import { CERT_ERROR_ZH } from '../../contract/certificates.ts';

const T0 = '2034-12-31T23:50:00+08:00';
const at = (iso: string) => new Date(iso);
const PORT = Number(process.env.E2E_TLS_PORT ?? 3143);
const BASE = `https://127.0.0.1:${PORT}`;
const PASSWORD = 'Demo@2026';

let server: ChildProcess;
const certs: Record<string, Issued> = {};

test.describe.configure({ mode: 'serial' });

test.beforeAll(async () => {
  test.setTimeout(180_000);
  // The CA and server certificate are checked by the browser side against the real clock: a century.
  const century = [at('2000-01-01T00:00:00Z'), at('2099-12-31T00:00:00Z')] as const;
  const ca = await makeCa('CN=端到端测试 CA,O=测试', ...century);
  const other = await makeCa('CN=其他机构 CA,O=其他', ...century);
  const srv = await issue(ca, { subject: 'CN=127.0.0.1', notBefore: century[0], notAfter: century[1], server: { dns: ['localhost'], ips: ['127.0.0.1'] } });
  const valid = { notBefore: at('2034-01-01T00:00:00Z'), notAfter: at('2036-01-01T00:00:00Z') };
  certs.secadmin = await issue(ca, { subject: 'CN=secadmin,O=测试', ...valid });
  certs.revoked = await issue(ca, { subject: 'CN=sysadmin,O=测试', ...valid });
  certs.expired = await issue(ca, { subject: 'CN=auditadmin,O=测试', notBefore: at('2032-01-01T00:00:00Z'), notAfter: at('2034-12-31T12:00:00Z') });
  certs.otherCa = await issue(other, { subject: 'CN=secadmin,O=测试', ...valid });
  certs.leader = await issue(ca, { subject: 'CN=150100-leader,O=测试', ...valid });
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tl-e2e-tls-'));
  const file = (name: string, text: string) => (fs.writeFileSync(path.join(dir, name), text), path.join(dir, name));
  const env = {
    ...process.env,
    TLS_CERT: file('server.pem', srv.certPem),
    TLS_KEY: file('server-key.pem', srv.keyPem),
    TLS_CLIENT_CA: file('ca.pem', ca.certPem),
    TLS_CRL: file('crl.pem', await makeCrl(ca, [certs.revoked.cert.serialNumber], at('2034-12-01T00:00:00Z'), at('2035-01-31T00:00:00Z'))),
    E2E_TLS_BIND: file('bind.json', JSON.stringify({ secadmin: certs.secadmin.certPem, sysadmin: certs.revoked.certPem, auditadmin: certs.expired.certPem })),
    E2E_TLS_CLOCK: T0,
    E2E_TLS_PORT: String(PORT),
  };
  // Its own process group, so the whole tree (npx → tsx → node) ends with the spec: a server left behind would
  // hold the runner's stderr open and keep a CI job waiting.
  server = spawn('npx', ['tsx', 'tests/e2e/tls-server.ts'], { env, stdio: ['ignore', 'pipe', 'inherit'], detached: true });
  await new Promise<void>((resolve, reject) => {
    server.stdout!.on('data', (b: Buffer) => b.toString().includes('TLS_SERVER_READY') && resolve());
    server.once('exit', (code) => reject(new Error(`tls-server exited ${code}`)));
  });
  // Answering over TLS with our CA (not only listening).
  await new Promise<void>((resolve, reject) => https.get(`${BASE}/healthz`, { ca: ca.certPem }, (r) => (r.resume(), r.statusCode === 200 ? resolve() : reject(new Error(String(r.statusCode))))).on('error', reject));
});

test.afterAll(async () => {
  if (!server?.pid || server.exitCode !== null) return;
  const exited = new Promise<void>((resolve) => server.once('exit', () => resolve()));
  process.kill(-server.pid, 'SIGTERM');
  const late = setTimeout(() => {
    try {
      process.kill(-server.pid!, 'SIGKILL');
    } catch {
      /* already gone */
    }
  }, 5000);
  await exited;
  clearTimeout(late);
});

async function signIn(browser: Browser, username: string, cert?: Issued) {
  const context = await browser.newContext({
    baseURL: BASE,
    ignoreHTTPSErrors: true, // the server certificate is of our test CA
    clientCertificates: cert ? [{ origin: BASE, cert: Buffer.from(cert.certPem), key: Buffer.from(cert.keyPem) }] : [],
  });
  const page = await context.newPage();
  await page.clock.setFixedTime(new Date(T0));
  await page.goto('/login');
  await page.getByTestId('login-username').fill(username);
  await page.getByTestId('login-password').fill(PASSWORD);
  await page.getByTestId('login-submit').click();
  return { context, page };
}

test('the right certificate + password signs the security administrator in; its page binds and revokes', async ({ browser }) => {
  const { context, page } = await signIn(browser, 'secadmin', certs.secadmin);
  await expect(page.getByTestId('current-user')).toHaveText('安全保密管理员');
  await page.getByTestId('nav-certificates').click();
  await page.getByTestId('cert-username').fill('secadmin');
  await page.getByTestId('cert-search').click();
  await expect(page.getByTestId('cert-table')).toContainText('CN=secadmin, O=测试');
  await expect(page.getByTestId('cert-table')).toContainText(certs.secadmin!.cert.serialNumber);

  await page.getByTestId('cert-username').fill('150100-leader');
  await page.getByTestId('cert-search').click();
  await expect(page.getByTestId('cert-table')).toContainText('该账号尚未绑定数字证书');
  await page.getByTestId('cert-pem').fill(certs.otherCa!.certPem);
  await page.getByTestId('cert-bind').click();
  await expect(page.getByTestId('cert-error')).toContainText(CERT_ERROR_ZH.CERT_UNTRUSTED);
  await page.getByTestId('cert-pem').fill(certs.leader!.certPem);
  await page.getByTestId('cert-bind').click();
  await expect(page.getByTestId('cert-table')).toContainText('CN=150100-leader, O=测试');
  // el-table keeps a hidden copy of a column's template outside the rows: act on the row's cell.
  await page.getByRole('cell', { name: /有效/ }).getByTestId('cert-revoke').click();
  await page.getByRole('dialog').getByRole('textbox').fill('证书遗失');
  await page.getByRole('dialog').getByRole('button', { name: '确定' }).click();
  const revoked = page.getByRole('cell', { name: /已吊销/ });
  await expect(revoked).toContainText('证书遗失');
  await expect(revoked).toContainText('secadmin');
  // Signing in by password alone stays as it was for roles the policy leaves at one factor.
  const duty = await signIn(browser, '150102-duty');
  await expect(duty.page.getByTestId('current-user')).toHaveText('新城区值班员');
  await duty.context.close();
  await context.close();
});

for (const [name, username, cert, code] of [
  ['no certificate', 'secadmin', undefined, 'CERT_REQUIRED'],
  ["another CA's certificate", 'secadmin', 'otherCa', 'CERT_UNTRUSTED'],
  ['an expired certificate', 'auditadmin', 'expired', 'CERT_EXPIRED'],
  ["a certificate on the CA's CRL", 'sysadmin', 'revoked', 'CERT_REVOKED'],
] as const) {
  test(`${name} is refused with a clear Chinese message`, async ({ browser }) => {
    const { context, page } = await signIn(browser, username, cert ? certs[cert] : undefined);
    await expect(page.getByTestId('login-error')).toHaveText(CERT_ERROR_ZH[code]);
    await expect(page).toHaveURL(/\/login/);
    await context.close();
  });
}
