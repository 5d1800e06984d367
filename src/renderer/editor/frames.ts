// Frame navigation of a sequence in the editor, pure (no DOM): the frames of an image's
// sequence in frame order, the step to the next or previous one, and the play timing.
import type { ImageSummary } from '../../shared/domain';

/** The frames of `image`'s sequence from the loaded summaries, in frame order (empty: no frame). */
export function sequenceFrames(image: Pick<ImageSummary, 'id' | 'sequenceId'> | null, all: readonly ImageSummary[]): ImageSummary[] {
  if (!image || image.sequenceId === null) return [];
  return all.filter((i) => i.sequenceId === image.sequenceId).sort((a, b) => (a.frameIndex ?? 0) - (b.frameIndex ?? 0) || a.id - b.id);
}

/** The image id `dir` frames away from `currentId`, clamped to the ends; null when that is no move. */
export function frameStep(frames: readonly Pick<ImageSummary, 'id'>[], currentId: number, dir: number): number | null {
  const k = frames.findIndex((f) => f.id === currentId);
  if (k < 0) return null;
  const next = Math.max(0, Math.min(frames.length - 1, k + dir));
  return next === k ? null : frames[next].id;
}

/**
 * Milliseconds between frames while playing: the sequence's own interval when it is short,
 * else a steady 4 frames/s (an interval of minutes between acquisitions is not a film speed),
 * never faster than 12 frames/s (each frame loads an image and its masks).
 */
export function playDelayMs(frameIntervalSeconds: number | null | undefined): number {
  if (!frameIntervalSeconds || !(frameIntervalSeconds > 0) || frameIntervalSeconds > 1) return 250;
  return Math.max(1000 / 12, frameIntervalSeconds * 1000);
}
