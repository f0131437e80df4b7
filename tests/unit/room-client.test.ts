/**
 * The console's media engine without Pinia or a browser: RoomClient on mediasoup-client's FakeHandler and a
 * recording signalling stub (a true edge: the socket). It consumes exactly what it is told to show and
 * closes — at the server too — what it no longer shows.
 */
import { describe, expect, it } from 'vitest';
import { Device } from 'mediasoup-client';
import { FakeHandler } from 'mediasoup-client/handlers/FakeHandler';
import * as fake from 'mediasoup-client/fakeParameters';
import { RoomClient } from '../../console/src/meetings/room/RoomClient.ts';
import type { Signalling } from '../../console/src/meetings/room/roomEvents.ts';

/** Signalling stub: answers like the server, records every request, lets the test push events. */
function stubSignalling() {
  const sent: { event: string; payload: any }[] = [];
  const handlers = new Map<string, ((p: any) => void)[]>();
  let consumerSeq = 0;
  const producers: any[] = [];
  const s: Signalling & { sent: typeof sent; push: (event: string, p: unknown) => void; producers: any[] } = {
    sent,
    producers,
    connected: true,
    socketId: () => 'me',
    on: ((event: string, fn: (p: any) => void) => handlers.set(event, [...(handlers.get(event) ?? []), fn])) as Signalling['on'],
    push: (event, p) => (handlers.get(event) ?? []).forEach((fn) => fn(p)),
    async request<T>(event: string, payload: any = {}): Promise<T> {
      sent.push({ event, payload });
      if (event === 'meeting:join') return { routerRtpCapabilities: fake.generateRouterRtpCapabilities(), peers: [], producers, peerId: 'me', audible: [] } as T;
      if (event === 'transport:create') return fake.generateTransportRemoteParameters() as T;
      if (event === 'consume') {
        const p = producers.find((x) => x.producerId === payload.producerId);
        const params = fake.generateConsumerRemoteParameters({ id: `c${++consumerSeq}`, codecMimeType: p.kind === 'audio' ? 'audio/opus' : 'video/VP8' });
        return { ...params, producerId: payload.producerId } as T;
      }
      return {} as T;
    },
  };
  return s;
}

const producer = (unit: string, kind: 'audio' | 'video') => ({ producerId: `${kind}-${unit}`, peerId: `p${unit}`, kind, unitCode: unit, unitName: unit, source: kind === 'audio' ? 'mic' : 'camera', paused: false });
const settle = () => new Promise((r) => setTimeout(r, 50));

describe('RoomClient (no Pinia, FakeHandler)', () => {
  it('consumes only what it is told to show, at the asked layer, and closes the rest at the server', async () => {
    const sig = stubSignalling();
    for (const u of ['150100', '150102', '150103', '150104']) sig.producers.push(producer(u, 'audio'), producer(u, 'video'));
    const client = new RoomClient(sig, () => true, () => new Device({ handlerFactory: FakeHandler.createFactory(fake) }));
    const sites: string[][] = [];
    client.on('sites', (list) => sites.push(list.filter((x) => x.video).map((x) => x.unitCode)));
    await client.join('m', undefined, client.session);
    expect(client.sites.map((x) => x.unitCode)).toEqual(['150100', '150102', '150103', '150104']);
    expect(sig.sent.filter((r) => r.event === 'consume')).toHaveLength(0); // nothing before it is shown

    client.follow({ video: [{ key: 'p150100', source: 'camera', layer: 2 }, { key: 'p150103', source: 'camera', layer: 0 }], audio: ['p150100'] });
    await settle();
    const consumed = sig.sent.filter((r) => r.event === 'consume').map((r) => [r.payload.producerId, r.payload.spatialLayer]);
    expect(consumed).toEqual([['video-150100', 2], ['video-150103', 0], ['audio-150100', undefined]]);
    expect(client.consumerCount).toBe(3);
    expect(sites.at(-1)).toEqual(['150100', '150103']);

    // Paging on: 150103 off screen, 150104 on; a layer change is a setPreferredLayers, not a new consumer.
    client.follow({ video: [{ key: 'p150100', source: 'camera', layer: 1 }, { key: 'p150104', source: 'camera', layer: 0 }], audio: ['p150100'] });
    await settle();
    expect(sig.sent.filter((r) => r.event === 'consumer:close')).toHaveLength(1);
    expect(sig.sent.filter((r) => r.event === 'consume').map((r) => r.payload.producerId).at(-1)).toBe('video-150104');
    expect(sig.sent.filter((r) => r.event === 'consumer:setPreferredLayers').map((r) => r.payload.spatialLayer)).toEqual([1]);
    expect(client.consumerCount).toBe(3);

    // The producer goes away: its consumer with it; the site stays (its peer is there).
    sig.push('producer:closed', { producerId: 'video-150104' });
    expect(client.consumerCount).toBe(2);
    expect(client.sites.find((x) => x.unitCode === '150104')?.hasVideo).toBe(false);
    client.teardown();
    expect(client.consumerCount).toBe(0);
  });
});
