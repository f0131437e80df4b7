/** Rows → DTOs, filtered by what the viewer may read (visibility.ts). */
import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.ts';
import type { AdoptionDto, InboxRowDto, ItemDto, PublicationDto } from '../../contract/information.ts';
import { issueLabel } from '../../contract/information.ts';
import type { SessionUser } from '../auth/sessions.ts';
import type { OrgTree } from '../org/tree.ts';
import { adoptionsOf, deliveriesOf, userNames, type AdoptionRow, type ItemRow } from './repo.ts';
import { itemSight, type Sight } from './visibility.ts';

const REDACTED = '【涉密内容，请到保密渠道查阅】';

export function sightOf(tree: OrgTree, user: SessionUser, item: Pick<ItemRow, 'unit_code' | 'state' | 'classification'>, deliveredTo: readonly string[]): Sight {
  return itemSight({
    viewerUnit: user.unitCode,
    viewerRoles: user.roles,
    itemUnit: item.unit_code,
    state: item.state,
    viewerIsAbove: item.unit_code !== user.unitCode && tree.isWithin(item.unit_code, user.unitCode),
    deliveredToViewer: deliveredTo.includes(user.unitCode),
    classification: item.classification,
  });
}

export function adoptionDto(tree: OrgTree, a: AdoptionRow, redact = false): AdoptionDto {
  return {
    id: a.id,
    itemId: a.item_id,
    officeCode: a.office_code,
    officeName: a.office_code ? (tree.get(a.office_code)?.name ?? a.office_code) : (a.external_body ?? ''),
    publicationId: a.publication_id,
    publicationName: a.publication_name ?? a.external_publication ?? '',
    tier: a.tier ?? null,
    title: redact ? REDACTED : a.title,
    body: redact ? '' : a.body,
    adoptedAt: a.adopted_at.toISOString(),
    adoptedBy: a.adopted_by_name,
    issueId: a.issue_id,
    issueLabel: a.issue_year && a.issue_number ? issueLabel(a.issue_year, a.issue_number) : null,
  };
}

/** Items as the viewer may see them; unreadable ones are dropped. */
export async function itemDtos(db: Kysely<Database>, tree: OrgTree, user: SessionUser, rows: ItemRow[], signoffUser: (unit: string) => Promise<number | null>): Promise<ItemDto[]> {
  if (!rows.length) return [];
  const ids = rows.map((r) => r.id);
  const [deliveries, adoptions] = await Promise.all([deliveriesOf(db, ids), adoptionsOf(db, { itemIds: ids })]);
  const names = await userNames(db, rows.flatMap((r) => [r.created_by, r.signed_by]));
  const out: ItemDto[] = [];
  for (const r of rows) {
    const ds = deliveries.filter((d) => d.item_id === r.id);
    const sight = sightOf(tree, user, r, ds.map((d) => d.office_code));
    if (sight === 'none') continue;
    const redact = sight === 'redacted';
    const own = r.unit_code === user.unitCode;
    const named = own && user.roles.includes('leader') ? await signoffUser(r.unit_code) : null;
    out.push({
      id: r.id,
      unitCode: r.unit_code,
      unitName: tree.get(r.unit_code)?.name ?? r.unit_code,
      kind: r.kind,
      title: redact ? REDACTED : r.title,
      body: redact ? '' : r.body,
      classification: r.classification,
      state: r.state,
      version: r.version,
      createdBy: names.get(r.created_by) ?? '',
      createdAt: r.created_at.toISOString(),
      updatedAt: r.updated_at.toISOString(),
      signedBy: r.signed_by ? (names.get(r.signed_by) ?? '') : null,
      signedAt: r.signed_at?.toISOString() ?? null,
      signComment: r.sign_comment,
      review:
        r.review_figures_checked === null
          ? null
          : { containsSecrets: !!r.review_contains_secrets, fitToPublish: !!r.review_fit_to_publish, figuresChecked: !!r.review_figures_checked },
      submittedAt: r.submitted_at?.toISOString() ?? null,
      // Outside the unit, an office sees its own handling and that of offices above it, not its siblings'.
      deliveries: ds
        .filter((d) => own || d.office_code === user.unitCode || tree.isWithin(user.unitCode, d.office_code) || tree.isWithin(d.office_code, user.unitCode))
        .map((d) => ({ id: d.id, officeCode: d.office_code, officeName: tree.get(d.office_code)?.name ?? d.office_code, route: d.route, state: d.state, reason: d.reason, receivedAt: d.received_at.toISOString() })),
      adoptions: adoptions.filter((a) => a.item_id === r.id).map((a) => adoptionDto(tree, a, redact)),
      canSign: own && r.state === 'pending_signoff' && user.roles.includes('leader') && (named === null || named === user.id),
    });
  }
  return out;
}

export function inboxDto(tree: OrgTree, user: SessionUser, r: Awaited<ReturnType<typeof import('./repo.ts').inboxRows>>['rows'][number], names: Map<number, string>): InboxRowDto {
  const redact = r.classification >= 2 && !user.roles.some((x) => x === 'leader' || x === 'editor');
  return {
    deliveryId: r.delivery_id,
    itemId: r.id,
    unitCode: r.unit_code,
    unitName: tree.get(r.unit_code)?.name ?? r.unit_code,
    kind: r.kind,
    title: redact ? REDACTED : (r.forwarded_title ?? (r.state === 'submitted' ? r.title : (r.signed_title ?? ''))),
    body: redact ? '' : (r.forwarded_body ?? (r.state === 'submitted' ? r.body : (r.signed_body ?? ''))),
    classification: r.classification,
    route: r.route,
    fromOfficeName: r.from_office_code ? (tree.get(r.from_office_code)?.name ?? r.from_office_code) : null,
    state: r.delivery_state,
    reason: r.reason,
    receivedAt: r.received_at.toISOString(),
    forwardedAt: r.forwarded_at?.toISOString() ?? null,
    adoptionId: r.adoption_id ?? null,
    review:
      r.review_figures_checked === null ? null : { containsSecrets: !!r.review_contains_secrets, fitToPublish: !!r.review_fit_to_publish, figuresChecked: !!r.review_figures_checked },
    signedBy: r.signed_by ? (names.get(r.signed_by) ?? '') : null,
    duplicateSimilarity: r.state === 'submitted' && r.duplicate_similarity !== null ? Number(r.duplicate_similarity) : null,
  };
}

export function publicationDto(tree: OrgTree, p: { id: string; office_code: string; name: string; tier: number; max_classification: number; distribution: string[]; cc: string[] }): PublicationDto {
  const unit = (c: string) => ({ code: c, name: tree.get(c)?.name ?? c });
  return {
    id: p.id,
    officeCode: p.office_code,
    officeName: tree.get(p.office_code)?.name ?? p.office_code,
    name: p.name,
    tier: p.tier,
    maxClassification: p.max_classification as 0 | 1 | 2 | 3,
    distribution: p.distribution.map(unit),
    cc: p.cc.map(unit),
  };
}
