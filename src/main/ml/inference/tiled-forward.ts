// Running an engine on canvases of any size: canvases of the same size go through in one
// batch; a canvas wider or taller than `maxSide` is cut into overlapping tiles whose
// probabilities are blended with weights falling linearly towards each tile's inner
// edges, so seams never show and memory stays bounded on large fields.
import type { ProbabilityEngine } from './probability-engine';

export interface CanvasInput {
  data: Float32Array;
  w: number;
  h: number;
}

export interface TileOptions {
  /** Canvases up to this side run in one pass (default 512). */
  maxSide?: number;
  /** Tile side when tiling (multiple of the engine's size multiple; default 256). */
  tile?: number;
  /** Overlap between neighbouring tiles in pixels (default tile / 8). */
  overlap?: number;
  /** Canvases per engine call (default 8). */
  batch?: number;
}

/** Tile origins covering [0, size) with tiles of `tile` overlapping by at least `overlap`. */
export function tileStarts(size: number, tile: number, overlap: number): number[] {
  if (size <= tile) return [0];
  const stride = Math.max(1, tile - overlap);
  const n = Math.ceil((size - tile) / stride) + 1;
  const starts: number[] = [];
  for (let i = 0; i < n; i++) starts.push(Math.round((i * (size - tile)) / (n - 1)));
  return starts;
}

function crop(src: CanvasInput, x0: number, y0: number, w: number, h: number): Float32Array {
  const out = new Float32Array(w * h * 3);
  for (let y = 0; y < h; y++) {
    const from = ((y0 + y) * src.w + x0) * 3;
    out.set(src.data.subarray(from, from + w * 3), y * w * 3);
  }
  return out;
}

/** 1D blending weight at position i of a tile of length n: 1 in the middle, ramping at inner edges. */
function ramp(i: number, n: number, ramp: number, atStart: boolean, atEnd: boolean): number {
  let v = 1;
  if (!atStart) v = Math.min(v, (i + 1) / (ramp + 1));
  if (!atEnd) v = Math.min(v, (n - i) / (ramp + 1));
  return v;
}

/** Probabilities (w*h*channels each) for every canvas, in order. */
export async function forwardCanvases(engine: ProbabilityEngine, canvases: CanvasInput[], opts: TileOptions = {}): Promise<Float32Array[]> {
  const m = engine.sizeMultiple;
  const maxSide = opts.maxSide ?? 512;
  const tile = Math.max(m, Math.floor((opts.tile ?? 256) / m) * m);
  const overlap = Math.min(tile - m, opts.overlap ?? Math.floor(tile / 8));
  const batch = Math.max(1, opts.batch ?? 8);
  const c = engine.channels;
  const results: Float32Array[] = new Array<Float32Array>(canvases.length);

  // Whole canvases, grouped by size so each engine call is one batch.
  const groups = new Map<string, number[]>();
  canvases.forEach((cv, i) => {
    if (cv.w % m !== 0 || cv.h % m !== 0) throw new Error(`canvas ${cv.w}x${cv.h} is not a multiple of ${m}`);
    if (cv.w > maxSide || cv.h > maxSide) return;
    const key = `${cv.w}x${cv.h}`;
    groups.set(key, [...(groups.get(key) ?? []), i]);
  });
  for (const idx of groups.values()) {
    const { w, h } = canvases[idx[0]];
    const px = w * h;
    for (let s = 0; s < idx.length; s += batch) {
      const part = idx.slice(s, s + batch);
      const x = new Float32Array(part.length * px * 3);
      part.forEach((i, k) => x.set(canvases[i].data, k * px * 3));
      const probs = await engine.forward(x, part.length, h, w);
      part.forEach((i, k) => {
        results[i] = probs.slice(k * px * c, (k + 1) * px * c);
      });
    }
  }

  // Large canvases, tile by tile.
  for (let i = 0; i < canvases.length; i++) {
    if (results[i]) continue;
    const cv = canvases[i];
    const tw = Math.min(tile, cv.w);
    const th = Math.min(tile, cv.h);
    const xs = tileStarts(cv.w, tw, overlap);
    const ys = tileStarts(cv.h, th, overlap);
    const acc = new Float32Array(cv.w * cv.h * c);
    const wsum = new Float32Array(cv.w * cv.h);
    const origins = ys.flatMap((y0) => xs.map((x0) => [x0, y0] as const));
    for (let s = 0; s < origins.length; s += batch) {
      const part = origins.slice(s, s + batch);
      const x = new Float32Array(part.length * tw * th * 3);
      part.forEach(([x0, y0], k) => x.set(crop(cv, x0, y0, tw, th), k * tw * th * 3));
      const probs = await engine.forward(x, part.length, th, tw);
      part.forEach(([x0, y0], k) => {
        for (let y = 0; y < th; y++) {
          const wy = ramp(y, th, overlap, y0 === 0, y0 + th >= cv.h);
          for (let xx = 0; xx < tw; xx++) {
            const wt = wy * ramp(xx, tw, overlap, x0 === 0, x0 + tw >= cv.w);
            const o = (y0 + y) * cv.w + x0 + xx;
            const p = (k * tw * th + y * tw + xx) * c;
            wsum[o] += wt;
            for (let ch = 0; ch < c; ch++) acc[o * c + ch] += wt * probs[p + ch];
          }
        }
      });
    }
    for (let o = 0; o < wsum.length; o++) for (let ch = 0; ch < c; ch++) acc[o * c + ch] /= wsum[o];
    results[i] = acc;
  }
  return results;
}
