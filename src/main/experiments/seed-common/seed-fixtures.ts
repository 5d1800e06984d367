// Test data for the seed experiments: a folder of generated cells of several sizes (the
// thesis protocol keeps only the exactly square ones; seed 003 segments every size).
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { makeCell, writeBmp, writePng } from '../../testing/fixtures';

/** `sizes[k]` = [width, height] of image k (NNNN.bmp with its gray3 mask NNNN.png). */
export async function makeSizedFolder(dir: string, sizes: [number, number][], seed = 1): Promise<void> {
  mkdirSync(dir, { recursive: true });
  for (let k = 0; k < sizes.length; k++) {
    const [w, h] = sizes[k];
    const { rgb, gray3 } = makeCell(seed * 1000 + k, w, h);
    const stem = String(k + 1).padStart(4, '0');
    writeBmp(join(dir, `${stem}.bmp`), rgb, w, h);
    await writePng(join(dir, `${stem}.png`), gray3, w, h, 1);
  }
}
