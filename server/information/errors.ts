/** The information domain's refusals: stable codes for the API, Chinese messages the console shows as is. */
import { ApiError, errors } from '../http/errors.ts';
import type { Decision } from './workflow.ts';

export const infoErrors = {
  state: () => new ApiError(409, 'INFO_STATE', '当前状态下不能执行此操作，请刷新后查看最新状态'),
  signer: () => new ApiError(403, 'INFO_SIGNER', '本单位已指定分管领导签发信息，请由分管领导签发'),
  review: () => new ApiError(422, 'INFO_REVIEW', '签发前须完成保密审查：核实数据后勾选“数据已核实”'),
  classification: () => new ApiError(422, 'INFO_CLASSIFICATION', '密级与保密审查结论或刊物的最高密级不符'),
  emptyIssue: () => new ApiError(422, 'INFO_ISSUE_EMPTY', '本期刊物还没有编入信息'),
  top: () => new ApiError(409, 'INFO_TOP', '本级已是最高一级，无法转报'),
  done: () => new ApiError(409, 'INFO_DONE', '该信息已经转报或已处理'),
  versionConflict: () => new ApiError(409, 'INFO_VERSION', '信息已被他人修改，请刷新后再编辑'),
  idConflict: () => new ApiError(409, 'REQUEST_ID_CONFLICT', '提交编号冲突，请刷新后重新提交'),
  kind: () => new ApiError(400, 'INFO_KIND', '信息类别不存在'),
  publicationOffice: () => new ApiError(403, 'INFO_PUBLICATION_OFFICE', '只能编入本单位的刊物'),
  notAdopted: () => new ApiError(409, 'INFO_NOT_ADOPTED', '只能对已采用的信息作出批示'),
};

/** Turns a refused workflow decision into the matching API error. */
export function refused(d: Exclude<Decision<unknown>, { ok: true }>): ApiError {
  switch (d.why) {
    case 'role':
      return errors.roleForbidden();
    case 'unit':
      return errors.scopeForbidden();
    case 'signer':
      return infoErrors.signer();
    case 'review':
      return infoErrors.review();
    case 'classification':
      return infoErrors.classification();
    case 'empty':
      return infoErrors.emptyIssue();
    case 'top':
      return infoErrors.top();
    case 'done':
      return infoErrors.done();
    default:
      return infoErrors.state();
  }
}
