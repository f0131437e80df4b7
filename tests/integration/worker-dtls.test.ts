// Guard for the locally built mediasoup-worker (sfu/worker-build/): with
// Debian's OpenSSL an unpatched DtlsTransport BIO callback crashes the worker
// as soon as a DTLS handshake starts. Here we play a minimal ICE peer over UDP
// (hand-made STUN Binding Request), make the worker the DTLS client, and check
// that it sends a ClientHello and stays alive.
//
// The binary comes from env MEDIASOUP_WORKER_BIN (set by the test command,
// see sfu/worker-build/ensure-worker.sh).
import { createHmac, randomBytes } from 'node:crypto';
import dgram from 'node:dgram';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as mediasoup from 'mediasoup';
import type { types } from 'mediasoup';

const STUN_MAGIC_COOKIE = 0x2112a442;

// CRC-32 (IEEE) for the STUN FINGERPRINT attribute.
const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});
function crc32(buf: Buffer): number {
  let crc = 0xffffffff;
  for (const byte of buf) crc = CRC_TABLE[(crc ^ byte) & 0xff]! ^ (crc >>> 8);
  return (crc ^ 0xffffffff) >>> 0;
}

function stunAttr(type: number, value: Buffer): Buffer {
  const padded = Buffer.alloc(4 + Math.ceil(value.length / 4) * 4);
  padded.writeUInt16BE(type, 0);
  padded.writeUInt16BE(value.length, 2);
  value.copy(padded, 4);
  return padded;
}

function stunHeader(attrsLength: number, transactionId: Buffer): Buffer {
  const header = Buffer.alloc(20);
  header.writeUInt16BE(0x0001, 0); // Binding Request
  header.writeUInt16BE(attrsLength, 2);
  header.writeUInt32BE(STUN_MAGIC_COOKIE, 4);
  transactionId.copy(header, 8);
  return header;
}

/** RFC 5389/8445 Binding Request as a controlling ICE agent would send it. */
function buildBindingRequest(username: string, password: string, transactionId: Buffer): Buffer {
  const priority = Buffer.alloc(4);
  priority.writeUInt32BE(0x6e0001ff, 0);
  let attrs = Buffer.concat([
    stunAttr(0x0006, Buffer.from(username)), // USERNAME
    stunAttr(0x0024, priority), // PRIORITY
    stunAttr(0x802a, randomBytes(8)), // ICE-CONTROLLING (tie-breaker)
    stunAttr(0x0025, Buffer.alloc(0)), // USE-CANDIDATE
  ]);
  // MESSAGE-INTEGRITY: HMAC-SHA1 over everything before it, with the header
  // length already counting the 24-byte MI attribute.
  const integrity = createHmac('sha1', password)
    .update(Buffer.concat([stunHeader(attrs.length + 24, transactionId), attrs]))
    .digest();
  attrs = Buffer.concat([attrs, stunAttr(0x0008, integrity)]);
  // FINGERPRINT: CRC-32 XOR 0x5354554e, header length counting its 8 bytes.
  const fingerprint = Buffer.alloc(4);
  fingerprint.writeUInt32BE(
    (crc32(Buffer.concat([stunHeader(attrs.length + 8, transactionId), attrs])) ^ 0x5354554e) >>> 0,
    0,
  );
  attrs = Buffer.concat([attrs, stunAttr(0x8028, fingerprint)]);
  return Buffer.concat([stunHeader(attrs.length, transactionId), attrs]);
}

function nextDatagram(socket: dgram.Socket, accept: (msg: Buffer) => boolean, timeoutMs: number) {
  return new Promise<Buffer>((resolve, reject) => {
    const timer = setTimeout(() => {
      socket.off('message', onMessage);
      reject(new Error(`no matching UDP datagram within ${timeoutMs} ms`));
    }, timeoutMs);
    function onMessage(msg: Buffer) {
      if (!accept(msg)) return;
      clearTimeout(timer);
      socket.off('message', onMessage);
      resolve(msg);
    }
    socket.on('message', onMessage);
  });
}

const isDtlsClientHello = (msg: Buffer) =>
  msg.length > 13 && msg[0] === 22 /* handshake */ && msg[13] === 1; /* ClientHello */

describe('mediasoup-worker DTLS (locally built worker guard)', () => {
  let worker: types.Worker;
  let router: types.Router;
  let transport: types.WebRtcTransport;
  let socket: dgram.Socket;
  let diedError: Error | undefined;

  beforeAll(async () => {
    worker = await mediasoup.createWorker({ logLevel: 'warn' });
    worker.on('died', (error) => {
      diedError = error;
    });
    router = await worker.createRouter({
      mediaCodecs: [
        { kind: 'audio', mimeType: 'audio/opus', clockRate: 48000, channels: 2 },
        { kind: 'video', mimeType: 'video/VP8', clockRate: 90000 },
      ],
    });
    transport = await router.createWebRtcTransport({
      listenInfos: [{ protocol: 'udp', ip: '127.0.0.1' }],
    });
    socket = dgram.createSocket('udp4');
    await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', resolve));
  });

  afterAll(async () => {
    socket?.close();
    transport?.close();
    router?.close();
    worker?.close();
  });

  it('answers ICE, sends a DTLS ClientHello as client and survives', async () => {
    const candidate = transport.iceCandidates[0]!;
    const { usernameFragment, password } = transport.iceParameters;

    // 1. ICE: Binding Request -> Binding Success Response with our txn id.
    const transactionId = randomBytes(12);
    const stunResponse = nextDatagram(
      socket,
      (msg) => msg.length >= 20 && msg.subarray(8, 20).equals(transactionId),
      3000,
    );
    socket.send(
      buildBindingRequest(`${usernameFragment}:x`, password, transactionId),
      candidate.port,
      candidate.address,
    );
    const response = await stunResponse;
    expect(response.readUInt16BE(0)).toBe(0x0101); // Binding Success Response
    expect(response.readUInt32BE(4)).toBe(STUN_MAGIC_COOKIE);

    // 2. DTLS: remote is 'server' so the worker is the DTLS client and must
    // send a ClientHello to the nominated tuple.
    const clientHello = nextDatagram(socket, isDtlsClientHello, 3000);
    await transport.connect({
      dtlsParameters: {
        role: 'server',
        fingerprints: [
          {
            algorithm: 'sha-256',
            value: Array.from(randomBytes(32), (b) => b.toString(16).padStart(2, '0'))
              .join(':')
              .toUpperCase(),
          },
        ],
      },
    });
    const record = await clientHello;
    expect(record[0]).toBe(22); // content type: handshake
    expect(record[13]).toBe(1); // handshake type: ClientHello

    // 3. The unpatched worker dies around here (SIGSEGV in OpenSSL).
    await new Promise((resolve) => setTimeout(resolve, 1000));
    expect(worker.died).toBe(false);
    await expect(worker.getResourceUsage()).resolves.toBeDefined();
  }, 15000);

  it('never emitted the worker "died" event', () => {
    expect(diedError).toBeUndefined();
    expect(worker.died).toBe(false);
  });
});
