/**
 * Near-duplicate items: on sign-off an item's fingerprint is stored and what it matched is flagged for the
 * receiving editors; before sending, the unit checks its own item against every submitted item of the region.
 * Every match is shown only as far as the viewer may read it (visibility.ts): an unreadable match gives its
 * level alone, so the warning never carries another unit's content.
 */
import type { DuplicateFlagsDto, DuplicateMatchDto, SimilarCheckDto } from '../../contract/information-duplicates.ts';
import type { SessionUser } from '../auth/sessions.ts';
import type { AppContext } from '../context.ts';
import { errors } from '../http/errors.ts';
import { sightOf } from './dto.ts';
import * as dups from './duplicates-repo.ts';
import { findMatches, type Match } from './duplicate-matching.ts';
import * as repo from './repo.ts';
import { checkId } from './service.ts';
import { comparedText, duplicateConfig, sharedPassages } from './similarity.ts';

export class DuplicateService {
  constructor(private readonly ctx: AppContext) {}
  private get db() {
    return this.ctx.db;
  }

  /** The unit's own item (any state) against the region's submitted items; for the confirm step before sending. */
  async check(user: SessionUser, itemId: string): Promise<SimilarCheckDto> {
    checkId(itemId, '信息');
    const item = await repo.itemRow(this.db, itemId);
    if (!item || item.unit_code !== user.unitCode) throw errors.notFound('信息');
    const matches = await findMatches(this.db, item, item.id);
    return { threshold: duplicateConfig().threshold, matches: await this.shown(user, item, matches, false) };
  }

  /** The flags of an item delivered to the editor's office, beside their matches. */
  async flags(user: SessionUser, deliveryId: string): Promise<DuplicateFlagsDto> {
    checkId(deliveryId, '收件');
    const d = await repo.deliveryRow(this.db, deliveryId);
    if (!d || d.office_code !== user.unitCode) throw errors.notFound('收件');
    if (!user.roles.some((r) => r === 'editor' || r === 'leader')) throw errors.roleForbidden();
    const item = (await repo.itemRow(this.db, d.item_id))!;
    const threshold = duplicateConfig().threshold;
    // Back in its unit for revision, the item's new text is unsent work: no comparison shown.
    if (item.state !== 'submitted') return { threshold, flags: [] };
    const flags = await dups.flagsOf(this.db, item.id);
    const rows = new Map((await repo.itemRowsByIds(this.db, flags.map((f) => f.match_item_id))).map((r) => [r.id, r]));
    const matches = flags.filter((f) => rows.has(f.match_item_id)).map((f) => ({ item: rows.get(f.match_item_id)!, similarity: f.similarity, method: f.method }));
    const shown = await this.shown(user, item, matches, true);
    return { threshold, flags: shown.map((m, i) => ({ ...m, method: matches[i]!.method, detectedAt: flags.find((f) => f.match_item_id === matches[i]!.item.id)!.detected_at.toISOString() })) };
  }

  private async shown(user: SessionUser, item: repo.ItemRow, matches: Match[], figureWhenHidden: boolean): Promise<DuplicateMatchDto[]> {
    if (!matches.length) return [];
    const deliveries = await repo.deliveriesOf(this.db, matches.map((m) => m.item.id));
    const { identical } = duplicateConfig();
    const mine = comparedText(item.title, item.body);
    return matches.map((m): DuplicateMatchDto => {
      const level = m.similarity >= identical ? 'identical' : 'similar';
      const sight = sightOf(this.ctx.tree, user, m.item, deliveries.filter((d) => d.item_id === m.item.id).map((d) => d.office_code));
      if (sight !== 'full') {
        return { level, visible: false, similarity: figureWhenHidden ? m.similarity : null, itemId: null, unitName: null, title: null, submittedAt: null, mine: null, theirs: null };
      }
      const theirs = comparedText(m.item.title, m.item.body);
      return {
        level,
        visible: true,
        similarity: m.similarity,
        itemId: m.item.id,
        unitName: this.ctx.tree.get(m.item.unit_code)?.name ?? m.item.unit_code,
        title: m.item.title,
        submittedAt: m.item.submitted_at?.toISOString() ?? null,
        mine: sharedPassages(mine, theirs),
        theirs: sharedPassages(theirs, mine),
      };
    });
  }
}
