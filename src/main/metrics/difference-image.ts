import type { LabelMap, RgbImage } from '../../shared/domain';
import { flattenEdges } from '../imaging/mask-convention';

/**
 * Difference images of section A. Binary: correct black, false positive white, false
 * negative grey. Multi-class: correct black, wrong white.
 */
export function differenceImage(truth: LabelMap, pred: LabelMap, mode: 'binary' | 'multiclass'): RgbImage {
  const t = flattenEdges(truth), p = flattenEdges(pred);
  const data = new Uint8Array(t.length * 3);
  for (let i = 0; i < t.length; i++) {
    let v = 0;
    if (mode === 'binary') {
      const a = t[i] !== 0, b = p[i] !== 0;
      v = a === b ? 0 : b ? 255 : 128;
    } else if (t[i] !== p[i]) v = 255;
    data[i * 3] = data[i * 3 + 1] = data[i * 3 + 2] = v;
  }
  return { width: truth.width, height: truth.height, data };
}
