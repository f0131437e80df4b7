/**
 * The embedded default's certificates (npm start): in <data>/pki a local demo CA, a server certificate for
 * localhost, an (empty, CA-signed) CRL, and per demo account a client certificate bound to it, packaged as
 * .p12 with a password printed at start (OpenSSL's CLI writes the PKCS#12). Made once, reused after.
 */
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.ts';
import { issue, loadIssued, makeCa, makeCrl, type Issued } from './pki.ts';
import { fingerprintOf, parseCertificate } from './x509.ts';

const DAY = 86_400_000;

export interface DemoPki {
  dir: string;
  caFile: string;
  crlFile: string;
  certFile: string;
  keyFile: string;
  ca: Issued;
}

export interface DemoClient {
  username: string;
  p12: string;
  password: string;
}

const read = (f: string) => fs.readFileSync(f, 'utf8');
const write = (f: string, s: string, mode = 0o600) => fs.writeFileSync(f, s, { mode });

async function demoCa(dir: string, now: Date): Promise<Issued> {
  const certFile = path.join(dir, 'ca.pem');
  const keyFile = path.join(dir, 'ca-key.pem');
  if (fs.existsSync(certFile) && fs.existsSync(keyFile)) return loadIssued(read(certFile), read(keyFile), parseCertificate(read(certFile))!);
  const ca = await makeCa('CN=三级视频会议演示 CA,O=演示单位,C=CN', new Date(now.getTime() - DAY), new Date(now.getTime() + 10 * 365 * DAY));
  write(keyFile, ca.keyPem);
  write(certFile, ca.certPem, 0o644);
  return ca;
}

function p12(dir: string, username: string, cert: Issued, ca: Issued): { file: string; password: string } {
  const password = randomBytes(6).toString('hex');
  const file = path.join(dir, `${username}.p12`);
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'tl-p12-'));
  try {
    write(path.join(tmp, 'c.pem'), cert.certPem);
    write(path.join(tmp, 'k.pem'), cert.keyPem);
    write(path.join(tmp, 'ca.pem'), ca.certPem);
    execFileSync('openssl', ['pkcs12', '-export', '-in', path.join(tmp, 'c.pem'), '-inkey', path.join(tmp, 'k.pem'), '-certfile', path.join(tmp, 'ca.pem'), '-name', username, '-out', file, '-passout', `pass:${password}`], { stdio: 'pipe' });
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
  return { file, password };
}

/** The demo CA, the server certificate and the CRL (no database needed: made before the server starts). */
export async function ensureDemoPki(dataDir: string, now = new Date()): Promise<DemoPki> {
  const dir = path.join(dataDir, 'pki');
  fs.mkdirSync(path.join(dir, 'clients'), { recursive: true, mode: 0o700 });
  const ca = await demoCa(dir, now);
  const out: DemoPki = { dir, ca, caFile: path.join(dir, 'ca.pem'), crlFile: path.join(dir, 'crl.pem'), certFile: path.join(dir, 'server.pem'), keyFile: path.join(dir, 'server-key.pem') };
  if (!fs.existsSync(out.certFile) || !fs.existsSync(out.keyFile)) {
    const hosts = [...new Set(['localhost', os.hostname()])];
    const ips = ['127.0.0.1', '::1', ...Object.values(os.networkInterfaces()).flat().filter((i) => i && !i.internal).map((i) => i!.address)];
    const srv = await issue(ca, { subject: 'CN=localhost,O=演示单位,C=CN', notBefore: new Date(now.getTime() - DAY), notAfter: new Date(now.getTime() + 825 * DAY), server: { dns: hosts, ips } });
    write(out.keyFile, srv.keyPem);
    write(out.certFile, `${srv.certPem}\n${ca.certPem}`, 0o644);
  }
  if (!fs.existsSync(out.crlFile)) write(out.crlFile, await makeCrl(ca, [], now, new Date(now.getTime() + 30 * DAY)), 0o644);
  return out;
}

/** Per demo account a client certificate (.p12 + password), bound to the account. */
export async function ensureDemoClients(db: Kysely<Database>, pki: DemoPki, usernames: string[], now = new Date()): Promise<DemoClient[]> {
  const clientsDir = path.join(pki.dir, 'clients');
  const passwordsFile = path.join(clientsDir, 'passwords.json');
  const passwords = (fs.existsSync(passwordsFile) ? JSON.parse(read(passwordsFile)) : {}) as Record<string, string>;
  const out: DemoClient[] = [];
  for (const username of usernames) {
    const user = await db.selectFrom('users').select(['id']).where('username', '=', username).executeTakeFirst();
    if (!user) continue;
    const file = path.join(clientsDir, `${username}.p12`);
    const pemFile = path.join(clientsDir, `${username}.pem`);
    if (!fs.existsSync(file) || !fs.existsSync(pemFile) || !passwords[username]) {
      const cert = await issue(pki.ca, { subject: `CN=${username},O=演示单位,C=CN`, notBefore: new Date(now.getTime() - DAY), notAfter: new Date(now.getTime() + 2 * 365 * DAY) });
      passwords[username] = p12(clientsDir, username, cert, pki.ca).password;
      write(pemFile, cert.certPem, 0o644);
    }
    // Bound as the security administrator would; on later starts the binding is already there.
    const cert = parseCertificate(read(pemFile))!;
    await db
      .insertInto('user_certificates')
      .values({ user_id: user.id, kind: 'x509', subject: cert.subject, issuer: cert.issuer, serial: cert.serialNumber, not_before: cert.notBefore, not_after: cert.notAfter, fingerprint: fingerprintOf(cert), pem: cert.toString('pem'), bound_by: 'demo-seed', bound_at: now })
      .onConflict((oc) => oc.column('fingerprint').doNothing())
      .execute();
    out.push({ username, p12: file, password: passwords[username] });
  }
  write(passwordsFile, JSON.stringify(passwords, null, 2));
  return out;
}
