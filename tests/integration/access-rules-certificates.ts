/** Access-matrix rows of certificate login (/api/certificates, the UKey nonce); fixtures in access-fixtures-certificates.ts. */
import type { HttpRule } from './access-types.ts';
import type { Fixtures } from './access-fixtures.ts';

const S = '/api/certificates';
const bind = (f: Fixtures) => ({ username: '150102-duty', pem: f.certs.unbound() });
const policy = () => ({ rows: [{ role: 'info_officer', requireCertificate: false }] });

export const CERTIFICATE_RULES: HttpRule[] = [
  { route: 'POST /api/auth/ukey/challenge', who: 'anyone before sign-in (a nonce alone grants nothing; it is spent by one login)', public: true, allow: [{ as: '', expect: [200] }], deny: [], denyNote: 'issued before there is a session to check' },
  { route: `GET ${S}/`, who: 'the security administrator, accounts in its subtree', allow: [{ as: 'secadmin', url: () => `${S}?username=150102-duty`, expect: [200] }], deny: [{ as: 'sysadmin', url: () => `${S}?username=150102-duty`, expect: [403] }, { as: 'auditadmin', url: () => `${S}?username=150102-duty`, expect: [403] }, { as: '150102-duty', url: () => `${S}?username=150102-duty`, expect: [403] }, { as: '150000-leader', url: () => `${S}?username=150102-duty`, expect: [403] }] },
  { route: `POST ${S}/`, who: 'the security administrator', allow: [{ as: 'secadmin', body: bind, expect: [201] }], deny: [{ as: 'sysadmin', body: bind, expect: [403] }, { as: 'auditadmin', body: bind, expect: [403] }, { as: '150102-duty', body: bind, expect: [403] }] },
  { route: `POST ${S}/:id/revoke`, who: 'the security administrator', allow: [{ as: 'secadmin', url: (f) => `${S}/${f.certs.bound}/revoke`, body: () => ({ reason: '矩阵吊销' }), expect: [200] }], deny: [{ as: 'sysadmin', url: (f) => `${S}/${f.certs.bound}/revoke`, body: () => ({ reason: '矩阵吊销' }), expect: [403] }, { as: 'auditadmin', url: (f) => `${S}/${f.certs.bound}/revoke`, body: () => ({ reason: '矩阵吊销' }), expect: [403] }, { as: '150102-duty', url: (f) => `${S}/${f.certs.bound}/revoke`, body: () => ({ reason: '矩阵吊销' }), expect: [403] }] },
  { route: `GET ${S}/policy`, who: 'the security administrator', allow: [{ as: 'secadmin', expect: [200] }], deny: [{ as: 'sysadmin', expect: [403] }, { as: 'auditadmin', expect: [403] }, { as: '150000-leader', expect: [403] }] },
  { route: `PUT ${S}/policy`, who: 'the security administrator', allow: [{ as: 'secadmin', body: policy, expect: [200] }], deny: [{ as: 'sysadmin', body: policy, expect: [403] }, { as: 'auditadmin', body: policy, expect: [403] }, { as: '150102-duty', body: policy, expect: [403] }] },
];
