/** Messages of the audit administrator's page (审计日志), under the key 'audit'. */
const zhCN = {
  audit: {
    nav: '审计日志',
    title: '审计日志',
    hint: '登录、失败登录、涉密信息查阅、导出和每一次变更都记录在此；日志只增不改，每条以哈希与上一条相链。',
    from: '开始时间',
    to: '结束时间',
    username: '用户名',
    action: '操作（包含）',
    search: '查询',
    export: '导出 Excel',
    verify: '校验哈希链',
    verifyOk: '哈希链完整：已校验 {checked} 条，全部相链',
    verifyBroken: '哈希链断裂：第 {id} 条（{at}，{action}）{why}；此前 {checked} 条完整',
    whyHash: '内容已被改动',
    whyPrev: '其前一条已被删除或调换',
    col: { id: '序号', at: '时间', user: '用户', unit: '单位', remote: '来源地址', action: '操作', target: '对象', status: '结果', detail: '详情' },
  },
};

const en: typeof zhCN = {
  audit: {
    nav: 'Audit trail',
    title: 'Audit trail',
    hint: 'Sign-ins, failed sign-ins, reads of classified content, exports and every change are recorded here; the trail only grows, each entry hash-chained to the one before.',
    from: 'From',
    to: 'To',
    username: 'Username',
    action: 'Action (contains)',
    search: 'Search',
    export: 'Export Excel',
    verify: 'Verify chain',
    verifyOk: 'Chain intact: {checked} entries checked, every link holds',
    verifyBroken: 'Chain broken at entry #{id} ({at}, {action}): {why}; the {checked} entries before it hold',
    whyHash: 'its content was changed',
    whyPrev: 'the entry before it was removed or reordered',
    col: { id: '#', at: 'Time', user: 'User', unit: 'Unit', remote: 'Address', action: 'Action', target: 'Target', status: 'Result', detail: 'Detail' },
  },
};

export default { 'zh-CN': zhCN, en };
