/** Loopback UDP sockets for the GStreamer voice processes (the per-call leg and the per-meeting mixer). */
import dgram from 'node:dgram';

/** A UDP socket bound to a free loopback port. */
export async function bound(): Promise<dgram.Socket> {
  const s = dgram.createSocket('udp4');
  await new Promise<void>((resolve, reject) => {
    s.once('error', reject);
    s.bind(0, '127.0.0.1', () => resolve());
  });
  return s;
}

/** A free loopback UDP port for GStreamer's udpsrc (bound, read, released). */
export async function freePort(): Promise<number> {
  const s = await bound();
  const port = s.address().port;
  await new Promise<void>((r) => s.close(() => r()));
  return port;
}
