/**
 * Pre-meeting device test (会前调试) over socket.io: any logged-in user; one test per socket; every test
 * closes by itself after 60 s (and when the socket goes). The media loop itself is sfu/DeviceTestRoom.ts.
 *
 * devicetest:start → { rtpCapabilities, send, recv, expiresInMs }; devicetest:connect; devicetest:produce;
 * devicetest:consume; devicetest:resume; devicetest:stats → DeviceTestStats; devicetest:stop.
 * Push: devicetest:closed { reason: 'timeout' | 'worker' } when the server ended it.
 */
import type { Logger } from 'pino';
import type { Socket } from 'socket.io';
import { z } from 'zod';
import { DeviceTestRoom } from '../../sfu/DeviceTestRoom.ts';
import type { WorkerPool } from '../../sfu/WorkerPool.ts';
import type { SessionUser } from '../auth/sessions.ts';
import { errors } from '../http/errors.ts';
import { acked } from '../realtime/ack.ts';

export const DEVICE_TEST_MAX_MS = 60_000;
let maxMs = DEVICE_TEST_MAX_MS;
/** Tests only: a shorter limit, so the auto-close can be watched. */
export function setDeviceTestLimit(ms: number = DEVICE_TEST_MAX_MS): void {
  maxMs = ms;
}
/** Tests at once on this server: a test costs a router and two transports. */
export const DEVICE_TEST_MAX_CONCURRENT = 50;

interface Deps {
  pool: WorkerPool;
  log: Logger;
}

const anyObject = z.record(z.string(), z.unknown());
const schemas = {
  empty: z.object({}).passthrough(),
  connect: z.object({ transportId: z.string().min(1), dtlsParameters: anyObject }),
  produce: z.object({ kind: z.enum(['audio', 'video']), rtpParameters: anyObject }),
  consume: z.object({ producerId: z.string().min(1), rtpCapabilities: anyObject }),
  resume: z.object({ consumerId: z.string().min(1) }),
};

/** Live tests by socket id (module level: one server process, one map). */
const tests = new Map<string, { room: Promise<DeviceTestRoom>; timer: ReturnType<typeof setTimeout> }>();

export function activeDeviceTests(): number {
  return tests.size;
}

export function attachDeviceTest(socket: Socket, deps: Deps): void {
  const user = socket.data.user as SessionUser;
  const on = acked(socket, deps.log, 'device test');
  const stop = (reason?: 'timeout' | 'worker') => {
    const t = tests.get(socket.id);
    if (!t) return;
    tests.delete(socket.id);
    clearTimeout(t.timer);
    void t.room.then((r) => r.close()).catch(() => undefined);
    if (reason) socket.emit('devicetest:closed', { reason });
  };
  const room = async (): Promise<DeviceTestRoom> => {
    const t = tests.get(socket.id);
    const r = t ? await t.room.catch(() => null) : null;
    if (!r || r.closed) throw errors.deviceTestNotStarted();
    return r;
  };

  on('devicetest:start', schemas.empty, async () => {
    if (tests.has(socket.id)) throw errors.deviceTestBusy();
    if (tests.size >= DEVICE_TEST_MAX_CONCURRENT) throw errors.deviceTestFull();
    const p = DeviceTestRoom.create(deps.pool);
    const limit = maxMs;
    const timer = setTimeout(() => stop('timeout'), limit);
    timer.unref?.();
    tests.set(socket.id, { room: p, timer });
    let r: DeviceTestRoom;
    try {
      r = await p;
    } catch (e) {
      stop();
      throw e;
    }
    if (tests.get(socket.id)?.room !== p) throw errors.deviceTestNotStarted(); // stopped (or gone) meanwhile
    r.router.on('workerclose', () => stop('worker'));
    deps.log.info({ user: user?.username, unit: user?.unitCode, worker: r.slot.index }, 'device test started');
    return { rtpCapabilities: r.rtpCapabilities, send: r.params('send'), recv: r.params('recv'), expiresInMs: limit };
  });

  on('devicetest:connect', schemas.connect, async ({ transportId, dtlsParameters }) => {
    await (await room()).connect(transportId, dtlsParameters as never);
  });

  on('devicetest:produce', schemas.produce, async ({ kind, rtpParameters }) => {
    return { id: await (await room()).produce(kind, rtpParameters as never) };
  });

  on('devicetest:consume', schemas.consume, async ({ producerId, rtpCapabilities }) => {
    return (await room()).consume(producerId, rtpCapabilities as never);
  });

  on('devicetest:resume', schemas.resume, async ({ consumerId }) => {
    await (await room()).resume(consumerId);
  });

  on('devicetest:stats', schemas.empty, async () => (await room()).stats());

  on('devicetest:stop', schemas.empty, async () => {
    stop();
  });

  socket.on('disconnect', () => stop());
}
