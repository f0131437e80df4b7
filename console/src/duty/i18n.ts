/** Messages of this domain, merged into the console's i18n under the key 'duty'. Keep both languages in step. */
const zhCN = {
  duty: {},
};

const en: typeof zhCN = {
  duty: {},
};

export default { 'zh-CN': zhCN, en };
