// Binary morphology on Uint8Array masks (0/1, row-major): the building blocks of the
// morphological active contour.
import { connectedComponents } from '../../shared/core/cells';

export function dilate(m: Uint8Array, w: number, h: number, r = 1): Uint8Array {
  let cur = m;
  for (let k = 0; k < r; k++) {
    const out = new Uint8Array(cur.length);
    for (let y = 0; y < h; y++) {
      for (let x = 0; x < w; x++) {
        let v = 0;
        for (let dy = -1; dy <= 1 && !v; dy++) {
          const yy = y + dy;
          if (yy < 0 || yy >= h) continue;
          for (let dx = -1; dx <= 1; dx++) {
            const xx = x + dx;
            if (xx >= 0 && xx < w && cur[yy * w + xx]) {
              v = 1;
              break;
            }
          }
        }
        out[y * w + x] = v;
      }
    }
    cur = out;
  }
  return cur;
}

export function erode(m: Uint8Array, w: number, h: number, r = 1): Uint8Array {
  const inv = m.map((v) => 1 - v);
  return dilate(inv, w, h, r).map((v) => 1 - v);
}

/**
 * SI (sup of infs) and IS (inf of sups) over the four 3-pixel line segments through a pixel
 * (horizontal, vertical, two diagonals): the morphological curvature operators of
 * Marquez-Neila et al. 2014. SI keeps a set pixel only if some segment through it is all
 * set (removes thin protrusions); IS sets a pixel if every segment through it touches a set
 * pixel (fills thin dents). Alternating SI.IS and IS.SI smooths a contour like a curvature
 * flow without a net shrink. Outside the image a neighbour counts as the pixel itself.
 */
export function supInf(u: Uint8Array, w: number, h: number): Uint8Array {
  const out = new Uint8Array(u.length);
  for (let y = 0; y < h; y++) {
    const up = y > 0 ? -w : 0, down = y < h - 1 ? w : 0;
    for (let x = 0; x < w; x++) {
      const i = y * w + x;
      if (!u[i]) continue;
      const l = x > 0 ? -1 : 0, r = x < w - 1 ? 1 : 0;
      if ((u[i + l] && u[i + r]) || (u[i + up] && u[i + down]) || (u[i + up + l] && u[i + down + r]) || (u[i + up + r] && u[i + down + l])) out[i] = 1;
    }
  }
  return out;
}

export function infSup(u: Uint8Array, w: number, h: number): Uint8Array {
  const out = new Uint8Array(u.length);
  for (let y = 0; y < h; y++) {
    const up = y > 0 ? -w : 0, down = y < h - 1 ? w : 0;
    for (let x = 0; x < w; x++) {
      const i = y * w + x;
      if (u[i]) {
        out[i] = 1;
        continue;
      }
      // A neighbour outside the image is the (unset) pixel itself.
      const l = x > 0 ? -1 : 0, r = x < w - 1 ? 1 : 0;
      if ((u[i + l] || u[i + r]) && (u[i + up] || u[i + down]) && (u[i + up + l] || u[i + down + r]) && (u[i + up + r] || u[i + down + l])) out[i] = 1;
    }
  }
  return out;
}

/**
 * Connected components of a binary mask: ids from 1, with areas. 8-connected: these are
 * stain regions and nucleus parts on the way to cells, not cells (the baseline's cells are
 * its instance map, read by shared/core/cells like any other mask).
 */
export function components(m: Uint8Array, w: number, h: number): { ids: Int32Array; areas: number[] } {
  const { ids, sizes } = connectedComponents(w, h, (i) => m[i] !== 0, 8);
  return { ids, areas: sizes };
}

/** Fill holes: background not 4-connected to the image border becomes foreground. */
export function fillHoles(m: Uint8Array, w: number, h: number): Uint8Array {
  const outside = new Uint8Array(m.length);
  const stack: number[] = [];
  const seed = (i: number): void => {
    if (!m[i] && !outside[i]) {
      outside[i] = 1;
      stack.push(i);
    }
  };
  for (let x = 0; x < w; x++) {
    seed(x);
    seed((h - 1) * w + x);
  }
  for (let y = 0; y < h; y++) {
    seed(y * w);
    seed(y * w + w - 1);
  }
  while (stack.length) {
    const i = stack.pop()!;
    const x = i % w;
    if (x > 0) seed(i - 1);
    if (x < w - 1) seed(i + 1);
    if (i >= w) seed(i - w);
    if (i < m.length - w) seed(i + w);
  }
  return outside.map((v) => 1 - v);
}

/** Otsu's threshold of values in [0,255]. */
export function otsu(values: Float32Array, mask?: Uint8Array): number {
  const hist = new Float64Array(256);
  let total = 0;
  for (let i = 0; i < values.length; i++) {
    if (mask && !mask[i]) continue;
    hist[Math.max(0, Math.min(255, Math.round(values[i])))]++;
    total++;
  }
  let sum = 0;
  for (let t = 0; t < 256; t++) sum += t * hist[t];
  let sumB = 0, wB = 0, best = 0, bestT = 128;
  for (let t = 0; t < 256; t++) {
    wB += hist[t];
    if (!wB) continue;
    const wF = total - wB;
    if (!wF) break;
    sumB += t * hist[t];
    const mB = sumB / wB, mF = (sum - sumB) / wF;
    const between = wB * wF * (mB - mF) ** 2;
    if (between > best) {
      best = between;
      bestT = t;
    }
  }
  return bestT + 0.5;
}

/** Two thresholds splitting values into three classes (multi-level Otsu), exhaustive over 64 bins. */
export function otsu3(values: Float32Array, mask?: Uint8Array): [number, number] {
  const B = 64;
  const hist = new Float64Array(B);
  let total = 0;
  for (let i = 0; i < values.length; i++) {
    if (mask && !mask[i]) continue;
    hist[Math.max(0, Math.min(B - 1, Math.floor(values[i] / 4)))]++;
    total++;
  }
  const P = new Float64Array(B + 1), S = new Float64Array(B + 1);
  for (let k = 0; k < B; k++) {
    P[k + 1] = P[k] + hist[k];
    S[k + 1] = S[k] + k * hist[k];
  }
  const part = (a: number, b: number): number => {
    const p = P[b] - P[a];
    return p > 0 ? (S[b] - S[a]) ** 2 / p : 0;
  };
  let best = -1, t1 = 16, t2 = 32;
  for (let a = 1; a < B - 1; a++) {
    for (let b = a + 1; b < B; b++) {
      const v = part(0, a) + part(a, b) + part(b, B);
      if (v > best) {
        best = v;
        t1 = a;
        t2 = b;
      }
    }
  }
  void total;
  return [t1 * 4, t2 * 4];
}
