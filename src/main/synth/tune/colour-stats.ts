// Compares colour statistics of generated smears with wbc-dataset1 (run: npx tsx src/main/synth/tune/colour-stats.ts [dataset-dir]).
// Per class (background incl. red cells, cytoplasm, nucleus): per-channel mean and sd.
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { decodeImage } from '../../imaging/decode-image';
import { maskFromImage } from '../../imaging/mask-convention';
import { generateSmear } from '../smear/generate-smear';
import type { DifficultyClass } from '../../../shared/domain';

type Acc = { n: number; s: number[]; q: number[] };
const acc = (): Acc => ({ n: 0, s: [0, 0, 0], q: [0, 0, 0] });
function add(a: Acc, rgb: Uint8Array, i: number): void {
  a.n++;
  for (let c = 0; c < 3; c++) {
    const v = rgb[i * 3 + c];
    a.s[c] += v;
    a.q[c] += v * v;
  }
}
const fmt = (a: Acc): string => [0, 1, 2].map((c) => {
  const m = a.s[c] / a.n;
  return `${m.toFixed(0).padStart(3)}±${Math.sqrt(a.q[c] / a.n - m * m).toFixed(0).padStart(2)}`;
}).join(' ');

async function main(): Promise<void> {
  const dir = process.argv[2] ?? '/work/shared/data/wbc-dataset1';
  const real = [acc(), acc(), acc()];
  for (const f of readdirSync(dir).filter((f) => f.endsWith('.bmp'))) {
    const img = await decodeImage(new Uint8Array(readFileSync(join(dir, f))), f);
    const m = maskFromImage((await decodeImage(new Uint8Array(readFileSync(join(dir, f.replace('.bmp', '.png')))), f)).image, 'gray3');
    for (let i = 0; i < m.labels.length; i++) add(real[m.labels[i]], img.image.data, i);
  }
  const gen = [acc(), acc(), acc()];
  for (let k = 0; k < 120; k++) {
    const s = generateSmear({ seed: k, size: 120, difficulty: ([1, 1, 1, 2, 3, 4, 5, 8] as DifficultyClass[])[k % 8], palette: 'yellow' });
    for (let i = 0; i < s.truth.labels.length; i++) {
      const l = s.truth.labels[i];
      add(gen[l === 3 ? 1 : l], s.image.data, i);
    }
  }
  console.log('class       real (R G B mean±sd)      generated yellow');
  ['background', 'cytoplasm', 'nucleus'].forEach((name, c) => console.log(`${name.padEnd(11)} ${fmt(real[c])}   ${fmt(gen[c])}`));
}
void main();
