/**
 * Dial-in (语音接入): the SIP user agent server that answers phones. A call to a meeting's access number
 * (request-URI user) or to the one general number (then the meeting number keyed, ending with #) hears a
 * Chinese prompt, keys the meeting PIN (RFC 4733 or SIP INFO) and joins as a site of the unit its number is
 * registered to. Wrong PINs go through the browsers' lockout (pin.ts); three in one call end it politely.
 */
import type { Kysely } from 'kysely';
import type { Logger } from 'pino';
import type { Database } from '../../db/schema.ts';
import { PhoneLeg } from '../../sfu/phoneLeg.ts';
import type { MeetingDto } from '../../contract/meetings.ts';
import { ApiError } from '../http/errors.ts';
import type { MeetingHub } from '../meetings/hub.ts';
import { checkJoinPin } from '../meetings/pin.ts';
import { findMeeting } from '../meetings/repo.ts';
import type { OrgTree } from '../org/tree.ts';
import { loadPrompts, type PromptName, type Prompts } from './prompts.ts';
import { infoDigit } from './rtp.ts';
import { RtpSession } from './rtpSession.ts';
import { parseAudioOffer, SdpError, writeAudioAnswer, type AudioOffer } from './sdp.ts';
import { header, headers, parseNameAddr, parseUri, type SipRequest } from './sipMessage.ts';
import { newTag, SipServer, type IncomingRequest, type Source, type Timers } from './sipServer.ts';
import { meetingIdByAccessNumber, unitOfPhone } from './voiceRepo.ts';

export const WRONG_PINS_PER_CALL = 3;
const ALLOW = 'INVITE, ACK, BYE, CANCEL, OPTIONS, INFO';

export interface VoiceOptions {
  host: string;
  port: number;
  /** Address written into SDP and Contact (the host's public address behind Kamailio/NAT). */
  advertise?: string;
  /** The one general number: the caller then keys the meeting number. */
  accessNumber: string;
  maxCalls: number;
  maxCallMinutes: number;
  promptDir: string;
  timers?: Timers;
  /** Seconds the caller has to key a number or PIN before the call ends. */
  keyTimeoutSec?: number;
}

interface Deps {
  db: Kysely<Database>;
  tree: OrgTree;
  hub: MeetingHub;
  log: Logger;
}

interface Call {
  id: string;
  invite: SipRequest;
  source: Source;
  localTag: string;
  localSeq: number;
  offer: AudioOffer;
  answer: string;
  rtp: RtpSession;
  phone: string;
  unitCode: string;
  unitName: string;
  meeting: MeetingDto | null;
  stage: 'number' | 'pin' | 'joined' | 'ending';
  digits: string;
  wrong: number;
  acked: boolean;
  chain: Promise<void>;
  leg: PhoneLeg | null;
  peerId: string | null;
  timers: ReturnType<typeof setTimeout>[];
  keyTimer: ReturnType<typeof setTimeout> | null;
}

export class VoiceService {
  readonly calls = new Map<string, Call>();

  private constructor(
    readonly deps: Deps,
    readonly opts: VoiceOptions,
    readonly sip: SipServer,
    readonly prompts: Prompts,
  ) {
    sip.on('request', (r) => void this.#onRequest(r).catch((e: Error) => deps.log.error({ err: e.message }, 'SIP request failed')));
    sip.on('cancelled', (callId) => void this.#end(this.calls.get(callId), false));
    sip.on('ackTimeout', (callId) => void this.#end(this.calls.get(callId), true));
    sip.on('error', (e) => deps.log.error({ err: e.message }, 'SIP socket error'));
  }

  static async start(deps: Deps, opts: VoiceOptions): Promise<VoiceService> {
    const prompts = await loadPrompts(opts.promptDir);
    const sip = await SipServer.listen({ host: opts.host, port: opts.port, timers: opts.timers });
    deps.log.info({ sip: `${opts.host}:${sip.port} udp+tcp`, accessNumber: opts.accessNumber }, 'voice access listening');
    return new VoiceService(deps, opts, sip, prompts);
  }

  get port(): number {
    return this.sip.port;
  }

  async close(): Promise<void> {
    await Promise.all([...this.calls.values()].map((c) => this.#end(c, true)));
    await this.sip.close();
  }

  // ---- SIP ---------------------------------------------------------------------------------------

  async #onRequest(r: IncomingRequest): Promise<void> {
    const { msg } = r;
    const callId = header(msg, 'Call-ID')!;
    const inDialog = /;\s*tag=/i.test(header(msg, 'To') ?? '');
    const call = this.calls.get(callId);
    switch (msg.method) {
      case 'ACK':
        if (call && !call.acked) this.#begin(call);
        return;
      case 'OPTIONS':
        return r.respond(200, { headers: [['Allow', ALLOW], ['Accept', 'application/sdp']] });
      case 'INVITE':
        if (!inDialog) return this.#onInvite(r);
        if (!call) return r.respond(481);
        // A re-INVITE (session refresh, hold): the same media as before.
        return r.respond(200, { toTag: call.localTag, headers: [['Contact', this.#contact(call.source)], ['Content-Type', 'application/sdp']], body: call.answer });
      case 'BYE':
        if (!call) return r.respond(481);
        r.respond(200, { toTag: call.localTag });
        return this.#end(call, false);
      case 'INFO': {
        if (!call) return r.respond(481);
        const key = infoDigit(header(msg, 'Content-Type') ?? '', msg.body);
        if (key === null) return r.respond(415, { toTag: call.localTag, headers: [['Accept', 'application/dtmf-relay, application/dtmf']] });
        r.respond(200, { toTag: call.localTag });
        return this.#onKey(call, key);
      }
      case 'CANCEL':
        return; // answered by the transaction layer
      case 'REGISTER':
        // Registration is Kamailio's job in front of us (README): we are the meetings' application server.
        return r.respond(405, { toTag: newTag(), headers: [['Allow', ALLOW]] });
      default:
        return r.respond(501, { toTag: newTag(), headers: [['Allow', ALLOW]] });
    }
  }

  async #onInvite(r: IncomingRequest): Promise<void> {
    const { msg } = r;
    const tag = newTag();
    const fail = (status: number, reason?: string) => r.respond(status, { toTag: tag, reason });
    if (this.calls.size >= this.opts.maxCalls) return fail(486);
    const callId = header(msg, 'Call-ID')!;
    if (this.calls.has(callId)) return fail(482, 'Loop Detected');
    const dialled = parseUri(msg.uri)?.user ?? '';
    const phone = parseUri(parseNameAddr(header(msg, 'From')!)?.uri ?? '')?.user ?? '';
    if (!/^[0-9+*#]{3,32}$/.test(phone)) return fail(403, 'Caller Number Required');
    let meeting: MeetingDto | null = null;
    if (dialled !== this.opts.accessNumber) {
      meeting = /^\d{1,9}$/.test(dialled) ? await this.#meetingByNumber(Number(dialled)) : null;
      if (!meeting) return fail(404);
    }
    const unitCode = await unitOfPhone(this.deps.db, phone);
    if (!unitCode) return fail(403, 'Number Not Registered');
    if (meeting && !meeting.units.some((u) => u.code === unitCode)) return fail(403, 'Not Invited');
    let offer: AudioOffer;
    try {
      offer = parseAudioOffer(msg.body);
    } catch (e) {
      if (e instanceof SdpError) return fail(488);
      throw e;
    }
    const rtp = await RtpSession.open(this.opts.host, offer.codec, offer.dtmfPayloadType);
    rtp.setRemote({ address: offer.address, port: offer.port });
    const answer = writeAudioAnswer(offer, { address: this.opts.advertise ?? this.opts.host, port: rtp.port, sessionId: Date.now() % 1e9 });
    const call: Call = {
      id: callId, invite: msg, source: r.source, localTag: tag, localSeq: 1, offer, answer, rtp, phone, unitCode,
      unitName: this.deps.tree.get(unitCode)?.name ?? unitCode, meeting, stage: meeting ? 'pin' : 'number', digits: '',
      wrong: 0, acked: false, chain: Promise.resolve(), leg: null, peerId: null, timers: [], keyTimer: null,
    };
    this.calls.set(callId, call);
    rtp.on('key', (k) => this.#onKey(call, k));
    r.respond(200, { toTag: tag, headers: [['Contact', this.#contact(r.source)], ['Allow', ALLOW], ['Content-Type', 'application/sdp']], body: answer });
    this.deps.log.info({ callId, phone, unit: unitCode, dialled }, 'phone call answered');
  }

  #contact(source: Source): string {
    return `<sip:${this.opts.accessNumber}@${this.opts.advertise ?? this.opts.host}:${this.sip.port};transport=${source.transport.toLowerCase()}>`;
  }

  async #meetingByNumber(n: number): Promise<MeetingDto | null> {
    const id = await meetingIdByAccessNumber(this.deps.db, n);
    const m = id ? await findMeeting(this.deps.db, this.deps.tree, id) : null;
    return m && m.status !== 'ended' ? m : null;
  }

  // ---- the caller's path -------------------------------------------------------------------------

  #begin(call: Call): void {
    call.acked = true;
    call.rtp.start();
    call.timers.push(setTimeout(() => void this.#end(call, true), this.opts.maxCallMinutes * 60_000)); // call length bound
    if (call.meeting) {
      call.stage = 'pin';
      void this.#askPin(call);
    } else {
      call.stage = 'number';
      this.#say(call, 'enterNumber');
    }
  }

  #say(call: Call, name: PromptName): Promise<void> {
    this.#armKeyTimer(call);
    return call.rtp.play(this.prompts[name][call.offer.codec]);
  }

  #armKeyTimer(call: Call): void {
    if (call.keyTimer) clearTimeout(call.keyTimer);
    call.keyTimer = call.stage === 'joined' ? null : setTimeout(() => void this.#goodbye(call, 'goodbye'), (this.opts.keyTimeoutSec ?? 60) * 1000);
  }

  async #askPin(call: Call): Promise<void> {
    const m = call.meeting!;
    if (!m.hasPin || call.unitCode === m.hostUnitCode) return this.#join(call);
    await this.#say(call, 'enterPin');
  }

  #onKey(call: Call, key: string): void {
    if (call.stage === 'joined' || call.stage === 'ending') return;
    call.rtp.stopPrompt(); // keys cut the prompt short
    this.#armKeyTimer(call);
    if (key !== '#') {
      call.digits = (call.digits + key).slice(-16);
      return;
    }
    const entered = call.digits;
    call.digits = '';
    call.chain = call.chain.then(() => this.#submit(call, entered)).catch((e: Error) => {
      this.deps.log.error({ callId: call.id, err: e.message }, 'phone entry failed');
      return this.#goodbye(call, 'goodbye');
    });
  }

  async #submit(call: Call, entered: string): Promise<void> {
    if (call.stage === 'number') {
      const meeting = /^\d{1,9}$/.test(entered) ? await this.#meetingByNumber(Number(entered)) : null;
      if (!meeting || !meeting.units.some((u) => u.code === call.unitCode)) {
        if (++call.wrong >= WRONG_PINS_PER_CALL) return this.#goodbye(call, 'goodbye');
        return void this.#say(call, 'noMeeting');
      }
      call.meeting = meeting;
      call.wrong = 0;
      call.stage = 'pin';
      return this.#askPin(call);
    }
    if (call.stage !== 'pin') return;
    try {
      await checkJoinPin(this.deps.db, call.meeting!, call.unitCode, entered);
    } catch (e) {
      if (!(e instanceof ApiError)) throw e;
      if (e.code === 'MEETING_PIN_WRONG' && ++call.wrong < WRONG_PINS_PER_CALL) return void this.#say(call, 'wrongPin');
      this.deps.log.warn({ callId: call.id, phone: call.phone, code: e.code }, 'phone PIN refused');
      return this.#goodbye(call, 'goodbye');
    }
    return this.#join(call);
  }

  async #join(call: Call): Promise<void> {
    const meeting = call.meeting!;
    let joined;
    try {
      joined = await this.deps.hub.joinPhone(meeting.id, {
        unitCode: call.unitCode,
        unitName: call.unitName,
        phone: call.phone,
        hangup: (why) => void this.#goodbye(call, why === 'removed' ? 'removed' : 'goodbye'),
      });
    } catch (e) {
      if (e instanceof ApiError) return this.#goodbye(call, e.code === 'MEETING_REMOVED' ? 'removed' : 'goodbye');
      throw e;
    }
    call.peerId = joined.peerId;
    call.stage = 'joined';
    this.#armKeyTimer(call);
    try {
      call.leg = await PhoneLeg.start({
        room: joined.room,
        peerId: joined.peerId,
        law: call.offer.codec,
        paused: joined.muted,
        onMix: (g711) => call.rtp.pushMix(g711),
        onExit: (code) => {
          this.deps.log.error({ callId: call.id, code, stderr: call.leg?.stderr }, 'phone media gateway exited');
          void this.#end(call, true);
        },
      });
    } catch (e) {
      this.deps.log.error({ callId: call.id, err: (e as Error).message }, 'phone media gateway failed');
      return this.#goodbye(call, 'goodbye');
    }
    call.rtp.on('audio', (pkt, level) => call.leg?.fromPhone(pkt, level));
    void call.rtp.play(this.prompts.joined[call.offer.codec]);
  }

  async #goodbye(call: Call, prompt: PromptName): Promise<void> {
    if (call.stage === 'ending' || !this.calls.has(call.id)) return;
    call.stage = 'ending';
    call.leg?.close();
    await call.rtp.play(this.prompts[prompt][call.offer.codec]);
    await this.#end(call, true);
  }

  /** The call ends: media and site gone; a BYE to the phone unless it hung up itself. */
  async #end(call: Call | undefined, sendBye: boolean): Promise<void> {
    if (!call || this.calls.get(call.id) !== call) return;
    this.calls.delete(call.id);
    call.stage = 'ending';
    for (const t of call.timers) clearTimeout(t);
    if (call.keyTimer) clearTimeout(call.keyTimer);
    call.leg?.close();
    call.rtp.close();
    if (call.peerId) await this.deps.hub.leavePhone(call.peerId);
    this.deps.log.info({ callId: call.id, phone: call.phone }, 'phone call ended');
    if (!sendBye) return;
    const inv = call.invite;
    const target = parseNameAddr(header(inv, 'Contact') ?? '')?.uri ?? parseNameAddr(header(inv, 'From')!)!.uri;
    const bye: SipRequest = {
      kind: 'request',
      method: 'BYE',
      uri: target,
      headers: [
        ...headers(inv, 'Record-Route').map((r): [string, string] => ['Route', r]),
        ['Max-Forwards', '70'],
        ['From', `${header(inv, 'To')};tag=${call.localTag}`],
        ['To', header(inv, 'From')!],
        ['Call-ID', call.id],
        ['CSeq', `${++call.localSeq} BYE`],
      ],
      body: '',
    };
    void this.sip.request(bye, call.source); // its answer (or Timer F) changes nothing here
  }
}
