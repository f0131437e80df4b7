/** Messages of the alarms (banner, sound permission), merged under the key 'alarm'. Keep both languages in step. */
const zhCN = {
  alarm: {
    level: { siren: '紧急', chime: '重要', notice: '提醒' },
    ack: '确认收到',
    ackAll: '全部确认（{n}）',
    more: '另有 {n} 条待确认',
    sound: {
      ask: '浏览器阻止了提醒声音。值班期间请开启声音，以免错过紧急信息。',
      enable: '开启声音',
      later: '暂不开启',
      blocked: '提醒声音暂被浏览器阻止：点击页面任意处即可恢复。',
      off: '提醒声音未开启：紧急信息只有画面提示。',
      turnOn: '开启',
    },
  },
};

const en = {
  alarm: {
    level: { siren: 'Urgent', chime: 'Important', notice: 'Notice' },
    ack: 'Acknowledge',
    ackAll: 'Acknowledge all ({n})',
    more: '{n} more waiting',
    sound: {
      ask: 'The browser blocks alert sounds. Turn them on while on duty so that no urgent report is missed.',
      enable: 'Turn sound on',
      later: 'Not now',
      blocked: 'Alert sounds are blocked by the browser: click anywhere on the page to restore them.',
      off: 'Alert sounds are off: urgent reports show on screen only.',
      turnOn: 'Turn on',
    },
  },
};

export default { 'zh-CN': zhCN, en };
