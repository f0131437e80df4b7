/**
 * The chair's control of a live meeting (MCU-style), as a pure reducer:
 * `reduce(state, command, actor) → { state, effects } | { error }`.
 * Shared by server and console (contract/). The hub applies the effects to mediasoup (pause/resume producers, kick sites, timers, persistence)
 * and broadcasts the new state to every site. Table-tested in tests/unit/meeting-control.test.ts.
 */
import { z } from 'zod';

export type ControlMode = 'free' | 'rollcall' | 'broadcast' | 'patrol' | 'voice';
export const LAYOUTS = ['auto', '1', '1+N', '4', '9', '16'] as const;
export type Layout = (typeof LAYOUTS)[number];

export interface PatrolState {
  units: string[];
  intervalSec: number;
  /** true: every site watches the patrolled site; false: only the chair's own screen cycles. */
  toAll: boolean;
  index: number;
  paused: boolean;
  /** Sites passed over because they sent no video (flagged to the chair). */
  skipped: string[];
}

export interface ControlState {
  meetingId: string;
  hostUnitCode: string;
  /** Every invited unit, host first then org order (roll call's next/previous follow it). */
  units: string[];
  mode: ControlMode;
  /** The site in everyone's main picture (rollcall/broadcast/voice/patrol to all). */
  focus: string | null;
  /** The chair's own main picture when it differs from everyone else's (patrol on the chair's view). */
  chairFocus: string | null;
  layout: Layout;
  /** Microphones closed at the SFU (by the chair or by the site itself). */
  muted: string[];
  /** Mute-locked: the site cannot reopen its microphone until the chair releases it. */
  muteLocked: string[];
  /** Cameras turned off by the chair (locked until turned on again by the chair). */
  videoOff: string[];
  hands: { unitCode: string; at: string }[];
  speaker: string | null;
  /** The unit sharing content (双流); one at a time. */
  sharer: string | null;
  banner: string;
  caption: string;
  locked: boolean;
  removed: string[];
  endsAt: string;
  ended: boolean;
  patrol: PatrolState | null;
  /** Server-side recording in progress (every site shows REC: people must know they are recorded). */
  recording: { startedAt: string; by: string } | null;
  /** Bumped on every change: clients ignore stale pushes. */
  version: number;
}

export interface Actor {
  unitCode: string;
  /** A user of the host (main venue) unit with role leader, venue_operator or admin. */
  chair: boolean;
  /** Server-internal (timers, speaker detection). */
  system?: boolean;
}

const unit = z.string().regex(/^\d{6}$/);
/** What a site may send in `control` (the zod schema is the type: the server parses with it, the console sends it). */
export const clientCommand = z.discriminatedUnion('type', [
  z.object({ type: z.literal('muteAll'), lock: z.boolean().optional() }),
  z.object({ type: z.literal('unmuteAll') }),
  z.object({ type: z.literal('mute'), unitCode: unit, lock: z.boolean().optional() }),
  z.object({ type: z.literal('unmute'), unitCode: unit }),
  z.object({ type: z.literal('selfMute') }),
  z.object({ type: z.literal('selfUnmute') }),
  z.object({ type: z.literal('videoOff'), unitCode: unit }),
  z.object({ type: z.literal('videoOn'), unitCode: unit }),
  z.object({ type: z.literal('selfVideo'), on: z.boolean() }),
  z.object({ type: z.literal('remove'), unitCode: unit }),
  z.object({ type: z.literal('lock'), locked: z.boolean() }),
  z.object({ type: z.literal('extend'), minutes: z.number().int() }),
  z.object({ type: z.literal('end') }),
  z.object({ type: z.literal('rollcall'), unitCode: unit }),
  z.object({ type: z.literal('rollcallNext') }),
  z.object({ type: z.literal('rollcallPrev') }),
  z.object({ type: z.literal('broadcast'), unitCode: unit }),
  z.object({ type: z.literal('patrolStart'), unitCodes: z.array(unit).max(500).optional(), intervalSec: z.number().int(), toAll: z.boolean() }),
  z.object({ type: z.literal('patrolPause') }),
  z.object({ type: z.literal('patrolResume') }),
  z.object({ type: z.literal('voice') }),
  z.object({ type: z.literal('free') }),
  z.object({ type: z.literal('layout'), layout: z.enum(LAYOUTS) }),
  z.object({ type: z.literal('raiseHand') }),
  z.object({ type: z.literal('lowerHand') }),
  z.object({ type: z.literal('grantFloor'), unitCode: unit }),
  z.object({ type: z.literal('dismissHand'), unitCode: unit }),
  z.object({ type: z.literal('banner'), text: z.string().max(100) }),
  z.object({ type: z.literal('caption'), text: z.string().max(300) }),
  z.object({ type: z.literal('shareStop') }),
  z.object({ type: z.literal('shareTakeBack') }),
  z.object({ type: z.literal('recordStart') }),
  z.object({ type: z.literal('recordStop') }),
]);
export type ClientCommand = z.infer<typeof clientCommand>;

/** Commands only the server issues (timers, speaker detection, the share slot), or completes with its own time. */
export type ServerCommand =
  | { type: 'patrolTick'; withVideo: string[] }
  | { type: 'speaker'; unitCode: string | null }
  | { type: 'shareStart' }
  | { type: 'raiseHand'; at: string }
  | { type: 'recordStart'; at: string };

/** What the reducer runs: a site's command (raise hand and record start stamped by the server) or the server's own. */
export type Command = Exclude<ClientCommand, { type: 'raiseHand' | 'recordStart' }> | ServerCommand;

export type CommandType = Command['type'];

export type Effect =
  | { type: 'audio'; unitCode: string; paused: boolean }
  | { type: 'video'; unitCode: string; paused: boolean }
  | { type: 'kick'; unitCode: string }
  | { type: 'stopShare'; unitCode: string }
  | { type: 'patrolTimer'; run: boolean }
  | { type: 'persist' }
  | { type: 'record'; run: boolean }
  | { type: 'end' };

export type ControlErrorCode =
  | 'CONTROL_FORBIDDEN'
  | 'MUTE_LOCKED'
  | 'VIDEO_LOCKED'
  | 'UNIT_NOT_IN_MEETING'
  | 'SHARE_BUSY'
  | 'MEETING_ENDED'
  | 'BAD_COMMAND';

export type Result = { ok: true; state: ControlState; effects: Effect[] } | { ok: false; error: ControlErrorCode };

/** Who may issue a command: the chair, any site (about itself), or the server only. */
const WHO: Record<CommandType, 'chair' | 'site' | 'system'> = {
  muteAll: 'chair',
  unmuteAll: 'chair',
  mute: 'chair',
  unmute: 'chair',
  selfMute: 'site',
  selfUnmute: 'site',
  videoOff: 'chair',
  videoOn: 'chair',
  selfVideo: 'site',
  remove: 'chair',
  lock: 'chair',
  extend: 'chair',
  end: 'chair',
  rollcall: 'chair',
  rollcallNext: 'chair',
  rollcallPrev: 'chair',
  broadcast: 'chair',
  patrolStart: 'chair',
  patrolPause: 'chair',
  patrolResume: 'chair',
  patrolTick: 'system',
  voice: 'chair',
  free: 'chair',
  speaker: 'system',
  layout: 'chair',
  raiseHand: 'site',
  lowerHand: 'site',
  grantFloor: 'chair',
  dismissHand: 'chair',
  banner: 'chair',
  caption: 'chair',
  shareStart: 'site',
  shareStop: 'site',
  shareTakeBack: 'chair',
  recordStart: 'chair',
  recordStop: 'chair',
};

export function initialControlState(m: {
  meetingId: string;
  hostUnitCode: string;
  units: string[];
  endsAt: string;
  locked?: boolean;
  ended?: boolean;
  saved?: Partial<Pick<ControlState, 'layout' | 'muteLocked' | 'videoOff' | 'banner' | 'caption' | 'removed'>> | null;
}): ControlState {
  const saved = m.saved ?? {};
  return {
    meetingId: m.meetingId,
    hostUnitCode: m.hostUnitCode,
    units: m.units,
    mode: 'free',
    focus: null,
    chairFocus: null,
    layout: saved.layout ?? 'auto',
    muted: [...(saved.muteLocked ?? [])],
    muteLocked: saved.muteLocked ?? [],
    videoOff: saved.videoOff ?? [],
    hands: [],
    speaker: null,
    sharer: null,
    banner: saved.banner ?? '',
    caption: saved.caption ?? '',
    locked: m.locked ?? false,
    removed: saved.removed ?? [],
    endsAt: m.endsAt,
    ended: m.ended ?? false,
    patrol: null,
    recording: null,
    version: 0,
  };
}

/** What is kept in the database beside locked/ends_at, so a server restart keeps the chair's decisions. */
export function savedPart(s: ControlState) {
  return { layout: s.layout, muteLocked: s.muteLocked, videoOff: s.videoOff, banner: s.banner, caption: s.caption, removed: s.removed };
}

const add = (list: string[], code: string) => (list.includes(code) ? list : [...list, code]);
const drop = (list: string[], code: string) => list.filter((c) => c !== code);

export function reduce(state: ControlState, cmd: Command, actor: Actor): Result {
  const who = WHO[cmd.type];
  if (!who) return { ok: false, error: 'BAD_COMMAND' };
  if (who === 'system' && !actor.system) return { ok: false, error: 'CONTROL_FORBIDDEN' };
  if (who === 'chair' && !actor.chair && !actor.system) return { ok: false, error: 'CONTROL_FORBIDDEN' };
  if (state.ended) return { ok: false, error: 'MEETING_ENDED' };
  const r = apply(state, cmd, actor);
  if (!r.ok) return r;
  if (r.state === state) return { ok: true, state, effects: r.effects };
  return { ok: true, state: { ...r.state, version: state.version + 1 }, effects: r.effects };
}

function apply(s: ControlState, cmd: Command, actor: Actor): Result {
  const ok = (state: ControlState, ...effects: Effect[]): Result => ({ ok: true, state, effects });
  const fail = (error: ControlErrorCode): Result => ({ ok: false, error });
  const known = (code: string) => s.units.includes(code);
  const subs = s.units.filter((c) => c !== s.hostUnitCode);
  const needUnit = (code: string) => (known(code) ? null : fail('UNIT_NOT_IN_MEETING'));

  /** Close a microphone at the SFU (optionally locked). */
  const muteOne = (st: ControlState, code: string, lock: boolean, fx: Effect[]): ControlState => {
    if (!st.muted.includes(code)) fx.push({ type: 'audio', unitCode: code, paused: true });
    return { ...st, muted: add(st.muted, code), muteLocked: lock ? add(st.muteLocked, code) : st.muteLocked };
  };
  const unmuteOne = (st: ControlState, code: string, fx: Effect[]): ControlState => {
    if (st.muted.includes(code)) fx.push({ type: 'audio', unitCode: code, paused: false });
    return { ...st, muted: drop(st.muted, code), muteLocked: drop(st.muteLocked, code) };
  };
  /** Leaving patrol stops its timer. */
  const leavePatrol = (st: ControlState, fx: Effect[]): ControlState => {
    if (st.patrol) fx.push({ type: 'patrolTimer', run: false });
    return { ...st, patrol: null };
  };
  /** Roll call: the site goes to everyone's main picture with its microphone open; the previous one is closed again. */
  const rollcallTo = (code: string): Result => {
    const fx: Effect[] = [];
    let st = leavePatrol(s, fx);
    const prev = s.mode === 'rollcall' ? s.focus : null;
    if (prev && prev !== code && prev !== s.hostUnitCode) st = muteOne(st, prev, false, fx);
    st = unmuteOne(st, code, fx);
    st = { ...st, mode: 'rollcall', focus: code, chairFocus: null, hands: st.hands.filter((h) => h.unitCode !== code) };
    return ok(st, ...fx, { type: 'persist' });
  };

  switch (cmd.type) {
    case 'muteAll': {
      const fx: Effect[] = [];
      let st = s;
      for (const c of subs) st = muteOne(st, c, !!cmd.lock, fx);
      return ok(st, ...fx, { type: 'persist' });
    }
    case 'unmuteAll': {
      const fx: Effect[] = [];
      let st = s;
      for (const c of subs) st = unmuteOne(st, c, fx);
      return ok(st, ...fx, { type: 'persist' });
    }
    case 'mute': {
      const bad = needUnit(cmd.unitCode);
      if (bad) return bad;
      const fx: Effect[] = [];
      return ok(muteOne(s, cmd.unitCode, !!cmd.lock, fx), ...fx, { type: 'persist' });
    }
    case 'unmute': {
      const bad = needUnit(cmd.unitCode);
      if (bad) return bad;
      const fx: Effect[] = [];
      return ok(unmuteOne(s, cmd.unitCode, fx), ...fx, { type: 'persist' });
    }
    case 'selfMute': {
      const fx: Effect[] = [];
      return ok({ ...muteOne(s, actor.unitCode, false, fx), muteLocked: s.muteLocked }, ...fx);
    }
    case 'selfUnmute': {
      if (s.muteLocked.includes(actor.unitCode)) return fail('MUTE_LOCKED');
      if (!s.muted.includes(actor.unitCode)) return ok(s);
      return ok({ ...s, muted: drop(s.muted, actor.unitCode) }, { type: 'audio', unitCode: actor.unitCode, paused: false });
    }
    case 'videoOff': {
      const bad = needUnit(cmd.unitCode);
      if (bad) return bad;
      return ok({ ...s, videoOff: add(s.videoOff, cmd.unitCode) }, { type: 'video', unitCode: cmd.unitCode, paused: true }, { type: 'persist' });
    }
    case 'videoOn': {
      const bad = needUnit(cmd.unitCode);
      if (bad) return bad;
      return ok({ ...s, videoOff: drop(s.videoOff, cmd.unitCode) }, { type: 'video', unitCode: cmd.unitCode, paused: false }, { type: 'persist' });
    }
    case 'selfVideo': {
      if (cmd.on && s.videoOff.includes(actor.unitCode)) return fail('VIDEO_LOCKED');
      return ok(s, { type: 'video', unitCode: actor.unitCode, paused: !cmd.on });
    }
    case 'remove': {
      const bad = needUnit(cmd.unitCode);
      if (bad) return bad;
      if (cmd.unitCode === s.hostUnitCode) return fail('BAD_COMMAND');
      const fx: Effect[] = [{ type: 'kick', unitCode: cmd.unitCode }, { type: 'persist' }];
      let st: ControlState = {
        ...s,
        removed: add(s.removed, cmd.unitCode),
        hands: s.hands.filter((h) => h.unitCode !== cmd.unitCode),
        sharer: s.sharer === cmd.unitCode ? null : s.sharer,
      };
      if (st.focus === cmd.unitCode && st.mode !== 'patrol') st = { ...st, mode: 'free', focus: null };
      return ok(st, ...fx);
    }
    case 'lock':
      return ok({ ...s, locked: cmd.locked }, { type: 'persist' });
    case 'extend': {
      if (!Number.isInteger(cmd.minutes) || cmd.minutes < 1 || cmd.minutes > 480) return fail('BAD_COMMAND');
      return ok({ ...s, endsAt: new Date(Date.parse(s.endsAt) + cmd.minutes * 60_000).toISOString() }, { type: 'persist' });
    }
    case 'end': {
      const fx: Effect[] = [];
      const st = leavePatrol(s, fx);
      // The recording is finalised before the meeting closes.
      if (s.recording) fx.push({ type: 'record', run: false });
      return ok({ ...st, ended: true, mode: 'free', focus: null, chairFocus: null, recording: null }, ...fx, { type: 'persist' }, { type: 'end' });
    }
    case 'rollcall': {
      const bad = needUnit(cmd.unitCode);
      return bad ?? rollcallTo(cmd.unitCode);
    }
    case 'rollcallNext':
    case 'rollcallPrev': {
      if (subs.length === 0) return fail('BAD_COMMAND');
      const cur = s.mode === 'rollcall' && s.focus ? subs.indexOf(s.focus) : -1;
      const step = cmd.type === 'rollcallNext' ? 1 : -1;
      const next = cur < 0 ? (step > 0 ? 0 : subs.length - 1) : (cur + step + subs.length) % subs.length;
      return rollcallTo(subs[next]!);
    }
    case 'broadcast': {
      const bad = needUnit(cmd.unitCode);
      if (bad) return bad;
      const fx: Effect[] = [];
      const st = leavePatrol(s, fx);
      return ok({ ...st, mode: 'broadcast', focus: cmd.unitCode, chairFocus: null }, ...fx);
    }
    case 'patrolStart': {
      const units = (cmd.unitCodes?.length ? cmd.unitCodes : subs).filter((c) => c !== s.hostUnitCode);
      if (units.some((c) => !known(c))) return fail('UNIT_NOT_IN_MEETING');
      if (units.length === 0 || !Number.isInteger(cmd.intervalSec) || cmd.intervalSec < 3 || cmd.intervalSec > 600) return fail('BAD_COMMAND');
      const patrol: PatrolState = { units, intervalSec: cmd.intervalSec, toAll: cmd.toAll, index: 0, paused: false, skipped: [] };
      return ok(
        { ...s, mode: 'patrol', patrol, focus: cmd.toAll ? units[0]! : null, chairFocus: units[0]! },
        { type: 'patrolTimer', run: true },
      );
    }
    case 'patrolPause':
    case 'patrolResume': {
      if (!s.patrol) return fail('BAD_COMMAND');
      const paused = cmd.type === 'patrolPause';
      return ok({ ...s, patrol: { ...s.patrol, paused } }, { type: 'patrolTimer', run: !paused });
    }
    case 'patrolTick': {
      const p = s.patrol;
      if (!p || p.paused) return ok(s);
      const n = p.units.length;
      const skipped: string[] = [];
      for (let k = 1; k <= n; k++) {
        const i = (p.index + k) % n;
        const code = p.units[i]!;
        if (cmd.withVideo.includes(code)) {
          const kept = p.skipped.filter((c) => c !== code && !skipped.includes(c));
          const patrol = { ...p, index: i, skipped: [...kept, ...skipped] };
          return ok({ ...s, patrol, focus: p.toAll ? code : s.focus, chairFocus: code });
        }
        if (!skipped.includes(code)) skipped.push(code);
      }
      // Nobody sends video: stay, flag them all.
      return ok({ ...s, patrol: { ...p, skipped: [...new Set([...p.skipped, ...skipped])] } });
    }
    case 'voice': {
      const fx: Effect[] = [];
      const st = leavePatrol(s, fx);
      return ok({ ...st, mode: 'voice', focus: s.speaker, chairFocus: null }, ...fx);
    }
    case 'free': {
      const fx: Effect[] = [];
      const st = leavePatrol(s, fx);
      return ok({ ...st, mode: 'free', focus: null, chairFocus: null }, ...fx);
    }
    case 'speaker': {
      if (cmd.unitCode !== null && !known(cmd.unitCode)) return fail('UNIT_NOT_IN_MEETING');
      if (cmd.unitCode === s.speaker) return ok(s);
      const focus = s.mode === 'voice' && cmd.unitCode ? cmd.unitCode : s.focus;
      return ok({ ...s, speaker: cmd.unitCode, focus });
    }
    case 'layout':
      if (!LAYOUTS.includes(cmd.layout)) return fail('BAD_COMMAND');
      return ok({ ...s, layout: cmd.layout }, { type: 'persist' });
    case 'raiseHand':
      if (actor.unitCode === s.hostUnitCode || s.hands.some((h) => h.unitCode === actor.unitCode)) return ok(s);
      return ok({ ...s, hands: [...s.hands, { unitCode: actor.unitCode, at: cmd.at }] });
    case 'lowerHand':
      if (!s.hands.some((h) => h.unitCode === actor.unitCode)) return ok(s);
      return ok({ ...s, hands: s.hands.filter((h) => h.unitCode !== actor.unitCode) });
    case 'grantFloor': {
      const bad = needUnit(cmd.unitCode);
      return bad ?? rollcallTo(cmd.unitCode);
    }
    case 'dismissHand':
      return ok({ ...s, hands: s.hands.filter((h) => h.unitCode !== cmd.unitCode) });
    case 'banner':
      return ok({ ...s, banner: cmd.text.trim().slice(0, 100) }, { type: 'persist' });
    case 'caption':
      return ok({ ...s, caption: cmd.text.trim().slice(0, 300) }, { type: 'persist' });
    case 'shareStart':
      if (s.sharer && s.sharer !== actor.unitCode) return fail('SHARE_BUSY');
      return ok({ ...s, sharer: actor.unitCode });
    case 'shareStop':
      if (s.sharer !== actor.unitCode) return ok(s);
      return ok({ ...s, sharer: null });
    case 'shareTakeBack':
      if (!s.sharer) return ok(s);
      return ok({ ...s, sharer: null }, { type: 'stopShare', unitCode: s.sharer });
    case 'recordStart':
      if (s.recording) return ok(s);
      return ok({ ...s, recording: { startedAt: cmd.at, by: actor.unitCode } }, { type: 'record', run: true });
    case 'recordStop':
      if (!s.recording) return ok(s);
      return ok({ ...s, recording: null }, { type: 'record', run: false });
  }
}

/**
 * The unit a viewer's main picture shows, or null for "free" (the viewer's console picks the active
 * speaker or its own choice). A site never shows itself: it then watches the main venue (or, being the
 * main venue, whoever else speaks).
 */
export function mainPictureFor(s: ControlState, viewerUnit: string, viewerIsChair: boolean): string | null {
  let pick: string | null;
  if (viewerIsChair) pick = s.chairFocus ?? s.focus;
  else pick = s.mode === 'patrol' && s.patrol && !s.patrol.toAll ? null : s.focus;
  if (s.mode === 'free' || s.mode === 'voice') pick = pick ?? s.speaker;
  if (pick === viewerUnit) return viewerUnit === s.hostUnitCode ? (s.speaker !== viewerUnit ? s.speaker : null) : s.hostUnitCode;
  return pick;
}
