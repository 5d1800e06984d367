// Gallery filtering and sorting, pure so it is tested and stays fast on 10,000 images.
import { DEFAULT_SETTINGS, type DifficultyClass, type ImageSummary, type ReviewState, type Split } from '../../../shared/domain';

export const MASK_STATUSES = ['none', 'prediction-only', 'baseline-only', 'corrected', 'ground-truth', 'needs-review'] as const;
export type MaskStatus = (typeof MASK_STATUSES)[number];
export const MASK_STATUS_LABEL: Record<MaskStatus, string> = {
  none: 'No mask',
  'prediction-only': 'Prediction only',
  'baseline-only': 'Baseline only',
  corrected: 'Corrected',
  'ground-truth': 'Ground truth',
  'needs-review': 'Needs review',
};

/**
 * The "needs review" bucket (like CellaVision's "unidentified"): the newest prediction is
 * unsure about the image or about one of its cells. Images whose ground truth was already
 * corrected have been reviewed.
 */
export function needsReview(img: ImageSummary, threshold: number = DEFAULT_SETTINGS.reviewThreshold): boolean {
  if (img.corrected) return false;
  const low = (v: number | null | undefined): boolean => v !== null && v !== undefined && v < threshold;
  return low(img.confidence) || low(img.minCellConfidence);
}

/** Statuses an image satisfies (corrected images are also ground truth). */
export function maskStatuses(img: ImageSummary, reviewThreshold?: number): MaskStatus[] {
  const k = new Set(img.maskKinds);
  const out: MaskStatus[] = [];
  if (k.size === 0) out.push('none');
  if (k.has('prediction') && !k.has('ground-truth')) out.push('prediction-only');
  if (k.has('baseline') && !k.has('ground-truth') && !k.has('prediction')) out.push('baseline-only');
  if (img.corrected) out.push('corrected');
  if (k.has('ground-truth')) out.push('ground-truth');
  if (needsReview(img, reviewThreshold)) out.push('needs-review');
  return out;
}

export interface GalleryFilter {
  /** Difficulty classes to show; 0 = unclassified. Empty = all. */
  difficulty: (DifficultyClass | 0)[];
  split: Split[];
  status: MaskStatus[];
  /** Review states to show (draft, reviewed); empty or absent = all. */
  review?: ReviewState[];
  text: string;
  /** Confidence under which an image needs review (the project setting; default when unset). */
  reviewThreshold?: number;
  /**
   * One sequence's frames (its id, shown frame by frame in frame order), 'none' for images
   * that are no frame, absent or null for everything (each sequence then one tile).
   */
  sequence?: number | 'none' | null;
}

export const EMPTY_FILTER: GalleryFilter = { difficulty: [], split: [], status: [], review: [], text: '' };

export function isFilterActive(f: GalleryFilter): boolean {
  return f.difficulty.length > 0 || f.split.length > 0 || f.status.length > 0 || (f.review?.length ?? 0) > 0 || f.text.trim() !== '' || (f.sequence ?? null) !== null;
}

export function matchesFilter(img: ImageSummary, f: GalleryFilter): boolean {
  if (f.sequence === 'none' && img.sequenceId !== null) return false;
  if (typeof f.sequence === 'number' && img.sequenceId !== f.sequence) return false;
  // A frame its protocol leaves out of every split belongs to no split filter (as on the server).
  if (f.split.length && img.unused) return false;
  if (f.difficulty.length && !f.difficulty.includes(img.difficulty ?? 0)) return false;
  if (f.split.length && !f.split.includes(img.split)) return false;
  if (f.review?.length && !f.review.includes(img.review ?? 'draft')) return false;
  if (f.status.length) {
    const s = maskStatuses(img, f.reviewThreshold);
    if (!f.status.some((x) => s.includes(x))) return false;
  }
  const t = f.text.trim().toLowerCase();
  if (t && !img.name.toLowerCase().includes(t) && !img.tags.some((tag) => tag.toLowerCase().includes(t))) return false;
  return true;
}

export type SortKey = { by: 'import' } | { by: 'name' } | { by: 'confidence' } | { by: 'metric'; metric: string; ascending: boolean };

const collator = new Intl.Collator(undefined, { numeric: true, sensitivity: 'base' });

/** Filter then sort. Images without a metric value go last. */
export function arrange(images: readonly ImageSummary[], f: GalleryFilter, sort: SortKey, metric?: ReadonlyMap<number, number>): ImageSummary[] {
  const out = images.filter((i) => matchesFilter(i, f));
  // One sequence's frames in import order are shown in frame order: that is their order in time.
  if (sort.by === 'import' && typeof f.sequence === 'number') out.sort((a, b) => (a.frameIndex ?? 0) - (b.frameIndex ?? 0) || a.id - b.id);
  else if (sort.by === 'name') out.sort((a, b) => collator.compare(a.name, b.name) || a.id - b.id);
  else if (sort.by === 'confidence') {
    // Least confident first (the lower of image and weakest cell); images without one last.
    const c = (i: ImageSummary): number => Math.min(i.confidence ?? Infinity, i.minCellConfidence ?? Infinity);
    out.sort((a, b) => c(a) - c(b) || a.id - b.id);
  }
  else if (sort.by === 'metric' && metric) {
    const dir = sort.ascending ? 1 : -1;
    out.sort((a, b) => {
      const va = metric.get(a.id);
      const vb = metric.get(b.id);
      if (va === undefined && vb === undefined) return a.id - b.id;
      if (va === undefined) return 1;
      if (vb === undefined) return -1;
      return (va - vb) * dir || a.id - b.id;
    });
  }
  return out;
}

/**
 * Selection after a click: plain click selects one, ctrl/cmd toggles, shift extends from
 * the anchor over the current order.
 */
export function nextSelection(
  current: ReadonlySet<number>,
  anchor: number | null,
  clicked: number,
  order: readonly number[],
  mods: { shift: boolean; toggle: boolean },
): { selected: Set<number>; anchor: number } {
  if (mods.shift && anchor !== null) {
    const a = order.indexOf(anchor);
    const b = order.indexOf(clicked);
    if (a >= 0 && b >= 0) {
      const range = order.slice(Math.min(a, b), Math.max(a, b) + 1);
      const selected = mods.toggle ? new Set([...current, ...range]) : new Set(range);
      return { selected, anchor };
    }
  }
  if (mods.toggle) {
    const selected = new Set(current);
    if (selected.has(clicked)) selected.delete(clicked);
    else selected.add(clicked);
    return { selected, anchor: clicked };
  }
  return { selected: new Set([clicked]), anchor: clicked };
}
