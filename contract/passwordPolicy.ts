/**
 * The password policy (等保2.0 第三级 identity rules as the bureaus apply them): plain functions without
 * zod, so the console can show the problems as you type without loading a validator.
 */
export const PASSWORD_MIN = 8;
export const PASSWORD_MAX = 64;

/** The stated policy, one line per rule (shown on the change-password page). */
export const PASSWORD_POLICY_ZH = [
  `长度 ${PASSWORD_MIN}–${PASSWORD_MAX} 位`,
  '包含大写字母、小写字母、数字、特殊符号中的至少三类',
  '不能包含用户名',
  '不能有 4 个或更多相同的连续字符',
  '不能与原密码相同',
] as const;

/** Chinese descriptions of what is wrong with `password` (empty: acceptable). */
export function passwordProblems(password: string, username: string): string[] {
  const out: string[] = [];
  if (password.length < PASSWORD_MIN) out.push(`长度至少 ${PASSWORD_MIN} 位`);
  if (password.length > PASSWORD_MAX) out.push(`长度不能超过 ${PASSWORD_MAX} 位`);
  const classes = [/[A-Z]/, /[a-z]/, /[0-9]/, /[^A-Za-z0-9]/].filter((r) => r.test(password)).length;
  if (classes < 3) out.push('须包含大写字母、小写字母、数字、特殊符号中的至少三类');
  const name = username.trim().toLowerCase();
  if (name && password.toLowerCase().includes(name)) out.push('不能包含用户名');
  if (/(.)\1{3,}/u.test(password)) out.push('不能有 4 个或更多相同的连续字符');
  if (/\s/.test(password)) out.push('不能包含空格');
  return out;
}
