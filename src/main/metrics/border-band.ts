/**
 * Pixels to leave out of IoU_b: those within `band` px (Chebyshev distance) of a pixel of
 * another class in the ground truth, on both sides of every class boundary. A pixel is in
 * the band when its (2b+1)^2 window (clipped at the image border) holds two different
 * classes. Computed separably with running per-class counts, so the cost does not grow
 * with the band width (a few ms at 480x480). Class values must be 0-3.
 */
export function borderBand(classes: Uint8Array, w: number, h: number, band: number): Uint8Array {
  const out = new Uint8Array(w * h);
  if (band <= 0 || w === 0 || h === 0) return out;
  const r = Math.floor(band);
  // Horizontal pass: bit set of the classes present in the row window of each pixel.
  const bits = new Uint8Array(w * h);
  const count = new Int32Array(4);
  for (let y = 0; y < h; y++) {
    const row = y * w;
    count.fill(0);
    let present = 0;
    for (let x = 0; x < Math.min(r, w); x++) {
      const c = classes[row + x];
      if (count[c]++ === 0) present |= 1 << c;
    }
    for (let x = 0; x < w; x++) {
      const add = x + r;
      if (add < w) {
        const c = classes[row + add];
        if (count[c]++ === 0) present |= 1 << c;
      }
      const drop = x - r - 1;
      if (drop >= 0) {
        const c = classes[row + drop];
        if (--count[c] === 0) present &= ~(1 << c);
      }
      bits[row + x] = present;
    }
  }
  // Vertical pass: OR of the row-window bit sets down each column, by counting each bit.
  const bitCount = new Int32Array(w * 4);
  for (let y = 0; y < Math.min(r, h); y++) addBits(bits, bitCount, y * w, w, 1);
  for (let y = 0; y < h; y++) {
    if (y + r < h) addBits(bits, bitCount, (y + r) * w, w, 1);
    if (y - r - 1 >= 0) addBits(bits, bitCount, (y - r - 1) * w, w, -1);
    const row = y * w;
    for (let x = 0; x < w; x++) {
      const base = x * 4;
      const m = (bitCount[base] > 0 ? 1 : 0) | (bitCount[base + 1] > 0 ? 2 : 0) | (bitCount[base + 2] > 0 ? 4 : 0) | (bitCount[base + 3] > 0 ? 8 : 0);
      // more than one bit set = more than one class in the window
      if (m & (m - 1)) out[row + x] = 1;
    }
  }
  return out;
}

function addBits(bits: Uint8Array, bitCount: Int32Array, row: number, w: number, delta: number): void {
  for (let x = 0; x < w; x++) {
    let b = bits[row + x];
    const base = x * 4;
    for (let c = 0; b; c++, b >>= 1) if (b & 1) bitCount[base + c] += delta;
  }
}

/** Default band: 1 px per 128 px of the shorter side, rounded, at least 1 (about 4 px at 480). */
export function defaultBorderPx(w: number, h: number, per128 = 1): number {
  return Math.max(1, Math.round((Math.min(w, h) / 128) * per128));
}
