/**
 * Debian's sipp (sip-tester) as the phone in voice tests: scenarios are written per test (so they can
 * carry the caller number, the keys and where the media goes), run once (-m 1) against our SIP port.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export const SIPP_PCAPS = '/usr/share/sip-tester';

export type Step =
  | { info: string } // one SIP INFO key (application/dtmf-relay)
  | { pcap: string } // RTP from a pcap (RFC 4733 keys, recorded voice), sent from sipp's media port
  | { pause: number }
  | 'bye' // we hang up
  | 'awaitBye'; // the server hangs up

export interface CallSpec {
  caller: string;
  /** Where the SDP says our media is: sipp's own media port ('sipp') or another port (a test socket). */
  mediaPort: number | 'sipp';
  steps: Step[];
}

const msg = (s: string) => `<![CDATA[\n${s.trim()}\n\n]]>`;

export function scenario(spec: CallSpec): string {
  const port = spec.mediaPort === 'sipp' ? '[media_port]' : String(spec.mediaPort);
  const dialog = (method: string, cseq: number, extra = '', body = '') =>
    msg(`
${method} sip:[service]@[remote_ip]:[remote_port] SIP/2.0
Via: SIP/2.0/[transport] [local_ip]:[local_port];branch=[branch]
From: <sip:${spec.caller}@[local_ip]>;tag=[pid]SIPpTag[call_number]
[last_To:]
Call-ID: [call_id]
CSeq: ${cseq} ${method}
Contact: <sip:${spec.caller}@[local_ip]:[local_port]>
Max-Forwards: 70
${extra}Content-Length: [len]
${body ? `\n${body}` : ''}`);
  let cseq = 1;
  const steps = spec.steps.map((s) => {
    if (s === 'bye') return `<send retrans="500">${dialog('BYE', ++cseq)}</send>\n<recv response="200" crlf="true"/>`;
    if (s === 'awaitBye') return `<recv request="BYE" timeout="60000"/>\n<send>${msg('SIP/2.0 200 OK\n[last_Via:]\n[last_From:]\n[last_To:]\n[last_Call-ID:]\n[last_CSeq:]\nContent-Length: 0')}</send>`;
    if ('pause' in s) return `<pause milliseconds="${s.pause}"/>`;
    if ('pcap' in s) return `<nop><action><exec play_pcap_audio="${s.pcap}"/></action></nop>`;
    return `<send retrans="500">${dialog('INFO', ++cseq, 'Content-Type: application/dtmf-relay\n', `Signal=${s.info}\nDuration=160`)}</send>\n<recv response="200"/>`;
  });
  return `<?xml version="1.0" encoding="ISO-8859-1" ?>
<scenario name="phone">
<send retrans="500">${msg(`
INVITE sip:[service]@[remote_ip]:[remote_port] SIP/2.0
Via: SIP/2.0/[transport] [local_ip]:[local_port];branch=[branch]
From: <sip:${spec.caller}@[local_ip]>;tag=[pid]SIPpTag[call_number]
To: <sip:[service]@[remote_ip]:[remote_port]>
Call-ID: [call_id]
CSeq: 1 INVITE
Contact: <sip:${spec.caller}@[local_ip]:[local_port]>
Max-Forwards: 70
Content-Type: application/sdp
Content-Length: [len]

v=0
o=user1 53655765 2353687637 IN IP[local_ip_type] [local_ip]
s=-
c=IN IP[media_ip_type] [media_ip]
t=0 0
m=audio ${port} RTP/AVP 8 101
a=rtpmap:8 PCMA/8000
a=rtpmap:101 telephone-event/8000
a=fmtp:101 0-15
`)}</send>
<recv response="100" optional="true"/>
<recv response="200" rtd="true"/>
<send>${msg(`
ACK sip:[service]@[remote_ip]:[remote_port] SIP/2.0
Via: SIP/2.0/[transport] [local_ip]:[local_port];branch=[branch]
From: <sip:${spec.caller}@[local_ip]>;tag=[pid]SIPpTag[call_number]
[last_To:]
Call-ID: [call_id]
CSeq: 1 ACK
Contact: <sip:${spec.caller}@[local_ip]:[local_port]>
Max-Forwards: 70
Content-Length: 0
`)}</send>
${steps.join('\n')}
</scenario>
`;
}

export interface SippResult {
  code: number | null;
  output: string;
}

/** Run one call; resolves when sipp exits (0: every step of the scenario happened). */
export function runSipp(
  spec: CallSpec,
  opts: { service: string; target: string; transport?: 'u1' | 't1'; timeoutSec?: number; mediaBase?: number; calls?: number; injection?: string[] },
): Promise<SippResult> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sipp-'));
  const file = path.join(dir, 'scenario.xml');
  fs.writeFileSync(file, scenario(spec));
  // Several calls at once (the bench): -m/-l/-r, and an injection file whose [field0] is each caller.
  const many = opts.calls && opts.calls > 1 ? ['-m', String(opts.calls), '-l', String(opts.calls), '-r', String(opts.calls)] : ['-m', '1'];
  if (opts.injection) fs.writeFileSync(path.join(dir, 'callers.csv'), `SEQUENTIAL\n${opts.injection.join('\n')}\n`);
  const args = ['-sf', file, '-s', opts.service, ...many, ...(opts.injection ? ['-inf', path.join(dir, 'callers.csv')] : []), '-i', '127.0.0.1', '-mi', '127.0.0.1', '-t', opts.transport ?? 'u1', '-timeout', `${opts.timeoutSec ?? 60}s`, '-timeout_error', '-nostdin', '-trace_err', '-error_file', path.join(dir, 'err.log'), ...(opts.mediaBase ? ['-mp', String(opts.mediaBase)] : []), opts.target];
  return new Promise((resolve) => {
    const p = spawn('sipp', args, { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    p.stdout.on('data', (d: Buffer) => (out = (out + d.toString()).slice(-20_000)));
    p.stderr.on('data', (d: Buffer) => (out += d.toString()));
    p.on('exit', (code) => {
      const err = fs.existsSync(path.join(dir, 'err.log')) ? fs.readFileSync(path.join(dir, 'err.log'), 'utf8') : '';
      fs.rmSync(dir, { recursive: true, force: true });
      resolve({ code, output: `${err}\n${out.slice(-3000)}` });
    });
  });
}

/** A response line of a sipp UAS scenario, copying the request's dialog headers (our tag on To). */
const uasResponse = (status: string, extra = '', body = '') =>
  msg(`
SIP/2.0 ${status}
[last_Via:]
[last_From:]
[last_To:];tag=[pid]SIPpTag01[call_number]
[last_Call-ID:]
[last_CSeq:]
Contact: <sip:[local_ip]:[local_port];transport=[transport]>
${extra}Content-Length: [len]
${body ? `\n${body}` : ''}`);

const UAS_SDP = `v=0
o=user1 53655765 2353687637 IN IP[local_ip_type] [local_ip]
s=-
c=IN IP[media_ip_type] [media_ip]
t=0 0
m=audio [media_port] RTP/AVP 8 101
a=rtpmap:8 PCMA/8000
a=rtpmap:101 telephone-event/8000
a=fmtp:101 0-15`;

/**
 * What the called phone does (dial-out tests): `answer` rings, answers with PCMA, plays sipp's recorded voice
 * and waits for our BYE; `busy` rings and answers 486; `ring` rings until our CANCEL (200 + 487).
 */
export function uasScenario(kind: 'answer' | 'busy' | 'ring', opts: { pcaps?: string[]; auth?: { user: string; password: string } } = {}): string {
  // A trunk that challenges (401, MD5, qop=auth) and answers only a right Authorization; a wrong one gets 403.
  const challenge = opts.auth
    ? `<recv request="INVITE" crlf="true"/>
<send>${uasResponse('401 Unauthorized', 'WWW-Authenticate: Digest realm="trunk.example", nonce="b6f3c9d2e1a04758", algorithm=MD5, qop="auth"\n')}</send>
<recv request="ACK"/>
<recv request="INVITE" crlf="true"><action><verifyauth assign_to="authok" username="${opts.auth.user}" password="${opts.auth.password}"/></action></recv>
<nop test="authok" next="authed"/>
<send>${uasResponse('403 Forbidden')}</send>
<recv request="ACK"/>
<nop><action><exec int_cmd="stop_now"/></action></nop>
<label id="authed"/>
<send>${uasResponse('100 Trying')}</send>\n<send>${uasResponse('180 Ringing')}</send>`
    : '';
  const head = challenge || `<recv request="INVITE" crlf="true"/>\n<send>${uasResponse('100 Trying')}</send>\n<send>${uasResponse('180 Ringing')}</send>`;
  const body = {
    answer: `<pause milliseconds="500"/>
<send retrans="500">${uasResponse('200 OK', 'Content-Type: application/sdp\n', UAS_SDP)}</send>
<recv request="ACK" crlf="true"/>
${(opts.pcaps ?? [`${SIPP_PCAPS}/g711a.pcap`]).map((f) => `<nop><action><exec play_pcap_audio="${f}"/></action></nop>`).join('\n<pause milliseconds="4800"/>\n')}
<recv request="BYE" timeout="60000"/>
<send>${msg('SIP/2.0 200 OK\n[last_Via:]\n[last_From:]\n[last_To:]\n[last_Call-ID:]\n[last_CSeq:]\nContent-Length: 0')}</send>`,
    busy: `<pause milliseconds="300"/>
<send>${uasResponse('486 Busy Here')}</send>
<recv request="ACK"/>`,
    ring: `<recv request="CANCEL" timeout="60000"/>
<send>${msg('SIP/2.0 200 OK\n[last_Via:]\n[last_From:]\n[last_To:]\n[last_Call-ID:]\n[last_CSeq:]\nContent-Length: 0')}</send>
<send>${msg('SIP/2.0 487 Request Terminated\n[last_Via:]\n[last_From:]\n[last_To:];tag=[pid]SIPpTag01[call_number]\n[last_Call-ID:]\nCSeq: 1 INVITE\nContent-Length: 0')}</send>
<recv request="ACK"/>`,
  }[kind];
  return `<?xml version="1.0" encoding="ISO-8859-1" ?>\n<scenario name="uas-${kind}">\n${head}\n${body}\n</scenario>\n`;
}

/** A phone registering its number (digest-authenticated) with `expires` seconds, or unregistering all (`*`, 0). */
export function registerScenario(number: string, password: string, expires: number | 'unregister', opts: { expect?: '200' | '403' | '401' } = {}): string {
  const contact = expires === 'unregister' ? '*' : `<sip:${number}@[local_ip]:[local_port]>`;
  const exp = expires === 'unregister' ? 0 : expires;
  const reg = (cseq: number, auth: string) =>
    msg(`
REGISTER sip:[remote_ip]:[remote_port] SIP/2.0
Via: SIP/2.0/[transport] [local_ip]:[local_port];branch=[branch]
From: <sip:${number}@[remote_ip]>;tag=[pid]reg
To: <sip:${number}@[remote_ip]>
Call-ID: [call_id]
CSeq: ${cseq} REGISTER
Contact: ${contact}
Expires: ${exp}
Max-Forwards: 70
${auth}Content-Length: 0
`);
  const final = opts.expect ?? '200';
  const steps =
    final === '403'
      ? `<send retrans="500">${reg(1, '')}</send>\n<recv response="403"/>`
      : `<send retrans="500">${reg(1, '')}</send>\n<recv response="401" auth="true"/>\n<send retrans="500">${reg(2, `[authentication username=${number} password=${password}]\n`)}</send>\n<recv response="${final}"${final === '401' ? '' : ' rtd="true"'}/>`;
  return `<?xml version="1.0" encoding="ISO-8859-1" ?>\n<scenario name="register">\n${steps}\n</scenario>\n`;
}

/** Run a scenario file as it is (-m 1); `port`: sipp's own SIP port (a UAS or a registering phone). */
export function runSippXml(xml: string, opts: { port: number; target?: string; mediaBase?: number; timeoutSec?: number; uas?: boolean }): Promise<SippResult> & { ready: Promise<void> } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sipp-'));
  const file = path.join(dir, 'scenario.xml');
  fs.writeFileSync(file, xml);
  const args = ['-sf', file, '-m', '1', '-p', String(opts.port), '-i', '127.0.0.1', '-mi', '127.0.0.1', '-t', 'u1', '-timeout', `${opts.timeoutSec ?? 60}s`, '-timeout_error', '-nostdin', '-trace_err', '-error_file', path.join(dir, 'err.log'), ...(opts.mediaBase ? ['-mp', String(opts.mediaBase)] : []), ...(opts.target ? [opts.target] : [])];
  const p = spawn('sipp', args, { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  // sipp prints its screen once it listens; a UAS is ready a moment after it started.
  const ready = new Promise<void>((resolve) => {
    p.stdout.once('data', () => resolve());
    setTimeout(resolve, 1500);
  });
  p.stdout.on('data', (d: Buffer) => (out = (out + d.toString()).slice(-20_000)));
  p.stderr.on('data', (d: Buffer) => (out += d.toString()));
  const done = new Promise<SippResult>((resolve) => {
    p.on('exit', (code) => {
      const err = fs.existsSync(path.join(dir, 'err.log')) ? fs.readFileSync(path.join(dir, 'err.log'), 'utf8') : '';
      fs.rmSync(dir, { recursive: true, force: true });
      resolve({ code, output: `${err}\n${out.slice(-3000)}` });
    });
  });
  return Object.assign(done, { ready });
}
