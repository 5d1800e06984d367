/**
 * Pixels to leave out of IoU_b: those within `band` px (Chebyshev distance) of a pixel of
 * another class in the ground truth, on both sides of every class boundary. Computed as
 * "the (2b+1)^2 window holds two different classes" with separable running min and max.
 */
export function borderBand(classes: Uint8Array, w: number, h: number, band: number): Uint8Array {
  const out = new Uint8Array(w * h);
  if (band <= 0) return out;
  const minH = new Uint8Array(w * h), maxH = new Uint8Array(w * h);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      let mn = 255, mx = 0;
      for (let d = -band; d <= band; d++) {
        const xx = x + d;
        if (xx < 0 || xx >= w) continue;
        const v = classes[y * w + xx];
        if (v < mn) mn = v;
        if (v > mx) mx = v;
      }
      minH[y * w + x] = mn;
      maxH[y * w + x] = mx;
    }
  }
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      let mn = 255, mx = 0;
      for (let d = -band; d <= band; d++) {
        const yy = y + d;
        if (yy < 0 || yy >= h) continue;
        const i = yy * w + x;
        if (minH[i] < mn) mn = minH[i];
        if (maxH[i] > mx) mx = maxH[i];
      }
      if (mn !== mx) out[y * w + x] = 1;
    }
  }
  return out;
}

/** Default band: 1 px per 128 px of the shorter side, rounded, at least 1 (about 4 px at 480). */
export function defaultBorderPx(w: number, h: number, per128 = 1): number {
  return Math.max(1, Math.round((Math.min(w, h) / 128) * per128));
}
