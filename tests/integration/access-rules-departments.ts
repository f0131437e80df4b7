/**
 * Access-matrix rows of departments as submitting units (内设机构): the two department routes, and the cases
 * departments add to the information rows (merged into those rows by route, so each route keeps one row).
 * D is 新城区's 办公室 (150102-01), 150102-02 its sibling department, 150200-01 a department of another city.
 */
import type { HttpCase, HttpRule } from './access-types.ts';

const I = '/api/information';
const D = '150102-01';
const register = (name: string) => () => ({ name, officerName: '矩阵信息员', officerPhone: '0472-5550101', leaderName: '矩阵负责人', initialPassword: 'Kz#7pqWx2026' });
const review = { containsSecrets: false, fitToPublish: true, figuresChecked: true };

export const DEPARTMENT_RULES: HttpRule[] = [
  { route: `GET ${I}/departments`, who: "the departments of the caller's office, or of an office below it", allow: [{ as: '150102-editor', expect: [200] }, { as: '150100-editor', url: () => `${I}/departments?office=150102`, expect: [200] }], deny: [{ as: '150103-info', url: () => `${I}/departments?office=150102`, expect: [403] }, { as: '150200-editor', url: () => `${I}/departments?office=150100`, expect: [403] }, { as: `${D}-info`, url: () => `${I}/departments?office=150102`, expect: [403] }] },
  { route: `POST ${I}/departments`, who: "leader/editor of an office (not a department), for its own office", allow: [{ as: '150200-leader', body: register('矩阵科'), expect: [201] }], deny: [{ as: `${D}-leader`, body: register('矩阵股'), expect: [403] }, { as: '150102-info', body: register('矩阵室'), expect: [403] }, { as: '150102-duty', body: register('矩阵组'), expect: [403] }] },
];

/** Cases departments add to existing information rows, by route. */
export const DEPARTMENT_CASES: Record<string, { allow?: HttpCase[]; deny?: HttpCase[] }> = {
  [`GET ${I}/items`]: { deny: [{ as: '150102-info', url: () => `${I}/items?box=mine`, expect: [200], mustNotSee: (f) => f.dept.draftTitle }, { as: '150102-02-info', url: () => `${I}/items?box=mine`, expect: [200], mustNotSee: (f) => f.dept.draftTitle }, { as: '150102-leader', url: () => `${I}/items?box=signoff`, expect: [200], mustNotSee: (f) => f.dept.draftTitle }] },
  [`GET ${I}/items/:id`]: {
    allow: [{ as: `${D}-info`, url: (f) => `${I}/items/${f.dept.draft}`, expect: [200] }, { as: '150102-editor', url: (f) => `${I}/items/${f.dept.submitted}`, expect: [200] }, { as: '150100-editor', url: (f) => `${I}/items/${f.dept.submitted}`, expect: [200] }],
    // Unsent work stays in the department, even from its own office.
    deny: [{ as: '150102-editor', url: (f) => `${I}/items/${f.dept.draft}`, expect: [404] }, { as: '150102-leader', url: (f) => `${I}/items/${f.dept.pending}`, expect: [404] }, { as: '150102-02-info', url: (f) => `${I}/items/${f.dept.submitted}`, expect: [404] }, { as: '150200-01-info', url: (f) => `${I}/items/${f.dept.submitted}`, expect: [404] }, { as: `${D}-info`, url: (f) => `${I}/items/${f.info.submitted}`, expect: [404] }],
  },
  [`POST ${I}/items/:id/signoff`]: { deny: [{ as: '150102-leader', url: (f) => `${I}/items/${f.dept.pending}/signoff`, body: () => ({ decision: 'sign', review, classification: 0 }), expect: [404] }, { as: '150102-02-leader', url: (f) => `${I}/items/${f.dept.pending}/signoff`, body: () => ({ decision: 'return', comment: 'x' }), expect: [404] }] },
  [`GET ${I}/inbox`]: { deny: [{ as: '150100-editor', expect: [200], mustNotSee: (f) => f.dept.submittedTitle }, { as: `${D}-leader`, expect: [200], mustNotSee: (f) => f.dept.submittedTitle }] },
  [`POST ${I}/direct-points`]: { deny: [{ as: '150000-leader', body: () => ({ unitCode: D }), expect: [400] }] },
};

/** The information rows with the departments' cases added. */
export function withDepartmentCases(rules: HttpRule[]): HttpRule[] {
  return rules.map((r) => {
    const extra = DEPARTMENT_CASES[r.route];
    return extra ? { ...r, allow: [...r.allow, ...(extra.allow ?? [])], deny: [...r.deny, ...(extra.deny ?? [])] } : r;
  });
}
