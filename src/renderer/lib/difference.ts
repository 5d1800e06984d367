// Difference images of section A (seeds.md): binary — correct black, false positive white,
// false negative grey; multi-class — correct black, wrong white. Plus the per-image
// counts and IoU shown under the compare panels.

export const DIFF_FP = 255;
export const DIFF_FN = 128;
export const DIFF_WRONG = 255;

interface Labels {
  width: number;
  height: number;
  labels: Uint8Array;
}

const isCellLabel = (v: number): boolean => v !== 0;

export interface DiffResult {
  /** One grey value per pixel. */
  gray: Uint8Array;
  fp: number;
  fn: number;
  wrong: number;
  total: number;
}

export function differenceImage(truth: Labels, pred: Labels, mode: 'binary' | 'multiclass'): DiffResult {
  if (truth.width !== pred.width || truth.height !== pred.height) throw new Error(`size mismatch: ${truth.width}x${truth.height} vs ${pred.width}x${pred.height}`);
  const n = truth.labels.length;
  const gray = new Uint8Array(n);
  let fp = 0;
  let fn = 0;
  let wrong = 0;
  for (let i = 0; i < n; i++) {
    const t = truth.labels[i];
    const p = pred.labels[i];
    if (mode === 'binary') {
      const tc = isCellLabel(t);
      const pc = isCellLabel(p);
      if (pc && !tc) {
        gray[i] = DIFF_FP;
        fp++;
      } else if (!pc && tc) {
        gray[i] = DIFF_FN;
        fn++;
      }
    } else if (t !== p) {
      gray[i] = DIFF_WRONG;
      wrong++;
    }
  }
  return { gray, fp, fn, wrong: mode === 'binary' ? fp + fn : wrong, total: n };
}

/** IoU of one class (or of the cell: labels 1..3) between two label maps; null when both are empty. */
export function iou(truth: Labels, pred: Labels, cls: 'cell' | number): number | null {
  let inter = 0;
  let union = 0;
  const hit = cls === 'cell' ? isCellLabel : (v: number) => v === cls;
  for (let i = 0; i < truth.labels.length; i++) {
    const a = hit(truth.labels[i]);
    const b = hit(pred.labels[i]);
    if (a && b) inter++;
    if (a || b) union++;
  }
  return union === 0 ? null : inter / union;
}

/** Grey values to RGBA for a canvas. */
export function grayToRgba(gray: Uint8Array, out: Uint8ClampedArray): void {
  for (let i = 0; i < gray.length; i++) {
    const o = i * 4;
    out[o] = out[o + 1] = out[o + 2] = gray[i];
    out[o + 3] = 255;
  }
}
