/** Atom feed (RFC 4287) of the CAP messages sent, for platforms that pull: newest first, CAP inline. */
import type { OutboxRow } from './repo.ts';
import { capTime } from './cap.ts';

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
const headline = (xml: string) => /<headline>([^<]*)<\/headline>/.exec(xml)?.[1] ?? '';

export function atomFeed(rows: OutboxRow[], o: { selfUrl: string; sender: string; senderName: string; now: Date }): string {
  const updated = rows[0]?.sent_at ?? o.now;
  const entries = rows.map((r) => {
    // Our own, model-checked CAP goes inline (an XML media type may be embedded as is).
    const cap = r.xml.replace(/^<\?xml[^>]*\?>\s*/, '');
    return `  <entry>
    <id>urn:cap:${esc(r.identifier)}</id>
    <title>${esc(`${r.msg_type} ${headline(r.xml)}`)}</title>
    <updated>${capTime(r.sent_at ?? r.created_at)}</updated>
    <content type="application/cap+xml">
${cap}    </content>
  </entry>`;
  });
  return `<?xml version="1.0" encoding="UTF-8"?>
<feed xmlns="http://www.w3.org/2005/Atom">
  <id>urn:cap-feed:${esc(o.sender)}</id>
  <title>${esc(o.senderName)} · 已推送应急平台的信息</title>
  <updated>${capTime(updated)}</updated>
  <author><name>${esc(o.senderName)}</name></author>
  <link rel="self" href="${esc(o.selfUrl)}"/>
${entries.join('\n')}
</feed>
`;
}
