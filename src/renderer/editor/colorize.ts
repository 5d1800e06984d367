// Label map -> RGBA pixels for the overlay canvases. Works on a rectangle so a brush
// stroke re-colours only what it touched. Background is transparent.
import type { OverlayPalette } from '../../shared/domain';
import { PALETTES, type Rgb } from '../../shared/core/palettes';
import type { Rect } from './mask-buffer';

export { PALETTES, type Rgb };

export const PALETTE_LABEL: Record<OverlayPalette, string> = {
  default: 'Default (green / blue)',
  'high-contrast': 'High contrast',
  colorblind: 'Colour-blind safe (Okabe-Ito)',
};

/** The default palette (kept for callers that do not choose one). */
export const CLASS_COLORS: readonly Rgb[] = PALETTES.default;
export const CLASS_CSS = CLASS_COLORS.map(([r, g, b]) => `rgb(${r}, ${g}, ${b})`);
export const paletteCss = (p: OverlayPalette): string[] => PALETTES[p].map(([r, g, b]) => `rgb(${r}, ${g}, ${b})`);

export interface ColorizeOptions {
  /** Draw only the pixels on a class or cell boundary. */
  outline: boolean;
  /** Outline thickness in mask pixels (1 = the boundary pixels only). */
  outlineWidth?: number;
  /** One colour for everything (the second overlay), or class colours. */
  color?: Rgb;
  palette?: readonly Rgb[];
  /** Cell drawn highlighted: class colours kept, a white contour with a dark halo outside; 0 = none. */
  selected?: number;
}

interface MaskLike {
  width: number;
  height: number;
  labels: Uint8Array;
  instances?: Uint16Array;
}

/**
 * Write RGBA for `rect` of `mask` into `out` (a width*height*4 buffer, e.g. ImageData.data).
 * In outline mode a pixel is drawn when a pixel within `outlineWidth` (4-neighbour steps along
 * the axes) has another label or cell.
 */
export function colorize(mask: MaskLike, out: Uint8ClampedArray, rect: Rect, opts: ColorizeOptions): void {
  const { width: w, height: h, labels } = mask;
  const inst = mask.instances;
  const sel = opts.selected ?? 0;
  const palette = opts.palette ?? CLASS_COLORS;
  const reach = Math.max(1, Math.min(6, Math.round(opts.outlineWidth ?? 1)));
  const differsAt = (i: number, j: number): boolean => labels[j] !== labels[i] || (inst !== undefined && inst[j] !== inst[i]);
  const nearBoundary = (x: number, y: number, i: number, r: number): boolean => {
    for (let d = 1; d <= r; d++) {
      if ((x - d >= 0 && differsAt(i, i - d)) || (x + d < w && differsAt(i, i + d)) || (y - d >= 0 && differsAt(i, i - d * w)) || (y + d < h && differsAt(i, i + d * w))) return true;
    }
    return false;
  };
  const isSel = (j: number): boolean => inst !== undefined && inst[j] === sel;
  for (let y = rect.y0; y < rect.y1; y++) {
    for (let x = rect.x0; x < rect.x1; x++) {
      const i = y * w + x;
      const o = i * 4;
      const v = labels[i];
      const id = inst ? inst[i] : 0;
      if (sel && inst && id !== sel) {
        // The dark halo just outside the selected cell, so its contour reads on any background.
        const touchesSel = (x > 0 && isSel(i - 1)) || (x < w - 1 && isSel(i + 1)) || (y > 0 && isSel(i - w)) || (y < h - 1 && isSel(i + w));
        if (touchesSel) {
          out[o] = 0;
          out[o + 1] = 0;
          out[o + 2] = 0;
          out[o + 3] = 255;
          continue;
        }
      }
      const boundary = opts.outline ? nearBoundary(x, y, i, reach) : false;
      const visible = v !== 0 && (!opts.outline || boundary);
      if (sel && id === sel && v !== 0) {
        const cellEdge = x === 0 || x === w - 1 || y === 0 || y === h - 1 || !isSel(i - 1) || !isSel(i + 1) || !isSel(i - w) || !isSel(i + w);
        if (cellEdge) {
          out[o] = 255;
          out[o + 1] = 255;
          out[o + 2] = 255;
          out[o + 3] = 255;
          continue;
        }
        // Inside the selected cell the class colours stay as they are (the nucleus stays readable).
        if (!visible) {
          out[o + 3] = 0;
          continue;
        }
      }
      if (!visible) {
        out[o + 3] = 0;
        continue;
      }
      const c = opts.color ?? palette[v] ?? palette[1];
      out[o] = c[0];
      out[o + 1] = c[1];
      out[o + 2] = c[2];
      out[o + 3] = 255;
    }
  }
}

/** A snap proposal: class colours semi-transparent inside, white on the outline. */
export function colorizeProposal(mask: MaskLike, out: Uint8ClampedArray, palette: readonly Rgb[] = CLASS_COLORS): void {
  const { width: w, height: h, labels } = mask;
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const i = y * w + x;
      const o = i * 4;
      const v = labels[i];
      if (v === 0) {
        out[o + 3] = 0;
        continue;
      }
      const cellEdge = (x > 0 && labels[i - 1] === 0) || (x < w - 1 && labels[i + 1] === 0) || (y > 0 && labels[i - w] === 0) || (y < h - 1 && labels[i + w] === 0);
      const c = palette[v] ?? palette[1];
      out[o] = cellEdge ? 255 : c[0];
      out[o + 1] = cellEdge ? 255 : c[1];
      out[o + 2] = cellEdge ? 255 : c[2];
      out[o + 3] = cellEdge ? 255 : 120;
    }
  }
}
