// Test data the tests make themselves: small smear-like images with gray3 masks.
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { encode as encodeBmp } from 'bmp-ts';

export function tempDir(prefix = 'hemaseg-test-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

/** A disc cell (cytoplasm) with a smaller nucleus at a seed-dependent place, on a noisy background. */
export function makeCell(seed: number, w = 48, h = 48): { rgb: Uint8Array; gray3: Uint8Array } {
  let s = seed * 2654435761 >>> 0;
  const rand = (): number => ((s = (s * 1664525 + 1013904223) >>> 0) / 0x1_0000_0000);
  const cx = w / 2 + (rand() - 0.5) * 8, cy = h / 2 + (rand() - 0.5) * 8;
  const r = Math.min(w, h) * (0.25 + rand() * 0.1), rn = r * 0.5;
  const rgb = new Uint8Array(w * h * 3);
  const gray3 = new Uint8Array(w * h);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const i = y * w + x;
      const d = Math.hypot(x - cx, y - cy);
      const noise = Math.floor(rand() * 12);
      let c: [number, number, number] = [235, 225, 170];
      if (d < rn) {
        gray3[i] = 255;
        c = [90, 50, 140];
      } else if (d < r) {
        gray3[i] = 128;
        c = [200, 170, 215];
      }
      rgb[i * 3] = c[0] - noise;
      rgb[i * 3 + 1] = c[1] - noise;
      rgb[i * 3 + 2] = c[2] - noise;
    }
  }
  return { rgb, gray3 };
}

export async function writePng(file: string, data: Uint8Array, w: number, h: number, channels: 1 | 3): Promise<void> {
  writeFileSync(file, await sharp(data, { raw: { width: w, height: h, channels } }).png().toBuffer());
}

export function writeBmp(file: string, rgb: Uint8Array, w: number, h: number): void {
  // bmp-ts encodes from ABGR quads.
  const abgr = Buffer.alloc(w * h * 4);
  for (let i = 0; i < w * h; i++) {
    abgr[i * 4] = 0;
    abgr[i * 4 + 1] = rgb[i * 3 + 2];
    abgr[i * 4 + 2] = rgb[i * 3 + 1];
    abgr[i * 4 + 3] = rgb[i * 3];
  }
  writeFileSync(file, encodeBmp({ data: abgr, width: w, height: h, bitPP: 24 }).data);
}

/** A folder of `count` images (BMP, PNG, JPEG, TIFF in turn) with gray3 PNG masks beside them. */
export async function makeImageFolder(dir: string, count: number, opts: { size?: number; formats?: ('bmp' | 'png' | 'jpeg' | 'tiff')[]; seed?: number } = {}): Promise<void> {
  mkdirSync(dir, { recursive: true });
  const size = opts.size ?? 48;
  const formats = opts.formats ?? ['bmp', 'png', 'jpeg', 'tiff'];
  for (let k = 0; k < count; k++) {
    const { rgb, gray3 } = makeCell((opts.seed ?? 1) * 1000 + k, size, size);
    const stem = String(k + 1).padStart(4, '0');
    const fmt = formats[k % formats.length];
    const img = sharp(rgb, { raw: { width: size, height: size, channels: 3 } });
    if (fmt === 'bmp') writeBmp(join(dir, `${stem}.bmp`), rgb, size, size);
    else if (fmt === 'png') writeFileSync(join(dir, `${stem}_img.png`), await img.png().toBuffer());
    else if (fmt === 'jpeg') writeFileSync(join(dir, `${stem}.jpg`), await img.jpeg({ quality: 95 }).toBuffer());
    else writeFileSync(join(dir, `${stem}.tif`), await img.tiff().toBuffer());
    const maskStem = fmt === 'png' ? `${stem}_img_mask` : stem;
    await writePng(join(dir, `${maskStem}.png`), gray3, size, size, 1);
  }
}
