/**
 * Dial-out (呼叫会场): our user agent client places one call — INVITE with our SDP offer, 1xx while it rings,
 * the 2xx ACKed end to end (again for each retransmitted 2xx), 401/407 answered with digest credentials at
 * most twice (a second challenge only when it says stale=true), CANCEL when the chair cancels or nobody
 * answers within the ring time. The outcome is a dialog (for in-dialog requests and our BYE) or a state.
 */
import { randomUUID } from 'node:crypto';
import type { DialState } from '../../contract/voice.ts';
import { authorize, parseChallenge, type Challenge } from './digest.ts';
import { InviteClient } from './inviteClient.ts';
import { parseAudioOffer, SdpError, type AudioOffer } from './sdp.ts';
import { header, headers, parseNameAddr, serialize, type SipRequest, type SipResponse } from './sipMessage.ts';
import { newTag, type SipServer, type Source } from './sipServer.ts';

export interface DialTarget {
  /** Request-URI: the registered contact, or sip:<number>@<trunk domain>. */
  uri: string;
  /** Where requests go: the trunk (or Kamailio), or where the phone registered from. */
  to: Source;
  /** Our identity in From (the trunk's account, or the general access number). */
  fromUser: string;
  fromHost: string;
  credentials?: { user: string; password: string };
}

/** What a BYE or another in-dialog request of ours needs. */
export interface Dialog {
  from: string;
  to: string;
  target: string;
  routes: string[];
  nextCseq: number;
}

export type DialOutcome =
  | { ok: true; callId: string; answer: AudioOffer; dialog: Dialog }
  | { ok: false; state: Exclude<DialState, 'ringing' | 'joined' | 'ended'>; status: number | null };

/** Most INVITEs one dial-out sends: the first, one with credentials, one more for a stale nonce. */
const MAX_ATTEMPTS = 3;

export function stateOfStatus(status: number | null): 'busy' | 'noAnswer' | 'failed' {
  if (status === 486 || status === 600 || status === 603) return 'busy';
  if (status === 408 || status === 480 || status === 487) return 'noAnswer';
  return 'failed';
}

export class OutboundCall {
  readonly callId = `${randomUUID()}@threelevel`;
  readonly localTag = newTag();
  #client: InviteClient | null = null;
  #why: 'cancelled' | 'noAnswer' | null = null;
  #ringTimer: ReturnType<typeof setTimeout> | null = null;

  constructor(
    readonly sip: SipServer,
    readonly target: DialTarget,
    readonly offer: string,
    readonly opts: { ringMs: number; contact: string; onRinging?: () => void },
  ) {}

  /** The chair cancelled while it rings (or hung up before the answer). */
  cancel(): void {
    this.#why ??= 'cancelled';
    this.#client?.cancel();
  }

  async run(): Promise<DialOutcome> {
    this.#ringTimer = setTimeout(() => {
      this.#why ??= 'noAnswer';
      this.#client?.cancel();
    }, this.opts.ringMs);
    try {
      return await this.#attempts();
    } finally {
      clearTimeout(this.#ringTimer);
    }
  }

  async #attempts(): Promise<DialOutcome> {
    const from = `<sip:${this.target.fromUser}@${this.target.fromHost}>;tag=${this.localTag}`;
    const toHeader = `<${this.target.uri}>`;
    let auth: [string, string] | null = null;
    let nc = 0;
    for (let cseq = 1; cseq <= MAX_ATTEMPTS; cseq++) {
      if (this.#why) return { ok: false, state: this.#why, status: null };
      const invite: SipRequest = {
        kind: 'request',
        method: 'INVITE',
        uri: this.target.uri,
        headers: [
          ['Max-Forwards', '70'],
          ['From', from],
          ['To', toHeader],
          ['Call-ID', this.callId],
          ['CSeq', `${cseq} INVITE`],
          ['Contact', this.opts.contact],
          ['Allow', 'INVITE, ACK, BYE, CANCEL, OPTIONS, INFO'],
          ['Content-Type', 'application/sdp'],
          ...(auth ? [auth] : []),
        ],
        body: this.offer,
      };
      let ringing = false;
      const client = new InviteClient(this.sip, invite, this.target.to, {
        provisional: (res) => {
          if (!ringing && res.status >= 180) {
            ringing = true;
            this.opts.onRinging?.();
          }
        },
        retransmitted2xx: (res) => this.#ack(invite, res, cseq), // our ACK was lost: send it again
      });
      this.#client = client;
      if (this.#why) client.cancel();
      const { status, res } = await client.run();
      this.#client = null;
      if (res && status < 300) {
        const dialog = this.#ack(invite, res, cseq);
        let answer: AudioOffer | null = null;
        try {
          answer = parseAudioOffer(res.body);
        } catch (e) {
          if (!(e instanceof SdpError)) throw e;
        }
        if (!answer || this.#why) {
          // Answered after we cancelled (the race §9.1 allows), or with media we cannot use: hang up at once.
          void this.bye(dialog);
          return { ok: false, state: this.#why ?? 'failed', status: answer ? null : 488 };
        }
        return { ok: true, callId: this.callId, answer, dialog };
      }
      if ((status === 401 || status === 407) && res && this.target.credentials) {
        const challenges = headers(res, status === 401 ? 'WWW-Authenticate' : 'Proxy-Authenticate').map(parseChallenge).filter((c): c is Challenge => c !== null);
        // Prefer SHA-256 (RFC 8760), else MD5; a second challenge is answered only when the nonce went stale.
        const ch = challenges.find((c) => c.algorithm === 'SHA-256') ?? challenges[0];
        if (ch && (!auth || ch.stale)) {
          auth = [status === 401 ? 'Authorization' : 'Proxy-Authorization', authorize(ch, this.target.credentials, 'INVITE', this.target.uri, ++nc)];
          continue;
        }
      }
      if (this.#why) return { ok: false, state: this.#why, status };
      return { ok: false, state: stateOfStatus(status), status };
    }
    return { ok: false, state: 'failed', status: 401 };
  }

  /** ACK a 2xx (§13.2.2.4: a new transaction, to the remote target, along the route set) and return the dialog. */
  #ack(invite: SipRequest, res: SipResponse, cseq: number): Dialog {
    const target = parseNameAddr(header(res, 'Contact') ?? '')?.uri ?? this.target.uri;
    const routes = headers(res, 'Record-Route').reverse();
    const dialog: Dialog = { from: header(invite, 'From')!, to: header(res, 'To')!, target, routes, nextCseq: cseq + 1 };
    const ack: SipRequest = {
      kind: 'request',
      method: 'ACK',
      uri: target,
      headers: [['Via', this.sip.newVia(this.target.to)], ...routes.map((r): [string, string] => ['Route', r]), ['Max-Forwards', '70'], ['From', dialog.from], ['To', dialog.to], ['Call-ID', this.callId], ['CSeq', `${cseq} ACK`]],
      body: '',
    };
    this.sip.send(serialize(ack), this.target.to);
    return dialog;
  }

  /** Our BYE in the dialog; resolves with its final status (null on Timer F). */
  async bye(dialog: Dialog): Promise<number | null> {
    return byeInDialog(this.sip, this.callId, dialog, this.target.to);
  }
}

export async function byeInDialog(sip: SipServer, callId: string, dialog: Dialog, to: Source): Promise<number | null> {
  const bye: SipRequest = {
    kind: 'request',
    method: 'BYE',
    uri: dialog.target,
    headers: [...dialog.routes.map((r): [string, string] => ['Route', r]), ['Max-Forwards', '70'], ['From', dialog.from], ['To', dialog.to], ['Call-ID', callId], ['CSeq', `${dialog.nextCseq++} BYE`]],
    body: '',
  };
  const res = await sip.request(bye, to);
  return res?.status ?? null;
}
