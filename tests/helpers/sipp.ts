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
