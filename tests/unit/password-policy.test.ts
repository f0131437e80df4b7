/** The stated password policy (等保2.0): length, three of four classes, not the username, no long runs. */
import { describe, expect, it } from 'vitest';
import { passwordProblems } from '../../contract/auth.ts';

describe('password policy', () => {
  it.each([
    ['Demo@2026', '150102-duty', []],
    ['Abc12345', 'x', []],
    ['abc@1234', 'x', []],
    ['Ab1@', 'x', ['长度至少 8 位']],
    ['abcdefgh1', 'x', ['须包含大写字母、小写字母、数字、特殊符号中的至少三类']],
    ['ABCDEFGH', 'x', ['须包含大写字母、小写字母、数字、特殊符号中的至少三类']],
    ['Zhang@150102-duty', '150102-duty', ['不能包含用户名']],
    ['Zhang@150102-DUTY', '150102-duty', ['不能包含用户名']],
    ['Baaaa@1234', 'x', ['不能有 4 个或更多相同的连续字符']],
    ['Ab 1@5678', 'x', ['不能包含空格']],
    ['A1@' + 'b'.repeat(3) + 'c'.repeat(3) + 'd'.repeat(60), 'x', ['长度不能超过 64 位', '不能有 4 个或更多相同的连续字符']],
  ])('%s (user %s)', (password, username, problems) => {
    expect(passwordProblems(password, username)).toEqual(problems);
  });
});
