// Active-contour baseline on wbc-dataset1 (tuning only; not shipped, not a test):
//   npx tsx src/main/baselines/tune/eval-real.ts [dataset-dir] [--params JSON] [--look N] [--quiet]
// Prints mean IoU / IoU_b / Dice / precision / recall per class, per WBC type
// (class-labels.csv), timing, and writes the N worst images as PNG panels to /tmp/ac-look/
// (image | truth | baseline | binary difference | multi-class difference).
import { mkdirSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import sharp from 'sharp';
import type { LabelMap, RgbImage } from '../../../shared/domain';
import { decodeImage } from '../../imaging/decode-image';
import { maskFromImage } from '../../imaging/mask-convention';
import { activeContour, type ActiveContourParams } from '../active-contour';
import { evaluateImage } from '../../metrics/evaluate-image';
import { differenceImage } from '../../metrics/difference-image';
import { meanSe } from '../../../shared/core/summary';

const COLOURS: [number, number, number][] = [[20, 20, 20], [80, 200, 120], [160, 60, 200], [255, 220, 0]];

function labelRgb(m: LabelMap): Uint8Array {
  const out = new Uint8Array(m.labels.length * 3);
  for (let i = 0; i < m.labels.length; i++) out.set(COLOURS[m.labels[i]] ?? [255, 0, 0], i * 3);
  return out;
}

async function panel(path: string, img: RgbImage, truth: LabelMap, pred: LabelMap): Promise<void> {
  const { width: w, height: h } = img;
  const tiles = [img.data, labelRgb(truth), labelRgb(pred), differenceImage(truth, pred, 'binary').data, differenceImage(truth, pred, 'multiclass').data];
  const W = w * tiles.length + 4 * (tiles.length - 1);
  const buf = new Uint8Array(W * h * 3).fill(255);
  tiles.forEach((t, k) => {
    for (let y = 0; y < h; y++) buf.set(t.subarray(y * w * 3, (y + 1) * w * 3), (y * W + k * (w + 4)) * 3);
  });
  await sharp(buf, { raw: { width: W, height: h, channels: 3 } }).resize(W * 2, h * 2, { kernel: 'nearest' }).png().toFile(path);
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const flag = (name: string): string | undefined => {
    const k = args.indexOf(name);
    return k >= 0 ? args[k + 1] : undefined;
  };
  const dir = args[0] && !args[0].startsWith('--') ? args[0] : '/work/shared/data/wbc-dataset1';
  const params = JSON.parse(flag('--params') ?? '{}') as Partial<ActiveContourParams>;
  const look = Number(flag('--look') ?? 8);
  const types = new Map(readFileSync(join(dir, 'class-labels.csv'), 'utf8').trim().split(/\r?\n/).slice(1).map((l) => l.split(',').map(Number) as [number, number]));
  const values: Record<string, number[]> = {};
  const push = (k: string, v: number | null): void => {
    if (v !== null) (values[k] ??= []).push(v);
  };
  const times: number[] = [];
  const files = readdirSync(dir).filter((f) => f.endsWith('.bmp')).sort();
  const kept: { f: string; img: RgbImage; truth: LabelMap; pred: LabelMap; score: number }[] = [];
  for (const f of files) {
    const img = (await decodeImage(new Uint8Array(readFileSync(join(dir, f))), f)).image;
    const truth = maskFromImage((await decodeImage(new Uint8Array(readFileSync(join(dir, f.replace('.bmp', '.png')))), f)).image, 'gray3');
    const t0 = performance.now();
    const pred = activeContour(img, params);
    times.push(performance.now() - t0);
    const m = evaluateImage(truth, pred);
    const type = types.get(Number(f.slice(0, 3))) ?? 0;
    for (const cls of ['cell', 'cytoplasm', 'nucleus'] as const) {
      for (const metric of ['iou', 'iou_b', 'dice', 'precision', 'recall'] as const) push(`${cls}.${metric}`, m[metric][cls]);
      push(`type${type}.${cls}.iou`, m.iou[cls]);
    }
    push('accuracy', m.accuracy);
    push('seg', m.seg);
    kept.push({ f, img, truth, pred, score: Math.min(m.iou.cell ?? 1, m.iou.nucleus ?? 1) });
  }
  const fmt = (v: number[]): string => {
    const s = meanSe(v);
    return `${s.mean.toFixed(4)} ±${s.se.toFixed(4)}`;
  };
  console.log(`images ${files.length}, params ${JSON.stringify(params)}`);
  console.log(`${'class'.padEnd(10)}${['IoU', 'IoU_b', 'Dice', 'precision', 'recall'].map((s) => s.padStart(17)).join('')}`);
  for (const cls of ['cell', 'cytoplasm', 'nucleus']) {
    console.log(`${cls.padEnd(10)}${['iou', 'iou_b', 'dice', 'precision', 'recall'].map((m) => fmt(values[`${cls}.${m}`]).padStart(17)).join('')}`);
  }
  console.log(`pixel accuracy ${fmt(values.accuracy)}  SEG ${fmt(values.seg)}`);
  for (const type of [...new Set(types.values())].sort()) {
    if (!values[`type${type}.cell.iou`]) continue;
    console.log(`WBC type ${type} (n=${values[`type${type}.cell.iou`].length}): IoU cell ${fmt(values[`type${type}.cell.iou`])}, cytoplasm ${fmt(values[`type${type}.cytoplasm.iou`])}, nucleus ${fmt(values[`type${type}.nucleus.iou`])}`);
  }
  const sorted = [...times].sort((a, b) => a - b);
  console.log(`ms/image mean ${(times.reduce((a, b) => a + b, 0) / times.length).toFixed(1)}, median ${sorted[sorted.length >> 1].toFixed(1)}, max ${sorted[sorted.length - 1].toFixed(1)}`);
  kept.sort((a, b) => a.score - b.score);
  console.log('worst (min of cell and nucleus IoU):', kept.slice(0, 15).map((k) => `${k.f}:${k.score.toFixed(2)}`).join(' '));
  if (look > 0) {
    mkdirSync('/tmp/ac-look', { recursive: true });
    for (const k of kept.slice(0, look)) await panel(`/tmp/ac-look/worst-${k.f.replace('.bmp', '')}.png`, k.img, k.truth, k.pred);
    const mid = kept[kept.length >> 1];
    await panel(`/tmp/ac-look/median-${mid.f.replace('.bmp', '')}.png`, mid.img, mid.truth, mid.pred);
  }
}
void main();
