/** Messages of the account pages (password change, administrator reset), under the key 'account'. */
const zhCN = {
  account: {
    link: '修改密码',
    resetLink: '重置密码',
    change: {
      title: '修改密码',
      old: '原密码',
      new: '新密码',
      confirm: '确认新密码',
      submit: '修改密码',
      done: '密码已修改，其他已登录的会话已退出',
      forced: '管理员已重置您的密码，请先设置新密码后再使用系统',
    },
    reset: {
      title: '重置用户密码',
      hint: '为本单位及下级单位的账号设置新密码；该账号所有会话立即退出，登录锁定同时解除，下次登录须先修改密码。',
      username: '用户名',
      new: '新密码',
      submit: '重置密码',
      done: '已重置 {username} 的密码',
    },
    policy: '密码要求',
    rules: ['长度 8–64 位', '包含大写字母、小写字母、数字、特殊符号中的至少三类', '不能包含用户名', '不能有 4 个或更多相同的连续字符', '不能与原密码相同'],
    mismatch: '两次输入的新密码不一致',
    required: '请填写此项',
  },
};

const en: typeof zhCN = {
  account: {
    link: 'Change password',
    resetLink: 'Reset password',
    change: {
      title: 'Change password',
      old: 'Current password',
      new: 'New password',
      confirm: 'Confirm new password',
      submit: 'Change password',
      done: 'Password changed; your other sessions were signed out',
      forced: 'An administrator reset your password: choose a new one before using the system',
    },
    reset: {
      title: "Reset a user's password",
      hint: 'Set a new password for an account of your unit or a unit below; all its sessions end at once and a login lock is lifted.',
      username: 'Username',
      new: 'New password',
      submit: 'Reset password',
      done: 'Password of {username} reset',
    },
    policy: 'Password policy',
    rules: ['8–64 characters', 'At least three of: upper-case letters, lower-case letters, digits, symbols', 'Must not contain the username', 'No run of 4 or more identical characters', 'Must differ from the current password'],
    mismatch: 'The two new passwords differ',
    required: 'Required',
  },
};

export default { 'zh-CN': zhCN, en };
