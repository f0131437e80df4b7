/** Pure rules of the platform link: the platform's answers, backoff, which units an alert covers, who is convened. */
import { describe, expect, it } from 'vitest';
import { buildAnswer, capTime } from '../../server/platform/cap.ts';
import { backoffMs, platformConfigFromEnv } from '../../server/platform/config.ts';
import { categoryFromCap, coverage, lowestCovered } from '../../server/platform/area.ts';
import { alertInvitees, chainInvitees } from '../../server/platform/convene.ts';
import { interpretAnswer } from '../../server/platform/sender.ts';
import { decidesAsLeaderOnDuty } from '../../server/platform/leaderOnDuty.ts';
import { sign, verify } from '../../server/platform/signature.ts';
import { OrgTree } from '../../server/org/tree.ts';
import { flattenTree } from '../../server/seed/demo.ts';
import { ORG_TREE } from '../../server/seed/org-tree.ts';

const tree = new OrgTree(flattenTree(ORG_TREE).map((u) => ({ code: u.code, name: u.name, nameEn: u.name_en, level: u.level, parentCode: u.parent_code, sortOrder: u.sort_order })));
const OURS = '150000-MZ0001-20261231235959-0001';
const at = new Date('2026-12-31T15:59:59Z');
const ack = (id: string) => buildAnswer('Ack', { sender: 'p@x', identifier: 'ACK-1', now: at }, { sender: 'us@x', identifier: id, sent: capTime(at) }).xml;
const err = buildAnswer('Error', { sender: 'p@x', identifier: 'ERR-1', now: at }, null, '缺少字段').xml;

describe('interpretAnswer', () => {
  it.each([
    ['200 + Ack naming ours', 200, ack(OURS), 'acked'],
    ['200 + Ack naming another', 200, ack('someone-else'), 'sent'],
    ['202, empty body', 202, '', 'sent'],
    ['200 + garbage', 200, '<html>ok</html>', 'sent'],
    ['200 + CAP Error', 200, err, 'parked'],
    ['400 + CAP Error', 400, err, 'parked'],
    ['422 without CAP', 422, 'bad', 'parked'],
    ['500', 500, ack(OURS), 'retrying'],
    ['503', 503, '', 'retrying'],
    ['429', 429, '', 'retrying'],
    ['401 (our key is wrong: fix config, keep the message)', 401, '', 'retrying'],
    ['408', 408, '', 'retrying'],
  ] as const)('%s → %s', (_n, status, body, state) => expect(interpretAnswer(status, body, OURS).state).toBe(state));
});

describe('backoff', () => {
  it.each([
    [1, 1000],
    [2, 2000],
    [3, 4000],
    [5, 16000],
    [9, 60000],
    [50, 60000],
  ])('attempt %s → about %s ms (±20 %%), capped', (n, ms) => {
    expect(backoffMs(n, 1000, 60000, () => 0.5)).toBe(ms);
    expect(backoffMs(n, 1000, 60000, () => 0)).toBe(Math.round(ms * 0.8));
    expect(backoffMs(n, 1000, 60000, () => 1)).toBe(Math.round(ms * 1.2));
  });
  it('reads its settings from the environment, ignoring nonsense', () => {
    const c = platformConfigFromEnv({ PLATFORM_RETRY_BASE_MS: '250', PLATFORM_TIMEOUT_MS: '-5', PLATFORM_STATUS: 'Bogus' }, '150000');
    expect(c).toMatchObject({ retryBaseMs: 250, timeoutMs: 10_000, status: 'Actual', url: null, sender: 'dutyoffice@150000.threelevel' });
  });
});

describe('signature', () => {
  it('accepts the right key and body only', () => {
    const body = Buffer.from('<alert/>');
    expect(verify('k', body, sign('k', body))).toBe(true);
    expect(verify('k', body, sign('other', body))).toBe(false);
    expect(verify('k', Buffer.from('<alert/> '), sign('k', body))).toBe(false);
    expect(verify('k', body, undefined)).toBe(false);
    expect(verify('k', body, 'sha256=zz')).toBe(false);
  });
});

describe('coverage of an alert area', () => {
  const area = (areaDesc: string, ...codes: string[]) => ({ areaDesc, geocodes: codes.map((value) => ({ valueName: 'GB/T 2260', value })) });
  it.each([
    ['a county code', [area('x', '150102')], ['150102'], 'geocode'],
    ['a township code counts for its county', [area('x', '150102001000')], ['150102'], 'geocode'],
    ['a city code brings its counties', [area('x', '150100')], tree.subtree('150100').map((u) => u.code), 'geocode'],
    ['codes win over the description', [area('锡林郭勒盟', '150102')], ['150102'], 'geocode'],
    ['unknown codes fall back to the description', [area('东乌珠穆沁旗', '990000')], ['152525'], 'description'],
    ['the most specific name wins', [area('内蒙古自治区锡林郭勒盟东乌珠穆沁旗')], ['152525'], 'description'],
    ['two areas', [area('新城区'), area('回民区')], ['150102', '150103'], 'description'],
    ['nothing of ours', [area('河北省张家口市', '130700')], [], 'none'],
  ] as const)('%s', (_n, areas, units, by) => {
    const c = coverage(tree, areas as never);
    expect(c.matchedBy).toBe(by);
    expect(c.unitCodes).toEqual(units);
  });
  it('demands reports from the most specific covered units', () => {
    expect(lowestCovered(tree, tree.subtree('150100').map((u) => u.code))).toEqual(tree.children('150100').map((u) => u.code));
  });
  it.each([
    [['Met'], 'natural_disaster'],
    [['Geo'], 'natural_disaster'],
    [['Health'], 'public_health'],
    [['Security'], 'social_security'],
    [['Fire'], 'accident'],
    [['Other'], ''],
  ])('CAP category %j → %s', (cats, ours) => expect(categoryFromCap(cats)).toBe(ours));
});

describe('who is convened', () => {
  it('the alert area within my scope, my unit as main venue', () => {
    expect(alertInvitees(tree, '150000', ['150102', '150103'])).toEqual(['150000', '150102', '150103']);
    expect(alertInvitees(tree, '150100', ['150102', '152525'])).toEqual(['150100', '150102']);
    expect(alertInvitees(tree, '150100', ['150100', '150102'])).toEqual(['150100', '150102']);
  });
  it('the reporting chain up to me, or nothing outside my scope', () => {
    expect(chainInvitees(tree, '150000', '150102')).toEqual(['150000', '150102', '150100']);
    expect(chainInvitees(tree, '150100', '150102')).toEqual(['150100', '150102']);
    expect(chainInvitees(tree, '150100', '152525')).toBeNull();
  });
});

describe('decidesAsLeaderOnDuty (带班领导)', () => {
  const p = (userId: number | null, name = `领导${userId}`) => ({ userId, name });
  it.each([
    ['the roster names this leader', [{ leader: p(7) }], 7, true],
    ['the roster names another leader', [{ leader: p(8) }], 7, false],
    ['two shifts overlap, one names this leader', [{ leader: p(8) }, { leader: p(7) }], 7, true],
    ['no shift runs now', [], 7, true],
    ['the shift names no leader', [{ leader: null }], 7, true],
    ['the named leader has no account', [{ leader: p(null, '张三') }], 7, true],
  ])('%s', (_what, entries, userId, ok) => {
    expect(decidesAsLeaderOnDuty(userId, entries as never)).toBe(ok);
  });
});
