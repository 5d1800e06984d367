// The size of the white cell an image is about: the cell instance covering the image
// centre (else the nearest one), as an equivalent-circle diameter relative to the longer
// image side. Training records the typical value with the model (UnetConfig.cellDiameter);
// scale normalisation at inference zooms each image so its central cell matches it.
import type { LabelMap } from '../../../shared/domain';
import { cellIds } from './edges';

/** Equivalent diameter of the central cell / max(width, height); 0 without cells. */
export function centralCellDiameter(mask: LabelMap): number {
  const { width: w, height: h, labels } = mask;
  const ids = mask.instances && mask.instances.some((v) => v !== 0) ? mask.instances : cellIds(labels, w, h);
  const cx = (w - 1) / 2;
  const cy = (h - 1) / 2;
  let best = -1;
  let bestD = Infinity;
  for (let p = 0; p < w * h; p++) {
    if (labels[p] === 0 || ids[p] === 0) continue;
    const d = (p % w - cx) ** 2 + (Math.floor(p / w) - cy) ** 2;
    if (d < bestD) {
      bestD = d;
      best = ids[p];
    }
  }
  if (best < 0) return 0;
  let area = 0;
  for (let p = 0; p < w * h; p++) if (labels[p] !== 0 && ids[p] === best) area++;
  return (2 * Math.sqrt(area / Math.PI)) / Math.max(w, h);
}
