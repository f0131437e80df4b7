/** API errors: a stable machine code plus a Chinese message the console can show as is. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
  }
  toJSON() {
    return { code: this.code, message: this.message, ...(this.details === undefined ? {} : { details: this.details }) };
  }
}

export const errors = {
  authRequired: () => new ApiError(401, 'AUTH_REQUIRED', '请先登录'),
  authInvalid: () => new ApiError(401, 'AUTH_INVALID', '用户名或密码错误'),
  roleForbidden: () => new ApiError(403, 'ROLE_FORBIDDEN', '当前角色无权执行此操作'),
  scopeForbidden: (detail?: unknown) => new ApiError(403, 'SCOPE_FORBIDDEN', '所选单位超出本单位管辖范围', detail),
  notFound: (what: string) => new ApiError(404, 'NOT_FOUND', `${what}不存在`),
  validation: (details: unknown) => new ApiError(400, 'VALIDATION', '提交内容不完整或格式不正确', details),
  meetingNotInvited: () => new ApiError(403, 'MEETING_NOT_INVITED', '本单位未受邀参加此会议'),
  meetingEnded: () => new ApiError(409, 'MEETING_ENDED', '会议已结束'),
  notInMeeting: () => new ApiError(409, 'NOT_IN_MEETING', '尚未加入会议'),
  mediaFailed: (message: string) => new ApiError(500, 'MEDIA_FAILED', `媒体服务出错：${message}`),
  requestIdConflict: () => new ApiError(409, 'REQUEST_ID_CONFLICT', '提交编号冲突，请刷新后重新提交'),
  internal: () => new ApiError(500, 'INTERNAL', '服务器内部错误，请稍后重试'),
};
