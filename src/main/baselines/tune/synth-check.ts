// Active-contour baseline on the project's synthetic smears (all eight difficulty classes,
// both palettes): npx tsx src/main/baselines/tune/synth-check.ts [perClass] [size]
// Prints cell / cytoplasm / nucleus IoU, IoU_b and SEG per difficulty class.
import type { DifficultyClass } from '../../../shared/domain';
import { generateSmear } from '../../synth/smear/generate-smear';
import { activeContour, type ActiveContourParams } from '../active-contour';
import { evaluateImage } from '../../metrics/evaluate-image';
import { meanSe } from '../../../shared/core/summary';

function main(): void {
  const perClass = Number(process.argv[2] ?? 10);
  const size = Number(process.argv[3] ?? 128);
  for (let d = 1; d <= 8; d++) {
    const v: Record<string, number[]> = {};
    let ms = 0;
    for (let k = 0; k < perClass; k++) {
      const smear = generateSmear({ seed: 1000 * d + k, size, difficulty: d as DifficultyClass, palette: k % 2 ? 'purple' : 'yellow' });
      const t0 = performance.now();
      const pred = activeContour(smear.image, JSON.parse(process.argv[4] ?? "{}") as Partial<ActiveContourParams>);
      ms += performance.now() - t0;
      const m = evaluateImage(smear.truth, pred);
      for (const [key, val] of [['cell', m.iou.cell], ['cell_b', m.iou_b.cell], ['cyto', m.iou.cytoplasm], ['nuc', m.iou.nucleus], ['seg', m.seg]] as const) if (val !== null) (v[key] ??= []).push(val);
    }
    console.log(`class ${d}: ${Object.entries(v).map(([k, a]) => `${k} ${meanSe(a).mean.toFixed(3)}`).join('  ')}  ${(ms / perClass).toFixed(0)} ms`);
  }
}
main();
