// Whether a fine-tuned version should be proposed as the project's new default: only when
// it beats its parent on the same validation images. The training worker stores both
// numbers in the new version's metrics (`dice.*` for the version, `parent.dice.*` for the
// parent on the same images, scored before the first step); the CLI and the UI read them here.

/** Classes whose mean Dice decides: the cell parts a CNR needs (binary models: the cell). */
const SCORED = ['cytoplasm', 'nucleus'];

export interface Promotion {
  /** Mean validation Dice of the parent and of the fine-tuned version on the same images. */
  parent: number;
  tuned: number;
  /** Validation images both were scored on. */
  images: number | null;
  beats: boolean;
}

function meanDice(metrics: Record<string, number>, prefix: string): number | null {
  const keys = SCORED.map((c) => `${prefix}dice.${c}`).filter((k) => Number.isFinite(metrics[k]));
  const use = keys.length ? keys : Number.isFinite(metrics[`${prefix}dice.cell`]) ? [`${prefix}dice.cell`] : [];
  if (!use.length) return null;
  return use.reduce((a, k) => a + metrics[k], 0) / use.length;
}

/** The comparison stored with a fine-tuned version, or null (trained from scratch, or nothing held back). */
export function promotionOf(metrics: Record<string, number>): Promotion | null {
  const parent = meanDice(metrics, 'parent.');
  const tuned = meanDice(metrics, '');
  if (parent === null || tuned === null) return null;
  const images = Number.isFinite(metrics['parent.valImages']) ? metrics['parent.valImages'] : null;
  // A tie is not a win: a new default must be measurably better on the images both saw.
  return { parent, tuned, images, beats: tuned > parent + 1e-4 };
}
