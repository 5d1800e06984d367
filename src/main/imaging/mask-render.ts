import sharp from 'sharp';
import { LABEL, type LabelMap } from '../../shared/domain';

/** Class colours for overlays (RGBA); background transparent. Same palette as the editor. */
export const CLASS_RGBA: Record<number, [number, number, number, number]> = {
  [LABEL.background]: [0, 0, 0, 0],
  [LABEL.cytoplasm]: [46, 204, 113, 255],
  [LABEL.nucleus]: [155, 89, 182, 255],
  [LABEL.edge]: [241, 196, 15, 255],
};

/** Pixels where the class changes to a neighbour's (4-connected): the outline of each region. */
export function outlineOf(mask: LabelMap): Uint8Array {
  const { width: w, height: h, labels } = mask;
  const out = new Uint8Array(w * h);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const i = y * w + x;
      const v = labels[i];
      if (v === LABEL.background) continue;
      if (x === 0 || y === 0 || x === w - 1 || y === h - 1 || labels[i - 1] !== v || labels[i + 1] !== v || labels[i - w] !== v || labels[i + w] !== v) out[i] = 1;
    }
  }
  return out;
}

export async function renderMaskPng(mask: LabelMap, style: 'overlay' | 'outline', alpha = 0.45): Promise<Uint8Array> {
  const n = mask.width * mask.height;
  const rgba = new Uint8Array(n * 4);
  const outline = style === 'outline' ? outlineOf(mask) : null;
  for (let i = 0; i < n; i++) {
    const [r, g, b, a] = CLASS_RGBA[mask.labels[i]] ?? CLASS_RGBA[0];
    if (outline && !outline[i]) continue;
    rgba[i * 4] = r;
    rgba[i * 4 + 1] = g;
    rgba[i * 4 + 2] = b;
    rgba[i * 4 + 3] = outline ? a : Math.round(a * alpha);
  }
  const buf = await sharp(rgba, { raw: { width: mask.width, height: mask.height, channels: 4 } }).png().toBuffer();
  return new Uint8Array(buf.buffer, buf.byteOffset, buf.byteLength);
}
