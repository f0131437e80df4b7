/**
 * The access matrix: every HTTP route and socket event the server has, with who may and who may not.
 * tests/integration/access-matrix.test.ts enumerates the routes Express really has and the events a socket
 * really listens to, fails on any without a row here, and runs every row: anonymous (401 / refused
 * handshake), then each refused case (other county, other city, lower role …), then each allowed case.
 * A new route or event needs a row here — add it with the domain.
 *
 * Expectations are statuses (HTTP) or error codes (socket). An allowed case may also list the business
 * refusal it meets once access is granted (e.g. 409 for a state conflict): access control let it through.
 * `mustNotSee`: the response is 200 but must not contain that text (lists filtered by unit).
 */
import type { ClientEvent } from '../../contract/socket.ts';
import type { Fixtures } from './access-fixtures.ts';
import type { HttpRule } from './access-types.ts';
import { INFO_RULES } from './access-rules-info.ts';
import { DEPARTMENT_RULES, withDepartmentCases } from './access-rules-departments.ts';
import { SCORING_RULES } from './access-rules-scoring.ts';
import { ADMIN_RULES } from './access-rules-admin.ts';
import { CERTIFICATE_RULES } from './access-rules-certificates.ts';

type F = Fixtures;
export type { HttpCase, HttpRule } from './access-types.ts';

export interface SocketCase {
  as: string;
  /** Before the event: join the (PIN-less) test meeting, as a site or as its chair; or start a device test. */
  setup?: 'join' | 'devicetest';
  payload: (f: F) => unknown;
  /** Refused cases: the error code expected. Allowed cases: success or a non-access error. */
  code?: string;
}
export interface SocketRule {
  event: ClientEvent | 'disconnect' | 'error';
  who: string;
  system?: boolean;
  allow: SocketCase[];
  deny: SocketCase[];
  denyNote?: string;
}

/** Error codes that mean "access refused": an allowed case must never meet one. */
export const ACCESS_CODES = ['AUTH_REQUIRED', 'ROLE_FORBIDDEN', 'SCOPE_FORBIDDEN', 'NOT_FOUND', 'NOT_IN_MEETING', 'MEETING_NOT_INVITED', 'CONTROL_FORBIDDEN', 'MEETING_PIN_REQUIRED', 'DUTY_UNIT_FORBIDDEN', 'CROSS_SITE'];

const C = '150102'; // the county (新城区, 呼和浩特市)
const uuid0 = '00000000-0000-4000-8000-000000000000';
const month = (f: F) => f.month;

export const HTTP_RULES: HttpRule[] = [
  // ---------------------------------------------------------------- auth
  { route: 'GET /healthz', who: 'anyone (load balancer probe, no data)', public: true, allow: [{ as: '', expect: [200] }], deny: [], denyNote: 'public liveness probe' },
  { route: 'POST /api/auth/login', who: 'anyone with the right password', public: true, allow: [{ as: '', body: () => ({ username: '150103-venue', password: 'Demo@2026' }), expect: [200] }], deny: [{ as: '', body: () => ({ username: '150103-venue', password: 'Wrong@2026' }), expect: [401] }] },
  { route: 'POST /api/auth/logout', who: "anyone: ends only the caller's own session", public: true, allow: [{ as: '150124-duty', expect: [200] }], deny: [], denyNote: 'acts on the caller\'s own cookie only' },
  { route: 'GET /api/openapi.json', who: 'any session (the API description, no data)', allow: [{ as: `${C}-duty`, expect: [200] }], deny: [], denyNote: 'anonymous is the refusal' },
  { route: 'GET /api/docs', who: 'any session (the API description as a page)', allow: [{ as: `${C}-venue`, expect: [200] }], deny: [], denyNote: 'anonymous is the refusal' },
  { route: 'GET /api/auth/me', who: 'any session', allow: [{ as: `${C}-duty`, expect: [200] }], deny: [], denyNote: 'anonymous is the refusal' },
  { route: 'POST /api/auth/password', who: 'self, with the old password', allow: [{ as: '150125-venue', body: () => ({ oldPassword: 'Demo@2026', newPassword: 'Matrix@2027' }), expect: [200] }], deny: [{ as: '150125-duty', body: () => ({ oldPassword: 'Guess@2026', newPassword: 'Matrix@2027' }), expect: [400] }] },
  { route: 'POST /api/auth/reset', who: 'security administrator, accounts in its subtree', allow: [{ as: 'secadmin', body: () => ({ username: '150124-venue', newPassword: 'Matrix@2027' }), expect: [200] }], deny: [{ as: '150000-leader', body: () => ({ username: '150124-venue', newPassword: 'Matrix@2027' }), expect: [403] }, { as: `${C}-duty`, body: () => ({ username: '150124-venue', newPassword: 'Matrix@2027' }), expect: [403] }, { as: 'sysadmin', body: () => ({ username: '150124-venue', newPassword: 'Matrix@2027' }), expect: [403] }, { as: 'auditadmin', body: () => ({ username: '150124-venue', newPassword: 'Matrix@2027' }), expect: [403] }] },
  { route: 'GET /api/org/tree', who: 'any session (the org tree is not secret inside the system)', allow: [{ as: `${C}-venue`, expect: [200] }], deny: [], denyNote: 'anonymous is the refusal' },

  // ---------------------------------------------------------------- meetings
  { route: 'GET /api/meetings/', who: 'invited units see their meetings', allow: [{ as: `${C}-venue`, expect: [200] }], deny: [{ as: '150202-venue', expect: [200], mustNotSee: (f) => f.meeting }] },
  { route: 'POST /api/meetings/', who: 'leader/venue, scope within own unit', allow: [{ as: '150100-leader', body: () => ({ title: '矩阵会', scope: { kind: 'cityWithCounties', cityCode: '150100' } }), expect: [201] }], deny: [{ as: 'sysadmin', body: () => ({ title: 'x', scope: { kind: 'units', unitCodes: ['150000'] } }), expect: [403] }, { as: `${C}-duty`, body: () => ({ title: 'x', scope: { kind: 'units', unitCodes: [C] } }), expect: [403] }, { as: `${C}-leader`, body: () => ({ title: 'x', scope: { kind: 'cityWithCounties', cityCode: '150100' } }), expect: [403] }, { as: '150200-leader', body: () => ({ title: 'x', scope: { kind: 'units', unitCodes: [C] } }), expect: [403] }] },
  { route: 'GET /api/meetings/:id/control', who: 'invited units (PIN meetings: only those that passed)', allow: [{ as: `${C}-venue`, url: (f) => `/api/meetings/${f.meeting}/control`, expect: [200] }], deny: [{ as: '150202-venue', url: (f) => `/api/meetings/${f.meeting}/control`, expect: [403] }, { as: '150103-venue', url: (f) => `/api/meetings/${f.pinMeeting}/control`, expect: [403] }] },
  { route: 'GET /api/meetings/:id/attendance', who: 'the chair (no administrator)', allow: [{ as: '150100-leader', url: (f) => `/api/meetings/${f.meeting}/attendance`, expect: [200] }], deny: [{ as: 'sysadmin', url: (f) => `/api/meetings/${f.meeting}/attendance`, expect: [403] }, { as: `${C}-venue`, url: (f) => `/api/meetings/${f.meeting}/attendance`, expect: [403] }, { as: '150200-leader', url: (f) => `/api/meetings/${f.meeting}/attendance`, expect: [403] }] },
  { route: 'GET /api/meetings/:id/attendance.xlsx', who: 'the chair', allow: [{ as: '150100-venue', url: (f) => `/api/meetings/${f.meeting}/attendance.xlsx`, expect: [200] }], deny: [{ as: `${C}-leader`, url: (f) => `/api/meetings/${f.meeting}/attendance.xlsx`, expect: [403] }, { as: '150100-duty', url: (f) => `/api/meetings/${f.meeting}/attendance.xlsx`, expect: [403] }] },
  { route: 'GET /api/meetings/:id/health', who: 'the chair', allow: [{ as: '150100-leader', url: (f) => `/api/meetings/${f.meeting}/health`, expect: [200] }], deny: [{ as: `${C}-venue`, url: (f) => `/api/meetings/${f.meeting}/health`, expect: [403] }, { as: '150202-leader', url: (f) => `/api/meetings/${f.meeting}/health`, expect: [403] }] },
  { route: 'GET /api/meetings/:id/recordings', who: 'leader/venue of invited units that passed the PIN, no administrator', allow: [{ as: `${C}-leader`, url: (f) => `/api/meetings/${f.meeting}/recordings`, expect: [200] }], deny: [{ as: `${C}-duty`, url: (f) => `/api/meetings/${f.meeting}/recordings`, expect: [403] }, { as: '150202-leader', url: (f) => `/api/meetings/${f.meeting}/recordings`, expect: [403] }, { as: '150103-leader', url: (f) => `/api/meetings/${f.pinMeeting}/recordings`, expect: [403] }] },
  { route: 'GET /api/meetings/:id/recordings/:recId', who: 'as the list', allow: [{ as: `${C}-venue`, url: (f) => `/api/meetings/${f.meeting}/recordings/${f.recording}`, expect: [200] }], deny: [{ as: `${C}-duty`, url: (f) => `/api/meetings/${f.meeting}/recordings/${f.recording}`, expect: [403] }, { as: '150202-venue', url: (f) => `/api/meetings/${f.meeting}/recordings/${f.recording}`, expect: [403] }, { as: `${C}-venue`, url: (f) => `/api/meetings/${f.meeting}/recordings/99999`, expect: [404] }] },

  // ---------------------------------------------------------------- reports
  { route: 'GET /api/reports/', who: "own unit's in every state, sent ones of units below", allow: [{ as: `${C}-duty`, expect: [200] }], deny: [{ as: '150100-duty', expect: [200], mustNotSee: (f) => f.draft.id }, { as: '150103-duty', expect: [200], mustNotSee: (f) => f.sent.id }] },
  { route: 'GET /api/reports/waiting', who: 'what waits for my office: delivered here, or my unit\'s to sign off', allow: [{ as: `${C}-leader`, expect: [200] }], deny: [{ as: '150100-duty', expect: [200], mustNotSee: (f) => f.draft.id }, { as: '150103-duty', expect: [200], mustNotSee: (f) => f.sent.id }, { as: '150200-duty', expect: [200], mustNotSee: (f) => f.sent.id }] },
  { route: 'POST /api/reports/', who: 'duty/leader (no administrator)', allow: [{ as: `${C}-duty`, body: (f) => f.newReport(), expect: [201] }], deny: [{ as: `${C}-venue`, body: (f) => f.newReport(), expect: [403] }, { as: 'sysadmin', body: (f) => f.newReport(), expect: [403] }, { as: 'secadmin', body: (f) => f.newReport(), expect: [403] }] },
  { route: 'POST /api/reports/phone', who: 'duty/leader', allow: [{ as: `${C}-duty`, body: (f) => f.newPhone(), expect: [201] }], deny: [{ as: `${C}-venue`, body: (f) => f.newPhone(), expect: [403] }] },
  { route: 'GET /api/reports/incidents', who: "own unit's, and below once sent or demanded", allow: [{ as: `${C}-duty`, expect: [200] }], deny: [{ as: '150100-duty', expect: [200], mustNotSee: (f) => f.draft.incidentId }, { as: '150100-duty', url: (f) => `/api/reports/incidents?ids=${f.draft.incidentId}`, expect: [200], mustNotSee: (f) => f.draft.incidentId }, { as: '150200-duty', expect: [200], mustNotSee: (f) => f.sent.incidentId }] },
  { route: 'POST /api/reports/incidents/demand', who: 'duty/leader, for units below', allow: [{ as: '150100-leader', body: () => ({ unitCode: C, title: '催报', eventTime: new Date(Date.now() - 60_000).toISOString(), place: '某地', grade: 3 }), expect: [201] }], deny: [{ as: `${C}-leader`, body: () => ({ unitCode: '150100', title: '催报', eventTime: new Date(Date.now() - 60_000).toISOString(), place: '某地', grade: 3 }), expect: [403] }, { as: '150200-leader', body: () => ({ unitCode: C, title: '催报', eventTime: new Date(Date.now() - 60_000).toISOString(), place: '某地', grade: 3 }), expect: [403] }, { as: '150100-venue', body: () => ({ unitCode: C, title: '催报', eventTime: new Date(Date.now() - 60_000).toISOString(), place: '某地', grade: 3 }), expect: [403] }] },
  { route: 'GET /api/reports/incidents/:id', who: 'as the incident list', allow: [{ as: `${C}-duty`, url: (f) => `/api/reports/incidents/${f.draft.incidentId}`, expect: [200] }, { as: '150000-duty', url: (f) => `/api/reports/incidents/${f.sent.incidentId}`, expect: [200] }], deny: [{ as: '150100-duty', url: (f) => `/api/reports/incidents/${f.draft.incidentId}`, expect: [404] }, { as: '150103-duty', url: (f) => `/api/reports/incidents/${f.sent.incidentId}`, expect: [404] }, { as: '150200-leader', url: (f) => `/api/reports/incidents/${f.sent.incidentId}`, expect: [404] }] },
  { route: 'GET /api/reports/instructions', who: 'issued by own unit or below, or addressed to it', allow: [{ as: `${C}-duty`, expect: [200] }], deny: [{ as: '150103-duty', expect: [200], mustNotSee: (f) => f.instruction }, { as: '150200-leader', url: () => '/api/reports/instructions?box=issued', expect: [200], mustNotSee: (f) => f.instruction }] },
  { route: 'POST /api/reports/instructions', who: 'leader, on what they may read, to units below', allow: [{ as: '150100-leader', body: (f) => ({ incidentId: f.sent.incidentId, text: '请续报', unitCodes: [C] }), expect: [201] }], deny: [{ as: '150100-duty', body: (f) => ({ incidentId: f.sent.incidentId, text: '请续报', unitCodes: [C] }), expect: [403] }, { as: '150100-leader', body: (f) => ({ incidentId: f.draft.incidentId, text: '请续报', unitCodes: [C] }), expect: [404] }, { as: '150200-leader', body: (f) => ({ incidentId: f.sent.incidentId, text: '请续报', unitCodes: [C] }), expect: [404] }] },
  { route: 'POST /api/reports/instructions/:id/feedback', who: 'duty/leader of a target unit', allow: [{ as: `${C}-duty`, url: (f) => `/api/reports/instructions/${f.instruction}/feedback`, body: () => ({ text: '已落实' }), expect: [200] }], deny: [{ as: '150103-duty', url: (f) => `/api/reports/instructions/${f.instruction}/feedback`, body: () => ({ text: 'x' }), expect: [404] }, { as: `${C}-venue`, url: (f) => `/api/reports/instructions/${f.instruction}/feedback`, body: () => ({ text: 'x' }), expect: [403] }] },
  { route: 'GET /api/reports/board', who: 'any session; only its own subtree, no unsent titles', allow: [{ as: '150100-leader', expect: [200] }], deny: [{ as: '150200-leader', expect: [200], mustNotSee: (f) => f.sentTitle }, { as: '150100-leader', expect: [200], mustNotSee: (f) => f.draftTitle }] },
  { route: 'GET /api/reports/board.xlsx', who: 'as the board', allow: [{ as: '150100-leader', expect: [200] }], deny: [], denyNote: 'the same data as the board (anonymous refused); binary, content checked there' },
  { route: 'GET /api/reports/rules', who: 'any session (the deadline table is public inside the system)', allow: [{ as: `${C}-venue`, expect: [200] }], deny: [], denyNote: 'anonymous is the refusal' },
  // Units' registered phones (语音接入): the system administrator only; POST runs before PUT (same database).
  { route: 'GET /api/voice/phones', who: 'system administrator', allow: [{ as: 'sysadmin', expect: [200] }], deny: [{ as: '150000-leader', expect: [403] }, { as: 'secadmin', expect: [403] }, { as: 'auditadmin', expect: [403] }, { as: `${C}-duty`, expect: [403] }] },
  { route: 'POST /api/voice/phones', who: 'system administrator', allow: [{ as: 'sysadmin', body: () => ({ number: '04719990001', unitCode: C, password: 'Phone@2027!' }), expect: [201] }], deny: [{ as: '150000-leader', body: () => ({ number: '04719990002', unitCode: C }), expect: [403] }, { as: 'secadmin', body: () => ({ number: '04719990002', unitCode: C }), expect: [403] }, { as: 'auditadmin', body: () => ({ number: '04719990002', unitCode: C }), expect: [403] }, { as: `${C}-duty`, body: () => ({ number: '04719990002', unitCode: C }), expect: [403] }] },
  { route: 'PUT /api/voice/phones/:number', who: 'system administrator', allow: [{ as: 'sysadmin', url: () => '/api/voice/phones/04719990001', body: () => ({ enabled: false }), expect: [200] }], deny: [{ as: '150000-leader', url: () => '/api/voice/phones/04719990001', body: () => ({ enabled: true }), expect: [403] }, { as: 'secadmin', url: () => '/api/voice/phones/04719990001', body: () => ({ password: 'Another@2027' }), expect: [403] }, { as: `${C}-duty`, url: () => '/api/voice/phones/04719990001', body: () => ({ enabled: true }), expect: [403] }] },
  { route: 'POST /api/reports/rules', who: 'system administrator', allow: [{ as: 'sysadmin', body: (f) => f.rules, expect: [200] }], deny: [{ as: '150000-leader', body: (f) => f.rules, expect: [403] }, { as: `${C}-duty`, body: (f) => f.rules, expect: [403] }, { as: 'secadmin', body: (f) => f.rules, expect: [403] }, { as: 'auditadmin', body: (f) => f.rules, expect: [403] }] },
  { route: 'GET /api/reports/attachments/:id', who: 'readers of the report (cleared for its classification)', allow: [{ as: `${C}-duty`, url: (f) => `/api/reports/attachments/${f.attachment}`, expect: [200] }], deny: [{ as: '150100-duty', url: (f) => `/api/reports/attachments/${f.attachment}`, expect: [404] }, { as: '150103-duty', url: (f) => `/api/reports/attachments/${f.attachment}`, expect: [404] }] },
  { route: 'GET /api/reports/:id', who: "own unit's any state; above once sent", allow: [{ as: `${C}-venue`, url: (f) => `/api/reports/${f.draft.id}`, expect: [200] }, { as: '150000-duty', url: (f) => `/api/reports/${f.sent.id}`, expect: [200] }], deny: [{ as: '150100-leader', url: (f) => `/api/reports/${f.draft.id}`, expect: [404] }, { as: '150103-duty', url: (f) => `/api/reports/${f.sent.id}`, expect: [404] }, { as: '150200-duty', url: (f) => `/api/reports/${f.sent.id}`, expect: [404] }] },
  { route: 'GET /api/reports/:id/docx', who: '报送单: as the report', allow: [{ as: `${C}-venue`, url: (f) => `/api/reports/${f.draft.id}/docx`, expect: [200] }, { as: '150000-duty', url: (f) => `/api/reports/${f.sent.id}/docx`, expect: [200] }], deny: [{ as: '150100-leader', url: (f) => `/api/reports/${f.draft.id}/docx`, expect: [404] }, { as: '150200-duty', url: (f) => `/api/reports/${f.sent.id}/docx`, expect: [404] }] },
  { route: 'GET /api/reports/:id/pdf', who: '报送单: as the report', allow: [{ as: `${C}-venue`, url: (f) => `/api/reports/${f.draft.id}/pdf`, expect: [200] }, { as: '150000-duty', url: (f) => `/api/reports/${f.sent.id}/pdf`, expect: [200] }], deny: [{ as: '150100-leader', url: (f) => `/api/reports/${f.draft.id}/pdf`, expect: [404] }, { as: '150200-duty', url: (f) => `/api/reports/${f.sent.id}/pdf`, expect: [404] }] },
  { route: 'POST /api/reports/:id/edit', who: 'duty/leader of the unit, while unsent', allow: [{ as: `${C}-duty`, url: (f) => `/api/reports/${f.draft.id}/edit`, body: () => ({ place: '新城区某街道' }), expect: [200] }], deny: [{ as: `${C}-venue`, url: (f) => `/api/reports/${f.draft.id}/edit`, body: () => ({ place: 'x' }), expect: [403] }, { as: '150103-duty', url: (f) => `/api/reports/${f.draft.id}/edit`, body: () => ({ place: 'x' }), expect: [404] }, { as: '150100-leader', url: (f) => `/api/reports/${f.draft.id}/edit`, body: () => ({ place: 'x' }), expect: [404] }] },
  { route: 'POST /api/reports/:id/submit', who: 'duty/leader of the unit', allow: [{ as: `${C}-duty`, url: (f) => `/api/reports/${f.toSubmit}/submit`, expect: [200] }], deny: [{ as: `${C}-venue`, url: (f) => `/api/reports/${f.toSubmit}/submit`, expect: [403] }, { as: '150103-duty', url: (f) => `/api/reports/${f.toSubmit}/submit`, expect: [404] }] },
  { route: 'POST /api/reports/:id/sign', who: 'leader of the unit', allow: [{ as: `${C}-leader`, url: (f) => `/api/reports/${f.toSign}/sign`, expect: [200] }], deny: [{ as: `${C}-duty`, url: (f) => `/api/reports/${f.toSign}/sign`, expect: [403] }, { as: '150103-leader', url: (f) => `/api/reports/${f.toSign}/sign`, expect: [404] }, { as: '150100-leader', url: (f) => `/api/reports/${f.toSign}/sign`, expect: [404] }] },
  { route: 'POST /api/reports/:id/return', who: 'leader of the unit', allow: [{ as: `${C}-leader`, url: (f) => `/api/reports/${f.toReturn}/return`, body: () => ({ comment: '请补充伤亡情况' }), expect: [200] }], deny: [{ as: `${C}-duty`, url: (f) => `/api/reports/${f.toReturn}/return`, body: () => ({ comment: 'x' }), expect: [403] }, { as: '150103-leader', url: (f) => `/api/reports/${f.toReturn}/return`, body: () => ({ comment: 'x' }), expect: [404] }] },
  { route: 'POST /api/reports/:id/acknowledge', who: 'duty/leader of the receiving office', allow: [{ as: '150100-duty', url: (f) => `/api/reports/${f.sent.id}/acknowledge`, expect: [200] }], deny: [{ as: '150200-duty', url: (f) => `/api/reports/${f.sent.id}/acknowledge`, expect: [404] }, { as: '150100-venue', url: (f) => `/api/reports/${f.sent.id}/acknowledge`, expect: [403] }] },
  { route: 'POST /api/reports/:id/assess', who: 'duty/leader of the receiving office', allow: [{ as: '150100-duty', url: (f) => `/api/reports/${f.sent.id}/assess`, body: () => ({ text: '情况属实' }), expect: [200, 409] }], deny: [{ as: '150200-duty', url: (f) => `/api/reports/${f.sent.id}/assess`, body: () => ({ text: 'x' }), expect: [404] }, { as: '150100-venue', url: (f) => `/api/reports/${f.sent.id}/assess`, body: () => ({ text: 'x' }), expect: [403] }] },
  { route: 'POST /api/reports/:id/relay', who: 'duty/leader of the receiving office', allow: [{ as: '150100-duty', url: (f) => `/api/reports/${f.sent.id}/relay`, body: () => ({ text: '请审核转报' }), expect: [200] }], deny: [{ as: '150200-duty', url: (f) => `/api/reports/${f.sent.id}/relay`, expect: [404] }, { as: '150100-venue', url: (f) => `/api/reports/${f.sent.id}/relay`, expect: [403] }] },
  { route: 'POST /api/reports/:id/relay-return', who: 'leader of the receiving office', allow: [{ as: '150100-leader', url: (f) => `/api/reports/${f.sent.id}/relay-return`, body: () => ({ text: '再核实' }), expect: [200, 409] }], deny: [{ as: '150100-duty', url: (f) => `/api/reports/${f.sent.id}/relay-return`, body: () => ({ text: 'x' }), expect: [403] }, { as: '150200-leader', url: (f) => `/api/reports/${f.sent.id}/relay-return`, body: () => ({ text: 'x' }), expect: [404] }] },
  { route: 'POST /api/reports/:id/relay-sign', who: 'leader of the receiving office', allow: [{ as: '150100-leader', url: (f) => `/api/reports/${f.sent.id}/relay-sign`, expect: [200, 409] }], deny: [{ as: '150100-duty', url: (f) => `/api/reports/${f.sent.id}/relay-sign`, expect: [403] }, { as: '150200-leader', url: (f) => `/api/reports/${f.sent.id}/relay-sign`, expect: [404] }] },
  { route: 'POST /api/reports/:id/attachments', who: 'duty/leader of the unit, while unsent', allow: [{ as: `${C}-duty`, url: (f) => `/api/reports/${f.draft.id}/attachments?filename=a.txt`, raw: { type: 'text/plain', data: () => 'hello' }, expect: [201] }], deny: [{ as: '150103-duty', url: (f) => `/api/reports/${f.draft.id}/attachments?filename=a.txt`, raw: { type: 'text/plain', data: () => 'x' }, expect: [404] }, { as: '150100-leader', url: (f) => `/api/reports/${f.draft.id}/attachments?filename=a.txt`, raw: { type: 'text/plain', data: () => 'x' }, expect: [404] }] },

  // ---------------------------------------------------------------- duty
  ...(['settings', 'people', 'swaps', 'handover', 'log'] as const).map(
    (p): HttpRule => ({ route: `GET /api/duty/${p}`, who: 'own unit and units below', allow: [{ as: '150100-duty', url: () => `/api/duty/${p}?unit=${C}`, expect: [200] }, { as: `${C}-venue`, url: () => `/api/duty/${p}`, expect: [200] }], deny: [{ as: '150103-duty', url: () => `/api/duty/${p}?unit=${C}`, expect: [403] }, { as: '150200-leader', url: () => `/api/duty/${p}?unit=${C}`, expect: [403] }, { as: `${C}-duty`, url: () => `/api/duty/${p}?unit=150100`, expect: [403] }] }),
  ),
  { route: 'GET /api/duty/roster', who: 'own unit and units below', allow: [{ as: '150000-leader', url: (f) => `/api/duty/roster?unit=${C}&from=${f.today}&to=${f.today}`, expect: [200] }], deny: [{ as: '150103-duty', url: (f) => `/api/duty/roster?unit=${C}&from=${f.today}&to=${f.today}`, expect: [403] }, { as: '150200-duty', url: (f) => `/api/duty/roster?unit=${C}&from=${f.today}&to=${f.today}`, expect: [403] }] },
  { route: 'GET /api/duty/roster/history', who: 'own unit and units below', allow: [{ as: '150100-leader', url: (f) => `/api/duty/roster/history?unit=${C}&start=${encodeURIComponent(f.slotStart)}`, expect: [200] }], deny: [{ as: '150103-duty', url: (f) => `/api/duty/roster/history?unit=${C}&start=${encodeURIComponent(f.slotStart)}`, expect: [403] }] },
  { route: 'GET /api/duty/roster/export', who: 'own unit and units below', allow: [{ as: `${C}-duty`, url: (f) => `/api/duty/roster/export?month=${month(f)}`, expect: [200] }], deny: [{ as: '150103-leader', url: (f) => `/api/duty/roster/export?unit=${C}&month=${month(f)}`, expect: [403] }] },
  { route: 'GET /api/duty/now', who: 'any session; its own subtree only', allow: [{ as: '150100-duty', expect: [200] }], deny: [{ as: '150103-duty', expect: [200], mustNotSee: () => `"${C}"` }] },
  { route: 'POST /api/duty/settings', who: 'leader of the unit', allow: [{ as: `${C}-leader`, body: () => ({ shiftStarts: ['08:30'], dutyPhone: '0471-6600000' }), expect: [200] }], deny: [{ as: `${C}-duty`, body: () => ({ shiftStarts: ['08:30'], dutyPhone: null }), expect: [403] }, { as: '150100-leader', body: () => ({ unitCode: C, shiftStarts: ['08:30'], dutyPhone: null }), expect: [403] }] },
  { route: 'POST /api/duty/roster/slot', who: 'leader of the unit', allow: [{ as: `${C}-leader`, body: (f) => f.slotBody, expect: [200] }], deny: [{ as: `${C}-duty`, body: (f) => f.slotBody, expect: [403] }, { as: '150100-leader', body: (f) => ({ ...f.slotBody, unitCode: C }), expect: [403] }] },
  { route: 'POST /api/duty/roster/fill', who: 'leader of the unit', allow: [{ as: `${C}-leader`, body: (f) => f.fillBody, expect: [200] }], deny: [{ as: `${C}-duty2`, body: (f) => f.fillBody, expect: [403] }] },
  { route: 'POST /api/duty/roster/import', who: 'leader of the unit', allow: [{ as: `${C}-leader`, url: () => '/api/duty/roster/import', raw: { type: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', data: (f) => f.workbook }, expect: [200, 422] }], deny: [{ as: `${C}-duty`, url: () => '/api/duty/roster/import', raw: { type: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', data: (f) => f.workbook }, expect: [403] }, { as: '150100-leader', url: () => `/api/duty/roster/import?unit=${C}`, raw: { type: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', data: (f) => f.workbook }, expect: [403] }] },
  { route: 'POST /api/duty/swaps', who: 'duty/leader of the unit', allow: [{ as: `${C}-duty`, body: (f) => f.swapBody(), expect: [201, 409] }], deny: [{ as: '150103-duty', body: (f) => ({ ...f.swapBody(), unitCode: C }), expect: [403] }, { as: `${C}-venue`, body: (f) => f.swapBody(), expect: [403] }] },
  { route: 'POST /api/duty/swaps/:id/approve', who: 'leader of the unit', allow: [{ as: `${C}-leader`, url: (f) => `/api/duty/swaps/${f.swaps[0]}/approve`, expect: [200, 409] }], deny: [{ as: `${C}-duty2`, url: (f) => `/api/duty/swaps/${f.swaps[0]}/approve`, expect: [403] }, { as: '150103-leader', url: (f) => `/api/duty/swaps/${f.swaps[0]}/approve`, expect: [404] }, { as: '150100-leader', url: (f) => `/api/duty/swaps/${f.swaps[0]}/approve`, expect: [403] }] },
  { route: 'POST /api/duty/swaps/:id/reject', who: 'leader of the unit', allow: [{ as: `${C}-leader`, url: (f) => `/api/duty/swaps/${f.swaps[1]}/reject`, body: () => ({ note: '人手不足' }), expect: [200] }], deny: [{ as: `${C}-duty`, url: (f) => `/api/duty/swaps/${f.swaps[1]}/reject`, expect: [403] }, { as: '150202-leader', url: (f) => `/api/duty/swaps/${f.swaps[1]}/reject`, expect: [404] }] },
  { route: 'POST /api/duty/swaps/:id/cancel', who: 'the requester', allow: [{ as: `${C}-duty`, url: (f) => `/api/duty/swaps/${f.swaps[2]}/cancel`, expect: [200] }], deny: [{ as: `${C}-leader`, url: (f) => `/api/duty/swaps/${f.swaps[2]}/cancel`, expect: [403] }, { as: '150103-duty', url: (f) => `/api/duty/swaps/${f.swaps[2]}/cancel`, expect: [404] }] },
  { route: 'POST /api/duty/handovers', who: 'duty/leader of the unit (own shift)', allow: [{ as: `${C}-duty`, body: (f) => ({ requestId: crypto.randomUUID(), slotStart: f.closable, summary: '交班' }), expect: [201, 409] }], deny: [{ as: `${C}-venue`, body: (f) => ({ requestId: crypto.randomUUID(), slotStart: f.closable, summary: '交班' }), expect: [403] }] },
  { route: 'GET /api/duty/handovers/:id', who: 'own unit and units above', allow: [{ as: '150000-duty', url: (f) => `/api/duty/handovers/${f.handover}`, expect: [200] }], deny: [{ as: '150103-duty', url: (f) => `/api/duty/handovers/${f.handover}`, expect: [404] }, { as: '150200-duty', url: (f) => `/api/duty/handovers/${f.handover}`, expect: [404] }] },
  { route: 'POST /api/duty/handovers/:id/ack', who: 'duty/leader of the unit, not the outgoing officer', allow: [{ as: `${C}-duty2`, url: (f) => `/api/duty/handovers/${f.handover}/ack`, body: () => ({ all: true }), expect: [200] }], deny: [{ as: '150103-duty', url: (f) => `/api/duty/handovers/${f.handover}/ack`, body: () => ({ all: true }), expect: [404] }, { as: '150100-duty', url: (f) => `/api/duty/handovers/${f.handover}/ack`, body: () => ({ all: true }), expect: [403] }, { as: `${C}-venue`, url: (f) => `/api/duty/handovers/${f.handover}/ack`, body: () => ({ all: true }), expect: [403] }] },
  { route: 'POST /api/duty/handovers/:id/accept', who: 'duty/leader of the unit, not the outgoing officer', allow: [{ as: `${C}-duty2`, url: (f) => `/api/duty/handovers/${f.handover}/accept`, expect: [200] }], deny: [{ as: '150100-duty', url: (f) => `/api/duty/handovers/${f.handover}/accept`, expect: [403] }, { as: '150103-duty', url: (f) => `/api/duty/handovers/${f.handover}/accept`, expect: [404] }] },
  { route: 'POST /api/duty/log', who: 'duty/leader of the unit', allow: [{ as: `${C}-duty`, body: (f) => f.logBody(), expect: [201] }], deny: [{ as: `${C}-venue`, body: (f) => f.logBody(), expect: [403] }] },
  { route: 'POST /api/duty/log/:id', who: 'duty/leader of the unit', allow: [{ as: `${C}-duty2`, url: (f) => `/api/duty/log/${f.log}`, body: (f) => ({ ...f.logBody(), revision: 1 }), expect: [200] }], deny: [{ as: '150103-duty', url: (f) => `/api/duty/log/${f.log}`, body: (f) => ({ ...f.logBody(), revision: 1 }), expect: [404] }, { as: '150100-leader', url: (f) => `/api/duty/log/${f.log}`, body: (f) => ({ ...f.logBody(), revision: 1 }), expect: [403] }] },
  { route: 'GET /api/duty/log/:id/revisions', who: 'own unit and units above', allow: [{ as: '150100-duty', url: (f) => `/api/duty/log/${f.log}/revisions`, expect: [200] }], deny: [{ as: '150103-duty', url: (f) => `/api/duty/log/${f.log}/revisions`, expect: [404] }, { as: '150200-duty', url: () => `/api/duty/log/${uuid0}/revisions`, expect: [404] }] },

  // ---------------------------------------------------------------- emergency platform (应急平台)
  { route: 'POST /platform/cap', who: 'the platform: authenticated by the HMAC signature of the body, not a session', public: true, allow: [{ as: '', raw: { type: 'application/cap+xml', data: () => '<alert/>' }, expect: [403, 503] }], deny: [], denyNote: 'unsigned and mis-signed bodies are refused (403) and nothing is stored: platform-api.test.ts' },
  { route: 'GET /platform/feed.atom', who: 'a pulling platform with the feed token, or the region\'s own staff', allow: [{ as: '150000-duty', expect: [200] }], deny: [{ as: `${C}-duty`, expect: [403] }, { as: '150100-leader', expect: [403] }] },
  { route: 'GET /api/platform/outbox', who: "the region's own office", allow: [{ as: '150000-duty', expect: [200] }], deny: [{ as: '150100-duty', expect: [403] }, { as: `${C}-leader`, expect: [403] }] },
  { route: 'GET /api/platform/reports/:id/delivery', who: 'readers of the report', allow: [{ as: `${C}-duty`, url: (f) => `/api/platform/reports/${f.sent.id}/delivery`, expect: [200] }], deny: [{ as: '150103-duty', url: (f) => `/api/platform/reports/${f.sent.id}/delivery`, expect: [404] }, { as: '150100-duty', url: (f) => `/api/platform/reports/${f.draft.id}/delivery`, expect: [404] }] },
  { route: 'POST /api/platform/reports/:id/push', who: "duty/leader of the region's office, on a report that reached it", allow: [{ as: '150000-leader', url: (f) => `/api/platform/reports/${f.sent.id}/push`, expect: [200, 409] }], deny: [{ as: '150100-leader', url: (f) => `/api/platform/reports/${f.sent.id}/push`, expect: [403] }, { as: '150000-venue', url: (f) => `/api/platform/reports/${f.sent.id}/push`, expect: [403] }] },
  { route: 'POST /api/platform/outbox/:id/redrive', who: "duty/leader of the region's office", allow: [{ as: '150000-duty', url: () => '/api/platform/outbox/999999/redrive', expect: [404] }], deny: [{ as: '150100-duty', url: () => '/api/platform/outbox/999999/redrive', expect: [403] }, { as: '150000-venue', url: () => '/api/platform/outbox/999999/redrive', expect: [403] }] },
  { route: 'POST /api/platform/withdraw', who: "leader of the region's office", allow: [{ as: '150000-leader', body: (f) => ({ incidentId: f.sent.incidentId }), expect: [200, 409] }], deny: [{ as: '150000-duty', body: (f) => ({ incidentId: f.sent.incidentId }), expect: [403] }, { as: '150100-leader', body: (f) => ({ incidentId: f.sent.incidentId }), expect: [403] }] },
  { route: 'GET /api/platform/rules', who: "the region's own office", allow: [{ as: '150000-duty', expect: [200] }], deny: [{ as: '150100-leader', expect: [403] }] },
  { route: 'POST /api/platform/rules', who: "leader of the region's office", allow: [{ as: '150000-leader', body: () => ({ rules: [1, 2, 3, 4].map((grade) => ({ grade, autoPush: grade <= 2 })) }), expect: [200] }], deny: [{ as: '150000-duty', body: () => ({ rules: [1, 2, 3, 4].map((grade) => ({ grade, autoPush: false })) }), expect: [403] }, { as: '150100-leader', body: () => ({ rules: [1, 2, 3, 4].map((grade) => ({ grade, autoPush: false })) }), expect: [403] }] },
  { route: 'GET /api/platform/alerts', who: 'units an alert covers and the offices above them', allow: [{ as: `${C}-venue`, expect: [200] }], deny: [{ as: '150103-duty', expect: [200], mustNotSee: (f) => f.alert }, { as: '150200-leader', expect: [200], mustNotSee: (f) => f.alert }] },
  { route: 'GET /api/platform/alerts/:id', who: 'as the list', allow: [{ as: `${C}-duty`, url: (f) => `/api/platform/alerts/${f.alert}`, expect: [200] }, { as: '150100-duty', url: (f) => `/api/platform/alerts/${f.alert}`, expect: [200] }], deny: [{ as: '150103-duty', url: (f) => `/api/platform/alerts/${f.alert}`, expect: [404] }] },
  { route: 'POST /api/platform/alerts/:id/ack', who: 'duty/leader of a unit that sees it', allow: [{ as: `${C}-duty`, url: (f) => `/api/platform/alerts/${f.alert}/ack`, expect: [200] }], deny: [{ as: '150103-duty', url: (f) => `/api/platform/alerts/${f.alert}/ack`, expect: [404] }, { as: `${C}-venue`, url: (f) => `/api/platform/alerts/${f.alert}/ack`, expect: [403] }] },
  { route: 'POST /api/platform/alerts/:id/incident', who: 'duty/leader of a unit that sees it', allow: [{ as: `${C}-duty`, url: (f) => `/api/platform/alerts/${f.alert}/incident`, expect: [200] }], deny: [{ as: '150103-duty', url: (f) => `/api/platform/alerts/${f.alert}/incident`, expect: [404] }, { as: `${C}-venue`, url: (f) => `/api/platform/alerts/${f.alert}/incident`, expect: [403] }] },
  { route: 'POST /api/platform/alerts/:id/demand', who: 'duty/leader above a covered unit', allow: [{ as: '150100-duty', url: (f) => `/api/platform/alerts/${f.alert}/demand`, expect: [200] }], deny: [{ as: '150103-duty', url: (f) => `/api/platform/alerts/${f.alert}/demand`, expect: [404] }, { as: `${C}-duty`, url: (f) => `/api/platform/alerts/${f.alert}/demand`, expect: [403] }, { as: '150100-venue', url: (f) => `/api/platform/alerts/${f.alert}/demand`, expect: [403] }] },
  { route: 'POST /api/platform/convene', who: 'leader; only units in its own scope', allow: [{ as: '150100-leader', body: (f) => ({ alertId: f.alert }), expect: [201] }], deny: [{ as: '150100-duty', body: (f) => ({ alertId: f.alert }), expect: [403] }, { as: '150200-leader', body: (f) => ({ alertId: f.alert }), expect: [404] }, { as: '150200-leader', body: (f) => ({ incidentId: f.sent.incidentId }), expect: [404] }] },

  // ---------------------------------------------------------------- routine government information
  ...withDepartmentCases(INFO_RULES),
  ...DEPARTMENT_RULES,
  ...SCORING_RULES,
  ...ADMIN_RULES,
  ...CERTIFICATE_RULES,

  // ---------------------------------------------------------------- audit trail (三员分立: the audit administrator only)
  { route: 'GET /api/audit/', who: 'the audit administrator (no other administrator, no leader)', allow: [{ as: 'auditadmin', url: () => '/api/audit?pageSize=5', expect: [200] }], deny: [{ as: 'sysadmin', url: () => '/api/audit', expect: [403] }, { as: 'secadmin', url: () => '/api/audit', expect: [403] }, { as: '150000-leader', url: () => '/api/audit', expect: [403] }] },
  { route: 'GET /api/audit/verify', who: 'the audit administrator', allow: [{ as: 'auditadmin', expect: [200] }], deny: [{ as: 'sysadmin', expect: [403] }, { as: 'secadmin', expect: [403] }] },
  { route: 'GET /api/audit/export.xlsx', who: 'the audit administrator', allow: [{ as: 'auditadmin', expect: [200] }], deny: [{ as: 'secadmin', expect: [403] }, { as: `${C}-duty`, expect: [403] }] },

  // ---------------------------------------------------------------- test only
  { route: 'GET /api/test/clock', who: 'any session; mounted only with TEST_CLOCK=1 (never in production)', optional: true, allow: [{ as: `${C}-duty`, expect: [200] }], deny: [], denyNote: 'test-only' },
  { route: 'POST /api/test/clock', who: 'any session; mounted only with TEST_CLOCK=1 (never in production)', optional: true, allow: [{ as: `${C}-duty`, body: () => ({ advanceMs: 0 }), expect: [200] }], deny: [], denyNote: 'test-only' },
];

const joinedOnly = (event: ClientEvent, payload: (f: F) => unknown, who = 'a site joined to a meeting (its own peer objects only)'): SocketRule => ({
  event,
  who,
  allow: [{ as: `${C}-venue`, setup: 'join', payload }],
  deny: [{ as: '150103-venue', payload, code: 'NOT_IN_MEETING' }],
});
const deviceTest = (event: ClientEvent, payload: (f: F) => unknown): SocketRule => ({
  event,
  who: "any session, its own device test (a private loopback router)",
  allow: [{ as: `${C}-venue`, setup: 'devicetest', payload }],
  deny: [{ as: '150103-venue', payload, code: 'DEVICE_TEST_NOT_STARTED' }],
});

export const SOCKET_RULES: SocketRule[] = [
  { event: 'disconnect', who: 'socket.io lifecycle', system: true, allow: [], deny: [] },
  { event: 'error', who: 'socket.io lifecycle', system: true, allow: [], deny: [] },
  { event: 'meeting:join', who: 'invited units (PIN meetings: with the PIN; not removed; not locked out)', allow: [{ as: `${C}-venue`, payload: (f) => ({ meetingId: f.meeting }) }], deny: [{ as: '150202-venue', payload: (f) => ({ meetingId: f.meeting }), code: 'MEETING_NOT_INVITED' }, { as: '150103-venue', payload: (f) => ({ meetingId: f.pinMeeting }), code: 'MEETING_PIN_REQUIRED' }, { as: `${C}-venue`, payload: () => ({ meetingId: uuid0 }), code: 'NOT_FOUND' }] },
  { event: 'meeting:leave', who: "a socket's own membership", allow: [{ as: `${C}-venue`, setup: 'join', payload: () => ({}) }], deny: [], denyNote: 'leaves only its own meeting' },
  joinedOnly('transport:create', () => ({ direction: 'recv' })),
  joinedOnly('transport:connect', () => ({ transportId: 'nope', dtlsParameters: {} })),
  joinedOnly('transport:restartIce', () => ({ transportId: 'nope' })),
  joinedOnly('produce', () => ({ transportId: 'nope', kind: 'audio', rtpParameters: {} })),
  joinedOnly('producer:close', () => ({ producerId: 'nope' })),
  joinedOnly('consume', () => ({ producerId: 'nope', rtpCapabilities: {} })),
  joinedOnly('consumer:resume', () => ({ consumerId: 'nope' })),
  joinedOnly('consumer:pause', () => ({ consumerId: 'nope' })),
  joinedOnly('consumer:close', () => ({ consumerId: 'nope' })),
  joinedOnly('consumer:setPreferredLayers', () => ({ consumerId: 'nope', spatialLayer: 0 })),
  joinedOnly('stats:report', () => ({ width: 640, height: 360, fps: 25, rttMs: 20 })),
  joinedOnly('chat', () => ({ text: '收到' })),
  {
    event: 'control',
    who: 'the chair for chair commands; a joined site for its own (raise hand, self mute)',
    allow: [{ as: '150100-leader', setup: 'join', payload: () => ({ command: { type: 'layout', layout: '4' } }) }, { as: `${C}-venue`, setup: 'join', payload: () => ({ command: { type: 'raiseHand' } }) }],
    deny: [{ as: `${C}-venue`, setup: 'join', payload: () => ({ command: { type: 'muteAll' } }), code: 'CONTROL_FORBIDDEN' }, { as: '150103-venue', payload: () => ({ command: { type: 'raiseHand' } }), code: 'NOT_IN_MEETING' }],
  },
  {
    event: 'voice:dial',
    who: "the meeting's chair only (呼叫会场; here voice access is off, so the chair gets VOICE_OFF, not a refusal)",
    allow: [{ as: '150100-leader', setup: 'join', payload: () => ({ unitCode: C, number: '13800471234' }) }],
    deny: [{ as: `${C}-venue`, setup: 'join', payload: () => ({ unitCode: C, number: '13800471234' }), code: 'CONTROL_FORBIDDEN' }, { as: '150103-venue', payload: () => ({ unitCode: C }), code: 'NOT_IN_MEETING' }],
  },
  {
    event: 'voice:hangup',
    who: "the meeting's chair only",
    allow: [{ as: '150100-leader', setup: 'join', payload: () => ({ callId: 'no-such-call' }) }],
    deny: [{ as: `${C}-venue`, setup: 'join', payload: () => ({ callId: 'no-such-call' }), code: 'CONTROL_FORBIDDEN' }, { as: '150103-venue', payload: () => ({ callId: 'x' }), code: 'NOT_IN_MEETING' }],
  },
  { event: 'devicetest:start', who: 'any session (one test per socket)', allow: [{ as: `${C}-venue`, payload: () => ({}) }], deny: [], denyNote: 'every site may test its own devices; one per socket (DEVICE_TEST_BUSY)' },
  deviceTest('devicetest:connect', () => ({ transportId: 'nope', dtlsParameters: {} })),
  deviceTest('devicetest:produce', () => ({ kind: 'audio', rtpParameters: {} })),
  deviceTest('devicetest:consume', () => ({ producerId: 'nope', rtpCapabilities: {} })),
  deviceTest('devicetest:resume', () => ({ consumerId: 'nope' })),
  deviceTest('devicetest:stats', () => ({})),
  { event: 'devicetest:stop', who: "a socket's own device test", allow: [{ as: `${C}-venue`, setup: 'devicetest', payload: () => ({}) }], deny: [], denyNote: 'stops only its own test' },
];
