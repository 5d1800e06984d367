// COCO run-length encoding: runs over the mask in column-major order (down each column,
// columns left to right), alternating background and foreground, starting with background
// (so a mask whose first pixel is set starts with a 0 run). Counts are stored as a plain
// list ("uncompressed RLE") or as pycocotools' compressed string: each count, from the third
// on as a difference to the count two before, in 5-bit groups with a continuation bit,
// offset by 48 into printable ASCII.

export interface CocoRle {
  /** [height, width], COCO's order. */
  size: [number, number];
  counts: number[] | string;
}

/** Counts of a row-major 0/1 mask (any non-zero is foreground). */
export function encodeRleCounts(mask: Uint8Array, w: number, h: number): number[] {
  const counts: number[] = [];
  let current = 0;
  let run = 0;
  for (let x = 0; x < w; x++) {
    for (let y = 0; y < h; y++) {
      const v = mask[y * w + x] ? 1 : 0;
      if (v !== current) {
        counts.push(run);
        run = 0;
        current = v;
      }
      run++;
    }
  }
  counts.push(run);
  return counts;
}

/** Row-major 0/1 mask from counts; throws when the runs do not cover the mask exactly. */
export function decodeRleCounts(counts: number[], w: number, h: number): Uint8Array {
  const out = new Uint8Array(w * h);
  let p = 0;
  let v = 0;
  for (const c of counts) {
    if (!Number.isInteger(c) || c < 0) throw new Error(`RLE count ${c} is not a non-negative integer`);
    if (p + c > w * h) throw new Error(`RLE runs cover more than the ${w}x${h} mask`);
    if (v) {
      for (let k = p; k < p + c; k++) {
        const x = Math.floor(k / h), y = k - x * h;
        out[y * w + x] = 1;
      }
    }
    p += c;
    v ^= 1;
  }
  if (p !== w * h) throw new Error(`RLE runs cover ${p} pixels, the mask has ${w * h}`);
  return out;
}

/** pycocotools' compressed counts string. */
export function compressCounts(counts: number[]): string {
  let s = '';
  for (let i = 0; i < counts.length; i++) {
    let x = counts[i];
    if (i > 2) x -= counts[i - 2];
    let more = true;
    while (more) {
      let c = x & 0x1f;
      x >>= 5;
      more = c & 0x10 ? x !== -1 : x !== 0;
      if (more) c |= 0x20;
      s += String.fromCharCode(c + 48);
    }
  }
  return s;
}

export function decompressCounts(s: string): number[] {
  const counts: number[] = [];
  let p = 0;
  while (p < s.length) {
    let x = 0;
    let k = 0;
    let more = true;
    while (more) {
      if (p >= s.length) throw new Error('compressed RLE string ends inside a count');
      const c = s.charCodeAt(p) - 48;
      if (c < 0 || c > 63) throw new Error(`compressed RLE string holds '${s[p]}', outside pycocotools' alphabet`);
      x += (c & 0x1f) * 2 ** (5 * k);
      more = (c & 0x20) !== 0;
      p++;
      k++;
      if (!more && c & 0x10) x -= 2 ** (5 * k); // sign-extend
    }
    if (counts.length > 2) x += counts[counts.length - 2];
    counts.push(x);
  }
  return counts;
}

export function encodeRle(mask: Uint8Array, w: number, h: number, compressed = true): CocoRle {
  const counts = encodeRleCounts(mask, w, h);
  return { size: [h, w], counts: compressed ? compressCounts(counts) : counts };
}

export function decodeRle(rle: CocoRle): { mask: Uint8Array; width: number; height: number } {
  const [h, w] = rle.size;
  if (!Number.isInteger(h) || !Number.isInteger(w) || h <= 0 || w <= 0) throw new Error(`RLE size ${JSON.stringify(rle.size)} is not [height, width]`);
  const counts = typeof rle.counts === 'string' ? decompressCounts(rle.counts) : rle.counts;
  return { mask: decodeRleCounts(counts, w, h), width: w, height: h };
}
