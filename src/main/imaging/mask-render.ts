import sharp from 'sharp';
import { LABEL, type LabelMap, type OverlayPalette } from '../../shared/domain';
import { PALETTES } from '../../shared/core/palettes';

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

/** Class colours in the editor's palette; background (and unknown labels) transparent. */
export async function renderMaskPng(mask: LabelMap, style: 'overlay' | 'outline', palette: OverlayPalette = 'default', alpha = 0.45): Promise<Uint8Array> {
  const n = mask.width * mask.height;
  const rgba = new Uint8Array(n * 4);
  const outline = style === 'outline' ? outlineOf(mask) : null;
  const colours = PALETTES[palette];
  for (let i = 0; i < n; i++) {
    const v = mask.labels[i];
    if (v === LABEL.background || v >= colours.length) continue;
    if (outline && !outline[i]) continue;
    const [r, g, b] = colours[v];
    rgba[i * 4] = r;
    rgba[i * 4 + 1] = g;
    rgba[i * 4 + 2] = b;
    rgba[i * 4 + 3] = outline ? 255 : Math.round(255 * alpha);
  }
  const buf = await sharp(rgba, { raw: { width: mask.width, height: mask.height, channels: 4 } }).png().toBuffer();
  return new Uint8Array(buf.buffer, buf.byteOffset, buf.byteLength);
}
