/**
 * Last-N audio with a real mediasoup worker: synthetic sites send Opus over PlainTransports with the
 * ssrc-audio-level extension, a receiving site consumes every microphone and asks to hear them all — and
 * gets packets only from the N loudest unmuted ones; a quiet site and a muted one reach no one, and the set
 * follows who speaks. Also: a console's view (decideView) is exactly what the room holds for it.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WorkerPool } from '../../sfu/WorkerPool.ts';
import { MeetingRoom } from '../../sfu/MeetingRoom.ts';
import { decideView } from '../../contract/subscription.ts';
import { initialControlState, reduce } from '../../contract/meetingControl.ts';
import { opusParameters, RtpSender, RtpSink, opusPacket, vp8SimulcastParameters } from '../helpers/syntheticRtp.ts';

const UNITS = ['150100', '150102', '150103', '150104', '150105'] as const;

describe('last-N audio on a real worker', () => {
  let pool: WorkerPool;
  let room: MeetingRoom;
  let sink: RtpSink;
  const senders = new Map<string, RtpSender>();
  const mics = new Map<string, string>(); // unit → producer id
  /** The receiver's SSRC for each unit's microphone (consumers rewrite SSRCs). */
  const rxSsrc = new Map<string, number>();
  /** What each site "says" now, in dBov (-127: silence). */
  const level: Record<string, number> = { '150100': -20, '150102': -35, '150103': -127, '150104': -10, '150105': -45 };
  let timer: ReturnType<typeof setInterval> | undefined;

  beforeAll(async () => {
    pool = await WorkerPool.create({
      numWorkers: 1,
      basePort: 0,
      listenIps: [{ ip: '127.0.0.1' }],
      logLevel: 'warn',
      audio: { lastN: 2, thresholdDb: -80, intervalMs: 200, holdMs: 800 },
    });
    room = await MeetingRoom.create(pool, 'lastn');
    for (const [i, unit] of UNITS.entries()) {
      room.addPeer({ peerId: `p${unit}`, userId: i + 1, displayName: unit, unitCode: unit, unitName: unit });
      const t = await room.createPlainTransport(`p${unit}`, 'send');
      const info = await room.produce(`p${unit}`, t.id, 'audio', opusParameters(1000 + i), { source: 'mic' });
      mics.set(unit, info.producerId);
      senders.set(unit, await RtpSender.open(t));
    }
    let seq = 0;
    timer = setInterval(() => {
      seq++;
      for (const [i, unit] of UNITS.entries()) senders.get(unit)!.send(opusPacket(1000 + i, seq, level[unit]!));
    }, 20);
    // The receiving site: one plain transport, a consumer of every microphone, each asked to play.
    sink = await RtpSink.open();
    room.addPeer({ peerId: 'rx', userId: 99, displayName: 'rx', unitCode: '150106', unitName: 'rx' });
    const rx = await room.createPlainTransport('rx', 'recv');
    await rx.connect({ ip: '127.0.0.1', port: sink.port });
    for (const unit of UNITS) {
      const c = await room.consume('rx', mics.get(unit)!, room.rtpCapabilities);
      rxSsrc.set(unit, c.rtpParameters.encodings![0]!.ssrc!);
      await room.resumeConsumer('rx', c.id);
    }
  });
  afterAll(async () => {
    clearInterval(timer);
    sink?.close();
    senders.forEach((s) => s.close());
    room?.close();
    await pool?.close();
  });

  /** Packets each unit's microphone delivered to the receiver during `ms`. */
  async function heardDuring(ms: number): Promise<Record<string, number>> {
    const before = Object.fromEntries(UNITS.map((u) => [u, sink.count(rxSsrc.get(u))]));
    await new Promise((r) => setTimeout(r, ms));
    return Object.fromEntries(UNITS.map((u) => [u, sink.count(rxSsrc.get(u)) - before[u]!]));
  }
  const heardUnits = (h: Record<string, number>) => UNITS.filter((u) => h[u]! > 10);

  it('forwards only the two loudest; the quiet ones reach no one', async () => {
    await expect.poll(() => [...room.lastN.audible].sort(), { timeout: 10_000 }).toEqual(['150100', '150104']);
    await new Promise((r) => setTimeout(r, 300)); // consumers resumed in the worker
    const heard = await heardDuring(1000);
    expect(heardUnits(heard)).toEqual(['150100', '150104']);
    expect(heard['150103']).toBe(0); // silence
    expect(heard['150102']! + heard['150105']!).toBe(0); // loud enough, but not among the two loudest
  });

  it('a muted site drops out at once and the next loudest is heard', async () => {
    await room.setProducerPaused(room.producer('p150104', mics.get('150104')!), true);
    await expect.poll(() => [...room.lastN.audible].sort(), { timeout: 5000 }).toEqual(['150100', '150102']);
    await new Promise((r) => setTimeout(r, 300));
    expect(heardUnits(await heardDuring(1000))).toEqual(['150100', '150102']);
    await room.setProducerPaused(room.producer('p150104', mics.get('150104')!), false);
  });

  it('follows who speaks: a site that falls silent goes after the hold, a new speaker comes in', async () => {
    await expect.poll(() => [...room.lastN.audible].sort(), { timeout: 5000 }).toEqual(['150100', '150104']);
    level['150100'] = -127;
    level['150103'] = -5;
    await expect.poll(() => [...room.lastN.audible].sort(), { timeout: 5000 }).toEqual(['150103', '150104']);
    await new Promise((r) => setTimeout(r, 300));
    const heard = await heardDuring(1000);
    expect(heardUnits(heard)).toEqual(['150103', '150104']);
    expect(heard['150100']).toBe(0);
  });

  it('a console holds exactly what its view shows: the main picture, its page, the heard', async () => {
    // 12 camera sites more (simulcast, three layers); a viewer in roll call with 1+N shows main + 8.
    const cams = new Map<string, string>();
    const units: string[] = [...UNITS];
    for (let i = 0; i < 12; i++) {
      const unit = String(150110 + i);
      units.push(unit);
      room.addPeer({ peerId: `p${unit}`, userId: 200 + i, displayName: unit, unitCode: unit, unitName: unit });
    }
    for (const unit of units) {
      const t = await room.createPlainTransport(`p${unit}`, 'send');
      const base = 5000 + units.indexOf(unit) * 3;
      cams.set(unit, (await room.produce(`p${unit}`, t.id, 'video', vp8SimulcastParameters([base, base + 1, base + 2]), { source: 'camera' })).producerId);
    }
    const viewer = 'p150121';
    await room.createPlainTransport(viewer, 'recv');
    let control = initialControlState({ meetingId: 'lastn', hostUnitCode: '150100', units, endsAt: '2036-03-01T02:00:00.000Z' });
    const r = reduce(control, { type: 'rollcall', unitCode: '150112' }, { unitCode: '150100', chair: true });
    if (!r.ok) throw new Error(r.error);
    control = r.state;
    const sites = units.filter((u) => u !== '150121').map((u) => ({ key: `p${u}`, unitCode: u, hasVideo: true, hasScreen: false }));
    const v = decideView({ control, viewerUnit: '150121', viewerIsChair: false, hostUnitCode: '150100', sites, pin: null, page: 0, audible: room.lastN.audible });
    for (const w of v.video) await room.consume(viewer, cams.get(w.key.slice(1))!, room.rtpCapabilities, w.layer);
    for (const key of v.audio) await room.consume(viewer, mics.get(key.slice(1))!, room.rtpCapabilities);

    const held = [...room.peers.get(viewer)!.consumers.values()];
    // Main + a page of 8, and at most the two heard (a loaded machine may let a hold lapse) — not 16 cameras and 5 microphones.
    expect(v.video).toHaveLength(9);
    expect(v.audio.length).toBeLessThanOrEqual(2);
    expect(held).toHaveLength(v.video.length + v.audio.length);
    expect(v.video[0]).toMatchObject({ key: 'p150112', layer: 2 });
    const main = held.find((c) => c.producerId === cams.get('150112'));
    expect(main?.preferredLayers?.spatialLayer).toBe(2);
    const small = held.filter((c) => c.kind === 'video' && c !== main);
    expect(small.every((c) => c.preferredLayers?.spatialLayer === 0)).toBe(true);
  });
});
