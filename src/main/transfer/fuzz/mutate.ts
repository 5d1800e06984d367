// A folder of mutated image files for fuzzing the import: valid seeds in every format, then
// truncations, byte flips, header edits, declared-size bombs, empty and garbage files, and
// odd names (very long, unicode). Each file says what the import must do with it.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { bmpWithSize, encodeSeed, jpegWithSize, pngWithSize, rle8Bmp, rng, tiffBomb, type SeedFormat } from './make-files';

/** 'import': must be imported; 'skip': must be reported as skipped; 'either': must be one of the two. */
export type Expectation = 'import' | 'skip' | 'either';

export interface FuzzFile {
  name: string;
  kind: string;
  expect: Expectation;
}

const FORMATS: SeedFormat[] = ['bmp', 'bmp-rle', 'png', 'jpeg', 'tiff'];
const EXT: Record<SeedFormat, string> = { bmp: 'bmp', 'bmp-rle': 'bmp', png: 'png', jpeg: 'jpg', tiff: 'tif' };
const ODD_NAMES = [
  (k: number) => `${k}-${'long'.repeat(60)}`, // 240+ bytes
  (k: number) => `${k}-blütenstaub-细胞-🩸-ضوء`,
  (k: number) => `${k} with spaces and (parens) & ampersand`,
  (k: number) => `-${k}-leading-dash`,
  (k: number) => `=${k}+formula@like`,
  (k: number) => `${k}-e\u0301-combining`,
];

function flipBytes(b: Buffer, rand: () => number, from: number): Buffer {
  const out = Buffer.from(b);
  const flips = 1 + Math.floor(rand() * 8);
  for (let i = 0; i < flips; i++) {
    const at = from + Math.floor(rand() * Math.max(1, out.length - from));
    out[at] ^= 1 << Math.floor(rand() * 8);
  }
  return out;
}

/**
 * Write `count` files into `dir` (deterministic for a seed). Sizes stay small except a few
 * 480x480 seeds; bombs declare 8,000-40,000 px per side.
 */
export async function writeFuzzFolder(dir: string, count: number, seed = 1): Promise<FuzzFile[]> {
  const rand = rng(seed);
  const files: FuzzFile[] = [];
  const seeds = new Map<string, Buffer>();
  const seedOf = async (fmt: SeedFormat, k: number): Promise<Buffer> => {
    // A handful of distinct seeds per format, reused by the mutations.
    const slot = `${fmt}:${k % 6}`;
    let b = seeds.get(slot);
    if (!b) {
      const side = k % 6 === 5 ? 480 : 32 + ((k * 37) % 128);
      b = await encodeSeed(fmt, side, Math.max(8, side - 8), seed * 100 + k);
      seeds.set(slot, b);
    }
    return b;
  };
  for (let k = 0; k < count; k++) {
    const fmt = FORMATS[k % FORMATS.length];
    const stem = `f${String(k).padStart(5, '0')}`;
    const pick = rand();
    let bytes: Buffer;
    let kind: string;
    let expect: Expectation;
    let name = `${stem}-${fmt}`;
    if (pick < 0.15) {
      kind = 'good';
      expect = 'import';
      // Fresh pixels for every good file, so no two good files are the same image.
      bytes = await encodeSeed(fmt, 24 + (k % 40), 24 + (k % 33), seed * 100_000 + k);
      if (k % 3 === 0) name = ODD_NAMES[k % ODD_NAMES.length](k);
    } else if (pick < 0.35) {
      const base = await seedOf(fmt, k);
      const cut = Math.floor(base.length * (0.1 + rand() * 0.85));
      bytes = base.subarray(0, cut);
      kind = 'truncated';
      // An RLE BMP can end early and still describe its rows; the others must be refused.
      expect = fmt === 'bmp-rle' ? 'either' : 'skip';
    } else if (pick < 0.55) {
      const base = await seedOf(fmt, k);
      bytes = flipBytes(base, rand, 16);
      kind = 'byte-flip';
      expect = 'either';
    } else if (pick < 0.7) {
      const base = await seedOf(fmt, k);
      const side = 8000 + Math.floor(rand() * 32000);
      kind = 'bomb';
      expect = 'skip';
      if (fmt === 'bmp') bytes = bmpWithSize(base, side, side);
      else if (fmt === 'bmp-rle') bytes = rle8Bmp(side, side, Uint8Array.from([0, 1]));
      else if (fmt === 'png') bytes = pngWithSize(base, side, side);
      else if (fmt === 'jpeg') bytes = jpegWithSize(base, side, side);
      else bytes = tiffBomb(side, side);
    } else if (pick < 0.85) {
      const base = await seedOf(fmt, k);
      bytes = Buffer.from(base);
      kind = 'header-edit';
      expect = 'either';
      // Random damage in the first 64 bytes, where the headers live.
      const at = 12 + Math.floor(rand() * 52);
      if (at < bytes.length) bytes[at] = Math.floor(rand() * 256);
    } else if (pick < 0.9) {
      bytes = Buffer.alloc(0);
      kind = 'empty';
      expect = 'skip';
    } else if (pick < 0.95) {
      bytes = Buffer.alloc(64 + Math.floor(rand() * 4000));
      for (let i = 0; i < bytes.length; i++) bytes[i] = Math.floor(rand() * 256);
      kind = 'garbage';
      expect = 'skip';
    } else {
      // A good image with a broken mask beside it: the image imports, the mask is reported.
      bytes = await encodeSeed(fmt === 'png' ? 'bmp' : fmt, 40, 40, seed * 200_000 + k);
      kind = 'bad-mask';
      expect = 'import';
      name = `${stem}-${fmt}-withmask`;
      const maskKind = k % 3;
      const mask = maskKind === 0 ? pngWithSize(await encodeSeed('png', 8, 8, 1), 20000, 20000) : maskKind === 1 ? Buffer.from('garbage mask') : await encodeSeed('png', 40, 40, 5);
      writeFileSync(join(dir, `${name}_mask.png`), mask);
    }
    const file = `${name}.${EXT[fmt === 'png' && kind === 'bad-mask' ? 'bmp' : fmt]}`;
    writeFileSync(join(dir, file), bytes);
    files.push({ name: file, kind, expect });
  }
  return files;
}
