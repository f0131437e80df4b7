/** Messages of the urgent-reports domain that live beside its code (the rest are still in shared/i18n). */
const zhCN = {
  reportList: {
    report: '报告',
    reportedAt: '报送时间',
    anyGrade: '全部等级',
    anyState: '全部状态',
    anyUnit: '全部单位',
    search: '搜索标题或地点',
    noMatch: '没有符合条件的报告',
    state: { draft: '草稿', pending_signoff: '待签发', returned: '已退回', sent: '已上报' },
  },
};

const en: typeof zhCN = {
  reportList: {
    report: 'Report',
    reportedAt: 'Sent at',
    anyGrade: 'Any grade',
    anyState: 'Any state',
    anyUnit: 'Any unit',
    search: 'Search title or place',
    noMatch: 'No report matches',
    state: { draft: 'Draft', pending_signoff: 'Awaiting sign-off', returned: 'Returned', sent: 'Sent' },
  },
};

export default { 'zh-CN': zhCN, en };
