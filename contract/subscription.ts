/**
 * Subscribe on demand: what one console shows of a meeting, and so what it consumes — the main picture, the
 * visible page of small pictures (at the simulcast layer the tile needs) and the audio of the few loudest
 * unmuted sites (last-N, decided on the server from mediasoup's AudioLevelObserver: sfu/lastNRanking.ts).
 * Pure and shared: the console's RoomClient follows `decideView`, the bench (tests/bench/region-meeting.ts)
 * sizes the 116-site meeting with the same function. Table-tested in tests/unit/subscription.test.ts.
 */
import { mainPictureFor, type ControlState, type Layout } from './meetingControl.ts';

/** 0: 180p, 1: 360p, 2: 720p (the three simulcast layers every camera sends). */
export type SpatialLayer = 0 | 1 | 2;
export type ShownLayout = Exclude<Layout, 'auto'>;

/** One remote console (peer) as the viewer knows it: who it is and what it sends. */
export interface SiteMedia {
  /** The peer id: a unit may be joined from more than one console. */
  key: string;
  unitCode: string;
  hasVideo: boolean;
  /** Sends shared content (双流). */
  hasScreen: boolean;
}

export interface ViewInput {
  control: ControlState | null;
  viewerUnit: string;
  viewerIsChair: boolean;
  hostUnitCode: string | null;
  /** The other consoles in the meeting, in display (org code) order. */
  sites: SiteMedia[];
  /** A site the viewer pinned as its own main picture (only where the chair has not decided). */
  pin: string | null;
  /** The page of small pictures the viewer looks at (0-based; clamped). */
  page: number;
  /** Units whose audio the server forwards now (last-N). */
  audible: readonly string[];
}

export interface Tile {
  key: string;
  unitCode: string;
  main: boolean;
  /** Shows the site's shared content instead of its camera. */
  content: boolean;
  /** On screen now (on this page of the layout). */
  visible: boolean;
  layer: SpatialLayer;
}

export interface WantedVideo {
  key: string;
  source: 'camera' | 'screen';
  layer: SpatialLayer;
}

export interface View {
  layout: ShownLayout;
  /** The chair decided a site that is not connected: the main picture says so. */
  absentMain: string | null;
  /** Main first, then the others in order; off-page tiles are there but not visible (and not consumed). */
  tiles: Tile[];
  page: number;
  pages: number;
  /** What to consume: one entry per visible tile that has something to show. */
  video: WantedVideo[];
  /** Keys (peer ids) whose microphone to consume. */
  audio: string[];
}

const CAPACITY: Record<ShownLayout, number> = { '1': 1, '1+N': 9, '4': 4, '9': 9, '16': 16 };
/** The layer a small picture needs in each layout (a 4-grid tile is ~600 px wide, a 16-grid one ~300 px). */
const GRID_LAYER: Record<ShownLayout, SpatialLayer> = { '1': 2, '1+N': 0, '4': 1, '9': 1, '16': 0 };

export function decideView(input: ViewInput): View {
  const { control: c, sites, viewerUnit } = input;
  const byUnit = (code: string | null | undefined): SiteMedia | null =>
    code ? (sites.find((s) => s.unitCode === code && s.hasVideo) ?? sites.find((s) => s.unitCode === code) ?? null) : null;
  const decided = c ? mainPictureFor(c, viewerUnit, input.viewerIsChair) : null;
  const chairDecides = !!decided && !!c && c.mode !== 'free';
  const content = c?.sharer ? (sites.find((s) => s.unitCode === c.sharer && s.hasScreen) ?? null) : null;
  const pinned = chairDecides ? null : input.pin;

  let main: SiteMedia | null;
  if (content) main = content;
  else if (chairDecides) main = byUnit(decided); // may be absent: a placeholder shows it
  else {
    main =
      byUnit(pinned) ??
      byUnit(decided) ??
      byUnit(c?.speaker !== viewerUnit ? c?.speaker : null) ??
      byUnit(input.hostUnitCode !== viewerUnit ? input.hostUnitCode : null) ??
      sites[0] ??
      null;
  }
  const absentMain = !main && chairDecides ? decided : null;

  const layout = layoutFor(c, sites.length, !!input.pin || !!content);
  const rest = sites.filter((s) => s !== main);
  const slots = Math.max(0, CAPACITY[layout] - (main || absentMain ? 1 : 0));
  const pages = slots > 0 ? Math.max(1, Math.ceil(rest.length / slots)) : 1;
  const page = Math.min(Math.max(0, Math.floor(input.page) || 0), pages - 1);
  const mainLayer: SpatialLayer = layout === '1' || layout === '1+N' ? 2 : GRID_LAYER[layout];

  const tiles: Tile[] = [
    ...(main ? [{ key: main.key, unitCode: main.unitCode, main: true, content: main === content, visible: true, layer: mainLayer }] : []),
    ...rest.map((s, i) => ({
      key: s.key,
      unitCode: s.unitCode,
      main: false,
      content: false,
      visible: slots > 0 && i >= page * slots && i < (page + 1) * slots,
      layer: GRID_LAYER[layout],
    })),
  ];
  const video: WantedVideo[] = [];
  for (const t of tiles) {
    if (!t.visible) continue;
    const s = sites.find((x) => x.key === t.key)!;
    if (t.content) video.push({ key: t.key, source: 'screen', layer: t.layer });
    else if (s.hasVideo) video.push({ key: t.key, source: 'camera', layer: t.layer });
  }
  const muted = new Set(c?.muted ?? []);
  const audible = new Set(input.audible.filter((u) => !muted.has(u)));
  const audio = sites.filter((s) => audible.has(s.unitCode)).map((s) => s.key);
  return { layout, absentMain, tiles, page, pages, video, audio };
}

/** 1 / 1+N / 4 / 9 / 16 pictures: set by the chair for everyone, or chosen by how many sites are on screen. */
function layoutFor(c: ControlState | null, n: number, focused: boolean): ShownLayout {
  const l = c?.layout ?? 'auto';
  if (l !== 'auto') return l;
  if (n <= 1) return '1';
  if ((c && c.mode !== 'free') || focused) return '1+N';
  return n <= 4 ? '4' : n <= 9 ? '9' : '16';
}

/** The measured tile width refines the layer (a 1+N strip tile on a wall screen may need 360p). */
export function layerForWidth(widthPx: number, fallback: SpatialLayer): SpatialLayer {
  if (widthPx <= 0) return fallback; // not measured yet
  return widthPx >= 640 ? 2 : widthPx >= 320 ? 1 : 0;
}
