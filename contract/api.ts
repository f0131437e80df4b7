/**
 * Every HTTP route the server has, with its request schemas from the contract: the source of the OpenAPI
 * document (GET /api/openapi.json, server/http/openapi.ts). tests/integration/openapi.test.ts compares it
 * with the routes Express really has, both ways: a new route needs a line here (and a row in the access matrix).
 */
import { z } from 'zod';
import { changePasswordBody, loginBody, resetPasswordBody } from './auth.ts';
import * as duty from './dutyRequests.ts';
import * as info from './information.ts';
import { createMeetingBody } from './meetings.ts';
import * as platform from './platform.ts';
import * as reports from './reports.ts';
import * as scoring from './scoring.ts';
import { auditQuery } from './audit.ts';
import { voicePhoneCreate, voicePhoneUpdate } from './voice.ts';
import { accountsQuery, assignRolesBody, createAccountBody, createUnitBody, editAccountBody, editUnitBody } from './admin.ts';
import { adminSessionsQuery, sessionPolicyBody } from './sessions.ts';
import { bindCertificateBody, certificateListQuery, factorPolicyBody, revokeCertificateBody } from './certificates.ts';

export interface ApiRoute {
  /** "METHOD /path" with Express parameters (:id). */
  route: string;
  summary: string;
  body?: z.ZodType;
  query?: z.ZodType;
  /** Answers without a session. */
  public?: boolean;
  /** Not JSON: what it sends (xlsx, docx, webm, atom, xml). */
  produces?: string;
}

const monthQuery = z.object({ month: z.string().optional() });
const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

export const API_ROUTES: ApiRoute[] = [
  { route: 'GET /healthz', summary: 'Liveness: workers, live meetings, database kind', public: true },
  { route: 'GET /api/openapi.json', summary: 'This document' },
  { route: 'GET /api/docs', summary: 'This document as a page', produces: 'text/html' },
  // auth
  { route: 'POST /api/auth/login', summary: '登录 (sets the session cookie)', body: loginBody, public: true },
  { route: 'POST /api/auth/logout', summary: '退出', public: true },
  { route: 'GET /api/auth/me', summary: 'The session user', public: true },
  { route: 'POST /api/auth/password', summary: '修改密码', body: changePasswordBody },
  { route: 'POST /api/auth/reset', summary: '重置密码 (security administrator, own subtree)', body: resetPasswordBody },
  { route: 'GET /api/auth/session', summary: 'This session: when it lapses if nobody acts (a read: not activity)' },
  { route: 'POST /api/auth/activity', summary: 'The user is here (sent by the console after real input): pushes the idle lapse out' },
  { route: 'GET /api/auth/sessions', summary: 'My live sessions with their remote ends' },
  { route: 'POST /api/auth/sessions/end-others', summary: 'Sign out all my other sessions' },
  { route: 'POST /api/auth/sessions/:id/end', summary: 'Sign out one of my sessions' },
  { route: 'GET /api/test/clock', summary: 'Test clock (TEST_CLOCK=1 only)', public: true },
  { route: 'POST /api/test/clock', summary: 'Set or advance the test clock (TEST_CLOCK=1 only)', public: true },
  // org
  { route: 'GET /api/org/tree', summary: 'The org tree (region → cities → counties)' },
  // meetings
  { route: 'GET /api/meetings/', summary: 'Meetings of my unit' },
  { route: 'POST /api/meetings/', summary: '召集会议', body: createMeetingBody },
  { route: 'GET /api/meetings/:id/control', summary: 'The chair control state' },
  { route: 'GET /api/meetings/:id/attendance', summary: '签到 (attendance)' },
  { route: 'GET /api/meetings/:id/attendance.xlsx', summary: '签到表 (Excel)', produces: XLSX },
  { route: 'GET /api/meetings/:id/health', summary: 'Site health (organiser)' },
  { route: 'GET /api/meetings/:id/recordings', summary: '录像 list' },
  { route: 'GET /api/meetings/:id/recordings/:recId', summary: '录像 file', produces: 'video/webm' },
  // urgent reports
  { route: 'GET /api/reports/', summary: 'One page of the reports I may read', query: reports.reportListQuery },
  { route: 'GET /api/reports/waiting', summary: 'Reports waiting for my office or me (to sign for, to sign off)' },
  { route: 'POST /api/reports/', summary: '文字报 (idempotent by requestId)', body: reports.createReportBody },
  { route: 'POST /api/reports/phone', summary: '电话报', body: reports.phoneReportBody },
  { route: 'GET /api/reports/incidents', summary: 'One page of the incidents I may see (the most pressing first), or some by id', query: reports.incidentListQuery },
  { route: 'POST /api/reports/incidents/demand', summary: '约报 / 催报', body: reports.demandBody },
  { route: 'GET /api/reports/incidents/:id', summary: 'Incident with reports, timeline, instructions' },
  { route: 'GET /api/reports/instructions', summary: '领导批示 (issued / received)' },
  { route: 'POST /api/reports/instructions', summary: '批示', body: reports.instructionBody },
  { route: 'POST /api/reports/instructions/:id/feedback', summary: '批示反馈', body: reports.feedbackBody },
  { route: 'GET /api/reports/board', summary: 'Leaders’ board', query: monthQuery },
  { route: 'GET /api/reports/board.xlsx', summary: 'Leaders’ board (Excel)', query: monthQuery, produces: XLSX },
  { route: 'GET /api/reports/rules', summary: 'Deadline rules' },
  { route: 'POST /api/reports/rules', summary: 'Set deadline rules (system administrator)', body: reports.rulesBody },
  { route: 'GET /api/reports/attachments/:id', summary: 'Attachment file', produces: 'application/octet-stream' },
  { route: 'GET /api/reports/:id', summary: 'One report' },
  { route: 'GET /api/reports/:id/docx', summary: '报送单 as Word (GB/T 9704 layout)', produces: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document' },
  { route: 'GET /api/reports/:id/pdf', summary: '报送单 as PDF (GB/T 9704 layout)', produces: 'application/pdf' },
  { route: 'POST /api/reports/:id/edit', summary: 'Edit a draft or returned report', body: reports.editReportBody },
  { route: 'POST /api/reports/:id/submit', summary: '送审' },
  { route: 'POST /api/reports/:id/sign', summary: '签发', body: reports.commentBody },
  { route: 'POST /api/reports/:id/return', summary: '退回', body: reports.commentBody },
  { route: 'POST /api/reports/:id/acknowledge', summary: '签收', body: reports.hopBody },
  { route: 'POST /api/reports/:id/assess', summary: '研判', body: reports.hopBody },
  { route: 'POST /api/reports/:id/relay', summary: '续报上级 (relay up)', body: reports.hopBody },
  { route: 'POST /api/reports/:id/relay-sign', summary: '签发上报', body: reports.hopBody },
  { route: 'POST /api/reports/:id/relay-return', summary: '退回上报', body: reports.hopBody },
  { route: 'POST /api/reports/:id/attachments', summary: '上传附件 (raw body)' },
  // duty
  { route: 'GET /api/duty/roster', summary: '排班 (a week or month)', query: duty.rosterQuery },
  { route: 'GET /api/duty/roster/history', summary: 'Roster versions of a slot', query: duty.rosterHistoryQuery },
  { route: 'GET /api/duty/roster/export', summary: '排班 (Excel)', query: duty.rosterExportQuery, produces: XLSX },
  { route: 'GET /api/duty/now', summary: '当前值班 at my unit and below' },
  { route: 'GET /api/duty/people', summary: 'Accounts of a unit that can stand on a roster' },
  { route: 'GET /api/duty/settings', summary: 'Shift pattern and duty phone' },
  { route: 'GET /api/duty/swaps', summary: 'Swap requests of my unit and below' },
  { route: 'POST /api/duty/settings', summary: 'Shift pattern and duty phone', body: duty.dutySettingsBody },
  { route: 'POST /api/duty/roster/slot', summary: 'Set one slot', body: duty.rosterSlotBody },
  { route: 'POST /api/duty/roster/fill', summary: 'Fill weeks by rotation', body: duty.rosterFillBody },
  { route: 'POST /api/duty/roster/import', summary: 'Import a month (Excel, raw body)' },
  { route: 'POST /api/duty/swaps', summary: '换班 / 替班 request', body: duty.swapBody },
  { route: 'POST /api/duty/swaps/:id/approve', summary: 'Approve a swap', body: duty.swapDecisionBody },
  { route: 'POST /api/duty/swaps/:id/reject', summary: 'Reject a swap', body: duty.swapDecisionBody },
  { route: 'POST /api/duty/swaps/:id/cancel', summary: 'Cancel my swap request' },
  { route: 'GET /api/duty/handover', summary: '交接班 state' },
  { route: 'POST /api/duty/handovers', summary: 'Close a shift', body: duty.handoverBody },
  { route: 'GET /api/duty/handovers/:id', summary: 'One handover' },
  { route: 'POST /api/duty/handovers/:id/ack', summary: 'Acknowledge a carried item', body: duty.handoverAckBody },
  { route: 'POST /api/duty/handovers/:id/accept', summary: 'Take over the shift' },
  { route: 'GET /api/duty/log', summary: '值班日志', query: duty.logListQuery },
  { route: 'POST /api/duty/log', summary: 'Log an entry', body: duty.logCreateBody },
  { route: 'POST /api/duty/log/:id', summary: 'Revise an entry', body: duty.logEditBody },
  { route: 'GET /api/duty/log/:id/revisions', summary: 'Revisions of an entry' },
  // routine information (政务信息)
  { route: 'GET /api/information/kinds', summary: 'Item kinds' },
  { route: 'GET /api/information/items', summary: 'My unit’s items', query: info.itemListQuery },
  { route: 'GET /api/information/items/:id', summary: 'One item' },
  { route: 'GET /api/information/items/:id/history', summary: 'Item history' },
  { route: 'PUT /api/information/items/:id', summary: 'Create or update a draft', body: info.saveItemBody },
  { route: 'POST /api/information/items/:id/submit', summary: '报送 for sign-off' },
  { route: 'POST /api/information/items/:id/signoff', summary: '审核签发 + 保密审查', body: info.signoffBody },
  { route: 'POST /api/information/items/:id/external', summary: 'Adopted outside the system', body: info.externalAdoptionBody },
  { route: 'POST /api/information/items/:id/instructions', summary: '领导批示 on an item', body: info.instructBody },
  { route: 'GET /api/information/inbox', summary: 'Deliveries to my office', query: info.inboxQuery },
  { route: 'POST /api/information/deliveries/:id/acknowledge', summary: '签收' },
  { route: 'POST /api/information/deliveries/:id/adopt', summary: '采用', body: info.adoptBody },
  { route: 'POST /api/information/deliveries/:id/reject', summary: '不采用', body: info.reasonBody },
  { route: 'POST /api/information/deliveries/:id/return', summary: '退回', body: info.reasonBody },
  { route: 'POST /api/information/deliveries/:id/forward', summary: '转报' },
  { route: 'GET /api/information/publications', summary: 'Publications' },
  { route: 'POST /api/information/publications', summary: 'New publication', body: info.publicationBody },
  { route: 'GET /api/information/publications/:id/unissued', summary: 'Adopted items not yet in an issue' },
  { route: 'GET /api/information/issues', summary: 'Issues', query: info.issueListQuery },
  { route: 'POST /api/information/issues', summary: 'Compile an issue', body: info.createIssueBody },
  { route: 'GET /api/information/issues/:id', summary: 'One issue' },
  { route: 'POST /api/information/issues/:id/items', summary: 'Set an issue’s items', body: info.issueItemsBody },
  { route: 'POST /api/information/issues/:id/submit', summary: 'Send an issue for sign-off' },
  { route: 'POST /api/information/issues/:id/signoff', summary: 'Sign an issue', body: info.issueSignBody },
  { route: 'POST /api/information/issues/:id/publish', summary: 'Publish an issue' },
  { route: 'GET /api/information/issues/:id/docx', summary: 'Issue as Word', produces: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document' },
  { route: 'GET /api/information/issues/:id/pdf', summary: 'Issue as PDF', produces: 'application/pdf' },
  { route: 'GET /api/information/departments', summary: 'Departments of my office' },
  { route: 'GET /api/information/items/:id/similar', summary: 'Near-duplicates of my item before sending (疑似重复)' },
  { route: 'GET /api/information/deliveries/:id/duplicates', summary: "The editor's near-duplicate flags of a delivery" },
  { route: 'POST /api/information/departments', summary: 'Add a department' },
  { route: 'GET /api/information/instructions', summary: '批示 on items' },
  { route: 'POST /api/information/instructions/:id/feedback', summary: '批示反馈', body: info.feedbackBody },
  { route: 'GET /api/information/officers', summary: '信息员 of a unit' },
  { route: 'PUT /api/information/officers', summary: 'Name the 信息员', body: info.officersBody },
  { route: 'GET /api/information/direct-points', summary: '直报点' },
  { route: 'POST /api/information/direct-points', summary: 'Designate a 直报点', body: info.directPointBody },
  { route: 'POST /api/information/direct-points/:id/drop', summary: 'Drop a 直报点' },
  { route: 'GET /api/information/notices', summary: 'My notices' },
  // administrators (三员分立): accounts and units (系统管理员), roles, policy and sessions (安全保密管理员)
  { route: 'GET /api/admin/users', summary: 'Accounts in the administrator\'s subtree (system and security administrator)', query: accountsQuery },
  { route: 'POST /api/admin/users', summary: 'Create an account (system administrator; no roles, no password yet)', body: createAccountBody },
  { route: 'POST /api/admin/users/:id', summary: 'Edit an account\'s name, unit, phone (system administrator)', body: editAccountBody },
  { route: 'POST /api/admin/users/:id/disable', summary: 'Disable an account (system administrator; never deleted)' },
  { route: 'POST /api/admin/users/:id/enable', summary: 'Enable an account again (system administrator)' },
  { route: 'POST /api/admin/users/:id/roles', summary: 'Assign roles (security administrator; 三员分立)', body: assignRolesBody },
  { route: 'POST /api/admin/users/:id/sessions/end', summary: 'End all of a user\'s sessions (security administrator)' },
  { route: 'POST /api/admin/units', summary: 'Create a unit under a parent (system administrator)', body: createUnitBody },
  { route: 'POST /api/admin/units/:code', summary: 'Rename or move a unit (system administrator; no cycles, levels kept)', body: editUnitBody },
  { route: 'GET /api/admin/security-policy', summary: 'Session policy: idle minutes, concurrent sessions (security administrator)' },
  { route: 'PUT /api/admin/security-policy', summary: 'Save the session policy (security administrator)', body: sessionPolicyBody },
  { route: 'POST /api/admin/security-policy/reset', summary: 'Back to the server\'s default session policy (security administrator)' },
  { route: 'GET /api/admin/sessions', summary: 'Everyone\'s live sessions in the subtree (security administrator)', query: adminSessionsQuery },
  { route: 'POST /api/admin/sessions/:id/end', summary: 'End anyone\'s session (security administrator)' },
  // audit trail (安全审计员 only)
  { route: 'GET /api/voice/phones', summary: "Units' registered phones (system administrator; passwords never shown)" },
  { route: 'POST /api/voice/phones', summary: 'Register a unit phone (digest password set once, kept only as HA1)', body: voicePhoneCreate },
  { route: 'PUT /api/voice/phones/:number', summary: 'Change a registered phone: unit, enabled, a new password', body: voicePhoneUpdate },
  { route: 'GET /api/audit/', summary: 'Audit entries, newest first, filtered and paged', query: auditQuery },
  { route: 'GET /api/audit/verify', summary: 'Verify the hash chain; names the first broken link' },
  { route: 'GET /api/audit/export.xlsx', summary: 'Audit entries as Excel (filtered)', query: auditQuery, produces: XLSX },
  // certificate login (安全保密管理员: bind/revoke, the two-factor policy; the UKey nonce before login)
  { route: 'POST /api/auth/ukey/challenge', summary: 'A single-use nonce for the UKey to sign (SM2/SM3)', public: true },
  { route: 'GET /api/certificates/', summary: "An account's bound certificates", query: certificateListQuery },
  { route: 'POST /api/certificates/', summary: 'Bind a certificate (PEM) to an account', body: bindCertificateBody },
  { route: 'POST /api/certificates/:id/revoke', summary: 'Revoke a bound certificate, with a reason', body: revokeCertificateBody },
  { route: 'GET /api/certificates/policy', summary: 'Which roles sign in with certificate + password' },
  { route: 'PUT /api/certificates/policy', summary: 'Set the two-factor policy per role', body: factorPolicyBody },
  // emergency platform
  { route: 'POST /platform/cap', summary: 'Inbound signed CAP 1.2 (X-Signature)', public: true, produces: 'application/xml' },
  { route: 'GET /platform/feed.atom', summary: 'Atom feed of what was sent (bearer token)', public: true, produces: 'application/atom+xml' },
  { route: 'GET /api/platform/outbox', summary: 'Outbox (region duty office)' },
  { route: 'GET /api/platform/reports/:id/delivery', summary: 'Delivery state of a report' },
  { route: 'POST /api/platform/reports/:id/push', summary: '推送应急平台', body: platform.pushRequestSchema },
  { route: 'POST /api/platform/outbox/:id/redrive', summary: 'Correct and re-drive a parked message', body: platform.redriveSchema },
  { route: 'POST /api/platform/withdraw', summary: 'Withdraw (CAP Cancel)', body: platform.withdrawSchema },
  { route: 'GET /api/platform/rules', summary: 'Automatic push rules' },
  { route: 'POST /api/platform/rules', summary: 'Set automatic push rules', body: platform.autoRulesSchema },
  { route: 'GET /api/platform/alerts', summary: 'Inbound alerts for my unit' },
  { route: 'GET /api/platform/alerts/:id', summary: 'One inbound alert' },
  { route: 'POST /api/platform/alerts/:id/ack', summary: 'Acknowledge an alert' },
  { route: 'POST /api/platform/alerts/:id/incident', summary: 'Open an incident from an alert' },
  { route: 'POST /api/platform/alerts/:id/demand', summary: '约报 from an alert', body: platform.demandSchema },
  { route: 'POST /api/platform/convene', summary: '一键召集会议', body: platform.conveneSchema },
  // scoring (计分、任务量、约稿、通报排名)
  { route: 'GET /api/scoring/scheme', summary: '计分办法 of an office (versions from a date on)' },
  { route: 'PUT /api/scoring/scheme', summary: 'A new version of the scheme, from a date on', body: scoring.schemeBody },
  { route: 'GET /api/scoring/quota', summary: '任务量: progress this month' },
  { route: 'GET /api/scoring/reminders', summary: 'Quota and 约稿 reminders of my unit' },
  { route: 'GET /api/scoring/requests', summary: '约稿 issued or received' },
  { route: 'POST /api/scoring/requests', summary: 'Send a 约稿 (idempotent on its id)', body: scoring.requestBody },
  { route: 'POST /api/scoring/requests/:id/answers', summary: 'Answer a 约稿 with an item', body: scoring.answerBody },
  { route: 'GET /api/scoring/bulletins', summary: 'Published bulletins (通报)' },
  { route: 'POST /api/scoring/bulletins', summary: 'Publish the bulletin of an ended period', body: scoring.publishBody },
  { route: 'GET /api/scoring/bulletins/:period', summary: 'A bulletin: ranks, points, lines, timeliness' },
  { route: 'GET /api/scoring/bulletins/:period/docx', summary: 'Bulletin as Word', produces: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document' },
  { route: 'GET /api/scoring/bulletins/:period/pdf', summary: 'Bulletin as PDF (GB/T 9704 layout)', produces: 'application/pdf' },
  { route: 'GET /api/scoring/bulletins/:period/xlsx', summary: 'Bulletin as Excel', produces: XLSX },
];
