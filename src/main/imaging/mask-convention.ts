import { LABEL, type LabelMap, type MaskConvention, type RgbImage } from '../../shared/domain';

export class MaskFormatError extends Error {}

/** Grey values a label-index mask may hold: the labels themselves (0..3, 3 = edge). */
const INDEX_MAX = LABEL.edge;

/** Distinct grey values of a mask, or null when any pixel has colour. */
function greyValues(img: RgbImage): Set<number> | null {
  const d = img.data;
  const grey = new Set<number>();
  for (let i = 0; i < d.length; i += 3) {
    if (d[i] !== d[i + 1] || d[i] !== d[i + 2]) return null;
    grey.add(d[i]);
  }
  return grey;
}

/** A grey mask holding only the values 0..3, at least three of them: labels stored as they are. */
function looksLikeIndex(values: Set<number> | null): values is Set<number> {
  return values !== null && values.size >= 3 && [...values].every((v) => v <= INDEX_MAX);
}

/**
 * Read a mask image in one of the named conventions into a label map.
 *  gray3: 0 / 128 / 255 = background / cytoplasm / nucleus (wbc-dataset1)
 *  rgb: blue background, green cytoplasm, red nucleus
 *  binary: 0 / non-zero = background / cell (stored as cytoplasm: no nucleus is known)
 *  index: the label values themselves, 0 / 1 / 2 (/ 3 = edge), as written by many tools
 * Values in between (anti-aliasing, JPEG) snap to the nearest class, but a mask that is
 * mostly off-convention is refused: importing garbage as ground truth would be worse. So is a
 * mask whose labels would all vanish (a 0/1/2 index mask read as gray3 is 100 % background).
 */
export function maskFromImage(img: RgbImage, convention: MaskConvention): LabelMap {
  const n = img.width * img.height;
  const labels = new Uint8Array(n);
  const d = img.data;
  const values = greyValues(img);
  // Small label values in a convention that reads them as background (or, for binary, merges
  // nucleus into cytoplasm): the file is a label-index mask.
  const indexLike = values !== null && [...values].some((v) => v > 0) && [...values].every((v) => v <= INDEX_MAX);
  if (convention !== 'index' && indexLike && (convention !== 'binary' || looksLikeIndex(values))) {
    throw new MaskFormatError(`holds only the values ${[...values].sort((a, b) => a - b).join('/')}, a label-index mask, not ${convention}; use --mask-convention index (or auto)`);
  }
  let offConvention = 0;
  let nonZero = 0;
  for (let i = 0; i < n; i++) {
    const r = d[i * 3], g = d[i * 3 + 1], b = d[i * 3 + 2];
    if (r || g || b) nonZero++;
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
      // An rgb mask is made of (near) pure colours: grey, pale or mixed pixels mean a photo
      // or another convention, not a mask.
      const mx = Math.max(r, g, b);
      const mid = r + g + b - mx - Math.min(r, g, b);
      if (mx > 32 && mid > mx * 0.6) offConvention++;
    } else if (convention === 'index') {
      // Exact values only: an index mask is never anti-aliased, and 128 or 255 here means
      // the file is in another convention.
      if (r !== g || g !== b || r > INDEX_MAX) {
        labels[i] = LABEL.background;
        offConvention++;
      } else {
        labels[i] = r;
      }
    } else {
      labels[i] = r || g || b ? LABEL.cytoplasm : LABEL.background;
    }
  }
  if (offConvention > (convention === 'index' ? 0 : n * 0.02)) {
    throw new MaskFormatError(`${Math.max(1, Math.round((offConvention / n) * 100))}% of pixels do not follow the ${convention} convention`);
  }
  // Marked pixels that all became background: the mask says something this convention cannot read.
  if (convention !== 'rgb' && nonZero > n * 0.02 && !labels.some((v) => v !== LABEL.background)) {
    throw new MaskFormatError(`its ${nonZero} non-zero pixels would all be read as background in the ${convention} convention`);
  }
  return { width: img.width, height: img.height, labels };
}

/** Guess the convention of a mask image from its pixel values. */
export function detectConvention(img: RgbImage): MaskConvention | null {
  const d = img.data;
  let colour = 0;
  for (let i = 0; i < d.length; i += 3) if (d[i] !== d[i + 1] || d[i] !== d[i + 2]) colour++;
  if (colour > 0) return colour > (d.length / 3) * 0.5 ? 'rgb' : null;
  const values = [...(greyValues(img) ?? [])];
  if (values.every((v) => v === 0 || v === 128 || v === 255) && values.includes(128)) return 'gray3';
  if (looksLikeIndex(new Set(values))) return 'index';
  if (values.length <= 2) return 'binary';
  return null;
}

// Folding edge pixels into their cell is a label-map operation every side needs (metrics,
// exports, training targets): it lives in the domain core.
export { flattenEdges } from '../../shared/core/labels';
import { flattenEdges } from '../../shared/core/labels';

const RGB_COLOURS: Record<number, [number, number, number]> = {
  [LABEL.background]: [0, 0, 255],
  [LABEL.cytoplasm]: [0, 255, 0],
  [LABEL.nucleus]: [255, 0, 0],
};

/** Render a label map in a convention; edges are folded into their cell first (except in `index`). */
export function maskToImage(mask: LabelMap, convention: MaskConvention): RgbImage {
  // The index convention has an edge class of its own: write the labels unchanged.
  const flat = convention === 'index' ? mask.labels : flattenEdges(mask);
  const n = mask.width * mask.height;
  const data = new Uint8Array(n * 3);
  for (let i = 0; i < n; i++) {
    const v = flat[i];
    let r: number, g: number, b: number;
    if (convention === 'index') r = g = b = v;
    else if (convention === 'gray3') r = g = b = v === LABEL.nucleus ? 255 : v === LABEL.cytoplasm ? 128 : 0;
    else if (convention === 'binary') r = g = b = v === LABEL.background ? 0 : 255;
    else [r, g, b] = RGB_COLOURS[v] ?? RGB_COLOURS[LABEL.background];
    data[i * 3] = r;
    data[i * 3 + 1] = g;
    data[i * 3 + 2] = b;
  }
  return { width: mask.width, height: mask.height, data };
}
