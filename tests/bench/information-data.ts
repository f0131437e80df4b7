/**
 * Ten years of routine government information for the scale bench, generated in SQL (generate_series) on
 * Postgres: items over the region's units and departments, their deliveries to the parent office, forwards to
 * the region, adoptions into the offices' publications, 批示 on a share of the adopted ones, and a fingerprint
 * per submitted item. Rates are those the bureaus' documents describe: roughly a third of the items reaching
 * a city are adopted, a third of those forwarded, and about 40 % of the forwards adopted by the region.
 *
 * Background fingerprints carry random MinHash values and band keys: distinct texts share a band key only
 * by chance, which random keys reproduce, and 1 M real signatures would take the bench's whole time. Short
 * items keep their normalised text for pg_trgm like real ones. The items the check must find are inserted
 * with real fingerprints (see information-scale.ts).
 */
import { sql, type Kysely } from 'kysely';
import type { Database } from '../../db/schema.ts';

const TOPICS = ['防汛救灾', '冬春救助', '低保扩围', '特困供养', '养老服务', '儿童福利', '殡葬改革', '社会组织', '基层治理', '区划地名', '婚姻登记', '慈善事业', '残疾人福利', '临时救助', '流浪乞讨救助', '社区建设', '社会工作', '志愿服务', '老龄工作', '未成年人保护'];
const SENTENCES = [
  '会议传达学习了自治区党委、政府有关会议精神，研究部署了下一阶段重点工作。',
  '各旗县区民政部门要切实提高政治站位，压实工作责任，确保各项政策措施落地见效。',
  '截至目前，已累计发放救助资金1860万元，惠及困难群众2.3万人次。',
  '针对排查中发现的问题，建立问题清单和整改台账，实行销号管理。',
  '工作组深入基层一线，走访困难家庭126户，了解群众实际困难和诉求。',
  '下一步，将进一步健全完善工作机制，加强部门协同，形成工作合力。',
  '同时，加大政策宣传力度，通过政务新媒体、村务公开栏等渠道宣传惠民政策。',
  '全市共排查养老机构48家，整改安全隐患93处，开展消防演练21场次。',
  '该旗创新实施“民政+网格”工作模式，将低收入人口动态监测纳入网格化管理。',
  '活动期间，共组织志愿者1200余人次，开展关爱服务活动350余场。',
  '据统计，今年以来全区新增纳入低保对象1.1万人，特困人员3200人。',
  '会议要求，要坚持问题导向，聚焦群众急难愁盼问题，持续推动民政事业高质量发展。',
  '经过前期摸底调查，确定首批试点社区12个，明确建设标准和时间节点。',
  '该区投入资金560万元，新建社区日间照料中心8处，改造农村互助幸福院15处。',
  '下一步工作中，将强化督促检查，对工作推进不力的地区进行通报。',
  '通过线上线下相结合的方式，累计培训基层民政干部860人次。',
];

const arr = (xs: string[]) => sql.raw(`array[${xs.map((x) => `'${x.replace(/'/g, "''")}'`).join(',')}]::text[]`);

export interface Generated {
  items: number;
  deliveries: number;
  adoptions: number;
  instructions: number;
  seconds: number;
}

/** Departments (outside the tree) of the region and of each city: submitting units below their office. */
export async function addDepartments(db: Kysely<Database>): Promise<number> {
  const names = ['办公室', '社会救助处', '养老服务处', '儿童福利处', '社会事务处', '规划财务处'];
  await sql`
    insert into units (code, name, name_en, level, parent_code, sort_order)
    select substr(o.code, 1, 4) || (90 + d.n)::text, o.name || (${arr(names)})[d.n], 'Department', o.level + 1, o.code, 900 + d.n
    from units o cross join generate_series(1, 6) d(n)
    where o.level < 3 and (o.level = 1 or d.n <= 3)
    on conflict do nothing`.execute(db);
  const { rows } = await sql<{ n: string }>`select count(*) n from units where sort_order > 900`.execute(db);
  return Number(rows[0]!.n);
}

/** `n` submitted items over 10 years up to `end`, with everything that hangs off them. */
export async function generateItems(db: Kysely<Database>, n: number, end: Date, say: (s: string) => void): Promise<Generated> {
  const t0 = performance.now();
  let lap = t0;
  const log = (s: string) => {
    const now = performance.now();
    say(`${s} (${((now - lap) / 1000).toFixed(1)} s)`);
    lap = now;
  };
  await sql`drop table if exists bench_units`.execute(db);
  // Every unit below the region with its submitting officer and signing leader (departments borrow their office's).
  await sql`
    create table bench_units as
    select row_number() over (order by u.code)::int as idx, u.code, u.parent_code, u.level,
      coalesce(io.id, po.id) as info_id, coalesce(il.id, pl.id) as leader_id
    from units u
    left join users io on io.username = u.code || '-info'
    left join users il on il.username = u.code || '-leader'
    left join users po on po.username = u.parent_code || '-info'
    left join users pl on pl.username = u.parent_code || '-leader'
    where u.parent_code is not null`.execute(db);
  const { rows: cnt } = await sql<{ n: number }>`select count(*)::int n from bench_units`.execute(db);
  const units = cnt[0]!.n;
  const chunk = 100_000;
  for (let from = 1; from <= n; from += chunk) {
    const to = Math.min(n, from + chunk - 1);
    // Items: uniform over units and the ten years; 6–14 sentences of body (200–500 characters), mostly long texts.
    await sql`
      insert into info_items (id, unit_code, kind, title, body, classification, state, version, created_by, created_at, updated_at,
        signed_by, signed_at, signed_version, sign_comment, review_contains_secrets, review_fit_to_publish, review_figures_checked, submitted_at)
      select gen_random_uuid(), u.code, (array['dynamic','key_event','practice','suggestion','analysis'])[1 + (s.g % 5)],
        u.code || '关于' || (${arr(TOPICS)})[1 + (s.g % 20)] || '工作情况（' || s.g || '）',
        (select string_agg((${arr(SENTENCES)})[1 + floor(random() * 16)::int], '') from generate_series(1, 6 + (s.g % 9)) x where x > 0 * s.g),
        case when s.r < 0.9 then 0 else 1 end, 'submitted', 1, u.info_id, s.t - interval '2 hours', s.t, u.leader_id, s.t, 1, '', false, true, true, s.t
      from (
        select g, 1 + floor(random() * ${units})::int as ui, random() as r,
          ${end}::timestamptz - random() * interval '3652 days' as t
        from generate_series(${from}::int, ${to}::int) g
      ) s join bench_units u on u.idx = s.ui`.execute(db);
    log(`  items ${to.toLocaleString('en')} / ${n.toLocaleString('en')}`);
  }
  // Deliveries to the parent office; items of the last 30 days still wait, older ones were decided.
  await sql`
    insert into info_deliveries (item_id, office_code, route, state, received_at, acknowledged_at, decided_at, reason)
    select i.id, u.parent_code, 'parent',
      case when i.submitted_at > ${end}::timestamptz - interval '30 days' then 'received'
           when h < 0.33 then 'adopted' else 'not_adopted' end,
      i.submitted_at, i.submitted_at + interval '1 hour', i.submitted_at + interval '1 day', ''
    from (select i.*, (hashtext(i.id::text) & 2147483647) % 1000 / 1000.0 as h from info_items i) i join units u on u.code = i.unit_code
    where u.parent_code is not null`.execute(db);
  log('  deliveries to the parent office');
  // Forwards: a third of a city's adoptions go up to the region, 40 % of those are adopted there.
  await sql`
    insert into info_deliveries (item_id, office_code, route, from_office_code, state, received_at, acknowledged_at, decided_at, reason)
    select d.item_id, o.parent_code, 'forward', d.office_code,
      case when (hashtext(d.item_id::text || 'r') & 2147483647) % 100 < 40 then 'adopted' else 'not_adopted' end,
      d.decided_at + interval '2 hours', d.decided_at + interval '3 hours', d.decided_at + interval '1 day', ''
    from info_deliveries d join units o on o.code = d.office_code
    where d.state = 'adopted' and o.level = 2 and (hashtext(d.item_id::text || 'f') & 2147483647) % 3 = 0`.execute(db);
  await sql`update info_deliveries set forwarded_at = decided_at + interval '1 hour' where state = 'adopted' and id in (select d.id from info_deliveries d join info_deliveries f on f.item_id = d.item_id and f.from_office_code = d.office_code)`.execute(db);
  log('  forwards to the region');
  // Adoptions into the office's publications: tier 1 mostly, the higher tiers rarer.
  await sql`
    insert into info_adoptions (item_id, office_code, publication_id, title, body, adopted_by, adopted_at)
    select d.item_id, d.office_code, p.id, i.title, i.body, coalesce(e.id, i.signed_by), d.decided_at
    from info_deliveries d
    join info_items i on i.id = d.item_id
    left join users e on e.username = d.office_code || '-editor'
    join lateral (
      select p.id from info_publications p where p.office_code = d.office_code
      order by case when p.tier = 1 then 0.7 when p.tier = 2 then 0.25 else 0.05 end * (1 + (hashtext(d.id::text) & 2147483647) % 100) desc limit 1
    ) p on true
    where d.state = 'adopted'`.execute(db);
  log('  adoptions');
  // 批示 on 3 % of adopted items, by the adopting office's leader, addressed to the item's unit.
  await sql`
    insert into report_instructions (info_item_id, unit_code, author_id, text, created_at)
    select a.item_id, a.office_code, l.id, '请认真总结经验，进一步抓好落实。', a.adopted_at + interval '2 days'
    from info_adoptions a join users l on l.username = a.office_code || '-leader'
    where (hashtext(a.id::text) & 2147483647) % 100 < 3`.execute(db);
  await sql`
    insert into instruction_targets (instruction_id, unit_code, done_at)
    select r.id, i.unit_code, r.created_at + interval '5 days' from report_instructions r join info_items i on i.id = r.info_item_id`.execute(db);
  log('  instructions');
  // Fingerprints: random signatures (see above), the normalised text of short items for pg_trgm.
  // GIN indexes are built once after the bulk insert (maintained row by row they cost minutes at 1 M).
  await sql`drop index info_fingerprints_bands_idx`.execute(db);
  await sql`drop index info_fingerprints_short_idx`.execute(db);
  const randoms = (k: number) => sql.raw(`array[${Array.from({ length: k }, () => '(random() * 4294967295 - 2147483648)::int').join(',')}]`);
  await sql`
    insert into info_fingerprints (item_id, text_len, minhash, bands, short_text, submitted_at)
    select i.id, length(i.title) + length(i.body), ${randoms(64)}, ${randoms(21)},
      case when length(i.title) + length(i.body) <= 340 then regexp_replace(lower(i.title || i.body), '[^[:alnum:]]', '', 'g') end, i.submitted_at
    from info_items i`.execute(db);
  log('  fingerprints');
  await sql`create index info_fingerprints_bands_idx on info_fingerprints using gin (bands)`.execute(db);
  await sql`create index info_fingerprints_short_idx on info_fingerprints using gin (short_text gin_trgm_ops) where short_text is not null`.execute(db);
  log('  fingerprint indexes (GIN: band keys, trigrams of short texts)');
  await sql`drop table bench_units`.execute(db);
  await sql`vacuum analyze`.execute(db);
  log('  vacuum analyze');
  const count = async (t: string) => Number((await sql<{ n: string }>`select count(*) n from ${sql.table(t)}`.execute(db)).rows[0]!.n);
  return {
    items: await count('info_items'),
    deliveries: await count('info_deliveries'),
    adoptions: await count('info_adoptions'),
    instructions: await count('report_instructions'),
    seconds: (performance.now() - t0) / 1000,
  };
}

/** Frequent characters of 政务信息: texts drawn from them share a 3-shingle only now and then, like distinct items. */
const CHARS = '的一是在不了有和人这中大为上个国我以要他时来用们生到作地于出就分对成会可主发年动同工也能下过子说产种面而方后多定行学法所民得经十三之进着等部度家电力里如水化高自二理起小物现实加量都两体制机当使点从业本去把性好应开它合还因由其些然前外天政四日那社义事平形相全表间样与关各重新线内数正心反你明看原又么利比或但质气第向道命此变条只没结解问意建月公无系军很情者最立代想已通并提直题党程展五果料象员革位入常文总次品式活设及管特件长求老头基资边流路级少图山统接知较将组见计别她手角期根论运农指几九区强放决西被干做必战先回则任取据处队南给色光门即保治北造百规热领七海口东导器压志世金增争济阶油思术极交受联什认六共权收证改清己美再采转更单风切打白教速花带安场身车例真务具万每目至达走积示议声报斗完类八离华名确才科张信马节话米整空元况今集温传土许步群广石记需段研界拉林律叫且究观越织装影算低持音众书布复容儿须际商非验连断深难近矿千周委素技备半办青省列习响约支般史感劳便团往酸历市克何除消构府称太准精值号率族维划选标写存候毛亲快效斯院查江型眼王按格养易置派层片始却专状育厂京识适属圆包火住调满县局照参红细引听该铁价严';
export function distinctText(chars: number, seed: number): { title: string; body: string } {
  let x = (seed + 1) * 2654435761;
  const next = () => {
    x = (Math.imul(x ^ (x >>> 15), 2246822519) + 0x6b43a9b5) >>> 0;
    return x;
  };
  const pick = (n: number) => Array.from({ length: n }, () => CHARS[next() % CHARS.length]).join('');
  let body = '';
  while (body.length < chars) body += pick(12 + (next() % 20)) + (next() % 4 ? '，' : '。\n');
  return { title: `${pick(14)}的情况报告`, body: body.slice(0, chars) };
}
