/** Messages of the side menu and breadcrumbs, merged under the key 'menu'. Keep both languages in step. */
const zhCN = {
  menu: {
    home: '视频会议',
    incident: '事件详情',
    print: '打印报送单',
    attendance: '签到与录制',
    deviceTest: '设备检测',
    toAcknowledge: '{n} 条待签收',
    toSignOff: '{n} 条待签发',
    openAlerts: '{n} 条预警未处理',
    collapse: '收起菜单',
    expand: '展开菜单',
    crumbs: '当前位置',
  },
};

const en = {
  menu: {
    home: 'Meetings',
    incident: 'Incident',
    print: 'Print form',
    attendance: 'Attendance & recordings',
    deviceTest: 'Device test',
    toAcknowledge: '{n} to acknowledge',
    toSignOff: '{n} to sign off',
    openAlerts: '{n} open alerts',
    collapse: 'Collapse menu',
    expand: 'Expand menu',
    crumbs: 'You are here',
  },
};

export default { 'zh-CN': zhCN, en };
