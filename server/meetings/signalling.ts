/**
 * One console's meeting signalling over socket.io: join/leave, transports, producing and consuming, the
 * chair's control commands, stats and chat. Every event is validated (contract schemas) and answers with an
 * ack; every event after join checks that the socket's site is in the meeting (hub.joinedOf).
 */
import type { Socket } from 'socket.io';
import { sourceOf } from '../../sfu/MeetingRoom.ts';
import type { SessionUser } from '../auth/sessions.ts';
import { clock } from '../clock.ts';
import { acked } from '../realtime/ack.ts';
import { signallingSchemas as schemas } from '../../contract/meetings.ts';
import type { Actor, Command, ControlState } from '../../contract/meetingControl.ts';
import type { DialPush } from '../../contract/voice.ts';
import { voiceSchemas } from '../../contract/voice.ts';
import { attachDeviceTest } from './deviceTest.ts';
import type { MeetingRoom } from '../../sfu/MeetingRoom.ts';

/** What signalling needs of the hub (hub.ts implements it; an interface here keeps the import one-way). */
export interface SignallingHub {
  join(socket: Socket, user: SessionUser, meetingId: string, pin: string | undefined): Promise<unknown>;
  leave(socket: Socket): Promise<void>;
  joinedOf(socket: Socket): { meetingId: string; room: MeetingRoom };
  controlOf(meetingId: string): Promise<ControlState>;
  command(meetingId: string, cmd: Command, actor: Actor): Promise<ControlState>;
  isChair(user: SessionUser, hostUnitCode: string): boolean;
  chat(user: SessionUser, meetingId: string, text: string, toUnitCode: string | null | undefined): Promise<void>;
  dial(user: SessionUser, meetingId: string, unitCode: string, number: string | undefined): Promise<DialPush>;
  hangupDial(user: SessionUser, meetingId: string, callId: string): Promise<void>;
}

export function attachSignalling(socket: Socket, hub: SignallingHub, deps: Parameters<typeof attachDeviceTest>[1]): void {
  const user = socket.data.user as SessionUser;
  const on = acked(socket, deps.log, 'signalling');
  const joined = () => hub.joinedOf(socket);
  const actorOf = (hostUnitCode: string): Actor => ({ unitCode: user.unitCode, chair: hub.isChair(user, hostUnitCode) });

  attachDeviceTest(socket, deps);

  on('meeting:join', schemas.join, async ({ meetingId, pin }) => hub.join(socket, user, meetingId, pin));

  on('meeting:leave', schemas.empty, async () => {
    await hub.leave(socket);
  });

  on('transport:create', schemas.createTransport, async ({ direction }) => {
    const { room } = joined();
    return room.createTransport(socket.id, direction);
  });

  on('transport:connect', schemas.connect, async ({ transportId, dtlsParameters }) => {
    const { room } = joined();
    await room.connectTransport(socket.id, transportId, dtlsParameters as never);
  });

  on('transport:restartIce', schemas.restartIce, async ({ transportId }) => {
    const { room } = joined();
    return { iceParameters: await room.restartIce(socket.id, transportId) };
  });

  on('produce', schemas.produce, async ({ transportId, kind, rtpParameters, appData }) => {
    const { room, meetingId } = joined();
    const control = await hub.controlOf(meetingId);
    // By kind, not by the client's label: audio is the microphone, a share is video only (V3).
    const source = sourceOf(kind, appData?.source);
    // Content sharing (双流): claim the one sharing slot first (409 SHARE_BUSY), give it back if producing fails.
    if (source === 'screen') await hub.command(meetingId, { type: 'shareStart' }, actorOf(control.hostUnitCode));
    const held = (c: ControlState) => (source === 'mic' && c.muted.includes(user.unitCode)) || (source === 'camera' && c.videoOff.includes(user.unitCode));
    const info = await room.produce(socket.id, transportId, kind, rtpParameters as never, appData, held(await hub.controlOf(meetingId))).catch(async (e: Error) => {
      if (source === 'screen') await hub.command(meetingId, { type: 'shareStop' }, actorOf(control.hostUnitCode)).catch(() => undefined);
      throw e;
    });
    // A site muted (or camera-off) by the chair stays so at the SFU, whatever its browser sends.
    const now = await hub.controlOf(meetingId);
    const producer = room.producer(socket.id, info.producerId);
    if (held(now)) await room.setProducerPaused(producer, true);
    if (source === 'screen') {
      producer.observer.once('close', () => {
        void hub.command(meetingId, { type: 'shareStop' }, actorOf(now.hostUnitCode)).catch(() => undefined);
      });
    }
    return { id: info.producerId };
  });

  on('producer:close', schemas.producerClose, async ({ producerId }) => {
    const { room } = joined();
    room.closeProducer(socket.id, producerId);
  });

  on('consume', schemas.consume, async ({ producerId, rtpCapabilities, spatialLayer }) => {
    const { room } = joined();
    return room.consume(socket.id, producerId, rtpCapabilities as never, spatialLayer);
  });

  on('consumer:resume', schemas.resume, async ({ consumerId }) => {
    const { room } = joined();
    await room.resumeConsumer(socket.id, consumerId);
  });

  on('consumer:pause', schemas.resume, async ({ consumerId }) => {
    const { room } = joined();
    await room.pauseConsumer(socket.id, consumerId);
  });

  on('consumer:close', schemas.resume, async ({ consumerId }) => {
    const { room } = joined();
    room.closeConsumer(socket.id, consumerId);
  });

  on('consumer:setPreferredLayers', schemas.layers, async ({ consumerId, spatialLayer, temporalLayer }) => {
    const { room } = joined();
    await room.setPreferredLayers(socket.id, consumerId, spatialLayer, temporalLayer);
  });

  on('control', schemas.control, async ({ command }) => {
    const { meetingId } = joined();
    const control = await hub.controlOf(meetingId);
    const cmd: Command =
      command.type === 'raiseHand' || command.type === 'recordStart' ? { type: command.type, at: clock.now().toISOString() } : command;
    return { control: await hub.command(meetingId, cmd, actorOf(control.hostUnitCode)) };
  });

  /** The site's own view of its sending, for the organiser's health table. */
  on('stats:report', schemas.stats, async (st) => {
    const { room } = joined();
    const peer = room.peers.get(socket.id);
    if (peer) peer.clientStats = { ...st, at: Date.now() };
  });

  on('chat', schemas.chat, async ({ text, toUnitCode }) => {
    const { meetingId } = joined();
    await hub.chat(user, meetingId, text, toUnitCode);
  });

  // Dial-out (呼叫会场): the chair calls a site's phone into the meeting; progress comes as voice:dial pushes.
  on('voice:dial', voiceSchemas.dial, async ({ unitCode, number }) => {
    const { meetingId } = joined();
    return hub.dial(user, meetingId, unitCode, number);
  });

  on('voice:hangup', voiceSchemas.hangup, async ({ callId }) => {
    const { meetingId } = joined();
    await hub.hangupDial(user, meetingId, callId);
  });

  socket.on('disconnect', (reason) => {
    // Why a site dropped ("ping timeout": a starved event loop or tab; "transport close": the network or a reload).
    let meetingId: string | null = null;
    try {
      meetingId = joined().meetingId;
    } catch {
      // not in a meeting
    }
    if (meetingId) deps.log[reason === 'ping timeout' ? 'warn' : 'info']({ meetingId, unit: user.unitCode, reason }, 'site socket disconnected');
    void hub.leave(socket);
  });
}
