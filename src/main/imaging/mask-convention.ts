import { LABEL, type LabelMap, type MaskConvention, type RgbImage } from '../../shared/domain';

export class MaskFormatError extends Error {}

/**
 * Read a mask image in one of the named conventions into a label map.
 *  gray3: 0 / 128 / 255 = background / cytoplasm / nucleus (wbc-dataset1)
 *  rgb: blue background, green cytoplasm, red nucleus
 *  binary: 0 / non-zero = background / cell (stored as cytoplasm: no nucleus is known)
 * Values in between (anti-aliasing, JPEG) snap to the nearest class, but a mask that is
 * mostly off-convention is refused: importing garbage as ground truth would be worse.
 */
export function maskFromImage(img: RgbImage, convention: MaskConvention): LabelMap {
  const n = img.width * img.height;
  const labels = new Uint8Array(n);
  const d = img.data;
  let offConvention = 0;
  for (let i = 0; i < n; i++) {
    const r = d[i * 3], g = d[i * 3 + 1], b = d[i * 3 + 2];
    if (convention === 'gray3') {
      const v = (r + g + b) / 3;
      if (Math.abs(r - g) > 24 || Math.abs(g - b) > 24) offConvention++;
      labels[i] = v < 64 ? LABEL.background : v < 192 ? LABEL.cytoplasm : LABEL.nucleus;
      if (v !== 0 && v !== 128 && v !== 255 && Math.min(Math.abs(v - 0), Math.abs(v - 128), Math.abs(v - 255)) > 40) offConvention++;
    } else if (convention === 'rgb') {
      if (r > g && r > b && r >= 64) labels[i] = LABEL.nucleus;
      else if (g > r && g > b && g >= 64) labels[i] = LABEL.cytoplasm;
      else if (b >= r && b >= g) labels[i] = LABEL.background;
      else {
        labels[i] = LABEL.background;
        offConvention++;
      }
      if (r === g && g === b && r > 32) offConvention++;
    } else {
      labels[i] = r || g || b ? LABEL.cytoplasm : LABEL.background;
    }
  }
  if (offConvention > n * 0.02) {
    throw new MaskFormatError(`${Math.round((offConvention / n) * 100)}% of pixels do not follow the ${convention} convention`);
  }
  return { width: img.width, height: img.height, labels };
}

/** Guess the convention of a mask image from its pixel values. */
export function detectConvention(img: RgbImage): MaskConvention | null {
  const d = img.data;
  const grey = new Set<number>();
  let colour = 0;
  for (let i = 0; i < d.length; i += 3) {
    if (d[i] === d[i + 1] && d[i] === d[i + 2]) grey.add(d[i]);
    else colour++;
  }
  if (colour > 0) return colour > (d.length / 3) * 0.5 ? 'rgb' : null;
  const values = [...grey];
  if (values.every((v) => v === 0 || v === 128 || v === 255) && values.includes(128)) return 'gray3';
  if (values.length <= 2) return 'binary';
  return null;
}

/**
 * Edge pixels are the outline of a cell, so in a convention without an edge class they
 * belong to the cell: take the class most common among their cell neighbours.
 */
export function flattenEdges(mask: LabelMap): Uint8Array {
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

const RGB_COLOURS: Record<number, [number, number, number]> = {
  [LABEL.background]: [0, 0, 255],
  [LABEL.cytoplasm]: [0, 255, 0],
  [LABEL.nucleus]: [255, 0, 0],
};

/** Render a label map in a convention; edges are folded into their cell first. */
export function maskToImage(mask: LabelMap, convention: MaskConvention): RgbImage {
  const flat = flattenEdges(mask);
  const n = mask.width * mask.height;
  const data = new Uint8Array(n * 3);
  for (let i = 0; i < n; i++) {
    const v = flat[i];
    let r: number, g: number, b: number;
    if (convention === 'gray3') r = g = b = v === LABEL.nucleus ? 255 : v === LABEL.cytoplasm ? 128 : 0;
    else if (convention === 'binary') r = g = b = v === LABEL.background ? 0 : 255;
    else [r, g, b] = RGB_COLOURS[v] ?? RGB_COLOURS[LABEL.background];
    data[i * 3] = r;
    data[i * 3 + 1] = g;
    data[i * 3 + 2] = b;
  }
  return { width: mask.width, height: mask.height, data };
}
