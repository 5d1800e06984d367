// SEG per sequence (Cell Tracking Challenge): the per-frame SEG details (the sum of the
// matched Jaccard indices and the number of ground-truth objects, src/main/metrics/instances
// segDetail) pooled over every labelled frame of a sequence, so SEG is the mean Jaccard over
// all ground-truth objects of the sequence, each frame weighing by its number of cells.
// Pure TypeScript: main, worker and renderer use it.

export interface FrameSegDetail {
  sequence: string;
  frame: number;
  /** Sum of the per-object scores of the frame. */
  jaccardSum: number;
  /** Ground-truth objects in the frame (0: the frame does not count). */
  truthObjects: number;
}

export interface SequenceSeg {
  sequence: string;
  /** Frames with at least one ground-truth object. */
  frames: number;
  objects: number;
  /** Mean Jaccard over the sequence's ground-truth objects; null without any. */
  seg: number | null;
}

export interface SegBySequence {
  sequences: SequenceSeg[];
  /** Pooled over every object of every sequence (the challenge's SEG of a data set). */
  overall: number | null;
  /** Mean of the sequences' SEG (each sequence weighs the same). */
  meanOfSequences: number | null;
}

export function segBySequence(frames: readonly FrameSegDetail[]): SegBySequence {
  const acc = new Map<string, { frames: number; objects: number; sum: number }>();
  for (const f of frames) {
    if (!(f.truthObjects >= 0) || !(f.jaccardSum >= 0) || f.jaccardSum > f.truthObjects + 1e-9) throw new Error(`frame ${f.frame} of ${f.sequence}: a SEG sum of ${f.jaccardSum} over ${f.truthObjects} objects is impossible`);
    const a = acc.get(f.sequence) ?? { frames: 0, objects: 0, sum: 0 };
    if (f.truthObjects > 0) {
      a.frames++;
      a.objects += f.truthObjects;
      a.sum += f.jaccardSum;
    }
    acc.set(f.sequence, a);
  }
  const sequences = [...acc.entries()].map(([sequence, a]) => ({ sequence, frames: a.frames, objects: a.objects, seg: a.objects ? a.sum / a.objects : null }));
  const objects = sequences.reduce((s, q) => s + q.objects, 0);
  const sum = [...acc.values()].reduce((s, a) => s + a.sum, 0);
  const scored = sequences.filter((q) => q.seg !== null);
  return {
    sequences,
    overall: objects ? sum / objects : null,
    meanOfSequences: scored.length ? scored.reduce((s, q) => s + (q.seg as number), 0) / scored.length : null,
  };
}
