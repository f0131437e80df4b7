/**
 * Messages of the office's further desks — departments as submitting units (内设机构), external adoptions,
 * the PDF download — under their own key 'infoOffice' (merged beside 'information'). Keep both languages in step.
 */
const zhCN = {
  infoOffice: {
    tab: '内设机构',
    departments: {
      title: '本单位内设机构（作为报送单位）',
      hint: '内设机构向本单位报送信息，由其负责人审核签发；本单位刊物同时发送各内设机构。',
      code: '代码',
      name: '名称',
      accounts: '账号',
      none: '尚未登记内设机构',
      register: '登记内设机构',
      shortName: '机构名称（如：社会救助处）',
      officerName: '信息员姓名',
      officerPhone: '信息员电话',
      leaderName: '负责人姓名（签发人）',
      password: '两个账号的初始密码',
      passwordHint: '不含本单位代码；8 位以上，含大写、小写、数字、符号中的三类',
      registered: '已登记 {name}：账号 {accounts}',
      roleInfo: '信息员',
      roleLeader: '负责人',
    },
    external: {
      open: '记录外部采用',
      title: '被系统外上级机关采用（如民政部、国办）',
      body: '采用机关',
      publication: '刊物名称',
      adoptedTitle: '采用标题（可不填）',
      save: '记录采用',
      cancel: '取消',
      saved: '已记录：{body}《{publication}》采用',
      recorded: '已记录的采用',
    },
    pdf: '下载 PDF',
  },
};

const en: typeof zhCN = {
  infoOffice: {
    tab: 'Departments',
    departments: {
      title: "The office's own departments (as submitting units)",
      hint: "Departments submit items to this office, signed off by their head; the office's publications are sent to them too.",
      code: 'Code',
      name: 'Name',
      accounts: 'Accounts',
      none: 'No departments registered yet',
      register: 'Register a department',
      shortName: 'Name (e.g. Social Assistance Division)',
      officerName: 'Information officer',
      officerPhone: "Officer's phone",
      leaderName: 'Head (signs items off)',
      password: 'First password of both accounts',
      passwordHint: "Without the office's code; 8+ characters, three of upper, lower, digit, symbol",
      registered: 'Registered {name}: accounts {accounts}',
      roleInfo: 'Officer',
      roleLeader: 'Head',
    },
    external: {
      open: 'Record an external adoption',
      title: 'Adopted by a body outside the system (e.g. the Ministry, the State Council office)',
      body: 'Adopted by',
      publication: 'Publication',
      adoptedTitle: 'Title as adopted (optional)',
      save: 'Record',
      cancel: 'Cancel',
      saved: 'Recorded: adopted by {body} in 《{publication}》',
      recorded: 'Adoptions recorded',
    },
    pdf: 'Download PDF',
  },
};

export default { 'zh-CN': zhCN, en };
