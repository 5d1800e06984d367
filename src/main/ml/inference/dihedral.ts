// The eight symmetries of a square (transpose, then flip x, then flip y) on interleaved
// H x W x C maps: test-time augmentation runs the network on transformed inputs and maps
// each output back before averaging. Element k: bit 0 flips x, bit 1 flips y, bit 2
// transposes first. 0..3 are the flips only; 0..7 all of them.

export interface Plane {
  data: Float32Array;
  w: number;
  h: number;
}

/** The k-th transform of a w x h x c map. Transposing swaps width and height. */
export function dihedralForward(src: Float32Array, w: number, h: number, c: number, k: number): Plane {
  const t = (k & 4) !== 0;
  const fx = (k & 1) !== 0;
  const fy = (k & 2) !== 0;
  const ow = t ? h : w;
  const oh = t ? w : h;
  const out = new Float32Array(src.length);
  for (let oy = 0; oy < oh; oy++) {
    const uy = fy ? oh - 1 - oy : oy;
    for (let ox = 0; ox < ow; ox++) {
      const ux = fx ? ow - 1 - ox : ox;
      const sx = t ? uy : ux;
      const sy = t ? ux : uy;
      const s = (sy * w + sx) * c;
      const o = (oy * ow + ox) * c;
      for (let ch = 0; ch < c; ch++) out[o + ch] = src[s + ch];
    }
  }
  return { data: out, w: ow, h: oh };
}

/** Undo the k-th transform: `src` is the transformed map (tw x th); returns the original orientation. */
export function dihedralInverse(src: Float32Array, tw: number, th: number, c: number, k: number): Plane {
  const t = (k & 4) !== 0;
  const fx = (k & 1) !== 0;
  const fy = (k & 2) !== 0;
  const w = t ? th : tw;
  const h = t ? tw : th;
  const out = new Float32Array(src.length);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const ux = t ? y : x;
      const uy = t ? x : y;
      const ox = fx ? tw - 1 - ux : ux;
      const oy = fy ? th - 1 - uy : uy;
      const s = (oy * tw + ox) * c;
      const o = (y * w + x) * c;
      for (let ch = 0; ch < c; ch++) out[o + ch] = src[s + ch];
    }
  }
  return { data: out, w, h };
}

/** Transform indices of a test-time augmentation setting. */
export function ttaElements(tta: 'none' | 'flip' | 'd4' | undefined): number[] {
  if (tta === 'd4') return [0, 1, 2, 3, 4, 5, 6, 7];
  if (tta === 'flip') return [0, 1, 2, 3];
  return [0];
}
