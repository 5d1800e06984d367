// Raster primitives on a MaskBuffer. Pixel (i, j) covers [i, i+1) x [j, j+1); shapes are
// tested at pixel centres. Every primitive returns the rectangle it touched (or null), so
// the view re-colours and re-blits only that region.
import { clipRect, type MaskBuffer, type Rect } from './mask-buffer';

/** What to write into a pixel: a label and how its instance id changes. */
export interface Ink {
  label: number;
  /** Instance id to write; 'keep' leaves the instance map untouched (e.g. painting edge). */
  instance: number | 'keep';
  /**
   * Only give the id to pixels that belong to no cell yet: painting a class across a cell
   * boundary changes classes, not which cell owns a pixel (split/merge/select do that).
   */
  onlyUnowned?: boolean;
}

function write(buf: MaskBuffer, i: number, ink: Ink): void {
  buf.labels[i] = ink.label;
  if (ink.instance === 'keep') return;
  if (!ink.onlyUnowned || buf.instances[i] === 0) buf.instances[i] = ink.instance;
}

/**
 * Paint every pixel whose centre lies within `radius` of the segment a-b (a capsule; a
 * disc when a == b). One pass over the bounding box, so a fast stroke costs the same as a
 * slow one and leaves no gaps between pointer events.
 */
export function paintCapsule(buf: MaskBuffer, ax: number, ay: number, bx: number, by: number, radius: number, ink: Ink): Rect | null {
  // A radius below ~0.71 could fall between pixel centres; always hit the pixel under the pointer.
  const r = Math.max(radius, 0.71);
  const rect = clipRect(
    { x0: Math.floor(Math.min(ax, bx) - r), y0: Math.floor(Math.min(ay, by) - r), x1: Math.ceil(Math.max(ax, bx) + r) + 1, y1: Math.ceil(Math.max(ay, by) + r) + 1 },
    buf,
  );
  if (!rect) return null;
  const dx = bx - ax;
  const dy = by - ay;
  const len2 = dx * dx + dy * dy;
  const r2 = r * r;
  const w = buf.width;
  for (let y = rect.y0; y < rect.y1; y++) {
    const py = y + 0.5;
    for (let x = rect.x0; x < rect.x1; x++) {
      const px = x + 0.5;
      let t = len2 > 0 ? ((px - ax) * dx + (py - ay) * dy) / len2 : 0;
      t = t < 0 ? 0 : t > 1 ? 1 : t;
      const qx = ax + t * dx - px;
      const qy = ay + t * dy - py;
      if (qx * qx + qy * qy <= r2) write(buf, y * w + x, ink);
    }
  }
  return rect;
}

/** Pixel indices inside a polygon (even-odd rule at pixel centres), row by row. */
export function polygonPixels(width: number, height: number, points: readonly number[]): { indices: number[]; rect: Rect | null } {
  const n = points.length / 2;
  const indices: number[] = [];
  if (n < 3) return { indices, rect: null };
  let minY = Infinity;
  let maxY = -Infinity;
  for (let k = 0; k < n; k++) {
    minY = Math.min(minY, points[2 * k + 1]);
    maxY = Math.max(maxY, points[2 * k + 1]);
  }
  const y0 = Math.max(0, Math.floor(minY));
  const y1 = Math.min(height, Math.ceil(maxY) + 1);
  let rx0 = Infinity;
  let rx1 = -Infinity;
  let ry0 = Infinity;
  let ry1 = -Infinity;
  const xs: number[] = [];
  for (let y = y0; y < y1; y++) {
    const py = y + 0.5;
    xs.length = 0;
    for (let k = 0; k < n; k++) {
      const x1 = points[2 * k];
      const y1e = points[2 * k + 1];
      const x2 = points[(2 * ((k + 1) % n))];
      const y2 = points[(2 * ((k + 1) % n)) + 1];
      // Half-open rule on y so a vertex exactly on the scanline is counted once.
      if ((y1e <= py && y2 > py) || (y2 <= py && y1e > py)) xs.push(x1 + ((py - y1e) / (y2 - y1e)) * (x2 - x1));
    }
    xs.sort((a, b) => a - b);
    for (let k = 0; k + 1 < xs.length; k += 2) {
      // Pixels whose centre x + 0.5 lies in [xs[k], xs[k+1]).
      const from = Math.max(0, Math.ceil(xs[k] - 0.5));
      const to = Math.min(width - 1, Math.ceil(xs[k + 1] - 0.5) - 1);
      for (let x = from; x <= to; x++) indices.push(y * width + x);
      if (to >= from) {
        rx0 = Math.min(rx0, from);
        rx1 = Math.max(rx1, to + 1);
        ry0 = Math.min(ry0, y);
        ry1 = Math.max(ry1, y + 1);
      }
    }
  }
  return { indices, rect: indices.length ? { x0: rx0, y0: ry0, x1: rx1, y1: ry1 } : null };
}

/** The 4-connected region of pixels with the same label and instance as the seed. */
export function floodRegion(buf: MaskBuffer, sx: number, sy: number): { indices: Int32Array; rect: Rect } | null {
  const { width: w, height: h, labels, instances } = buf;
  if (sx < 0 || sy < 0 || sx >= w || sy >= h) return null;
  const seed = sy * w + sx;
  const label = labels[seed];
  const inst = instances[seed];
  const seen = new Uint8Array(w * h);
  const stack = new Int32Array(w * h);
  const out: number[] = [];
  let top = 0;
  stack[top++] = seed;
  seen[seed] = 1;
  let x0 = sx;
  let x1 = sx;
  let y0 = sy;
  let y1 = sy;
  while (top > 0) {
    const i = stack[--top];
    out.push(i);
    const x = i % w;
    const y = (i - x) / w;
    if (x < x0) x0 = x;
    if (x > x1) x1 = x;
    if (y < y0) y0 = y;
    if (y > y1) y1 = y;
    const visit = (j: number): void => {
      if (!seen[j] && labels[j] === label && instances[j] === inst) {
        seen[j] = 1;
        stack[top++] = j;
      }
    };
    if (x > 0) visit(i - 1);
    if (x < w - 1) visit(i + 1);
    if (y > 0) visit(i - w);
    if (y < h - 1) visit(i + w);
  }
  return { indices: Int32Array.from(out), rect: { x0, y0, x1: x1 + 1, y1: y1 + 1 } };
}

/** 8-connected pixel path from a to b (Bresenham); enough to cut 4-connected regions. */
export function linePixels(ax: number, ay: number, bx: number, by: number): [number, number][] {
  let x = Math.floor(ax);
  let y = Math.floor(ay);
  const x1 = Math.floor(bx);
  const y1 = Math.floor(by);
  const dx = Math.abs(x1 - x);
  const dy = -Math.abs(y1 - y);
  const sx = x < x1 ? 1 : -1;
  const sy = y < y1 ? 1 : -1;
  let err = dx + dy;
  const out: [number, number][] = [];
  while (true) {
    out.push([x, y]);
    if (x === x1 && y === y1) break;
    const e2 = 2 * err;
    if (e2 >= dy) {
      err += dy;
      x += sx;
    }
    if (e2 <= dx) {
      err += dx;
      y += sy;
    }
  }
  return out;
}

/** Write `ink` at the given pixel indices; returns the touched rectangle. */
export function writeIndices(buf: MaskBuffer, indices: ArrayLike<number>, ink: Ink): Rect | null {
  if (indices.length === 0) return null;
  const w = buf.width;
  let x0 = Infinity;
  let y0 = Infinity;
  let x1 = -Infinity;
  let y1 = -Infinity;
  for (let k = 0; k < indices.length; k++) {
    const i = indices[k];
    write(buf, i, ink);
    const x = i % w;
    const y = (i - x) / w;
    if (x < x0) x0 = x;
    if (x > x1) x1 = x;
    if (y < y0) y0 = y;
    if (y > y1) y1 = y;
  }
  return { x0, y0, x1: x1 + 1, y1: y1 + 1 };
}
