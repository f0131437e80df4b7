/**
 * Janus (Debian's package) for the SFU bench: a private config (HTTP API on 127.0.0.1 only, VideoRoom plugin
 * only), one room with a remote publisher fed plain RTP, and one SRTP `rtp_forward` per receiver.
 * Janus's forwarders do no per-receiver rewriting, NACK or RTCP, so this is a lower bound for its WebRTC fan-out.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

const LIB = '/usr/lib/x86_64-linux-gnu/janus';
const HTTP_PORT = 18088;
const ROOM = 1717;
/** The remote publisher's stream at mindex 0 is recognised by this SSRC (Janus: base 1000, step 10). */
export const JANUS_REMOTE_SSRC = 1000;

export interface Janus {
  pid: number;
  rtpPort: number;
  /** An SRTP rtp_forward of the publisher's stream to host:port. */
  forward(port: number, srtpKeyBase64: string, host?: string): Promise<number>;
  unforward(streamId: number): Promise<void>;
  stop(): Promise<void>;
}

export function janusAvailable(): boolean {
  return fs.existsSync('/usr/bin/janus') && fs.existsSync(`${LIB}/plugins/libjanus_videoroom.so`);
}

export async function startJanus(dir: string, cpu: string): Promise<Janus> {
  for (const sub of ['plugins', 'transports', 'events', 'loggers', 'conf']) fs.mkdirSync(path.join(dir, sub), { recursive: true });
  fs.symlinkSync(`${LIB}/plugins/libjanus_videoroom.so`, path.join(dir, 'plugins/libjanus_videoroom.so'));
  fs.symlinkSync(`${LIB}/transports/libjanus_http.so`, path.join(dir, 'transports/libjanus_http.so'));
  fs.writeFileSync(path.join(dir, 'conf/janus.jcfg'), `general: {
  configs_folder = "${dir}/conf"
  plugins_folder = "${dir}/plugins"
  transports_folder = "${dir}/transports"
  events_folder = "${dir}/events"
  loggers_folder = "${dir}/loggers"
  debug_level = 2
  session_timeout = 0
}
media: { rtp_port_range = "30000-39999" }
nat: { ice_ignore_list = "" }
events: { broadcast = false }
`);
  fs.writeFileSync(path.join(dir, 'conf/janus.transport.http.jcfg'), `general: {
  json = "plain"
  base_path = "/janus"
  http = true
  port = ${HTTP_PORT}
  ip = "127.0.0.1"
  https = false
}
admin: { admin_http = false }
`);
  fs.writeFileSync(path.join(dir, 'conf/janus.plugin.videoroom.jcfg'), 'general: {\n}\n');
  const child: ChildProcess = spawn('taskset', ['-c', cpu, 'janus', '-F', `${dir}/conf`, '-C', `${dir}/conf/janus.jcfg`], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr!.on('data', (d) => (stderr += d));
  const base = `http://127.0.0.1:${HTTP_PORT}/janus`;
  let tx = 0;
  const call = async (url: string, body: object) => {
    const res = await fetch(url, { method: 'POST', body: JSON.stringify({ ...body, transaction: `t${++tx}` }) });
    const json = (await res.json()) as any;
    if (json.janus === 'error') throw new Error(`janus: ${JSON.stringify(json.error)}`);
    return json;
  };
  for (let i = 0; ; i++) {
    try {
      await call(base, { janus: 'info' });
      break;
    } catch (e) {
      if (i > 100 || child.exitCode !== null) throw new Error(`janus did not start: ${stderr.slice(-2000)} (${String(e)})`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  const session = (await call(base, { janus: 'create' })).data.id;
  const handle = (await call(`${base}/${session}`, { janus: 'attach', plugin: 'janus.plugin.videoroom' })).data.id;
  const plugin = async (body: object) => {
    const data = (await call(`${base}/${session}/${handle}`, { janus: 'message', body })).plugindata.data;
    if (data.error) throw new Error(`janus videoroom: ${data.error}`);
    return data;
  };
  await plugin({ request: 'create', room: ROOM, publishers: 4, videocodec: 'vp8', bitrate: 0, transport_wide_cc_ext: false });
  const remote = await plugin({
    request: 'add_remote_publisher', room: ROOM, display: 'bench', iface: '127.0.0.1',
    streams: [{ type: 'video', mindex: 0, mid: '0', codec: 'vp8' }],
  });
  const publisherId = remote.id as number;
  return {
    pid: child.pid!,
    rtpPort: remote.port as number,
    async forward(port, key, host = '127.0.0.1') {
      const data = await plugin({
        request: 'rtp_forward', room: ROOM, publisher_id: publisherId, host,
        srtp_suite: 80, srtp_crypto: key, streams: [{ mid: '0', port }],
      });
      return data.forwarders[0].stream_id as number;
    },
    async unforward(streamId) {
      await plugin({ request: 'stop_rtp_forward', room: ROOM, publisher_id: publisherId, stream_id: streamId });
    },
    async stop() {
      child.kill('SIGTERM');
      await new Promise((r) => (child.exitCode !== null ? r(null) : child.once('exit', r)));
    },
  };
}
