// Label map -> RGBA pixels for the overlay canvases. Works on a rectangle so a brush
// stroke re-colours only what it touched. Background is transparent.
import type { Rect } from './mask-buffer';

export type Rgb = readonly [number, number, number];

/** Class colours chosen to stand out on Wright-Giemsa (pink/purple) smears. */
export const CLASS_COLORS: readonly Rgb[] = [
  [0, 0, 0],
  [46, 204, 113], // cytoplasm: green
  [255, 184, 0], // nucleus: amber
  [0, 220, 255], // edge: cyan
];
export const CLASS_CSS = CLASS_COLORS.map(([r, g, b]) => `rgb(${r}, ${g}, ${b})`);

export interface ColorizeOptions {
  /** Draw only the pixels on a class or cell boundary. */
  outline: boolean;
  /** One colour for everything (the second overlay), or class colours. */
  color?: Rgb;
  /** Cell drawn highlighted (lighter, with its contour in white); 0 = none. */
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
 * In outline mode a pixel is drawn when a 4-neighbour has another label or cell.
 */
export function colorize(mask: MaskLike, out: Uint8ClampedArray, rect: Rect, opts: ColorizeOptions): void {
  const { width: w, height: h, labels } = mask;
  const inst = mask.instances;
  const sel = opts.selected ?? 0;
  for (let y = rect.y0; y < rect.y1; y++) {
    for (let x = rect.x0; x < rect.x1; x++) {
      const i = y * w + x;
      const o = i * 4;
      const v = labels[i];
      const id = inst ? inst[i] : 0;
      let boundary = false;
      if (opts.outline || (sel && id === sel)) {
        const differs = (j: number): boolean => labels[j] !== v || (inst !== undefined && inst[j] !== id);
        boundary = (x > 0 && differs(i - 1)) || (x < w - 1 && differs(i + 1)) || (y > 0 && differs(i - w)) || (y < h - 1 && differs(i + w));
      }
      const visible = v !== 0 && (!opts.outline || boundary);
      if (!visible) {
        out[o + 3] = 0;
        continue;
      }
      const c = opts.color ?? CLASS_COLORS[v] ?? CLASS_COLORS[1];
      if (sel && id === sel) {
        // Selected cell: lighter fill, white contour.
        const cellEdge = boundary && (x === 0 || x === w - 1 || y === 0 || y === h - 1 || inst === undefined || inst[i - 1] !== id || inst[i + 1] !== id || inst[i - w] !== id || inst[i + w] !== id);
        if (cellEdge) {
          out[o] = 255;
          out[o + 1] = 255;
          out[o + 2] = 255;
        } else {
          out[o] = (c[0] + 255) >> 1;
          out[o + 1] = (c[1] + 255) >> 1;
          out[o + 2] = (c[2] + 255) >> 1;
        }
      } else {
        out[o] = c[0];
        out[o + 1] = c[1];
        out[o + 2] = c[2];
      }
      out[o + 3] = 255;
    }
  }
}

/** A snap proposal: class colours semi-transparent inside, white on the outline. */
export function colorizeProposal(mask: MaskLike, out: Uint8ClampedArray): void {
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
      const c = CLASS_COLORS[v] ?? CLASS_COLORS[1];
      out[o] = cellEdge ? 255 : c[0];
      out[o + 1] = cellEdge ? 255 : c[1];
      out[o + 2] = cellEdge ? 255 : c[2];
      out[o + 3] = cellEdge ? 255 : 120;
    }
  }
}
