// What the gallery grid shows: loose images one tile each, and each sequence as ONE tile
// (its frame count, the middle shown frame as its thumbnail) at the place of its first
// shown frame. Opening a sequence tile filters the gallery to that sequence, whose frames
// then show one tile each. Pure, so it is tested and stays fast on 10,000 images.
import type { ImageSummary, SequenceInfo } from '../../../shared/domain';

export type GalleryEntry =
  | { kind: 'image'; key: number; img: ImageSummary }
  | {
      kind: 'sequence';
      /** The cover frame's image id (tiles, focus and keyboard steps use it). */
      key: number;
      sequenceId: number;
      /** From sequences.list; null until that list has arrived. */
      sequence: SequenceInfo | null;
      /** The frames that passed the filter, in frame order. */
      frames: ImageSummary[];
      cover: ImageSummary;
    };

/** The cover of a run of frames: the middle one (the first of two middles). */
export function coverFrame(frames: readonly ImageSummary[]): ImageSummary {
  return frames[Math.floor((frames.length - 1) / 2)];
}

/**
 * Entries for `shown` (already filtered and sorted). With `collapse` off (the gallery shows
 * one sequence's frames) every image is its own tile.
 */
export function galleryEntries(shown: readonly ImageSummary[], sequences: ReadonlyMap<number, SequenceInfo>, collapse: boolean): GalleryEntry[] {
  if (!collapse) return shown.map((img) => ({ kind: 'image', key: img.id, img }));
  const groups = new Map<number, ImageSummary[]>();
  for (const img of shown) if (img.sequenceId !== null) groups.set(img.sequenceId, [...(groups.get(img.sequenceId) ?? []), img]);
  const out: GalleryEntry[] = [];
  const placed = new Set<number>();
  for (const img of shown) {
    if (img.sequenceId === null) {
      out.push({ kind: 'image', key: img.id, img });
      continue;
    }
    if (placed.has(img.sequenceId)) continue;
    placed.add(img.sequenceId);
    const frames = [...(groups.get(img.sequenceId) ?? [])].sort((a, b) => (a.frameIndex ?? 0) - (b.frameIndex ?? 0) || a.id - b.id);
    const cover = coverFrame(frames);
    out.push({ kind: 'sequence', key: cover.id, sequenceId: img.sequenceId, sequence: sequences.get(img.sequenceId) ?? null, frames, cover });
  }
  return out;
}

/** Image ids in browsing order (a sequence's frames in place of its tile): the editor's next/previous. */
export function browseIds(entries: readonly GalleryEntry[]): number[] {
  return entries.flatMap((e) => (e.kind === 'image' ? [e.key] : e.frames.map((f) => f.id)));
}

/** The image ids a tile stands for (a sequence tile: all its shown frames). */
export function entryIds(e: GalleryEntry): number[] {
  return e.kind === 'image' ? [e.key] : e.frames.map((f) => f.id);
}

/** "12 frames", or "5 of 12 frames" when a filter hides some. */
export function frameCountLabel(e: Extract<GalleryEntry, { kind: 'sequence' }>): string {
  const total = e.sequence?.frameCount ?? e.frames.length;
  const n = e.frames.length;
  return n === total ? `${total} frame${total === 1 ? '' : 's'}` : `${n} of ${total} frames`;
}
