/**
 * platform-sim: our own stand-in for the region's emergency platform (应急平台), a separate process.
 * POST /cap takes CAP 1.2, validates it against the OASIS XSD (read at run time from
 * ../shared/standards/cap-1.2.xsd or CAP_XSD_PATH; without it, against our own model only), answers
 * with a CAP Ack, deduplicates by identifier and counts. /control/* makes it misbehave on purpose and
 * sends signed alerts to our server. Configuration: platform-sim/README.md.
 */
import fs from 'node:fs';
import http from 'node:http';
import { randomUUID } from 'node:crypto';
import { buildAnswer } from '../server/platform/cap.ts';
import { checkCap, textOf } from '../server/platform/capModel.ts';
import { sign, SIGNATURE_HEADER, verify } from '../server/platform/signature.ts';
import { capXsdPath, loadCapXsd, parseCapXml } from '../server/platform/xml.ts';
import { alertXml, type AlertFields } from './alerts.ts';

type FaultMode = 'none' | 'http500' | 'timeout' | 'drop' | 'slow' | 'duplicateAck' | 'error';
interface Fault {
  mode: FaultMode;
  /** How many of the next requests misbehave; null: until changed. */
  remaining: number | null;
  /** Store the message first (the answer is what gets lost): exercises deduplication. */
  afterStore: boolean;
  delayMs: number;
}
interface Received {
  identifier: string;
  sender: string;
  sent: string;
  msgType: string;
  incidents: string;
  references: string;
  count: number;
  firstAt: string;
  ackXml: string;
}

const PORT = Number(process.env.PLATFORM_SIM_PORT ?? 3200);
const HOST = process.env.PLATFORM_SIM_HOST ?? '127.0.0.1';
const KEY = process.env.PLATFORM_SHARED_KEY || null;
const INBOUND_URL = process.env.PLATFORM_SIM_INBOUND_URL ?? `http://127.0.0.1:${process.env.PORT ?? 3000}/platform/cap`;
const SENDER = process.env.PLATFORM_SIM_SENDER ?? 'yjpt@150000.platform-sim';
const MAX_BODY = 1024 * 1024;

const xsdFile = capXsdPath();
const xsd = loadCapXsd(xsdFile);
console.log(xsd ? `platform-sim: validating against ${xsdFile}` : `platform-sim: ${xsdFile} is absent — validating with our own CAP model only`);

let fault: Fault = { mode: 'none', remaining: null, afterStore: false, delayMs: 0 };
const byId = new Map<string, Received>();
/** Unique messages in arrival order (what the platform "sees"). */
const arrivals: string[] = [];
const stats = { requests: 0, invalid: 0, duplicates: 0, faultsInjected: 0 };

// A real platform keeps what it received across its own restarts: so does the simulator, given a file.
const STATE_FILE = process.env.PLATFORM_SIM_STATE_FILE || null;
if (STATE_FILE && fs.existsSync(STATE_FILE)) {
  const saved = JSON.parse(fs.readFileSync(STATE_FILE, 'utf8')) as { received: Received[]; arrivals: string[]; stats: typeof stats };
  for (const m of saved.received) byId.set(m.identifier, m);
  arrivals.push(...saved.arrivals);
  Object.assign(stats, saved.stats);
}
function persist(): void {
  if (!STATE_FILE) return;
  fs.writeFileSync(`${STATE_FILE}.tmp`, JSON.stringify({ received: [...byId.values()], arrivals, stats }));
  fs.renameSync(`${STATE_FILE}.tmp`, STATE_FILE);
}

function takeFault(): Fault {
  if (fault.mode === 'none') return fault;
  const f = { ...fault };
  if (fault.remaining !== null && --fault.remaining <= 0) fault = { mode: 'none', remaining: null, afterStore: false, delayMs: 0 };
  stats.faultsInjected++;
  return f;
}

function readBody(req: http.IncomingMessage): Promise<Buffer | null> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > MAX_BODY) {
        resolve(null);
        req.destroy();
      } else chunks.push(c);
    });
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', () => resolve(null));
  });
}

const answerId = () => `PLATFORM-SIM-${randomUUID()}`;
const sendXml = (res: http.ServerResponse, status: number, xml: string): void => void res.writeHead(status, { 'content-type': 'application/cap+xml; charset=utf-8' }).end(xml);
const sendJson = (res: http.ServerResponse, status: number, body: unknown): void => void res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));

/** Validates and stores one message; returns the answer to give. */
function accept(body: Buffer): { status: number; xml: string; stored: boolean } {
  let tree;
  try {
    tree = parseCapXml(body);
  } catch (e) {
    stats.invalid++;
    return { status: 400, xml: buildAnswer('Error', { sender: SENDER, identifier: answerId(), now: new Date() }, null, (e as Error).message).xml, stored: false };
  }
  const problems = [...checkCap(tree), ...(xsd ? xsd.validate(body.toString('utf8')) : [])];
  const about = { sender: textOf(tree, 'sender') ?? 'unknown', identifier: textOf(tree, 'identifier') ?? 'unknown', sent: textOf(tree, 'sent') ?? '' };
  if (problems.length) {
    stats.invalid++;
    const ref = /^\S+$/.test(about.sender) && /^\S+$/.test(about.identifier) && about.sent ? about : null;
    return { status: 400, xml: buildAnswer('Error', { sender: SENDER, identifier: answerId(), now: new Date() }, ref, problems.join('; ')).xml, stored: false };
  }
  const seen = byId.get(about.identifier);
  if (seen) {
    seen.count++;
    stats.duplicates++;
    persist();
    return { status: 200, xml: seen.ackXml, stored: true };
  }
  const ackXml = buildAnswer('Ack', { sender: SENDER, identifier: answerId(), now: new Date() }, about).xml;
  byId.set(about.identifier, { ...about, msgType: textOf(tree, 'msgType')!, incidents: textOf(tree, 'incidents') ?? '', references: textOf(tree, 'references') ?? '', count: 1, firstAt: new Date().toISOString(), ackXml });
  arrivals.push(about.identifier);
  persist();
  return { status: 200, xml: ackXml, stored: true };
}

async function postSigned(body: string, signature?: string): Promise<{ status: number; body: string }> {
  const headers: Record<string, string> = { 'content-type': 'application/cap+xml; charset=utf-8' };
  if (signature !== 'none') headers[SIGNATURE_HEADER] = signature ?? (KEY ? sign(KEY, body) : '');
  const res = await fetch(INBOUND_URL, { method: 'POST', headers, body, signal: AbortSignal.timeout(10_000) });
  return { status: res.status, body: await res.text() };
}

async function handleCap(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
  stats.requests++;
  const body = await readBody(req);
  if (!body) return sendXml(res, 413, buildAnswer('Error', { sender: SENDER, identifier: answerId(), now: new Date() }, null, 'too large').xml);
  if (KEY && !verify(KEY, body, req.headers[SIGNATURE_HEADER] as string | undefined)) return sendJson(res, 401, { error: 'bad signature' });
  const f = takeFault();
  const stored = f.mode !== 'none' && f.afterStore ? accept(body) : null;
  switch (f.mode) {
    case 'http500':
      return sendJson(res, 500, { error: 'simulated failure' });
    case 'drop':
      req.socket.destroy();
      return;
    case 'timeout':
      // Never answers: the client's timeout has to end it. Closed after a minute so nothing leaks.
      setTimeout(() => req.socket.destroy(), 60_000).unref();
      return;
    case 'error':
      return sendXml(res, 400, buildAnswer('Error', { sender: SENDER, identifier: answerId(), now: new Date() }, null, 'simulated rejection: 字段不符合平台要求').xml);
    case 'slow':
      await new Promise((r) => setTimeout(r, f.delayMs || 3000));
      break;
    default:
      break;
  }
  const a = stored ?? accept(body);
  sendXml(res, a.status, a.xml);
  if (f.mode === 'duplicateAck' && a.stored) {
    // The same Ack once more, through the server's inbound endpoint: it must change nothing.
    setTimeout(() => void postSigned(a.xml).catch(() => undefined), 50);
  }
}

async function handleControl(req: http.IncomingMessage, res: http.ServerResponse, path: string): Promise<void> {
  const raw = await readBody(req);
  const body = raw?.length ? JSON.parse(raw.toString('utf8')) : {};
  if (path === '/control/stats') {
    const messages = arrivals.map((id) => {
      const m = byId.get(id)!;
      return { identifier: m.identifier, msgType: m.msgType, incidents: m.incidents, references: m.references, sent: m.sent, count: m.count, firstAt: m.firstAt };
    });
    return sendJson(res, 200, { ...stats, unique: arrivals.length, fault, xsd: !!xsd, messages });
  }
  if (path === '/control/reset') {
    byId.clear();
    arrivals.length = 0;
    Object.assign(stats, { requests: 0, invalid: 0, duplicates: 0, faultsInjected: 0 });
    fault = { mode: 'none', remaining: null, afterStore: false, delayMs: 0 };
    persist();
    return sendJson(res, 200, { ok: true });
  }
  if (path === '/control/fault') {
    fault = { mode: body.mode ?? 'none', remaining: body.count ?? null, afterStore: !!body.afterStore, delayMs: body.delayMs ?? 0 };
    return sendJson(res, 200, { fault });
  }
  if (path === '/control/send-alert') {
    // Either a whole CAP document, or the fields of one (built in an agency's style).
    const xml: string = body.xml ?? alertXml(body as AlertFields);
    const out = await postSigned(xml, body.signature);
    return sendJson(res, 200, { sent: xml, answer: out });
  }
  sendJson(res, 404, { error: 'unknown control path' });
}

const server = http.createServer((req, res) => {
  const path = (req.url ?? '/').split('?')[0]!;
  const done = (p: Promise<void>) =>
    p.catch((e) => {
      if (!res.headersSent) sendJson(res, 500, { error: (e as Error).message });
    });
  if (req.method === 'POST' && path === '/cap') return void done(handleCap(req, res));
  if (path.startsWith('/control/')) return void done(handleControl(req, res, path));
  if (path === '/healthz') return sendJson(res, 200, { ok: true });
  sendJson(res, 404, { error: 'not found' });
});
server.listen(PORT, HOST, () => {
  const port = (server.address() as { port: number }).port;
  console.log(`PLATFORM_SIM_READY port=${port} (POST http://${HOST}:${port}/cap; control at /control/*; alerts go to ${INBOUND_URL})`);
});
const stop = () => server.close(() => process.exit(0));
process.once('SIGTERM', stop);
process.once('SIGINT', stop);
