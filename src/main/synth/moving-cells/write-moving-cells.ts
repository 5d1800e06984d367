// `hemaseg synth moving-cells OUT`: sequences of touching, moving cells as folders that
// `hemaseg import P OUT/seq-001/frames --as-sequence seq-001 --masks OUT/seq-001/masks
// --mask-convention index` reads back (frames and masks pair by the number in their names).
//   OUT/seq-NNN/frames/frame_TTTT.png     8-bit grey frame
//   OUT/seq-NNN/masks/frame_TTTT.png      labels as index values: 0 background, 1 cell (cytoplasm), 3 edge
//   OUT/seq-NNN/instances/frame_TTTT.png  instance ids (8-bit; a cell keeps its id in every frame)
//   OUT/moving-cells.json                 the parameters and per-sequence seeds
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import sharp from 'sharp';
import { generateMovingCells, type MovingCellsSequence } from './generate-moving-cells';

export interface MovingCellsSetOptions {
  sequences: number;
  frames: number;
  size: number;
  seed: number;
}

/** Sequence k (0-based) of a set: its own seed. */
export function movingCellsSet(o: MovingCellsSetOptions): { name: string; seed: number; sequence: () => MovingCellsSequence }[] {
  return Array.from({ length: o.sequences }, (_, k) => {
    const seed = o.seed * 100_003 + k;
    return { name: `seq-${String(k + 1).padStart(3, '0')}`, seed, sequence: () => generateMovingCells({ size: o.size, frames: o.frames, seed }) };
  });
}

const png = (data: Uint8Array, w: number, h: number): Promise<Buffer> => sharp(data, { raw: { width: w, height: h, channels: 1 } }).png().toBuffer();

export async function writeMovingCellsFolder(outDir: string, o: MovingCellsSetOptions, onProgress?: (done: number) => void): Promise<{ sequences: string[]; frames: number }> {
  const names: string[] = [];
  let done = 0;
  for (const s of movingCellsSet(o)) {
    const seq = s.sequence();
    if (seq.cells > 255) throw new Error(`${s.name}: ${seq.cells} cells do not fit 8-bit instance images`);
    const dir = join(outDir, s.name);
    for (const sub of ['frames', 'masks', 'instances']) mkdirSync(join(dir, sub), { recursive: true });
    for (let f = 0; f < seq.frames.length; f++) {
      const file = `frame_${String(f).padStart(4, '0')}.png`;
      const grey = Uint8Array.from(seq.frames[f], (v) => Math.round(v * 255));
      writeFileSync(join(dir, 'frames', file), await png(grey, seq.width, seq.height));
      writeFileSync(join(dir, 'masks', file), await png(seq.labels[f], seq.width, seq.height));
      writeFileSync(join(dir, 'instances', file), await png(Uint8Array.from(seq.instances[f]), seq.width, seq.height));
      done++;
      onProgress?.(done);
    }
    names.push(s.name);
  }
  writeFileSync(join(outDir, 'moving-cells.json'), JSON.stringify({ generator: 'moving-cells', ...o, sequences: movingCellsSet(o).map((s) => ({ name: s.name, seed: s.seed })) }, null, 2));
  return { sequences: names, frames: done };
}
