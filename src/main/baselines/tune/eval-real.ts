// Active-contour baseline on wbc-dataset1 (tuning only; not shipped, not a test):
//   npx tsx src/main/baselines/tune/eval-real.ts [dataset-dir]
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { decodeImage } from '../../imaging/decode-image';
import { maskFromImage } from '../../imaging/mask-convention';
import { activeContour } from '../active-contour';
import { evaluateImage } from '../../metrics/evaluate-image';

async function main(): Promise<void> {
  const dir = process.argv[2] ?? '/work/shared/data/wbc-dataset1';
  const types = new Map(readFileSync(join(dir, 'class-labels.csv'), 'utf8').trim().split(/\r?\n/).slice(1).map((l) => l.split(',').map(Number) as [number, number]));
  const sums: Record<string, number[]> = {};
  let ms = 0;
  const files = readdirSync(dir).filter((f) => f.endsWith('.bmp')).sort();
  const worst: [number, string][] = [];
  for (const f of files) {
    const img = (await decodeImage(new Uint8Array(readFileSync(join(dir, f))), f)).image;
    const truth = maskFromImage((await decodeImage(new Uint8Array(readFileSync(join(dir, f.replace('.bmp', '.png')))), f)).image, 'gray3');
    const t0 = performance.now();
    const pred = activeContour(img);
    ms += performance.now() - t0;
    const m = evaluateImage(truth, pred);
    const type = types.get(Number(f.slice(0, 3))) ?? 0;
    for (const [k, v] of [['iou.cell', m.iou.cell], ['iou.nucleus', m.iou.nucleus], ['iou.cytoplasm', m.iou.cytoplasm], ['dice.nucleus', m.dice.nucleus], ['dice.cytoplasm', m.dice.cytoplasm], ['iou_b.cell', m.iou_b.cell], ['prec.nucleus', m.precision.nucleus], ['rec.nucleus', m.recall.nucleus], ['prec.cell', m.precision.cell], ['rec.cell', m.recall.cell], ['iou_b.nucleus', m.iou_b.nucleus], [`type${type}.iou.cell`, m.iou.cell], [`type${type}.iou.nucleus`, m.iou.nucleus]] as const) {
      (sums[k] ??= []).push(v ?? 0);
    }
    worst.push([m.iou.cell ?? 0, f]);
  }
  for (const [k, v] of Object.entries(sums)) console.log(k.padEnd(22), (v.reduce((a, b) => a + b, 0) / v.length).toFixed(4), `n=${v.length}`);
  console.log('ms/image', (ms / files.length).toFixed(1));
  console.log('worst', worst.sort((a, b) => a[0] - b[0]).slice(0, 12).map(([v, f]) => `${f}:${v.toFixed(2)}`).join(' '));
}
void main();
