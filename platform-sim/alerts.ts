/**
 * Alerts as other agencies write them, for the simulator to send in: the weather service (geocode under
 * its own valueName, two languages), the earthquake bureau (a circle and a description, no geocode) and
 * the water authority (township-level 12-digit code, signature block). All conform to CAP 1.2.
 */
import { capTime } from '../server/platform/cap.ts';
import { el, toXml, type XNode } from '../server/platform/capModel.ts';

export interface AlertFields {
  style?: 'weather' | 'earthquake' | 'flood';
  identifier?: string;
  sender?: string;
  headline?: string;
  areaDesc?: string;
  /** GB/T 2260 code(s) of the area (ignored in the earthquake style, which has none). */
  geocodes?: string[];
  severity?: 'Extreme' | 'Severe' | 'Moderate' | 'Minor' | 'Unknown';
  description?: string;
  sent?: string;
  /** Alert (default), or an Update / Cancel of earlier alerts named in `references`. */
  msgType?: 'Alert' | 'Update' | 'Cancel';
  /** CAP references: `sender,identifier,sent` of each earlier message, space-separated. */
  references?: string;
}

const pair = (name: string, k: string, v: string) => el(name, [el('valueName', k), el('value', v)]);

export function alertTree(f: AlertFields): XNode {
  const style = f.style ?? 'weather';
  const sent = f.sent ?? capTime(new Date());
  const sender = f.sender ?? { weather: 'nmc@cma.gov.cn', earthquake: 'cenc@cea.gov.cn', flood: 'slt@nmg.gov.cn' }[style];
  const identifier = f.identifier ?? `${style.toUpperCase()}-${Date.now()}-${Math.floor(Math.random() * 1e6)}`;
  const severity = f.severity ?? 'Severe';
  const areaDesc = f.areaDesc ?? '锡林郭勒盟';
  const head = [el('identifier', identifier), el('sender', sender), el('sent', sent), el('status', 'Actual'), el('msgType', f.msgType ?? 'Alert'), el('scope', 'Public')];
  // <references> follows <code> and comes before <info>.
  const refs = f.references ? [el('references', f.references)] : [];
  if (style === 'weather') {
    const area = el('area', [el('areaDesc', areaDesc), ...(f.geocodes ?? []).map((g) => pair('geocode', 'ADCODE', g))]);
    const zh = el('info', [
      el('language', 'zh-CN'),
      el('category', 'Met'),
      el('event', '暴雪'),
      el('responseType', 'Prepare'),
      el('urgency', 'Expected'),
      el('severity', severity),
      el('certainty', 'Likely'),
      pair('eventCode', 'CMA_WARNING', '11B05'),
      el('senderName', '内蒙古自治区气象台'),
      el('headline', f.headline ?? `${areaDesc}发布暴雪橙色预警`),
      el('description', f.description ?? '预计未来24小时降雪量将达10毫米以上。'),
      el('instruction', '注意防寒保暖，减少外出。'),
      el('web', 'http://www.nmgqx.gov.cn/'),
      area,
    ]);
    const en = el('info', [el('language', 'en-US'), el('category', 'Met'), el('event', 'Blizzard'), el('urgency', 'Expected'), el('severity', severity), el('certainty', 'Likely'), el('headline', 'Blizzard orange warning'), area]);
    return el('alert', [...head, el('code', 'IPAWSv1.0'), ...refs, zh, en]);
  }
  if (style === 'earthquake') {
    // <source> sits between msgType and scope.
    return el('alert', [
      ...head.slice(0, 5),
      el('source', '中国地震台网'),
      head[5]!,
      ...refs,
      el('info', [
        el('language', 'zh-CN'),
        el('category', 'Geo'),
        el('event', '地震'),
        el('urgency', 'Immediate'),
        el('severity', severity),
        el('certainty', 'Observed'),
        el('onset', sent),
        el('senderName', '中国地震台网中心'),
        el('headline', f.headline ?? `${areaDesc}发生5.1级地震`),
        el('description', f.description ?? '震源深度10千米。'),
        pair('parameter', 'magnitude', '5.1'),
        el('area', [el('areaDesc', areaDesc), el('circle', '43.95,116.08 50')]),
      ]),
    ]);
  }
  return el('alert', [
    ...head,
    ...refs,
    el('info', [
      el('language', 'zh-CN'),
      el('category', 'Met'),
      el('category', 'Env'),
      el('event', '洪水'),
      el('responseType', 'Evacuate'),
      el('urgency', 'Immediate'),
      el('severity', severity),
      el('certainty', 'Likely'),
      el('expires', capTime(new Date(Date.now() + 86400_000))),
      el('senderName', '内蒙古自治区水利厅'),
      el('headline', f.headline ?? `${areaDesc}洪水蓝色预警`),
      el('description', f.description ?? '河段水位持续上涨。'),
      el('area', [el('areaDesc', areaDesc), ...(f.geocodes ?? []).map((g) => pair('geocode', 'GB/T 2260', `${g}001000`)), el('altitude', '0')]),
    ]),
    // The xmldsig block CAP allows at the end (not verified by us; HMAC of the body authenticates).
    { name: 'Signature', ns: 'http://www.w3.org/2000/09/xmldsig#', text: '', children: [] },
  ]);
}

/** XML text; the flood style's signature element needs its own namespace declaration. */
export function alertXml(f: AlertFields): string {
  return toXml(alertTree(f)).replace('<Signature></Signature>', '<Signature xmlns="http://www.w3.org/2000/09/xmldsig#"></Signature>');
}
