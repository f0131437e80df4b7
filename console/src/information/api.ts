/** HTTP client of /api/information; wire types come from the shared contract. */
import { api, queryString } from '../shared/api';
import type {
  AdoptBody,
  AdoptionDto,
  DirectPointDto,
  FeedbackBody,
  InboxRowDto,
  InfoInstructionDto,
  InstructBody,
  IssueDto,
  ItemDto,
  KindDto,
  NoticeDto,
  OfficerDto,
  OfficersBody,
  Paged,
  PublicationDto,
  SaveItemBody,
  SignoffBody,
} from '../../../contract/information';
import type { DepartmentDto, RegisterDepartmentBody } from '../../../contract/informationDepartments';

const base = '/api/information';
const qs = queryString;

export interface ListParams {
  page: number;
  pageSize: number;
  sort?: string;
  order?: 'asc' | 'desc';
}

export const infoApi = {
  kinds: () => api.get<{ kinds: KindDto[] }>(`${base}/kinds`),
  items: (box: 'mine' | 'signoff', p: ListParams & { state?: string }) => api.get<Paged<ItemDto>>(`${base}/items${qs({ box, ...p })}`),
  item: (id: string) => api.get<{ item: ItemDto }>(`${base}/items/${id}`),
  history: (id: string) => api.get<{ revisions: { version: number; title: string; body: string; editedAt: string; editedBy: string; note: string }[] }>(`${base}/items/${id}/history`),
  save: (id: string, body: SaveItemBody) => api.put<{ item: ItemDto }>(`${base}/items/${id}`, body),
  submit: (id: string) => api.post<{ item: ItemDto }>(`${base}/items/${id}/submit`),
  signoff: (id: string, body: SignoffBody) => api.post<{ item: ItemDto }>(`${base}/items/${id}/signoff`, body),
  instruct: (id: string, body: InstructBody) => api.post<{ instruction: InfoInstructionDto }>(`${base}/items/${id}/instructions`, body),
  inbox: (p: ListParams & { unit?: string; kind?: string; state?: string }) => api.get<Paged<InboxRowDto>>(`${base}/inbox${qs({ ...p })}`),
  acknowledge: (deliveryId: string) => api.post(`${base}/deliveries/${deliveryId}/acknowledge`),
  adopt: (deliveryId: string, body: AdoptBody) => api.post(`${base}/deliveries/${deliveryId}/adopt`, body),
  reject: (deliveryId: string, reason: string) => api.post(`${base}/deliveries/${deliveryId}/reject`, { reason }),
  returnItem: (deliveryId: string, reason: string) => api.post(`${base}/deliveries/${deliveryId}/return`, { reason }),
  forward: (deliveryId: string) => api.post(`${base}/deliveries/${deliveryId}/forward`),
  publications: () => api.get<{ publications: PublicationDto[] }>(`${base}/publications`),
  unissued: (publicationId: string) => api.get<{ adoptions: (AdoptionDto & { unitName: string })[] }>(`${base}/publications/${publicationId}/unissued`),
  issues: (p: { q?: string; publicationId?: string; page: number; pageSize: number }) => api.get<Paged<IssueDto>>(`${base}/issues${qs(p)}`),
  issue: (id: string) => api.get<{ issue: IssueDto }>(`${base}/issues/${id}`),
  createIssue: (publicationId: string) => api.post<{ issue: IssueDto }>(`${base}/issues`, { publicationId }),
  setIssueItems: (id: string, adoptionIds: string[]) => api.post<{ issue: IssueDto }>(`${base}/issues/${id}/items`, { adoptionIds }),
  issueStep: (id: string, step: 'submit' | 'publish') => api.post<{ issue: IssueDto }>(`${base}/issues/${id}/${step}`),
  signIssue: (id: string, decision: 'sign' | 'return') => api.post<{ issue: IssueDto }>(`${base}/issues/${id}/signoff`, { decision }),
  docxUrl: (id: string) => `${base}/issues/${id}/docx`,
  pdfUrl: (id: string) => `${base}/issues/${id}/pdf`,
  external: (itemId: string, body: { body: string; publication: string; title?: string }) => api.post<{ item: ItemDto }>(`${base}/items/${itemId}/external`, body),
  departments: () => api.get<{ departments: DepartmentDto[] }>(`${base}/departments`),
  registerDepartment: (body: RegisterDepartmentBody) => api.post<{ department: DepartmentDto }>(`${base}/departments`, body),
  instructions: (box: 'received' | 'issued') => api.get<{ instructions: InfoInstructionDto[] }>(`${base}/instructions${qs({ box })}`),
  feedback: (id: string, body: FeedbackBody) => api.post(`${base}/instructions/${id}/feedback`, body),
  notices: () => api.get<{ notices: NoticeDto[] }>(`${base}/notices`),
  officers: () => api.get<{ unitCode: string; officers: OfficerDto[]; signoffUserId: number | null; people: { id: number; name: string; roles: string[] }[] }>(`${base}/officers`),
  setOfficers: (body: OfficersBody) => api.put<{ officers: OfficerDto[]; signoffUserId: number | null }>(`${base}/officers`, body),
  directPoints: () => api.get<{ points: DirectPointDto[] }>(`${base}/direct-points`),
  addDirectPoint: (unitCode: string, note: string) => api.post<{ points: DirectPointDto[] }>(`${base}/direct-points`, { unitCode, note }),
  dropDirectPoint: (id: string) => api.post<{ points: DirectPointDto[] }>(`${base}/direct-points/${id}/drop`),
};
