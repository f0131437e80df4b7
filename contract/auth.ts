/**
 * Accounts: password change and reset bodies, and the password policy (等保2.0 第三级 identity rules as the
 * bureaus apply them), shared by the server (which enforces it) and the console (which shows it as you type).
 */
import { z } from 'zod';
import { ukeyProof } from './certificates.ts';

export { PASSWORD_MAX, PASSWORD_MIN, PASSWORD_POLICY_ZH, passwordProblems } from './passwordPolicy.ts';

/** POST /api/auth/login (a UKey's proof when the account signs in with certificate + password by UKey) */
export const loginBody = z.object({ username: z.string().trim().min(1).max(100), password: z.string().min(1).max(200), ukey: ukeyProof.optional() });
export type LoginBody = z.infer<typeof loginBody>;

export const changePasswordBody = z.object({ oldPassword: z.string().min(1).max(200), newPassword: z.string().min(1).max(200) });
export type ChangePasswordBody = z.infer<typeof changePasswordBody>;

export const resetPasswordBody = z.object({ username: z.string().trim().min(1).max(100), newPassword: z.string().min(1).max(200) });
export type ResetPasswordBody = z.infer<typeof resetPasswordBody>;

/** The login refusal details: tries left before the lock, or minutes until it lifts. */
export const loginErrorDetails = z.object({ attemptsLeft: z.number().int().optional(), retryAfterMin: z.number().int().optional() });
export type LoginErrorDetails = z.infer<typeof loginErrorDetails>;
