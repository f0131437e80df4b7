/**
 * Real-looking 政务信息 items for the near-duplicate tests: an original, the same text again, its paragraphs
 * reordered, a few words changed, and a different item on the same topic (flood relief) that must not match.
 */

const p1 = '7月以来，我区持续遭遇强降雨天气，部分旗县出现山洪和城市内涝。自治区民政厅第一时间启动自然灾害救助四级应急响应，派出3个工作组分赴赤峰市、通辽市受灾严重地区，指导开展受灾群众转移安置和基本生活救助工作。';
const p2 = '截至7月25日，全区共紧急转移安置受灾群众1.2万人，调拨帐篷800顶、折叠床1500张、棉被3000床，下拨自治区级自然灾害救助资金2000万元，确保受灾群众有饭吃、有干净水喝、有衣穿、有临时安全住所、有病能得到及时医治。';
const p3 = '下一步，自治区民政厅将继续密切关注雨情汛情，督促各地加强灾情统计报送，做好过渡期生活救助和冬春救助准备，对因灾返贫致贫的困难群众及时纳入低保、特困供养或临时救助范围，切实兜住兜准兜牢民生底线。';

export const ORIGINAL = { title: '自治区民政厅全力做好强降雨受灾群众救助工作', body: [p1, p2, p3].join('\n') };
export const IDENTICAL = { ...ORIGINAL };
export const REORDERED = { title: ORIGINAL.title, body: [p2, p3, p1].join('\n\n') };
export const FEW_WORDS_CHANGED = {
  title: '自治区民政厅扎实做好强降雨受灾群众救助工作',
  body: [
    p1.replace('派出3个工作组', '派出4个工作组').replace('赤峰市、通辽市', '赤峰市、兴安盟'),
    p2.replace('1.2万人', '1.3万人').replace('折叠床1500张', '折叠床1800张'),
    p3.replace('密切关注', '持续关注'),
  ].join('\n'),
};
/** Same topic, same vocabulary (强降雨, 受灾群众, 救助), different facts and sentences: not a duplicate. */
export const SAME_TOPIC = {
  title: '通辽市民政局多措并举保障汛期困难群众基本生活',
  body: [
    '入汛以来，通辽市民政局把保障困难群众基本生活作为防汛工作的重要内容，组织各旗县区民政部门对辖区内低保对象、特困人员、留守老人和困境儿童逐户排查，建立汛期重点关注对象台账，落实包联责任人。',
    '针对科尔沁区、开鲁县部分地势低洼村屯积水问题，市民政局协调应急、住建等部门提前转移特困供养人员46人，安排到敬老院和亲属家中集中照料，并为分散供养对象发放应急物资包。',
    '同时，全市各级救助站开通24小时求助热线，加强对流浪乞讨人员的街面巡查救助，汛期累计救助流浪乞讨人员132人次，未发生冻饿、溺水等意外事件。',
  ].join('\n'),
};

/** A short item (pg_trgm path) and its variants. */
export const SHORT = { title: '全区养老服务体系建设推进会在呼和浩特召开', body: '会议总结了全区养老服务工作，部署下一阶段社区居家养老服务网络建设任务。' };
export const SHORT_CHANGED = { title: '全区养老服务体系建设推进会在呼和浩特市召开', body: '会议总结了全区养老服务工作，安排下一阶段社区居家养老服务网络建设任务。' };
export const SHORT_SAME_TOPIC = { title: '包头市社区养老服务驿站实现街道全覆盖', body: '今年以来，包头市新建社区养老服务驿站35个，为老年人提供助餐、助浴、日间照料等服务。' };

/** A long item of about `chars` characters from varied sentences (the bench's 2,000-character check). */
export function longItem(chars: number, seed = 1): { title: string; body: string } {
  const parts = [p1, p2, p3, ...SAME_TOPIC.body.split('\n')];
  let body = '';
  let i = seed;
  while (body.length < chars) {
    const s = parts[i % parts.length]!;
    body += s.replace(/\d+/g, (d) => String(Number(d) + i)) + '\n';
    i++;
  }
  return { title: `关于汛期救助工作情况的综合报告（第${seed}号）`, body: body.slice(0, chars) };
}
