// Loader for the real wbc-dataset1 (tuning only; never used by tests or shipped code).
// BMP via bmp-ts: its default output is 4 bytes per pixel in A,B,G,R order (alpha first,
// then blue, green, red), verified by viewing a decoded image. Masks are gray3 PNGs
// (0 background, 128 cytoplasm, 255 nucleus) read with sharp.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { decode } from 'bmp-ts';
import sharp from 'sharp';
import type { LabelMap, RgbImage } from '../../../shared/domain';

export interface RealSample {
  id: number;
  name: string;
  wbcType: number | null;
  image: RgbImage;
  truth: LabelMap;
}

export function decodeBmp(bytes: Buffer): RgbImage {
  const bmp = decode(bytes);
  const { width, height } = bmp;
  const data = new Uint8Array(width * height * 3);
  for (let i = 0, n = width * height; i < n; i++) {
    data[i * 3] = bmp.data[i * 4 + 3];
    data[i * 3 + 1] = bmp.data[i * 4 + 2];
    data[i * 3 + 2] = bmp.data[i * 4 + 1];
  }
  return { width, height, data };
}

export async function decodeGray3(path: string): Promise<LabelMap> {
  const { data, info } = await sharp(path).removeAlpha().raw().toBuffer({ resolveWithObject: true });
  const n = info.width * info.height;
  const labels = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    const v = data[i * info.channels];
    labels[i] = v < 64 ? 0 : v < 192 ? 1 : 2;
  }
  return { width: info.width, height: info.height, labels };
}

export async function loadRealDataset(dir: string): Promise<RealSample[]> {
  const types = new Map<number, number>();
  const csv = readFileSync(join(dir, 'class-labels.csv'), 'utf8').trim().split(/\r?\n/).slice(1);
  for (const line of csv) {
    const [id, label] = line.split(',').map((s) => Number(s.trim()));
    types.set(id, label);
  }
  const out: RealSample[] = [];
  for (let id = 1; id <= 300; id++) {
    const name = String(id).padStart(3, '0');
    const image = decodeBmp(readFileSync(join(dir, `${name}.bmp`)));
    const truth = await decodeGray3(join(dir, `${name}.png`));
    out.push({ id, name, wbcType: types.get(id) ?? null, image, truth });
  }
  return out;
}
