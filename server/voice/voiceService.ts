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
import type { DialPush } from '../../contract/voice.ts';
import { ApiError, errors } from '../http/errors.ts';
import type { MeetingHub } from '../meetings/hub.ts';
import { checkJoinPin } from '../meetings/pin.ts';
import { findMeeting } from '../meetings/repo.ts';
import type { OrgTree } from '../org/tree.ts';
import { loadPrompts, type PromptName, type Prompts } from './prompts.ts';
import { encodeG711, infoDigit } from './rtp.ts';
import { RtpSession } from './rtpSession.ts';
import { NonceBook } from './digest.ts';
import { byeInDialog, OutboundCall, type DialTarget, type Dialog } from './dialOut.ts';
import { Registrar } from './registrar.ts';
import { parseAudioOffer, SdpError, writeAudioAnswer, writeAudioOffer, type AudioOffer } from './sdp.ts';
import { header, headers, parseNameAddr, parseUri, type SipRequest } from './sipMessage.ts';
import { newTag, SipServer, type IncomingRequest, type Source } from './sipServer.ts';
import { DEFAULT_REALM, type VoiceOptions } from './voiceOptions.ts';
import { meetingIdByAccessNumber, phoneRecord, phonesOfUnit, unitOfPhone } from './voiceRepo.ts';

export const WRONG_PINS_PER_CALL = 3;
const ALLOW = 'INVITE, ACK, BYE, CANCEL, OPTIONS, INFO, REGISTER';

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
  /** What our BYE needs (from the INVITE we answered, or the dialog our dial-out set up). */
  dialog: Dialog;
  /** A call the chair placed (dial-out): its progress is pushed to the meeting. */
  dialled: DialPush | null;
}

interface PendingDial {
  push: DialPush;
  call: OutboundCall;
}

export class VoiceService {
  readonly calls = new Map<string, Call>();
  readonly dialling = new Map<string, PendingDial>();
  readonly registrar = new Registrar();
  readonly nonces: NonceBook;

  private constructor(
    readonly deps: Deps,
    readonly opts: VoiceOptions,
    readonly sip: SipServer,
    readonly prompts: Prompts,
  ) {
    this.nonces = new NonceBook(opts.realm ?? DEFAULT_REALM, undefined, undefined, opts.digestAlgorithms);
    sip.on('request', (r) => void this.#onRequest(r).catch((e: Error) => deps.log.error({ err: e.message }, 'SIP request failed')));
    sip.on('cancelled', (callId) => void this.#end(this.calls.get(callId), false));
    sip.on('ackTimeout', (callId) => void this.#end(this.calls.get(callId), true));
    sip.on('error', (e) => deps.log.error({ err: e.message }, 'SIP socket error'));
  }

  static async start(deps: Deps, opts: VoiceOptions): Promise<VoiceService> {
    const prompts = await loadPrompts(opts.promptDir);
    const sip = await SipServer.listen({ host: opts.host, port: opts.port, timers: opts.timers, advertise: opts.advertise });
    deps.log.info({ sip: `${opts.host}:${sip.port} udp+tcp`, accessNumber: opts.accessNumber }, 'voice access listening');
    const service = new VoiceService(deps, opts, sip, prompts);
    deps.hub.setDialer(service);
    return service;
  }

  get port(): number {
    return this.sip.port;
  }

  async close(): Promise<void> {
    this.deps.hub.setDialer(null);
    for (const d of this.dialling.values()) d.call.cancel();
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
        return this.#onRegister(r);
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
    // A number with a digest password must prove it (anyone can write any number into From).
    if (!(await this.#authenticated(r, phone))) return;
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
      id: callId, invite: msg, source: r.source, localTag: tag, offer, answer, rtp, phone, unitCode,
      unitName: this.deps.tree.get(unitCode)?.name ?? unitCode, meeting, stage: meeting ? 'pin' : 'number', digits: '',
      wrong: 0, acked: false, chain: Promise.resolve(), leg: null, peerId: null, timers: [], keyTimer: null,
      dialog: { from: `${header(msg, 'To')};tag=${tag}`, to: header(msg, 'From')!, target: parseNameAddr(header(msg, 'Contact') ?? '')?.uri ?? parseNameAddr(header(msg, 'From')!)!.uri, routes: headers(msg, 'Record-Route'), nextCseq: 2 },
      dialled: null,
    };
    this.calls.set(callId, call);
    rtp.on('key', (k) => this.#onKey(call, k));
    r.respond(200, { toTag: tag, headers: [['Contact', this.#contact(r.source)], ['Allow', ALLOW], ['Content-Type', 'application/sdp']], body: answer });
    this.deps.log.info({ callId, phone, unit: unitCode, dialled }, 'phone call answered');
  }

  /** Digest check of a request from a registered number with a password (none set: nothing to prove). */
  async #authenticated(r: IncomingRequest, number: string): Promise<boolean> {
    const rec = await phoneRecord(this.deps.db, number);
    if (!rec?.ha1) return true;
    const ha1 = rec.ha1;
    const given = header(r.msg, 'Authorization');
    const check = given ? this.nonces.verify(given, r.msg.method, (user, alg) => (user === number && ha1.realm === this.nonces.realm ? (alg === 'MD5' ? ha1.md5 : ha1.sha256) : null), r.msg.uri) : null;
    if (check?.result === 'ok') return true;
    if (check?.result === 'bad') this.deps.log.warn({ number, method: r.msg.method, from: r.source.address }, 'SIP digest refused');
    r.respond(401, { toTag: newTag(), headers: this.nonces.challenges(check?.result === 'stale').map((c): [string, string] => ['WWW-Authenticate', c]) });
    return false;
  }

  /** REGISTER of a unit's phone: only numbers with a password (an unauthenticated binding would steal its calls). */
  async #onRegister(r: IncomingRequest): Promise<void> {
    const number = parseUri(parseNameAddr(header(r.msg, 'To')!)?.uri ?? '')?.user ?? '';
    const rec = /^[0-9+*#]{3,32}$/.test(number) ? await phoneRecord(this.deps.db, number) : null;
    if (!rec) return r.respond(404, { toTag: newTag() });
    if (!rec.enabled || !rec.ha1) return r.respond(403, { toTag: newTag(), reason: rec.enabled ? 'Password Required' : 'Disabled' });
    if (!(await this.#authenticated(r, number))) return;
    const out = this.registrar.register(number, r.msg, r.source);
    if (out.status !== 200) return r.respond(out.status, { toTag: newTag(), reason: out.reason, headers: out.headers });
    this.deps.log.info({ number, unit: rec.unitCode, bindings: out.bindings.length }, 'phone registered');
    r.respond(200, { toTag: newTag(), headers: [...this.registrar.contactHeaders(out.bindings), ['Date', new Date().toUTCString()]] });
  }

  // ---- dial-out (呼叫会场) ------------------------------------------------------------------------

  /**
   * The chair calls a site: `number` through the trunk, else the unit's registered phone (at the contact it
   * registered, else its number through the trunk). Returns at once; progress goes out as voice:dial pushes.
   */
  async dial(meeting: MeetingDto, unitCode: string, number?: string): Promise<DialPush> {
    if (this.calls.size + this.dialling.size >= this.opts.maxCalls) throw errors.voiceBusy();
    const unit = meeting.units.find((u) => u.code === unitCode);
    if (!unit) throw errors.unitNotInMeeting();
    const target = await this.#targetOf(unitCode, number);
    const rtp = await RtpSession.open(this.opts.host, 'PCMA', 101);
    const advertise = this.opts.advertise ?? this.opts.host;
    const offer = writeAudioOffer({ address: advertise, port: rtp.port, sessionId: Date.now() % 1e9 });
    const out = new OutboundCall(this.sip, target.dial, offer, {
      ringMs: (this.opts.ringSeconds ?? 45) * 1000,
      contact: `<sip:${target.dial.fromUser}@${advertise}:${this.sip.port};transport=${target.dial.to.transport.toLowerCase()}>`,
    });
    const push: DialPush = { meetingId: meeting.id, callId: out.callId, unitCode, unitName: unit.name, number: target.number, state: 'ringing' };
    this.dialling.set(out.callId, { push, call: out });
    this.deps.hub.dialPush(push);
    this.deps.log.info({ callId: out.callId, meetingId: meeting.id, unit: unitCode, number: target.number, uri: target.dial.uri }, 'dial-out');
    void this.#connect(meeting, out, push, rtp).catch((e: Error) => {
      this.deps.log.error({ callId: out.callId, err: e.message }, 'dial-out failed');
      rtp.close();
      this.dialling.delete(out.callId);
      this.deps.hub.dialPush({ ...push, state: 'failed' });
    });
    return push;
  }

  registeredUntil(number: string): Date | null {
    const b = this.registrar.bindings(number)[0];
    return b ? new Date(b.expiresAt) : null;
  }

  /** The chair cancels a ringing call or hangs up a dialled one. */
  async hangupDial(meetingId: string, callId: string): Promise<void> {
    const pending = this.dialling.get(callId);
    if (pending?.push.meetingId === meetingId) return pending.call.cancel();
    const call = this.calls.get(callId);
    if (call?.dialled?.meetingId === meetingId) return this.#goodbye(call, 'removed');
    throw errors.notFound('呼叫');
  }

  async #targetOf(unitCode: string, number: string | undefined): Promise<{ number: string; dial: DialTarget }> {
    const trunk = this.opts.trunk;
    const viaTrunk = async (n: string) => {
      if (!trunk) throw errors.voiceNoTrunk();
      const to = await this.sip.connect(trunk.transport, trunk.host, trunk.port).catch(() => {
        throw errors.voiceTrunkDown();
      });
      const credentials = trunk.user && trunk.password ? { user: trunk.user, password: trunk.password } : undefined;
      return { number: n, dial: { uri: `sip:${n}@${trunk.domain ?? trunk.host}`, to, fromUser: trunk.caller ?? trunk.user ?? this.opts.accessNumber, fromHost: trunk.domain ?? trunk.host, credentials } };
    };
    if (number) return viaTrunk(number);
    const phones = await phonesOfUnit(this.deps.db, unitCode);
    for (const n of phones) {
      const b = this.registrar.bindings(n)[0];
      if (b) return { number: n, dial: { uri: b.uri, to: b.source, fromUser: this.opts.accessNumber, fromHost: this.opts.advertise ?? this.opts.host } };
    }
    if (!phones.length) throw errors.voiceNoPhone();
    return viaTrunk(phones[0]);
  }

  async #connect(meeting: MeetingDto, out: OutboundCall, push: DialPush, rtp: RtpSession): Promise<void> {
    const result = await out.run();
    this.dialling.delete(out.callId);
    if (!result.ok) {
      rtp.close();
      this.deps.log.info({ callId: out.callId, state: result.state, status: result.status }, 'dial-out not answered');
      return this.deps.hub.dialPush({ ...push, state: result.state, ...(result.status ? { status: result.status } : {}) });
    }
    const answer = result.answer;
    rtp.negotiate(answer.codec, answer.dtmfPayloadType);
    rtp.setRemote({ address: answer.address, port: answer.port });
    const call: Call = {
      id: out.callId, invite: { kind: 'request', method: 'INVITE', uri: out.target.uri, headers: [], body: '' }, source: out.target.to, localTag: out.localTag,
      offer: answer, answer: '', rtp, phone: push.number, unitCode: push.unitCode, unitName: push.unitName, meeting, stage: 'joined', digits: '', wrong: 0,
      acked: true, chain: Promise.resolve(), leg: null, peerId: null, timers: [], keyTimer: null, dialog: result.dialog, dialled: push,
    };
    this.calls.set(call.id, call);
    rtp.start();
    call.timers.push(setTimeout(() => void this.#end(call, true), this.opts.maxCallMinutes * 60_000));
    // The chair called this site: no PIN to key.
    await this.#join(call);
    if (call.stage === 'joined') this.deps.hub.dialPush({ ...push, state: 'joined' });
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
        onMix: (pcm) => call.rtp.pushMix(encodeG711(call.offer.codec, pcm)),
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
    if (call.dialled) this.deps.hub.dialPush({ ...call.dialled, state: 'ended' });
    if (!sendBye) return;
    void byeInDialog(this.sip, call.id, call.dialog, call.source); // its answer (or Timer F) changes nothing here
  }
}
