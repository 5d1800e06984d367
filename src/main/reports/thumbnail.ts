// Thumbnail of an image with the mask outlines drawn on it, as PNG (sharp). Outlines are drawn
// at thumbnail resolution from the nearest-neighbour-sampled label map so they stay crisp
// whether the source is 120 px (upscaled) or 480 px (downscaled).
import sharp from 'sharp';
import { LABEL, type LabelMap, type RgbImage } from '../../shared/domain';
import type { ImageAnalysis } from './types';

export const OUTLINE_COLOURS = {
  /** Reported (centred) cell. */
  centred: [0, 230, 118],
  /** Other cells and fragments. */
  other: [255, 145, 0],
  /** Nucleus outline (any cell). */
  nucleus: [255, 235, 59],
} as const;

export interface ThumbnailOptions {
  /** Longer side of the thumbnail in pixels (default 240). */
  size?: number;
}

export async function renderOverlayPng(
  image: RgbImage,
  mask: LabelMap,
  analysis: ImageAnalysis,
  opts: ThumbnailOptions = {},
): Promise<Buffer> {
  const size = opts.size ?? 240;
  const scale = size / Math.max(mask.width, mask.height);
  const tw = Math.max(1, Math.round(mask.width * scale));
  const th = Math.max(1, Math.round(mask.height * scale));
  if (image.data.length !== image.width * image.height * 3) {
    throw new Error(`RGB image ${image.width}x${image.height} has ${image.data.length} bytes`);
  }
  const base = await sharp(Buffer.from(image.data.buffer, image.data.byteOffset, image.data.byteLength), {
    raw: { width: image.width, height: image.height, channels: 3 },
  })
    .resize(tw, th, { fit: 'fill', kernel: scale >= 1 ? 'cubic' : 'lanczos3' })
    .raw()
    .toBuffer();

  // Sample cell ids and nucleus membership at thumbnail resolution.
  const cell = new Int32Array(tw * th);
  const nucleus = new Uint8Array(tw * th);
  for (let y = 0; y < th; y++) {
    const sy = Math.min(mask.height - 1, Math.floor(((y + 0.5) * mask.height) / th));
    for (let x = 0; x < tw; x++) {
      const sx = Math.min(mask.width - 1, Math.floor(((x + 0.5) * mask.width) / tw));
      const s = sy * mask.width + sx;
      cell[y * tw + x] = analysis.cellIds[s];
      nucleus[y * tw + x] = mask.labels[s] === LABEL.nucleus ? 1 : 0;
    }
  }
  const centred = analysis.centredCellId ?? -1;
  const paint = (i: number, rgb: readonly number[]): void => {
    base[i * 3] = rgb[0];
    base[i * 3 + 1] = rgb[1];
    base[i * 3 + 2] = rgb[2];
  };
  // A pixel is on a boundary when a 4-neighbour differs; both sides are painted (2 px line),
  // cell outlines last so they win over the nucleus line where they meet.
  const boundary = (values: ArrayLike<number>, i: number, x: number, y: number): number => {
    const v = values[i];
    if (x > 0 && values[i - 1] !== v) return i - 1;
    if (x < tw - 1 && values[i + 1] !== v) return i + 1;
    if (y > 0 && values[i - tw] !== v) return i - tw;
    if (y < th - 1 && values[i + tw] !== v) return i + tw;
    return -1;
  };
  for (let y = 0; y < th; y++) {
    for (let x = 0; x < tw; x++) {
      const i = y * tw + x;
      if (nucleus[i] && boundary(nucleus, i, x, y) >= 0) {
        paint(i, OUTLINE_COLOURS.nucleus);
      }
    }
  }
  for (let y = 0; y < th; y++) {
    for (let x = 0; x < tw; x++) {
      const i = y * tw + x;
      const j = boundary(cell, i, x, y);
      if (j < 0) continue;
      // Outside pixels take the colour of the cell they border.
      const c = cell[i] !== 0 ? cell[i] : cell[j];
      paint(i, c === centred ? OUTLINE_COLOURS.centred : OUTLINE_COLOURS.other);
    }
  }
  return sharp(base, { raw: { width: tw, height: th, channels: 3 } })
    .png({ palette: true, quality: 95, compressionLevel: 9, effort: 7 })
    .toBuffer();
}
