/** Messages of this domain, merged into the console's i18n under the key 'control'. Keep both languages in step. */
const zhCN = {
  control: {},
};

const en: typeof zhCN = {
  control: {},
};

export default { 'zh-CN': zhCN, en };
