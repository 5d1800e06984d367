// The clip sampler of time-lapse training (main-side safe: no TensorFlow). Labels are sparse:
// a sample is `clipFrames` consecutive frames of one sequence ending at a labelled frame (the
// target, whose mask is the loss's), the state starting from zero at the clip's first frame.
// The sequences' per-frame split decides which targets train, validate or test; a frame in
// no split ('unused') may be a context frame of a clip but is never a target. The context
// frames are images only: their masks are never read.
import type { FrameSplit } from '../../../../shared/domain';
import type { Project } from '../../../project/project';

/** One sample: a target frame and the frames before it, oldest first. */
export interface ClipTarget {
  sequenceId: number;
  sequenceName: string;
  /** Frame index of the target (the last frame of the clip). */
  frameIndex: number;
  imageId: number;
  /** The target's current ground-truth version. */
  maskVersionId: number;
  /** Image ids of the clip's frames, oldest first; the last one is the target. */
  frames: number[];
  /** Frames missing before the target (start of the sequence or a gap), padded with the earliest present one. */
  padded: number;
}

export interface ClipPlan {
  train: ClipTarget[];
  val: ClipTarget[];
  test: ClipTarget[];
}

/** A frame as the sampler sees it. */
export interface FrameRow {
  frameIndex: number;
  imageId: number;
  split: FrameSplit;
  /** Current ground-truth version, null for an unlabelled frame. */
  maskVersionId: number | null;
}

/**
 * The clips of one sequence. A clip takes the frames target-(T-1) .. target by frame index;
 * where one is missing (before frame 0 or a gap in the numbering) the earliest frame present
 * at or after it stands in, so every clip has T frames and still ends at its target (the
 * report's first training frame, 0, has no past: its clip is frame 0 repeated).
 */
export function sequenceClips(sequence: { id: number; name: string }, frames: readonly FrameRow[], clipFrames: number): ClipPlan {
  if (!(Number.isInteger(clipFrames) && clipFrames >= 1)) throw new Error(`frames per clip must be a positive integer, got ${clipFrames}`);
  const byIndex = new Map(frames.map((f) => [f.frameIndex, f]));
  const plan: ClipPlan = { train: [], val: [], test: [] };
  const sorted = [...frames].sort((a, b) => a.frameIndex - b.frameIndex);
  for (const f of sorted) {
    if (f.maskVersionId === null || f.split === 'unused') continue;
    const ids: (number | null)[] = [];
    for (let k = f.frameIndex - clipFrames + 1; k <= f.frameIndex; k++) ids.push(byIndex.get(k)?.imageId ?? null);
    const padded = ids.filter((v) => v === null).length;
    // Fill each hole from the next present frame (the target itself is always present).
    for (let k = ids.length - 2; k >= 0; k--) if (ids[k] === null) ids[k] = ids[k + 1];
    plan[f.split].push({
      sequenceId: sequence.id, sequenceName: sequence.name, frameIndex: f.frameIndex, imageId: f.imageId,
      maskVersionId: f.maskVersionId, frames: ids as number[], padded,
    });
  }
  return plan;
}

/** The frames of a sequence with their split and current ground truth, in frame order. */
export function sequenceFrameRows(project: Project, sequenceId: number): FrameRow[] {
  const rows = project.db
    .prepare(
      `SELECT f.frame_index AS frameIndex, f.image_id AS imageId, f.split AS split, c.mask_id AS maskVersionId
       FROM sequence_frames f LEFT JOIN current_masks c ON c.image_id = f.image_id AND c.kind = 'ground-truth'
       WHERE f.sequence_id = ? ORDER BY f.frame_index`,
    )
    .all(sequenceId) as FrameRow[];
  return rows.map((r) => ({ ...r, maskVersionId: r.maskVersionId ?? null }));
}

/**
 * Every clip of the project's sequences (or of the named ones), by split. Images that are not
 * frames of a sequence are not samples of a clip family.
 */
export function planClips(project: Project, clipFrames: number, sequenceIds?: readonly number[]): ClipPlan {
  const plan: ClipPlan = { train: [], val: [], test: [] };
  const wanted = sequenceIds ? new Set(sequenceIds) : null;
  for (const s of project.sequences.list()) {
    if (wanted && !wanted.has(s.id)) continue;
    const p = sequenceClips(s, sequenceFrameRows(project, s.id), clipFrames);
    plan.train.push(...p.train);
    plan.val.push(...p.val);
    plan.test.push(...p.test);
  }
  return plan;
}
