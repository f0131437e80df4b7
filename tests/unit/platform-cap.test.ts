/**
 * CAP 1.2 out of our reports: the mapping tables, the identifier, the references chain, and every message
 * type checked against our own model AND the OASIS schema (../shared/standards/cap-1.2.xsd, beside the repo).
 */
import { afterAll, describe, expect, it } from 'vitest';
import { buildAnswer, buildCap, parseReferences, capIdentifier, capTime, categoryOf, msgTypeFor, pushKindOf, referencesOf, REDACTED, SEVERITY_BY_GRADE, type CapReport, type CapSender } from '../../server/platform/cap.ts';
import { checkCap, el, textOf, childrenOf } from '../../server/platform/capModel.ts';
import { capXsdPath, loadCapXsd, parseCapXml } from '../../server/platform/xml.ts';
import { alertXml } from '../../platform-sim/alerts.ts';

const XSD_PATH = capXsdPath();
const xsd = loadCapXsd(XSD_PATH);
if (!xsd) console.warn(`\n  !! ${XSD_PATH} is absent: the OASIS XSD checks below are SKIPPED (our own model still runs)\n`);
afterAll(() => xsd?.dispose());

const S: CapSender = { sender: 'dutyoffice@150000.threelevel', senderName: '内蒙古自治区民政厅总值班室', areaCode: '150000', orgCode: 'MZ0001', status: 'Actual' };
const report = (o: Partial<CapReport> = {}): CapReport => ({
  reportId: '00000000-0000-4000-8000-000000000001',
  incidentId: '00000000-0000-4000-8000-0000000000aa',
  kind: 'initial',
  seq: 0,
  unitCode: '150102',
  unitName: '新城区',
  areaName: '内蒙古自治区呼和浩特市新城区',
  title: '新城区居民楼燃气爆炸',
  place: '新城区某街道',
  category: 'accident',
  grade: 2,
  classification: 0,
  summary: '一栋居民楼发生燃气爆炸 <现场> & 周边',
  casualties: '2人受伤',
  losses: '',
  measures: '已疏散居民',
  nextSteps: '排查管线',
  eventTime: new Date('2026-12-31T15:30:00Z'),
  ...o,
});
// New Year's Eve in Beijing: 23:59:59 on 31 Dec is 15:59:59 UTC; one second later it is 2027 in Beijing.
const NYE = new Date('2026-12-31T15:59:59Z');
const NEW_YEAR = new Date('2026-12-31T16:00:00Z');

describe('mapping tables', () => {
  it.each([
    [1, 'Extreme'],
    [2, 'Severe'],
    [3, 'Moderate'],
    [4, 'Minor'],
  ] as const)('grade %s → severity %s', (grade, severity) => {
    expect(SEVERITY_BY_GRADE[grade]).toBe(severity);
    expect(textOf(childrenOf(buildCap(report({ grade }), 'first', [], S, NYE, 1).tree, 'info')[0], 'severity')).toBe(severity);
  });

  it.each([
    ['natural_disaster', '10000', ['Geo', 'Met']],
    ['accident', '20000', ['Safety']],
    ['public_health', '30000', ['Health']],
    ['social_security', '40000', ['Security']],
    ['', '90000', ['Other']],
    ['something-unknown', '90000', ['Other']],
  ])('category %s → GB/T 35561 %s, CAP %j', (ours, gb, cap) => {
    expect(categoryOf(ours).gbCode).toBe(gb);
    const info = childrenOf(buildCap(report({ category: ours }), 'first', [], S, NYE, 1).tree, 'info')[0];
    expect(childrenOf(info, 'category').map((c) => c.text)).toEqual(cap);
    expect(textOf(childrenOf(info, 'eventCode')[0], 'value')).toBe(gb);
  });

  it.each([
    [NYE, '2026-12-31T23:59:59+08:00', '150000-MZ0001-20261231235959-0007'],
    [NEW_YEAR, '2027-01-01T00:00:00+08:00', '150000-MZ0001-20270101000000-0007'],
    [new Date('2028-02-28T16:00:00Z'), '2028-02-29T00:00:00+08:00', '150000-MZ0001-20280229000000-0007'],
  ])('time %s → sent %s, identifier %s', (at, sent, id) => {
    expect(capTime(at)).toBe(sent);
    expect(capIdentifier('150000', 'MZ0001', at, 7)).toBe(id);
  });

  it('serial wraps at four digits, never longer', () => {
    expect(capIdentifier('150000', 'MZ0001', NYE, 12345)).toMatch(/-2345$/);
  });

  it.each([
    ['first', false, 'Alert'],
    ['first', true, 'Update'],
    ['followup', true, 'Update'],
    ['final', true, 'Update'],
    ['cancel', true, 'Cancel'],
  ] as const)('%s with prior=%s → %s', (kind, prior, type) => expect(msgTypeFor(kind, prior)).toBe(type));

  it.each([
    ['phone', 'first'],
    ['initial', 'first'],
    ['followup', 'followup'],
    ['final', 'final'],
  ] as const)('report kind %s pushes as %s', (k, p) => expect(pushKindOf(k)).toBe(p));
});

describe('parseReferences', () => {
  it.each([
    ['a@b,ID-1,2026-12-31T23:00:00+08:00', [{ sender: 'a@b', identifier: 'ID-1', sent: '2026-12-31T23:00:00+08:00' }]],
    ['  a@b,ID-1,t1\n c@d,ID-2,t2 ', [{ sender: 'a@b', identifier: 'ID-1', sent: 't1' }, { sender: 'c@d', identifier: 'ID-2', sent: 't2' }]],
    ['ID-1', []],
    ['a@b,,t1 a@b,ID-2', []],
    ['', []],
  ])('%j', (text, refs) => expect(parseReferences(text)).toEqual(refs));
});

describe('references chain', () => {
  it('each message references every earlier one of the incident, oldest first', () => {
    const first = buildCap(report(), 'first', [], S, NYE, 1);
    const second = buildCap(report({ kind: 'followup', seq: 1 }), 'followup', [first], S, NEW_YEAR, 2);
    const fin = buildCap(report({ kind: 'final' }), 'final', [first, second], S, new Date(NEW_YEAR.getTime() + 3600_000), 3);
    expect(textOf(first.tree, 'references')).toBeUndefined();
    expect(textOf(second.tree, 'references')).toBe(`${S.sender},${first.identifier},2026-12-31T23:59:59+08:00`);
    expect(textOf(fin.tree, 'references')).toBe(referencesOf(S.sender, [first, second]));
    expect(textOf(fin.tree, 'references')!.split(' ')).toHaveLength(2);
    const params = childrenOf(childrenOf(fin.tree, 'info')[0], 'parameter').map((p) => [textOf(p, 'valueName'), textOf(p, 'value')]);
    expect(params).toContainEqual(['终报', 'true']);
    expect(childrenOf(childrenOf(second.tree, 'info')[0], 'parameter').some((p) => textOf(p, 'valueName') === '终报')).toBe(false);
  });
});

describe('classified content', () => {
  it('秘密 goes out Restricted with a restriction and without the title, summary or measures', () => {
    const m = buildCap(report({ classification: 2 }), 'first', [], S, NYE, 1);
    expect(textOf(m.tree, 'scope')).toBe('Restricted');
    expect(textOf(m.tree, 'restriction')).toBeTruthy();
    expect(m.xml).not.toContain('燃气爆炸');
    expect(m.xml).not.toContain('疏散');
    expect(m.xml).not.toContain('2人受伤');
    expect(m.xml).toContain(REDACTED);
    expect(checkCap(m.tree)).toEqual([]);
  });
  it('公开 and 内部 go out Public with the full text (escaped)', () => {
    for (const classification of [0, 1]) {
      const m = buildCap(report({ classification }), 'first', [], S, NYE, 1);
      expect(textOf(m.tree, 'scope')).toBe('Public');
      expect(m.xml).toContain('&lt;现场&gt; &amp; 周边');
    }
  });
});

describe('every message type conforms to CAP 1.2', () => {
  const first = buildCap(report(), 'first', [], S, NYE, 1);
  const cases: [string, string][] = [
    ['Alert (首报)', first.xml],
    ['Alert (电话报, natural disaster)', buildCap(report({ kind: 'phone', category: 'natural_disaster', grade: 1 }), 'first', [], S, NYE, 2).xml],
    ['Update (续报)', buildCap(report({ kind: 'followup', seq: 1 }), 'followup', [first], S, NEW_YEAR, 3).xml],
    ['Update (终报, final)', buildCap(report({ kind: 'final', grade: 4 }), 'final', [first], S, NEW_YEAR, 4).xml],
    ['Update (classified)', buildCap(report({ classification: 3, kind: 'followup', seq: 2 }), 'followup', [first], S, NEW_YEAR, 5).xml],
    ['Cancel', buildCap(report(), 'cancel', [first], S, NEW_YEAR, 6).xml],
    ['Ack', buildAnswer('Ack', { sender: 'platform@nmg', identifier: 'ACK-1', now: NEW_YEAR }, { sender: S.sender, identifier: first.identifier, sent: first.sent }).xml],
    ['Error', buildAnswer('Error', { sender: 'platform@nmg', identifier: 'ERR-1', now: NEW_YEAR }, null, 'bad message').xml],
    // What the simulator sends in as other agencies: their updates and cancellations too.
    ...(['weather', 'earthquake', 'flood'] as const).flatMap((style): [string, string][] => [
      [`inbound ${style} Alert`, alertXml({ style, identifier: `${style}-1`, sent: '2026-12-31T23:00:00+08:00', geocodes: ['150102'] })],
      [`inbound ${style} Update`, alertXml({ style, identifier: `${style}-2`, msgType: 'Update', references: `a@b,${style}-1,2026-12-31T23:00:00+08:00`, geocodes: ['150102'] })],
      [`inbound ${style} Cancel`, alertXml({ style, identifier: `${style}-3`, msgType: 'Cancel', references: `a@b,${style}-1,2026-12-31T23:00:00+08:00 a@b,${style}-2,2026-12-31T23:30:00+08:00` })],
    ]),
  ];
  it.each(cases)('%s passes our model', (_name, xml) => expect(checkCap(parseCapXml(xml))).toEqual([]));
  it.each(cases)('%s passes the OASIS XSD', (_name, xml) => {
    if (!xsd) return console.warn(`SKIPPED: ${XSD_PATH} absent`);
    expect(xsd.validate(xml)).toEqual([]);
  });
});

describe('our model catches what the standard forbids (and the XSD agrees where it can)', () => {
  const good = () => parseCapXml(buildCap(report(), 'first', [], S, NYE, 1).xml);
  const bad: [string, (t: ReturnType<typeof good>) => void, RegExp, boolean][] = [
    ['sent in UTC "Z"', (t) => (t.children[2]!.text = '2026-12-31T15:59:59Z'), /sent/, true],
    ['unknown severity', (t) => (childrenOf(t, 'info')[0]!.children.find((c) => c.name === 'severity')!.text = 'Catastrophic'), /severity/, true],
    ['elements out of order', (t) => t.children.splice(0, 2, t.children[1]!, t.children[0]!), /out of order|missing/, true],
    ['missing info category', (t) => (childrenOf(t, 'info')[0]!.children = childrenOf(t, 'info')[0]!.children.filter((c) => c.name !== 'category')), /category/, true],
    ['unknown element', (t) => t.children.splice(3, 0, el('priority', 'high')), /unexpected element <priority>/, true],
    ['identifier with a space', (t) => (t.children[0]!.text = 'a b'), /identifier/, false],
    ['Restricted without restriction', (t) => (t.children.find((c) => c.name === 'scope')!.text = 'Restricted'), /restriction/, false],
    ['Update without references', (t) => (t.children.find((c) => c.name === 'msgType')!.text = 'Update'), /references/, false],
  ];
  it.each(bad)('%s', (_name, mutate, msg, xsdToo) => {
    const t = good();
    mutate(t);
    expect(checkCap(t).join('\n')).toMatch(msg);
    if (xsd && xsdToo) {
      // Serialise the broken tree and let the OASIS schema judge it too.
      return import('../../server/platform/capModel.ts').then(({ toXml }) => expect(xsd.validate(toXml(t)).length).toBeGreaterThan(0));
    }
  });
  it('a wrong namespace is not CAP', () => {
    const xml = buildCap(report(), 'first', [], S, NYE, 1).xml.replace('urn:oasis:names:tc:emergency:cap:1.2', 'urn:oasis:names:tc:emergency:cap:1.1');
    expect(checkCap(parseCapXml(xml))[0]).toMatch(/namespace/);
  });
});
