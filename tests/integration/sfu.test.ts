/** The SFU layer against real mediasoup workers: balancing, rooms, and surviving a worker's death. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MeetingRoom } from '../../sfu/MeetingRoom.ts';
import { WorkerPool } from '../../sfu/WorkerPool.ts';

describe('WorkerPool and MeetingRoom', () => {
  let pool: WorkerPool;
  beforeAll(async () => {
    pool = await WorkerPool.create({ numWorkers: 2, basePort: 0, listenIps: [{ ip: '127.0.0.1' }], logLevel: 'warn' });
  });
  afterAll(async () => pool?.close());

  it('spreads meetings over the workers, one router each', async () => {
    const a = await MeetingRoom.create(pool, 'a');
    const b = await MeetingRoom.create(pool, 'b');
    expect(a.slot.index).not.toBe(b.slot.index);
    expect(pool.slots.map((s) => s.routers)).toEqual([1, 1]);
    a.close();
    b.close();
    expect(pool.slots.map((s) => s.routers)).toEqual([0, 0]);
  });

  it('gives each transport ICE candidates on the worker\'s single UDP and TCP port', async () => {
    const room = await MeetingRoom.create(pool, 'ports');
    room.addPeer({ peerId: 'p1', userId: 1, displayName: 'x', unitCode: '150102', unitName: '新城区' });
    const t1 = await room.createTransport('p1', 'send');
    const t2 = await room.createTransport('p1', 'recv');
    const ports = (t: typeof t1, proto: string) => t.iceCandidates.filter((c) => c.protocol === proto).map((c) => c.port);
    expect(ports(t1, 'udp')).toEqual(ports(t2, 'udp')); // shared WebRtcServer port, firewall friendly
    expect(ports(t1, 'tcp')).toEqual(ports(t2, 'tcp'));
    expect(t1.iceParameters.usernameFragment).not.toBe(t2.iceParameters.usernameFragment);
    room.close();
  });

  it('replaces a worker that dies and closes the meetings that lived on it', async () => {
    const room = await MeetingRoom.create(pool, 'doomed');
    const deadPid = room.slot.worker.pid;
    const replaced = new Promise<number>((resolve) => pool.once('workerReplaced', (slot) => resolve(slot.index)));
    const closed = new Promise<void>((resolve) => room.once('closed', () => resolve()));

    process.kill(deadPid, 'SIGKILL');

    expect(await replaced).toBe(room.slot.index);
    await closed;
    expect(room.closed).toBe(true);
    const fresh = pool.slots[room.slot.index]!;
    expect(fresh.worker.pid).not.toBe(deadPid);
    expect(fresh.worker.died).toBe(false);
    // The replacement serves new meetings.
    const again = await MeetingRoom.create(pool, 'doomed');
    again.addPeer({ peerId: 'p', userId: 1, displayName: 'x', unitCode: '150102', unitName: '新城区' });
    expect((await again.createTransport('p', 'recv')).iceCandidates.length).toBeGreaterThan(0);
    again.close();
  });
});
