/**
 * Who may read an information item, pure. A unit sees its own items and the submitted items of units
 * below it, and an office what was delivered to it. Unsent work (draft, awaiting sign-off, returned for
 * revision) is visible to nobody outside its unit: an office that returned an item keeps only its inbox
 * row with the text it received. Classified content (秘密 and above) is shown outside the unit only to
 * leaders and editors.
 */
import type { Role } from '../../db/schema.ts';
import type { InfoItemState } from '../../db/tables/information.ts';

export interface ItemSight {
  viewerUnit: string;
  viewerRoles: readonly Role[];
  itemUnit: string;
  state: InfoItemState;
  /** The viewer's unit lies above the item's unit. */
  viewerIsAbove: boolean;
  /** The item was delivered to the viewer's unit at some point. */
  deliveredToViewer: boolean;
  classification: number;
}

export type Sight = 'none' | 'full' | 'redacted';

export function itemSight(s: ItemSight): Sight {
  if (s.viewerUnit === s.itemUnit) return 'full';
  // Back in its unit (returned for revision) an item is unsent work again: its new text stays inside.
  if (s.state !== 'submitted') return 'none';
  if (!s.deliveredToViewer && !s.viewerIsAbove) return 'none';
  if (s.classification >= 2 && !s.viewerRoles.some((r) => r === 'leader' || r === 'editor')) return 'redacted';
  return 'full';
}

/** Offices an item goes to on sign-off: the parent, and the region too for a 直报点. */
export function receivingOffices(parentCode: string | null, directOffices: readonly string[]): { office: string; route: 'parent' | 'direct' }[] {
  const out: { office: string; route: 'parent' | 'direct' }[] = [];
  if (parentCode) out.push({ office: parentCode, route: 'parent' });
  for (const o of directOffices) if (o !== parentCode) out.push({ office: o, route: 'direct' });
  return out;
}
