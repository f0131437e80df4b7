/**
 * Server-side recording against a real mediasoup worker and Debian's real ffmpeg: two "sites" send real
 * VP8 + Opus (ffmpeg test pattern and tone) into a meeting's router through PlainTransports; the Recorder
 * follows the main picture, switches to the other site mid-way, and the finished file is checked with ffprobe.
 */
import { spawn, execFileSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { types } from 'mediasoup';
import { WorkerPool } from '../../sfu/WorkerPool.ts';
import { Recorder } from '../../sfu/Recorder.ts';
import { MEDIA_CODECS } from '../../sfu/config.ts';

interface Feed {
  video: types.Producer;
  audio: types.Producer;
  proc: ChildProcess;
}

/** A site sending real media: ffmpeg encodes a test pattern (of the given size) and a tone into RTP. */
async function feed(router: types.Router, size: string, ssrcBase: number): Promise<Feed> {
  const vt = await router.createPlainTransport({ listenInfo: { protocol: 'udp', ip: '127.0.0.1' }, rtcpMux: false, comedia: true });
  const at = await router.createPlainTransport({ listenInfo: { protocol: 'udp', ip: '127.0.0.1' }, rtcpMux: false, comedia: true });
  const video = await vt.produce({
    kind: 'video',
    rtpParameters: {
      codecs: [{ mimeType: 'video/VP8', payloadType: 101, clockRate: 90000 }],
      encodings: [{ ssrc: ssrcBase + 1 }],
    },
    appData: { source: 'camera' },
  });
  const audio = await at.produce({
    kind: 'audio',
    rtpParameters: {
      codecs: [{ mimeType: 'audio/opus', payloadType: 100, clockRate: 48000, channels: 2, parameters: { 'sprop-stereo': 1 } }],
      encodings: [{ ssrc: ssrcBase + 2 }],
    },
    appData: { source: 'mic' },
  });
  const v = vt.tuple.localPort;
  const a = at.tuple.localPort;
  const proc = spawn(
    'ffmpeg',
    [
      '-hide_banner', '-loglevel', 'error', '-re',
      '-f', 'lavfi', '-i', `testsrc=size=${size}:rate=15`,
      '-f', 'lavfi', '-i', 'sine=frequency=440:sample_rate=48000',
      '-t', '30',
      '-map', '0:v', '-c:v', 'libvpx', '-deadline', 'realtime', '-cpu-used', '8', '-b:v', '300k', '-g', '15',
      '-ssrc', String(ssrcBase + 1), '-payload_type', '101', '-f', 'rtp', `rtp://127.0.0.1:${v}?rtcpport=${vt.rtcpTuple!.localPort}`,
      '-map', '1:a', '-c:a', 'libopus', '-ac', '2', '-b:a', '48k',
      '-ssrc', String(ssrcBase + 2), '-payload_type', '100', '-f', 'rtp', `rtp://127.0.0.1:${a}?rtcpport=${at.rtcpTuple!.localPort}`,
    ],
    { stdio: ['ignore', 'ignore', 'inherit'] },
  );
  return { video, audio, proc };
}

function probe(file: string) {
  const out = execFileSync('ffprobe', ['-v', 'error', '-show_entries', 'stream=codec_type,codec_name,width,height:format=duration', '-of', 'json', file]);
  return JSON.parse(out.toString()) as {
    streams: { codec_type: string; codec_name: string; width?: number; height?: number }[];
    format: { duration: string };
  };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Until ffmpeg reports that many seconds written (bounded: the machine may be busy). */
async function written(rec: Recorder, seconds: number): Promise<void> {
  for (let i = 0; i < 100 && rec.seconds < seconds; i++) await sleep(200);
  expect(rec.seconds, rec.log).toBeGreaterThanOrEqual(seconds);
}

describe('recording a meeting (real worker, real ffmpeg)', () => {
  let pool: WorkerPool;
  let router: types.Router;
  const feeds: Feed[] = [];
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rec-test-'));

  beforeAll(async () => {
    pool = await WorkerPool.create({ numWorkers: 1, basePort: 0, listenIps: [{ ip: '127.0.0.1' }], logLevel: 'warn' });
    router = await pool.slots[0]!.worker.createRouter({ mediaCodecs: MEDIA_CODECS });
    feeds.push(await feed(router, '640x360', 1000), await feed(router, '320x240', 2000));
  });

  afterAll(async () => {
    for (const f of feeds) f.proc.kill('SIGKILL');
    await pool?.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('writes one WebM with the main picture and its sound, finalised on stop, and follows a switch', async () => {
    const [a, b] = feeds as [Feed, Feed];
    const rec = await Recorder.start({ router, dir, maxSeconds: 60 });
    await rec.follow('video', a.video.id);
    await rec.follow('audio', a.audio.id);
    expect(rec.following('video')).toBe(a.video.id);
    await written(rec, 3);
    // The chair puts another site in the main picture: the same file goes on with its picture and sound.
    await rec.follow('video', b.video.id);
    await rec.follow('audio', b.audio.id);
    expect(rec.following('video')).toBe(b.video.id);
    await sleep(2500);
    const file = await rec.stop();
    expect(file, rec.log).not.toBeNull();
    expect(file!.file.startsWith(dir)).toBe(true);
    expect(file!.fileName).toMatch(/\.webm$/);
    expect(file!.bytes).toBeGreaterThan(10_000);
    expect(file!.durationSec).toBeGreaterThanOrEqual(4);
    const info = probe(file!.file);
    const v = info.streams.find((s) => s.codec_type === 'video');
    const au = info.streams.find((s) => s.codec_type === 'audio');
    expect(v).toMatchObject({ codec_name: 'vp8', width: 640, height: 360 });
    expect(au).toMatchObject({ codec_name: 'opus' });
    expect(Number(info.format.duration)).toBeGreaterThanOrEqual(4);
    // A second stop is the same result, not a second file.
    expect(await rec.stop()).toEqual(file);
    expect(fs.readdirSync(dir).filter((f) => f.endsWith('.webm'))).toHaveLength(1);
    expect(fs.readdirSync(dir).filter((f) => f.endsWith('.sdp'))).toHaveLength(0);
  }, 30_000);

  it('a recorder whose router dies still finalises what it had', async () => {
    const r2 = await pool.slots[0]!.worker.createRouter({ mediaCodecs: MEDIA_CODECS });
    const f = await feed(r2, '640x360', 3000);
    feeds.push(f);
    const rec = await Recorder.start({ router: r2, dir: path.join(dir, 'second'), maxSeconds: 60 });
    await rec.follow('video', f.video.id);
    await rec.follow('audio', f.audio.id);
    await written(rec, 2);
    r2.close();
    const file = await rec.stop();
    expect(file, rec.log).not.toBeNull();
    if (process.env.RECORDER_FFMPEG_LOGLEVEL) console.log(rec.log);
    expect(probe(file!.file).streams.map((s) => s.codec_type).sort()).toEqual(['audio', 'video']);
  }, 30_000);

  it('a recording stopped before any media came leaves no file and no entry', async () => {
    const empty = path.join(dir, 'empty');
    const rec = await Recorder.start({ router, dir: empty, maxSeconds: 60 });
    await sleep(500);
    expect(await rec.stop()).toBeNull();
    expect(fs.readdirSync(empty)).toEqual([]);
  }, 30_000);
});
