// Scores model folders on wbc-dataset1's test split (the project's hash split: the same
// images `hemaseg import` puts in 'test') as it is and through the transfer proxies of
// src/main/ml/data/transfer-proxies.ts, with inference options, in this process:
//
//   npx tsx scripts/eval-transfer.ts --model resources/models/default[,other-dir]
//     [--data ../shared/data/wbc-dataset1] [--split test] [--variants orig,large,purple,large-purple,synth-purple,synth-yellow]
//     [--options base,flip,d4,fill,nuc,min,central,scale,all] [--limit N] [--json FILE]
//
// Prints mean IoU / Dice (cell, cytoplasm, nucleus) and ms per image for every model x
// variant x option set.
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import type { LabelMap, RgbImage, Split } from '../src/shared/domain';
import { decodeImage } from '../src/main/imaging/decode-image';
import { maskFromImage } from '../src/main/imaging/mask-convention';
import { hashBytes } from '../src/main/transfer/import-folder';
import { defaultSplit } from '../src/main/project/split';
import { evaluateImage } from '../src/main/metrics/evaluate-image';
import { initBackend } from '../src/main/ml/backend/initBackend';
import { readModelFolder } from '../src/main/ml/registry/model-folder';
import { loadNetwork } from '../src/main/ml/training/network';
import { Predictor, type PredictOptions } from '../src/main/ml/inference/predictor';
import { generateSmear } from '../src/main/synth/smear/generate-smear';
import { labStats, largerField, reinhardTransfer } from '../src/main/ml/data/transfer-proxies';
import type { DifficultyClass } from '../src/shared/domain';

// Every set says scaleNorm explicitly: absent, models that record their cell diameter would turn it on.
export const OPTION_SETS: Record<string, Omit<PredictOptions, 'threshold'>> = {
  base: { scaleNorm: false },
  flip: { tta: 'flip', scaleNorm: false },
  d4: { tta: 'd4', scaleNorm: false },
  fill: { fillHoles: true, scaleNorm: false },
  nuc: { nucleusInCell: true, scaleNorm: false },
  min: { minCellArea: 0.01, scaleNorm: false },
  central: { centralCell: true, scaleNorm: false },
  scale: { scaleNorm: true },
  post: { fillHoles: true, nucleusInCell: true, minCellArea: 0.01, scaleNorm: false },
  all: { tta: 'flip', fillHoles: true, nucleusInCell: true, minCellArea: 0.01, scaleNorm: true },
  allc: { tta: 'flip', fillHoles: true, nucleusInCell: true, minCellArea: 0.01, scaleNorm: true, centralCell: true },
};

interface Sample {
  name: string;
  image: RgbImage;
  mask: LabelMap;
}

export async function loadWbc(dir: string, split: Split | 'all', limit = Infinity): Promise<Sample[]> {
  const out: Sample[] = [];
  for (const f of readdirSync(dir).filter((x) => x.endsWith('.bmp')).sort()) {
    const bytes = new Uint8Array(readFileSync(join(dir, f)));
    if (split !== 'all' && defaultSplit(hashBytes(bytes)) !== split) continue;
    const image = (await decodeImage(bytes, f)).image;
    const m = (await decodeImage(new Uint8Array(readFileSync(join(dir, f.replace('.bmp', '.png')))), f)).image;
    out.push({ name: f, image, mask: maskFromImage(m, 'gray3') });
    if (out.length >= limit) break;
  }
  return out;
}

function purpleTarget(): ReturnType<typeof labStats> {
  const imgs: RgbImage[] = [];
  for (let i = 0; i < 16; i++) imgs.push(generateSmear({ seed: 900 + i, size: 128, difficulty: ((i % 4) + 1) as DifficultyClass, palette: 'purple' }).image);
  return labStats(imgs);
}

/** Fresh generated smears (seeds far from any training seed) of one palette, for the palette-transfer check. */
export function syntheticSet(palette: 'yellow' | 'purple', count: number, size: number): Sample[] {
  const out: Sample[] = [];
  for (let i = 0; i < count; i++) {
    const s = generateSmear({ seed: 777_000 + i, size, difficulty: ((i % 8) + 1) as DifficultyClass, palette });
    out.push({ name: `synthetic-${palette}-${i}`, image: s.image, mask: s.truth });
  }
  return out;
}

export function variant(samples: Sample[], name: string): Sample[] {
  const target = name.includes('purple') ? purpleTarget() : null;
  return samples.map((s, i) => {
    let { image, mask } = s;
    if (name.includes('large')) ({ image, mask } = largerField(image, mask, 2, 300, i + 1));
    if (target) image = reinhardTransfer(image, target);
    return { name: s.name, image, mask };
  });
}

export interface Score {
  model: string;
  variant: string;
  options: string;
  n: number;
  iou: { cell: number; cytoplasm: number; nucleus: number };
  dice: { cell: number; cytoplasm: number; nucleus: number };
  msPerImage: number;
  meanConfidence: number;
}

export async function score(predictor: Predictor, samples: Sample[], opts: Omit<PredictOptions, 'threshold'>): Promise<Omit<Score, 'model' | 'variant' | 'options'>> {
  const sums = { iou: { cell: 0, cytoplasm: 0, nucleus: 0 }, dice: { cell: 0, cytoplasm: 0, nucleus: 0 } };
  let conf = 0;
  const t0 = performance.now();
  for (let i = 0; i < samples.length; i += 8) {
    const chunk = samples.slice(i, i + 8);
    const preds = await predictor.predict(chunk.map((s) => s.image), { threshold: 0.5, ...opts });
    preds.forEach((p, k) => {
      const m = evaluateImage(chunk[k].mask, p.mask);
      for (const c of ['cell', 'cytoplasm', 'nucleus'] as const) {
        sums.iou[c] += m.iou[c] ?? 0;
        sums.dice[c] += m.dice[c] ?? 0;
      }
      conf += p.confidence.image;
    });
  }
  const ms = (performance.now() - t0) / samples.length;
  const n = samples.length;
  const avg = (o: Record<'cell' | 'cytoplasm' | 'nucleus', number>) => ({ cell: o.cell / n, cytoplasm: o.cytoplasm / n, nucleus: o.nucleus / n });
  return { n, iou: avg(sums.iou), dice: avg(sums.dice), msPerImage: ms, meanConfidence: conf / n };
}

async function main(): Promise<void> {
  const args = new Map<string, string>();
  const argv = process.argv.slice(2);
  for (let i = 0; i < argv.length; i += 2) args.set(argv[i].replace(/^--/, ''), argv[i + 1]);
  const models = (args.get('model') ?? 'resources/models/default').split(',');
  const variants = (args.get('variants') ?? 'orig,large,purple,large-purple').split(',');
  const optionNames = (args.get('options') ?? 'base').split(',');
  for (const o of optionNames) if (!OPTION_SETS[o]) throw new Error(`unknown option set ${o} (${Object.keys(OPTION_SETS).join(', ')})`);
  const data = await loadWbc(args.get('data') ?? '/work/shared/data/wbc-dataset1', (args.get('split') ?? 'test') as Split, Number(args.get('limit') ?? Infinity));
  const { backend, detail } = await initBackend();
  console.log(`backend ${backend} (${detail}); ${data.length} images`);
  const sets = new Map(variants.map((v) => [v, v.startsWith('synth-') ? syntheticSet(v.slice(6) as 'yellow' | 'purple', 48, 128) : variant(data, v)]));
  const rows: Score[] = [];
  for (const dir of models) {
    const f = readModelFolder(dir);
    const predictor = Predictor.forNetwork(await loadNetwork(f.modelJson, f.weights), backend);
    for (const v of variants) {
      for (const o of optionNames) {
        const s = await score(predictor, sets.get(v) as Sample[], OPTION_SETS[o]);
        const row: Score = { model: basename(dir), variant: v, options: o, ...s };
        rows.push(row);
        const f3 = (x: number): string => x.toFixed(3);
        console.log(`${row.model.padEnd(24)} ${v.padEnd(13)} ${o.padEnd(8)} IoU cell ${f3(s.iou.cell)} cyto ${f3(s.iou.cytoplasm)} nuc ${f3(s.iou.nucleus)} | Dice cyto ${f3(s.dice.cytoplasm)} nuc ${f3(s.dice.nucleus)} | ${s.msPerImage.toFixed(0)} ms/img conf ${s.meanConfidence.toFixed(3)}`);
      }
    }
    predictor.dispose();
  }
  if (args.get('json')) writeFileSync(args.get('json') as string, JSON.stringify(rows, null, 2));
}

if (process.argv[1] && /eval-transfer/.test(process.argv[1])) {
  main().catch((err: unknown) => {
    console.error(`eval-transfer: ${err instanceof Error ? err.message : String(err)}`);
    process.exit(1);
  });
}
