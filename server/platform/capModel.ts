/**
 * Our own model of OASIS CAP 1.2 (Common Alerting Protocol, 2010), written from the standard's
 * document-object-model table (§3.2) and its rules: element order, cardinality, value enumerations,
 * dateTime form, and the conditions the prose adds (restriction for Restricted scope, addresses for
 * Private, references for Update/Cancel/Ack, no spaces/commas in identifier and sender).
 * Every message we send is checked here first; inbound messages are checked here too.
 */
export const CAP_NS = 'urn:oasis:names:tc:emergency:cap:1.2';
const XMLDSIG_NS = 'http://www.w3.org/2000/09/xmldsig#';

/** An element as parsed or built: name, namespace, text (leaf elements) and child elements in order. */
export interface XNode {
  name: string;
  ns: string;
  text: string;
  children: XNode[];
}

type ValueType = 'string' | 'dateTime' | 'language' | 'anyURI' | 'integer' | 'decimal' | { enum: readonly string[] };
interface Spec {
  name: string;
  min: 0 | 1;
  max: number;
  type?: ValueType;
  children?: Spec[];
}

const one = (name: string, type: ValueType = 'string'): Spec => ({ name, min: 1, max: 1, type });
const opt = (name: string, type: ValueType = 'string'): Spec => ({ name, min: 0, max: 1, type });
const many = (name: string, min: 0 | 1, type: ValueType = 'string'): Spec => ({ name, min, max: Infinity, type });
const pairs = (name: string, min: 0 | 1 = 0): Spec => ({ name, min, max: Infinity, children: [one('valueName'), one('value')] });

export const STATUS = ['Actual', 'Exercise', 'System', 'Test', 'Draft'] as const;
export const MSG_TYPE = ['Alert', 'Update', 'Cancel', 'Ack', 'Error'] as const;
export const SCOPE = ['Public', 'Restricted', 'Private'] as const;
export const CATEGORY = ['Geo', 'Met', 'Safety', 'Security', 'Rescue', 'Fire', 'Health', 'Env', 'Transport', 'Infra', 'CBRNE', 'Other'] as const;
export const RESPONSE_TYPE = ['Shelter', 'Evacuate', 'Prepare', 'Execute', 'Avoid', 'Monitor', 'Assess', 'AllClear', 'None'] as const;
export const URGENCY = ['Immediate', 'Expected', 'Future', 'Past', 'Unknown'] as const;
export const SEVERITY = ['Extreme', 'Severe', 'Moderate', 'Minor', 'Unknown'] as const;
export const CERTAINTY = ['Observed', 'Likely', 'Possible', 'Unlikely', 'Unknown'] as const;

const AREA: Spec = {
  name: 'area',
  min: 0,
  max: Infinity,
  children: [one('areaDesc'), many('polygon', 0), many('circle', 0), pairs('geocode'), opt('altitude', 'decimal'), opt('ceiling', 'decimal')],
};
const RESOURCE: Spec = {
  name: 'resource',
  min: 0,
  max: Infinity,
  children: [one('resourceDesc'), one('mimeType'), opt('size', 'integer'), opt('uri', 'anyURI'), opt('derefUri'), opt('digest')],
};
const INFO: Spec = {
  name: 'info',
  min: 0,
  max: Infinity,
  children: [
    opt('language', 'language'),
    many('category', 1, { enum: CATEGORY }),
    one('event'),
    many('responseType', 0, { enum: RESPONSE_TYPE }),
    one('urgency', { enum: URGENCY }),
    one('severity', { enum: SEVERITY }),
    one('certainty', { enum: CERTAINTY }),
    opt('audience'),
    pairs('eventCode'),
    opt('effective', 'dateTime'),
    opt('onset', 'dateTime'),
    opt('expires', 'dateTime'),
    opt('senderName'),
    opt('headline'),
    opt('description'),
    opt('instruction'),
    opt('web', 'anyURI'),
    opt('contact'),
    pairs('parameter'),
    RESOURCE,
    AREA,
  ],
};
export const ALERT_SPEC: Spec = {
  name: 'alert',
  min: 1,
  max: 1,
  children: [
    one('identifier'),
    one('sender'),
    one('sent', 'dateTime'),
    one('status', { enum: STATUS }),
    one('msgType', { enum: MSG_TYPE }),
    opt('source'),
    one('scope', { enum: SCOPE }),
    opt('restriction'),
    opt('addresses'),
    many('code', 0),
    opt('note'),
    opt('references'),
    opt('incidents'),
    INFO,
  ],
};

/** CAP dateTime: seconds, and an explicit offset (never "Z"), per §3.3.2. */
export const CAP_DATETIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}[-+]\d{2}:\d{2}$/;
const LANGUAGE = /^[a-zA-Z]{1,8}(-[a-zA-Z0-9]{1,8})*$/;
/** §3.2.1: identifier and sender contain no spaces, commas or restricted characters (< and &). */
const TOKEN = /^[^\s,<&]+$/;
/** references: space-separated "sender,identifier,sent" triples. */
const REFERENCE = /^[^\s,<&]+,[^\s,<&]+,\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}[-+]\d{2}:\d{2}$/;

function checkValue(path: string, type: ValueType, text: string, out: string[]): void {
  if (typeof type === 'object') {
    if (!type.enum.includes(text)) out.push(`${path}: "${text}" is not one of ${type.enum.join('|')}`);
    return;
  }
  if (type === 'dateTime' && !(CAP_DATETIME.test(text) && !Number.isNaN(Date.parse(text)))) out.push(`${path}: "${text}" is not a CAP dateTime (YYYY-MM-DDThh:mm:ss±hh:mm)`);
  if (type === 'language' && !LANGUAGE.test(text)) out.push(`${path}: "${text}" is not a language tag`);
  if (type === 'integer' && !/^[-+]?\d+$/.test(text)) out.push(`${path}: "${text}" is not an integer`);
  if (type === 'decimal' && !/^[-+]?(\d+(\.\d*)?|\.\d+)$/.test(text)) out.push(`${path}: "${text}" is not a decimal`);
  if (type === 'anyURI' && /\s/.test(text.trim())) out.push(`${path}: "${text}" is not a URI`);
}

/** Walks a sequence of specs over the children, in order; unknown or misplaced elements are errors. */
function checkSequence(path: string, specs: Spec[], nodes: XNode[], out: string[], allowSignature = false): void {
  let i = 0;
  for (const spec of specs) {
    let count = 0;
    while (i < nodes.length && nodes[i]!.ns === CAP_NS && nodes[i]!.name === spec.name) {
      checkNode(`${path}/${spec.name}${spec.max > 1 ? `[${count + 1}]` : ''}`, spec, nodes[i]!, out);
      count++;
      i++;
    }
    if (count < spec.min) out.push(`${path}: missing <${spec.name}>`);
    if (count > spec.max) out.push(`${path}: <${spec.name}> may appear at most ${spec.max} time(s)`);
  }
  if (allowSignature) while (i < nodes.length && nodes[i]!.ns === XMLDSIG_NS) i++;
  for (; i < nodes.length; i++) {
    const n = nodes[i]!;
    const known = specs.some((s) => s.name === n.name) && n.ns === CAP_NS;
    out.push(known ? `${path}: <${n.name}> is out of order` : `${path}: unexpected element <${n.name}>${n.ns === CAP_NS ? '' : ` in namespace "${n.ns}"`}`);
  }
}

function checkNode(path: string, spec: Spec, node: XNode, out: string[]): void {
  if (spec.children) {
    if (node.text.trim()) out.push(`${path}: text is not allowed here`);
    checkSequence(path, spec.children, node.children, out);
  } else {
    if (node.children.length) out.push(`${path}: child elements are not allowed in <${spec.name}>`);
    if (spec.type) checkValue(path, spec.type, node.text, out);
  }
}

const child = (n: XNode, name: string) => n.children.find((c) => c.name === name && c.ns === CAP_NS);

/** Every violation of CAP 1.2 in the tree, as readable strings; empty when the message conforms. */
export function checkCap(root: XNode): string[] {
  const out: string[] = [];
  if (root.name !== 'alert' || root.ns !== CAP_NS) {
    out.push(`root must be <alert> in namespace ${CAP_NS} (found <${root.name}> in "${root.ns}")`);
    return out;
  }
  checkSequence('/alert', ALERT_SPEC.children!, root.children, out, true);
  const text = (name: string) => child(root, name)?.text;
  for (const name of ['identifier', 'sender'] as const) {
    const v = text(name);
    if (v !== undefined && !TOKEN.test(v)) out.push(`/alert/${name}: must not contain spaces, commas, < or &`);
  }
  const scope = text('scope');
  if (scope === 'Restricted' && !text('restriction')?.trim()) out.push('/alert: scope Restricted requires <restriction>');
  if (scope === 'Private' && !text('addresses')?.trim()) out.push('/alert: scope Private requires <addresses>');
  const msgType = text('msgType');
  const refs = text('references');
  if ((msgType === 'Update' || msgType === 'Cancel' || msgType === 'Ack') && !refs?.trim()) out.push(`/alert: msgType ${msgType} requires <references>`);
  if (refs !== undefined) for (const r of refs.trim().split(/\s+/)) if (!REFERENCE.test(r)) out.push(`/alert/references: "${r}" is not sender,identifier,sent`);
  return out;
}

const escapeXml = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/** Serialises a CAP element tree (all in the CAP namespace) as UTF-8 XML text. */
export function toXml(root: XNode): string {
  const write = (n: XNode, depth: number): string => {
    const pad = '  '.repeat(depth);
    const ns = depth === 0 ? ` xmlns="${CAP_NS}"` : '';
    if (!n.children.length) return `${pad}<${n.name}${ns}>${escapeXml(n.text)}</${n.name}>`;
    return `${pad}<${n.name}${ns}>\n${n.children.map((c) => write(c, depth + 1)).join('\n')}\n${pad}</${n.name}>`;
  };
  return `<?xml version="1.0" encoding="UTF-8"?>\n${write(root, 0)}\n`;
}

/** Shorthand for building trees: el('sent', '2026-…') or el('info', [children]). */
export function el(name: string, content: string | XNode[] = ''): XNode {
  return typeof content === 'string' ? { name, ns: CAP_NS, text: content, children: [] } : { name, ns: CAP_NS, text: '', children: content };
}

export const textOf = (n: XNode | undefined, name: string): string | undefined => (n ? child(n, name)?.text : undefined);
export const childrenOf = (n: XNode | undefined, name: string): XNode[] => (n ? n.children.filter((c) => c.name === name && c.ns === CAP_NS) : []);
