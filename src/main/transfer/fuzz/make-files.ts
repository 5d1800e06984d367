// Hand-made image files for the hardening tests and the fuzz run: valid seeds in every
// format, and the hostile variants (declared-size bombs, truncations, byte flips, header
// edits). No real data: everything is generated from a seed.
import { crc32 } from 'node:zlib';
import sharp from 'sharp';
import { encode as encodeBmp } from 'bmp-ts';

export type SeedFormat = 'bmp' | 'bmp-rle' | 'png' | 'jpeg' | 'tiff';

/** A deterministic pseudo-random generator (LCG), so every run makes the same files. */
export function rng(seed: number): () => number {
  let s = seed >>> 0 || 1;
  return () => (s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 0x1_0000_0000;
}

/** A smear-like RGB picture: pale background, one purple disc. */
export function pictureRgb(w: number, h: number, seed: number): Uint8Array {
  const rand = rng(seed);
  const cx = w * (0.4 + rand() * 0.2), cy = h * (0.4 + rand() * 0.2), r = Math.min(w, h) * 0.3;
  const rgb = new Uint8Array(w * h * 3);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const d = Math.hypot(x - cx, y - cy);
      const c = d < r * 0.5 ? [90, 50, 140] : d < r ? [200, 170, 215] : [235, 225, 170];
      const n = Math.floor(rand() * 10);
      rgb.set([c[0] - n, c[1] - n, c[2] - n], (y * w + x) * 3);
    }
  }
  return rgb;
}

export function bmp24(w: number, h: number, rgb: Uint8Array): Buffer {
  const abgr = Buffer.alloc(w * h * 4);
  for (let i = 0; i < w * h; i++) {
    abgr[i * 4 + 1] = rgb[i * 3 + 2];
    abgr[i * 4 + 2] = rgb[i * 3 + 1];
    abgr[i * 4 + 3] = rgb[i * 3];
  }
  return encodeBmp({ data: abgr, width: w, height: h, bitPP: 24 }).data;
}

/** An 8-bit RLE-compressed BMP (BI_RLE8) with a grey palette; `runs` is the encoded pixel data. */
export function rle8Bmp(w: number, h: number, runs: Uint8Array): Buffer {
  const palette = Buffer.alloc(256 * 4);
  for (let i = 0; i < 256; i++) palette.set([i, i, i, 0], i * 4);
  const off = 14 + 40 + palette.length;
  const b = Buffer.alloc(off + runs.length);
  b.write('BM', 0, 'latin1');
  b.writeUInt32LE(b.length, 2);
  b.writeUInt32LE(off, 10);
  b.writeUInt32LE(40, 14);
  b.writeInt32LE(w, 18);
  b.writeInt32LE(h, 22);
  b.writeUInt16LE(1, 26);
  b.writeUInt16LE(8, 28);
  b.writeUInt32LE(1, 30);
  b.writeUInt32LE(runs.length, 34);
  b.writeUInt32LE(256, 46);
  palette.copy(b, 54);
  Buffer.from(runs).copy(b, off);
  return b;
}

/** A valid small RLE8 BMP: one run per row, then end of bitmap. */
export function rle8Picture(w: number, h: number, seed: number): Buffer {
  const rand = rng(seed);
  const runs: number[] = [];
  for (let y = 0; y < h; y++) {
    let left = w;
    while (left > 0) {
      const n = Math.min(left, 255);
      runs.push(n, Math.floor(rand() * 256));
      left -= n;
    }
    runs.push(0, 0);
  }
  runs.push(0, 1);
  return rle8Bmp(w, h, Uint8Array.from(runs));
}

/**
 * An uncompressed RGB TIFF with its IFD before the pixel data (as many scanners write it),
 * so a truncated file still has a readable header: the case that used to import as black.
 */
export function tiffIfdFirst(w: number, h: number, rgb: Uint8Array): Buffer {
  const entries: [number, number, number, number][] = [
    [256, 4, 1, w], [257, 4, 1, h], [258, 3, 3, 0], [259, 3, 1, 1], [262, 3, 1, 2],
    [273, 4, 1, 0], [277, 3, 1, 3], [278, 4, 1, h], [279, 4, 1, 0],
  ];
  const ifdSize = 2 + entries.length * 12 + 4;
  const bpsOff = 8 + ifdSize;
  const dataOff = bpsOff + 6;
  const buf = Buffer.alloc(dataOff + rgb.length);
  buf.write('II', 0, 'latin1');
  buf.writeUInt16LE(42, 2);
  buf.writeUInt32LE(8, 4);
  buf.writeUInt16LE(entries.length, 8);
  entries.forEach(([tag, type, count, value], k) => {
    const o = 10 + k * 12;
    const v = tag === 258 ? bpsOff : tag === 273 ? dataOff : tag === 279 ? rgb.length : value;
    buf.writeUInt16LE(tag, o);
    buf.writeUInt16LE(type, o + 2);
    buf.writeUInt32LE(count, o + 4);
    if (type === 3 && count === 1) buf.writeUInt16LE(v, o + 8);
    else buf.writeUInt32LE(v, o + 8);
  });
  for (let i = 0; i < 3; i++) buf.writeUInt16LE(8, bpsOff + i * 2);
  Buffer.from(rgb).copy(buf, dataOff);
  return buf;
}

export async function encodeSeed(format: SeedFormat, w: number, h: number, seed: number): Promise<Buffer> {
  const rgb = pictureRgb(w, h, seed);
  if (format === 'bmp') return bmp24(w, h, rgb);
  if (format === 'bmp-rle') return rle8Picture(w, h, seed);
  if (format === 'tiff') return tiffIfdFirst(w, h, rgb);
  const img = sharp(rgb, { raw: { width: w, height: h, channels: 3 } });
  return format === 'png' ? img.png().toBuffer() : img.jpeg({ quality: 90 }).toBuffer();
}

/** Rewrite a PNG's IHDR size (with a correct CRC, so only the size check can refuse it). */
export function pngWithSize(png: Buffer, w: number, h: number): Buffer {
  const b = Buffer.from(png);
  b.writeUInt32BE(w, 16);
  b.writeUInt32BE(h, 20);
  b.writeUInt32BE(crc32(b.subarray(12, 29)) >>> 0, 29);
  return b;
}

/** Rewrite a JPEG's frame size in its SOFn marker. */
export function jpegWithSize(jpeg: Buffer, w: number, h: number): Buffer {
  const b = Buffer.from(jpeg);
  let i = 2;
  while (i + 9 < b.length && b[i] === 0xff) {
    const marker = b[i + 1];
    const len = b.readUInt16BE(i + 2);
    if (marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc) {
      b.writeUInt16BE(h, i + 5);
      b.writeUInt16BE(w, i + 7);
      return b;
    }
    i += 2 + len;
  }
  throw new Error('no SOF marker found');
}

/** Rewrite the width/height fields of a BMP (uncompressed or RLE) header. */
export function bmpWithSize(bmp: Buffer, w: number, h: number): Buffer {
  const b = Buffer.from(bmp);
  b.writeInt32LE(w, 18);
  b.writeInt32LE(h, 22);
  return b;
}

/** A TIFF declaring w x h with almost no pixel data behind it. */
export function tiffBomb(w: number, h: number): Buffer {
  const t = tiffIfdFirst(1, 1, new Uint8Array(3));
  // ImageWidth, ImageLength and RowsPerStrip entries are the 1st, 2nd and 8th.
  t.writeUInt32LE(w, 10 + 8);
  t.writeUInt32LE(h, 10 + 12 + 8);
  t.writeUInt32LE(h, 10 + 7 * 12 + 8);
  return t;
}

/** Every declared-size bomb the decoders must refuse before decoding (16000x16000 = 256 MP). */
export async function bombs(side = 16000): Promise<Record<string, Buffer>> {
  const png = await encodeSeed('png', 8, 8, 1);
  const jpeg = await encodeSeed('jpeg', 8, 8, 1);
  return {
    'bomb-rle.bmp': rle8Bmp(side, side, Uint8Array.from([0, 1])),
    'bomb-bmp.bmp': bmpWithSize(bmp24(8, 8, pictureRgb(8, 8, 1)), side, side),
    'bomb-png.png': pngWithSize(png, side, side),
    'bomb-jpeg.jpg': jpegWithSize(jpeg, side, side),
    'bomb-tiff.tif': tiffBomb(side, side),
  };
}
