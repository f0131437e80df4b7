/** The chair's control reducer: who may do what in which state, and what it does to the media. */
import { describe, expect, it } from 'vitest';
import {
  initialControlState,
  mainPictureFor,
  reduce,
  savedPart,
  type Actor,
  type Command,
  type ControlState,
  type Effect,
} from '../../contract/meetingControl.ts';

const HOST = '150100';
const A = '150102';
const B = '150103';
const C = '150104';
const chair: Actor = { unitCode: HOST, chair: true };
const hostNonChair: Actor = { unitCode: HOST, chair: false }; // e.g. the city's duty officer
const siteA: Actor = { unitCode: A, chair: false };
const siteB: Actor = { unitCode: B, chair: false };
const system: Actor = { unitCode: '', chair: false, system: true };

const fresh = (): ControlState =>
  initialControlState({ meetingId: 'm', hostUnitCode: HOST, units: [HOST, A, B, C], endsAt: '2026-11-22T02:00:00.000Z' });

/** Runs commands in order; each must succeed. */
function run(...steps: [Command, Actor][]): { state: ControlState; effects: Effect[] } {
  let state = fresh();
  let effects: Effect[] = [];
  for (const [cmd, actor] of steps) {
    const r = reduce(state, cmd, actor);
    if (!r.ok) throw new Error(`${cmd.type} by ${actor.unitCode}: ${r.error}`);
    state = r.state;
    effects = r.effects;
  }
  return { state, effects };
}

describe('who may issue which command', () => {
  const table: [string, Command, Actor, string | null][] = [
    ['chair mutes all', { type: 'muteAll' }, chair, null],
    ['a sub-venue may not mute all', { type: 'muteAll' }, siteA, 'CONTROL_FORBIDDEN'],
    ['a non-chair user of the host unit may not roll call', { type: 'rollcall', unitCode: A }, hostNonChair, 'CONTROL_FORBIDDEN'],
    ['chair rolls call', { type: 'rollcall', unitCode: A }, chair, null],
    ['a site may not roll call', { type: 'rollcall', unitCode: B }, siteA, 'CONTROL_FORBIDDEN'],
    ['chair broadcasts', { type: 'broadcast', unitCode: B }, chair, null],
    ['a site may not broadcast', { type: 'broadcast', unitCode: A }, siteA, 'CONTROL_FORBIDDEN'],
    ['a site may not start patrol', { type: 'patrolStart', intervalSec: 10, toAll: true }, siteA, 'CONTROL_FORBIDDEN'],
    ['nobody but the server ticks patrol', { type: 'patrolTick', withVideo: [A] }, chair, 'CONTROL_FORBIDDEN'],
    ['nobody but the server sets the speaker', { type: 'speaker', unitCode: A }, chair, 'CONTROL_FORBIDDEN'],
    ['a site raises its hand', { type: 'raiseHand', at: 'x' }, siteA, null],
    ['a site may not grant the floor', { type: 'grantFloor', unitCode: A }, siteA, 'CONTROL_FORBIDDEN'],
    ['a site may not remove another', { type: 'remove', unitCode: B }, siteA, 'CONTROL_FORBIDDEN'],
    ['the main venue cannot be removed', { type: 'remove', unitCode: HOST }, chair, 'BAD_COMMAND'],
    ['an uninvited unit cannot be called', { type: 'rollcall', unitCode: '150202' }, chair, 'UNIT_NOT_IN_MEETING'],
    ['a site may not lock the meeting', { type: 'lock', locked: true }, siteA, 'CONTROL_FORBIDDEN'],
    ['a site may not end the meeting', { type: 'end' }, siteA, 'CONTROL_FORBIDDEN'],
    ['a site may not set the layout', { type: 'layout', layout: '1' }, siteA, 'CONTROL_FORBIDDEN'],
    ['an unknown layout is refused', { type: 'layout', layout: '25' as never }, chair, 'BAD_COMMAND'],
    ['extend by 0 minutes is refused', { type: 'extend', minutes: 0 }, chair, 'BAD_COMMAND'],
    ['patrol faster than 3 s is refused', { type: 'patrolStart', intervalSec: 1, toAll: true }, chair, 'BAD_COMMAND'],
    ['a site may not take back the content', { type: 'shareTakeBack' }, siteA, 'CONTROL_FORBIDDEN'],
  ];
  it.each(table)('%s', (_name, cmd, actor, error) => {
    const r = reduce(fresh(), cmd, actor);
    if (error) expect(r).toEqual({ ok: false, error });
    else expect(r.ok).toBe(true);
  });

  it('nothing is accepted once the meeting has ended', () => {
    const { state } = run([{ type: 'end' }, chair]);
    expect(state.ended).toBe(true);
    expect(reduce(state, { type: 'rollcall', unitCode: A }, chair)).toEqual({ ok: false, error: 'MEETING_ENDED' });
    expect(reduce(state, { type: 'raiseHand', at: 'x' }, siteA)).toEqual({ ok: false, error: 'MEETING_ENDED' });
  });
});

describe('microphones', () => {
  it('mute all closes every sub-venue at the SFU, not the main venue', () => {
    const { state, effects } = run([{ type: 'muteAll' }, chair]);
    expect(state.muted).toEqual([A, B, C]);
    expect(state.muteLocked).toEqual([]);
    expect(effects.filter((e) => e.type === 'audio')).toEqual([A, B, C].map((u) => ({ type: 'audio', unitCode: u, paused: true })));
  });

  it('a muted site may reopen its own microphone; a mute-locked one may not until released', () => {
    const muted = run([{ type: 'mute', unitCode: A }, chair]).state;
    const r = reduce(muted, { type: 'selfUnmute' }, siteA);
    expect(r.ok && r.state.muted).toEqual([]);
    expect(r.ok && r.effects).toEqual([{ type: 'audio', unitCode: A, paused: false }]);

    const locked = run([{ type: 'muteAll', lock: true }, chair]).state;
    expect(locked.muteLocked).toEqual([A, B, C]);
    expect(reduce(locked, { type: 'selfUnmute' }, siteA)).toEqual({ ok: false, error: 'MUTE_LOCKED' });
    // Muting oneself again does not release the lock.
    const again = reduce(locked, { type: 'selfMute' }, siteA);
    expect(again.ok && again.state.muteLocked).toContain(A);

    const released = run([{ type: 'muteAll', lock: true }, chair], [{ type: 'unmute', unitCode: A }, chair]);
    expect(released.state.muteLocked).toEqual([B, C]);
    expect(released.effects).toContainEqual({ type: 'audio', unitCode: A, paused: false });
    expect(reduce(released.state, { type: 'selfUnmute' }, siteB)).toEqual({ ok: false, error: 'MUTE_LOCKED' });
  });

  it('unmute all releases every lock', () => {
    const { state } = run([{ type: 'muteAll', lock: true }, chair], [{ type: 'unmuteAll' }, chair]);
    expect(state.muted).toEqual([]);
    expect(state.muteLocked).toEqual([]);
  });

  it('a camera turned off by the chair cannot be turned on by the site', () => {
    const { state } = run([{ type: 'videoOff', unitCode: A }, chair]);
    expect(reduce(state, { type: 'selfVideo', on: true }, siteA)).toEqual({ ok: false, error: 'VIDEO_LOCKED' });
    expect(reduce(state, { type: 'selfVideo', on: true }, siteB).ok).toBe(true);
  });
});

describe('roll call, broadcast, patrol, voice', () => {
  it('roll call puts the site in everyone\'s main picture with its microphone open, then moves on in org order', () => {
    const first = run([{ type: 'muteAll', lock: true }, chair], [{ type: 'rollcall', unitCode: A }, chair]);
    expect(first.state).toMatchObject({ mode: 'rollcall', focus: A });
    expect(first.state.muted).toEqual([B, C]);
    expect(first.effects).toContainEqual({ type: 'audio', unitCode: A, paused: false });
    for (const viewer of [B, C]) expect(mainPictureFor(first.state, viewer, false)).toBe(A);
    expect(mainPictureFor(first.state, HOST, true)).toBe(A);
    expect(mainPictureFor(first.state, A, false)).toBe(HOST); // the called site watches the main venue

    const next = reduce(first.state, { type: 'rollcallNext' }, chair);
    expect(next.ok && next.state.focus).toBe(B);
    expect(next.ok && next.state.muted).toEqual([C, A]); // the previous site is closed again
    const prev = next.ok ? reduce(next.state, { type: 'rollcallPrev' }, chair) : null;
    expect(prev?.ok && prev.state.focus).toBe(A);
    // Wraps around.
    const wrap = run([{ type: 'rollcall', unitCode: C }, chair], [{ type: 'rollcallNext' }, chair]);
    expect(wrap.state.focus).toBe(A);
  });

  it('broadcast: every non-chair site watches the chosen site', () => {
    const { state } = run([{ type: 'broadcast', unitCode: B }, chair]);
    expect(mainPictureFor(state, A, false)).toBe(B);
    expect(mainPictureFor(state, C, false)).toBe(B);
    expect(mainPictureFor(state, B, false)).toBe(HOST);
    expect(state.muted).toEqual([]); // broadcast does not touch microphones
  });

  it('patrol cycles the chosen sites, skipping and flagging those without video', () => {
    const start = run([{ type: 'patrolStart', intervalSec: 5, toAll: true, unitCodes: [A, B, C] }, chair]);
    expect(start.effects).toContainEqual({ type: 'patrolTimer', run: true });
    expect(start.state.focus).toBe(A);
    const t1 = reduce(start.state, { type: 'patrolTick', withVideo: [A, C] }, system);
    expect(t1.ok && t1.state.focus).toBe(C);
    expect(t1.ok && t1.state.patrol?.skipped).toEqual([B]);
    const t2 = t1.ok ? reduce(t1.state, { type: 'patrolTick', withVideo: [A, B, C] }, system) : null;
    expect(t2?.ok && t2.state.focus).toBe(A);
    const t3 = t2?.ok ? reduce(t2.state, { type: 'patrolTick', withVideo: [A, B, C] }, system) : null;
    expect(t3?.ok && t3.state.focus).toBe(B);
    expect(t3?.ok && t3.state.patrol?.skipped).toEqual([]); // B sends video again: no longer flagged
  });

  it('patrol on the chair\'s own view leaves the other sites alone; pause stops the timer', () => {
    const { state } = run([{ type: 'patrolStart', intervalSec: 10, toAll: false }, chair]);
    expect(mainPictureFor(state, HOST, true)).toBe(A);
    expect(mainPictureFor(state, B, false)).toBeNull();
    const paused = reduce(state, { type: 'patrolPause' }, chair);
    expect(paused.ok && paused.effects).toEqual([{ type: 'patrolTimer', run: false }]);
    const tick = paused.ok ? reduce(paused.state, { type: 'patrolTick', withVideo: [A, B, C] }, system) : null;
    expect(tick?.ok && tick.state.chairFocus).toBe(A);
    // Another mode ends patrol and its timer.
    const bc = reduce(state, { type: 'broadcast', unitCode: C }, chair);
    expect(bc.ok && bc.state.patrol).toBeNull();
    expect(bc.ok && bc.effects).toContainEqual({ type: 'patrolTimer', run: false });
  });

  it('voice-activated switching follows the active speaker', () => {
    const { state } = run([{ type: 'voice' }, chair], [{ type: 'speaker', unitCode: C }, system]);
    expect(state.focus).toBe(C);
    expect(mainPictureFor(state, A, false)).toBe(C);
    // In free mode the speaker is only a hint; the focus stays empty.
    const free = run([{ type: 'speaker', unitCode: C }, system]).state;
    expect(free.focus).toBeNull();
    expect(mainPictureFor(free, A, false)).toBe(C);
  });
});

describe('hands, sharing, meeting', () => {
  it('hands queue in order, a site appears once, granting the floor is a roll call', () => {
    const { state } = run([{ type: 'raiseHand', at: '1' }, siteB], [{ type: 'raiseHand', at: '2' }, siteA], [{ type: 'raiseHand', at: '3' }, siteB]);
    expect(state.hands.map((h) => h.unitCode)).toEqual([B, A]);
    const g = reduce(state, { type: 'grantFloor', unitCode: B }, chair);
    expect(g.ok && g.state.hands.map((h) => h.unitCode)).toEqual([A]);
    expect(g.ok && g.state).toMatchObject({ mode: 'rollcall', focus: B });
  });

  it('one sharer at a time; the chair can take it back', () => {
    const { state } = run([{ type: 'shareStart' }, siteA]);
    expect(reduce(state, { type: 'shareStart' }, siteB)).toEqual({ ok: false, error: 'SHARE_BUSY' });
    const back = reduce(state, { type: 'shareTakeBack' }, chair);
    expect(back.ok && back.state.sharer).toBeNull();
    expect(back.ok && back.effects).toEqual([{ type: 'stopShare', unitCode: A }]);
  });

  it('extend moves the end; remove kicks the site; every change bumps the version', () => {
    const { state, effects } = run([{ type: 'extend', minutes: 30 }, chair], [{ type: 'remove', unitCode: C }, chair]);
    expect(state.endsAt).toBe('2026-11-22T02:30:00.000Z');
    expect(state.removed).toEqual([C]);
    expect(effects).toContainEqual({ type: 'kick', unitCode: C });
    expect(state.version).toBe(2);
  });
});

describe('restart', () => {
  it('restores what was persisted: mute-locks (and their closed microphones), layout, banner, lock, end time', () => {
    const { state } = run([{ type: 'muteAll', lock: true }, chair], [{ type: 'layout', layout: '9' }, chair], [{ type: 'banner', text: '会标' }, chair]);
    const again = initialControlState({
      meetingId: 'm',
      hostUnitCode: HOST,
      units: [HOST, A, B, C],
      endsAt: state.endsAt,
      locked: true,
      saved: JSON.parse(JSON.stringify(savedPart(state))),
    });
    expect(again).toMatchObject({ layout: '9', banner: '会标', locked: true, muteLocked: [A, B, C], muted: [A, B, C], mode: 'free' });
    expect(reduce(again, { type: 'selfUnmute' }, siteA)).toEqual({ ok: false, error: 'MUTE_LOCKED' });
  });
});

describe('recording (server-side, shown to every site)', () => {
  const AT = '2026-11-22T01:30:00.000Z';
  const table: { name: string; steps: [Command, Actor][]; actor: Actor; cmd: Command; expect: 'ok' | string; recording: boolean; effects?: Effect[] }[] = [
    { name: 'the chair starts it', steps: [], actor: chair, cmd: { type: 'recordStart', at: AT }, expect: 'ok', recording: true, effects: [{ type: 'record', run: true }] },
    { name: 'a sub-venue may not start it', steps: [], actor: siteA, cmd: { type: 'recordStart', at: AT }, expect: 'CONTROL_FORBIDDEN', recording: false },
    { name: "the main venue's duty officer may not start it", steps: [], actor: hostNonChair, cmd: { type: 'recordStart', at: AT }, expect: 'CONTROL_FORBIDDEN', recording: false },
    { name: 'a second start changes nothing (no second recorder)', steps: [[{ type: 'recordStart', at: AT }, chair]], actor: chair, cmd: { type: 'recordStart', at: AT }, expect: 'ok', recording: true, effects: [] },
    { name: 'the chair stops it', steps: [[{ type: 'recordStart', at: AT }, chair]], actor: chair, cmd: { type: 'recordStop' }, expect: 'ok', recording: false, effects: [{ type: 'record', run: false }] },
    { name: 'a sub-venue may not stop it', steps: [[{ type: 'recordStart', at: AT }, chair]], actor: siteB, cmd: { type: 'recordStop' }, expect: 'CONTROL_FORBIDDEN', recording: true },
    { name: 'the server stops it (worker died, ffmpeg failed)', steps: [[{ type: 'recordStart', at: AT }, chair]], actor: system, cmd: { type: 'recordStop' }, expect: 'ok', recording: false, effects: [{ type: 'record', run: false }] },
    { name: 'stop while not recording is a no-op', steps: [], actor: chair, cmd: { type: 'recordStop' }, expect: 'ok', recording: false, effects: [] },
  ];
  it.each(table)('$name', (t) => {
    const before = run(...t.steps).state;
    const r = reduce(before, t.cmd, t.actor);
    if (t.expect !== 'ok') {
      expect(r).toEqual({ ok: false, error: t.expect });
      expect(!!before.recording).toBe(t.recording);
      return;
    }
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(!!r.state.recording).toBe(t.recording);
    if (t.effects) expect(r.effects).toEqual(t.effects);
  });

  it('records who started and when; ending the meeting finalises the recording first', () => {
    const { state } = run([{ type: 'recordStart', at: AT }, chair]);
    expect(state.recording).toEqual({ startedAt: AT, by: HOST });
    const r = reduce(state, { type: 'end' }, chair);
    expect(r.ok && r.state.recording).toBeNull();
    const fx = r.ok ? r.effects.map((e) => e.type) : [];
    expect(fx).toContain('record');
    expect(fx.indexOf('record')).toBeLessThan(fx.indexOf('end'));
  });

  it('is not persisted: after a restart nothing records, so nothing claims to', () => {
    const { state } = run([{ type: 'recordStart', at: AT }, chair]);
    expect(savedPart(state)).not.toHaveProperty('recording');
    expect(fresh().recording).toBeNull();
  });
});
