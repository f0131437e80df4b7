/** API errors: a stable machine code plus a Chinese message the console can show as is. */
import { SESSION_END_ZH, type SessionEndReason } from '../../contract/sessions.ts';

/** The 401 codes of a session that ended other than by its own logout. */
export const SESSION_END_CODES: Record<SessionEndReason, string> = { idle: 'SESSION_IDLE', evicted: 'SESSION_EVICTED', revoked: 'SESSION_REVOKED', disabled: 'ACCOUNT_DISABLED' };

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
  sessionEnded: (reason: SessionEndReason) => new ApiError(401, SESSION_END_CODES[reason], SESSION_END_ZH[reason]),
  passwordChangeRequired: () => new ApiError(403, 'PASSWORD_CHANGE_REQUIRED', '管理员已重置您的密码，请先修改密码'),
  accountDisabled: () => new ApiError(403, 'ACCOUNT_DISABLED', '账号已停用，请联系系统管理员'),
  adminRule: (code: string, message: string, details?: unknown) => new ApiError(409, code, message, details),
  authInvalid: () => new ApiError(401, 'AUTH_INVALID', '用户名或密码错误'),
  roleForbidden: () => new ApiError(403, 'ROLE_FORBIDDEN', '当前角色无权执行此操作'),
  scopeForbidden: (detail?: unknown) => new ApiError(403, 'SCOPE_FORBIDDEN', '所选单位超出本单位管辖范围', detail),
  notFound: (what: string) => new ApiError(404, 'NOT_FOUND', `${what}不存在`),
  validation: (details: unknown) => new ApiError(400, 'VALIDATION', '提交内容不完整或格式不正确', details),
  meetingNotInvited: () => new ApiError(403, 'MEETING_NOT_INVITED', '本单位未受邀参加此会议'),
  meetingEnded: () => new ApiError(409, 'MEETING_ENDED', '会议已结束'),
  meetingStartPast: () => new ApiError(400, 'MEETING_START_PAST', '会议开始时间已过，请选择当前或以后的时间'),
  notInMeeting: () => new ApiError(409, 'NOT_IN_MEETING', '尚未加入会议'),
  meetingPinRequired: () => new ApiError(403, 'MEETING_PIN_REQUIRED', '此会议设有入会密码，请输入密码'),
  meetingPinWrong: () => new ApiError(403, 'MEETING_PIN_WRONG', '入会密码不正确'),
  meetingPinLocked: () => new ApiError(429, 'MEETING_PIN_LOCKED', '入会密码错误次数过多，请 10 分钟后再试或联系主会场'),
  deviceTestBusy: () => new ApiError(409, 'DEVICE_TEST_BUSY', '调试已在进行中，请先结束当前调试'),
  deviceTestNotStarted: () => new ApiError(409, 'DEVICE_TEST_NOT_STARTED', '调试尚未开始或已超时结束，请重新开始'),
  deviceTestFull: () => new ApiError(503, 'DEVICE_TEST_FULL', '同时调试的会场过多，请稍后再试'),
  // Meeting control (the chair's MCU controls)
  controlForbidden: () => new ApiError(403, 'CONTROL_FORBIDDEN', '只有主会场的主持人可以执行此操作'),
  muteLocked: () => new ApiError(409, 'MUTE_LOCKED', '主会场已锁定静音，暂不能打开麦克风'),
  videoLocked: () => new ApiError(409, 'VIDEO_LOCKED', '主会场已关闭本会场视频，暂不能打开摄像头'),
  unitNotInMeeting: () => new ApiError(400, 'UNIT_NOT_IN_MEETING', '该单位不在本次会议中'),
  shareBusy: () => new ApiError(409, 'SHARE_BUSY', '其他会场正在共享内容，请稍后再试'),
  badCommand: () => new ApiError(400, 'BAD_COMMAND', '当前状态下不能执行此操作'),
  meetingLocked: () => new ApiError(423, 'MEETING_LOCKED', '会议已锁定，不能再加入'),
  meetingRemoved: () => new ApiError(403, 'MEETING_REMOVED', '本会场已被主会场移出会议'),
  // Voice access: the chair's dial-out (呼叫会场)
  voiceOff: () => new ApiError(503, 'VOICE_OFF', '未启用语音接入，不能呼叫电话'),
  voiceBusy: () => new ApiError(503, 'VOICE_BUSY', '同时进行的电话呼叫已达上限，请稍后再呼叫'),
  voiceNoTrunk: () => new ApiError(409, 'VOICE_NO_TRUNK', '未配置电话中继，只能呼叫已注册的单位电话'),
  voiceTrunkDown: () => new ApiError(503, 'VOICE_TRUNK_DOWN', '电话中继无法连接，请稍后再试'),
  voiceNoPhone: () => new ApiError(409, 'VOICE_NO_PHONE', '该单位没有登记电话，请输入号码呼叫'),
  /** A media server fault: the internal text stays in the log, never in the message. */
  mediaFailed: () => new ApiError(500, 'MEDIA_FAILED', '媒体服务出错，请稍后重试'),
  payloadTooLarge: (limit: string) => new ApiError(413, 'PAYLOAD_TOO_LARGE', `提交内容过大（上限 ${limit}）`),
  badRequest: (status = 400) => new ApiError(status, 'BAD_REQUEST', '请求格式不正确'),
  duplicate: () => new ApiError(409, 'DUPLICATE', '数据重复，请刷新后查看'),
  chatRateLimited: () => new ApiError(429, 'CHAT_RATE_LIMITED', '发送消息过于频繁，请稍后再发'),
  controlNotSaved: () => new ApiError(503, 'CONTROL_NOT_SAVED', '会议控制未能保存，操作未生效，请重试'),
  dbUnavailable: () => new ApiError(503, 'DB_UNAVAILABLE', '数据库暂时不可用，请稍后重试（已提交的内容不会丢失）'),
  requestIdConflict: () => new ApiError(409, 'REQUEST_ID_CONFLICT', '提交编号冲突，请刷新后重新提交'),
  reportState: (detail?: unknown) => new ApiError(409, 'REPORT_STATE', '当前状态下不能执行此操作，请刷新后查看最新状态', detail),
  reportClassified: () => new ApiError(403, 'REPORT_CLASSIFIED', '该信息为涉密信息，当前角色无权查看'),
  attachmentTooLarge: () => new ApiError(413, 'ATTACHMENT_TOO_LARGE', '附件过大（上限 20MB）'),
  attachmentType: () => new ApiError(415, 'ATTACHMENT_TYPE', '不支持的附件类型（仅限图片、PDF、Office 文档、文本）'),
  // Access (issue 8): cross-site requests, request formats, login throttle, password policy
  crossSite: () => new ApiError(403, 'CROSS_SITE', '拒绝来自其他网站的请求，请直接在本系统页面中操作'),
  jsonRequired: () => new ApiError(415, 'JSON_REQUIRED', '请求格式不正确：须以 JSON 提交'),
  uploadHeaderRequired: () => new ApiError(400, 'UPLOAD_HEADER_REQUIRED', '上传请求缺少必要的请求头，请在本系统页面中上传'),
  authLocked: (minutes: number) =>
    new ApiError(429, 'AUTH_LOCKED', `登录失败次数过多，已暂时锁定，请 ${minutes} 分钟后再试或联系管理员重置密码`, { retryAfterMin: minutes }),
  authInvalidLeft: (attemptsLeft: number) =>
    new ApiError(401, 'AUTH_INVALID', attemptsLeft > 0 ? `用户名或密码错误，还可尝试 ${attemptsLeft} 次` : '用户名或密码错误', { attemptsLeft }),
  passwordWeak: (problems: string[]) => new ApiError(400, 'PASSWORD_WEAK', `密码不符合要求：${problems.join('；')}`, { problems }),
  passwordOldWrong: () => new ApiError(400, 'PASSWORD_OLD_WRONG', '原密码不正确'),
  internal: () => new ApiError(500, 'INTERNAL', '服务器内部错误，请稍后重试'),
  // 24-hour duty (值班)
  dutyUnitForbidden: () => new ApiError(403, 'DUTY_UNIT_FORBIDDEN', '只能修改本单位的值班数据'),
  dutyConflict: (code: string, message: string, details?: unknown) => new ApiError(409, code, message, details),
  dutyImportInvalid: (details: unknown) => new ApiError(422, 'DUTY_IMPORT_INVALID', 'Excel 中有错误行，未导入任何数据', details),
};

/** Postgres error classes caused by the data a client sent, not by the server. */
const DATA_ERRORS = new Set(['22P02', '22021', '22003', '22007', '22008', '22001', '22023', '22004', '23502', '23514']);
/** The database went away (restart, network): the client may retry. */
const CONNECTION_ERRORS = new Set(['57P01', '57P02', '57P03', '08000', '08003', '08006', '08001', '08004', 'ECONNREFUSED', 'ECONNRESET', 'ENOENT', 'EPIPE', 'ETIMEDOUT']);

/**
 * Any error thrown while serving a request, as the ApiError the client gets. Mistakes of the client (bad
 * JSON, a body over the limit, data Postgres refuses) are 4xx; a database that is down is 503; only the
 * unexpected is a 500.
 */
export function toApiError(err: unknown): ApiError {
  if (err instanceof ApiError) return err;
  const e = err as { type?: string; status?: number; expose?: boolean; code?: string; limit?: number; message?: string } | null;
  if (err instanceof SyntaxError && 'body' in err) return errors.validation([{ path: '', message: 'invalid JSON' }]);
  if (e?.type === 'entity.too.large') return errors.payloadTooLarge(e.limit ? `${Math.round(e.limit / 1024 / 1024) || 1}MB` : '');
  if (e && typeof e.status === 'number' && e.status >= 400 && e.status < 500 && e.expose) return errors.badRequest(e.status);
  if (e?.code && DATA_ERRORS.has(e.code)) return errors.validation([{ path: '', message: '提交的数据无法保存（格式、长度或取值超出范围）' }]);
  if (e?.code === '23505') return errors.duplicate();
  if ((e?.code && CONNECTION_ERRORS.has(e.code)) || /Connection terminated|connection is closed|Client has encountered a connection error|timeout exceeded when trying to connect/i.test(e?.message ?? '')) {
    return errors.dbUnavailable();
  }
  return errors.internal();
}
