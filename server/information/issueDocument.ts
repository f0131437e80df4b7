/**
 * An issue of an information publication (简报) as an official document (documents/official.ts): the
 * publication's name as the red masthead, 第N期, the 编发单位 with 签发人 and the date in Chinese form over the
 * red rule, the items in the issue's order (title, body, source unit), and the 版记 with 报 (offices above),
 * 送 (other units) and 发 (units below) from the distribution list and the copies.
 */
import type { IssueDto } from '../../contract/information.ts';
import type { Block, OfficialDoc } from '../documents/official.ts';

export interface IssueTree {
  get(code: string): { name: string } | undefined;
  ancestors(code: string): { code: string }[];
  isWithin(code: string, ancestor: string): boolean;
}

/** 报 / 送 / 发 of the units an issue goes to, by where each sits from the office that issues it. */
export function distributionOf(tree: IssueTree, office: string, codes: readonly string[]): { label: string; units: string[] }[] {
  const above = new Set(tree.ancestors(office).map((u) => u.code));
  const groups = { 报: [] as string[], 送: [] as string[], 发: [] as string[] };
  for (const code of new Set(codes)) {
    if (code === office) continue;
    const name = tree.get(code)?.name ?? code;
    groups[above.has(code) ? '报' : tree.isWithin(code, office) ? '发' : '送'].push(name);
  }
  return (['报', '送', '发'] as const).map((label) => ({ label, units: groups[label] }));
}

export function issueDocument(
  dto: IssueDto,
  o: { tree: IssueTree; distribution: readonly string[]; cc: readonly string[]; classificationMark: string | null; date: string },
): OfficialDoc {
  const blocks: Block[] = dto.items.flatMap((it): Block[] => [
    { kind: 'title', text: it.title },
    ...it.body
      .split(/\n+/)
      .map((p) => p.trim())
      .filter(Boolean)
      .map((text): Block => ({ kind: 'para', text })),
    { kind: 'source', text: `（${it.unitName}）` },
  ]);
  return {
    marks: o.classificationMark ? [o.classificationMark] : [],
    issuer: dto.publicationName,
    docNumber: `第${dto.number}期`,
    signer: dto.signedBy,
    issuedBy: { office: `${dto.officeName}编`, date: o.date },
    title: null,
    addressee: null,
    blocks,
    signature: null,
    distribution: distributionOf(o.tree, dto.officeCode, [...o.distribution, ...o.cc]),
    cc: [],
    printer: { office: dto.officeName, date: o.date },
  };
}
