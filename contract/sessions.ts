/**
 * Sessions on the wire (issue 16): the idle timeout and its warning, the per-user limit of concurrent
 * sessions, the list of a user's sessions with their remote ends, and the security administrator's policy.
 */
import { z } from 'zod';

/** Why a session ended other than by its own logout (the console says so in words). */
export const SESSION_END_REASONS = ['idle', 'evicted', 'revoked', 'disabled'] as const;
export type SessionEndReason = (typeof SESSION_END_REASONS)[number];

export const SESSION_END_ZH: Record<SessionEndReason, string> = {
  idle: '长时间未操作，已自动退出登录，请重新登录',
  evicted: '您的账号已在另一处登录（超出同时在线数量上限），本处已退出登录',
  revoked: '本会话已被注销，请重新登录',
  disabled: '账号已被停用，请联系系统管理员',
};

/** GET /api/auth/session, POST /api/auth/activity: when this session lapses if nobody acts (server time). */
export interface SessionStatus {
  now: string;
  /** null: no idle timeout in force. */
  idleExpiresAt: string | null;
  idleMinutes: number;
  /** The console warns this many seconds before the lapse. */
  warnSeconds: number;
}

/** One live session (GET /api/auth/sessions, GET /api/admin/sessions). */
export interface SessionInfo {
  id: number;
  username: string;
  displayName: string;
  unitCode: string;
  remote: string | null;
  userAgent: string | null;
  startedAt: string;
  lastActiveAt: string;
  /** The session this request came with. */
  current: boolean;
}

/** The session policy (GET/PUT /api/admin/security-policy). */
export const IDLE_MINUTES_MIN = 5;
export const IDLE_MINUTES_MAX = 480;
export const MAX_SESSIONS_MAX = 20;
export const sessionPolicyBody = z.object({
  idleMinutes: z.number().int().min(IDLE_MINUTES_MIN).max(IDLE_MINUTES_MAX),
  maxSessions: z.number().int().min(1).max(MAX_SESSIONS_MAX),
});
export type SessionPolicyBody = z.infer<typeof sessionPolicyBody>;

export interface SessionPolicy {
  /** 0: not enforced (a server default for test harnesses only; the policy page cannot set it). */
  idleMinutes: number;
  /** 0: no limit (ditto). */
  maxSessions: number;
  /** Who saved it and when; null: the server's defaults are in force. */
  updatedAt: string | null;
  updatedBy: string | null;
}

export const adminSessionsQuery = z.object({ username: z.string().trim().max(100).optional() });
