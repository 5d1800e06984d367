// Label maps: what each label value means and the operations every side needs on them.
// Pure TypeScript (no Node, no DOM): main, worker and renderer import this file.
import { LABEL, type LabelMap } from '../domain';

/** A pixel of some cell: cytoplasm, nucleus or its edge (the cell's 1-px inner contour). */
export function isCellLabel(v: number): boolean {
  return v === LABEL.cytoplasm || v === LABEL.nucleus || v === LABEL.edge;
}

/** A pixel of a cell's inside: cytoplasm or nucleus (edge pixels excluded). */
export function isInteriorLabel(v: number): boolean {
  return v === LABEL.cytoplasm || v === LABEL.nucleus;
}

/**
 * Edge pixels are the outline of a cell, so in a convention without an edge class (and for
 * the per-class metrics) they belong to the cell: each takes the class most common among
 * its eight neighbours' cytoplasm and nucleus pixels (cytoplasm on a tie).
 */
export function flattenEdges(mask: Pick<LabelMap, 'width' | 'height' | 'labels'>): Uint8Array {
  const { width: w, height: h, labels } = mask;
  const out = new Uint8Array(labels);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const i = y * w + x;
      if (labels[i] !== LABEL.edge) continue;
      let cyto = 0, nuc = 0;
      for (let dy = -1; dy <= 1; dy++) {
        for (let dx = -1; dx <= 1; dx++) {
          const yy = y + dy, xx = x + dx;
          if (yy < 0 || xx < 0 || yy >= h || xx >= w) continue;
          const v = labels[yy * w + xx];
          if (v === LABEL.cytoplasm) cyto++;
          else if (v === LABEL.nucleus) nuc++;
        }
      }
      out[i] = nuc > cyto ? LABEL.nucleus : LABEL.cytoplasm;
    }
  }
  return out;
}
