// Re-creates the shipped default model (resources/models/default): a multiclass-edge U-Net
// trained by HemaSeg itself on its own synthetic smears (both stain palettes, all eight
// difficulty classes), through the same worker and training code as `hemaseg train`.
//
//   npx tsx scripts/train-default-model.ts [--out resources/models/default] [--per-class 20]
//     [--size 128] [--depth 3] [--base-filters 16] [--epochs 60] [--minutes 20] [--batch 8]
//     [--lr 0.0005] [--patience 8] [--seed 7] [--class-weights 1,1,1,10]
//
// The edge class is a 1-px contour (under 1% of the pixels), so its loss weight is 10 by
// default: unweighted (or at 3), the network learns never to predict it and touching cells
// stay merged.
// Everything is seeded, so the same arguments give the same training data; the weights
// also depend on the backend's arithmetic (see the README in the output folder).
import { mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Project } from '../src/main/project/project';
import { encodeRgbPng } from '../src/main/imaging/encode-image';
import { emptyReport, hashBytes, writePrepared, type PreparedImage } from '../src/main/transfer/import-folder';
import { generateSmear } from '../src/main/synth/smear/generate-smear';
import { startTraining } from '../src/main/ml/training/train-service';
import { ModelsRepo } from '../src/main/ml/registry/models-repo';
import { writeModelFolder } from '../src/main/ml/registry/model-folder';
import { DEFAULT_MODEL_NAME } from '../src/main/ml/registry/default-model';
import { SOURCE, type DifficultyClass } from '../src/shared/domain';
import { DEFAULT_TRAIN, type TrainRequest } from '../src/shared/ml';

const MAX_BYTES = 5 * 1024 * 1024;

interface Args {
  out: string;
  perClass: number;
  size: number;
  depth: number;
  baseFilters: number;
  epochs: number;
  minutes: number | null;
  batch: number;
  lr: number;
  patience: number;
  seed: number;
  classWeights: number[] | null;
}

function parseArgs(argv: string[]): Args {
  const a: Args = { out: 'resources/models/default', perClass: 20, size: 128, depth: 3, baseFilters: 16, epochs: 60, minutes: 20, batch: 8, lr: 5e-4, patience: 8, seed: 7, classWeights: [1, 1, 1, 10] };
  for (let i = 0; i < argv.length; i += 2) {
    const key = argv[i].replace(/^--/, '');
    const value = argv[i + 1];
    if (value === undefined) throw new Error(`--${key} needs a value`);
    const num = Number(value);
    switch (key) {
      case 'out': a.out = value; break;
      case 'per-class': a.perClass = num; break;
      case 'size': a.size = num; break;
      case 'depth': a.depth = num; break;
      case 'base-filters': a.baseFilters = num; break;
      case 'epochs': a.epochs = num; break;
      case 'minutes': a.minutes = value === 'none' ? null : num; break;
      case 'batch': a.batch = num; break;
      case 'lr': a.lr = num; break;
      case 'patience': a.patience = num; break;
      case 'seed': a.seed = num; break;
      case 'class-weights': a.classWeights = value === 'none' ? null : value.split(',').map(Number); break;
      default: throw new Error(`unknown option --${key}`);
    }
  }
  return a;
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  const work = mkdtempSync(join(tmpdir(), 'hemaseg-default-model-'));
  const project = Project.open(join(work, 'synthetic.hemaseg'), { create: true });
  try {
    // 1. Synthetic smears: every difficulty class in both palettes; every 7th image validates.
    const items: PreparedImage[] = [];
    let k = 0;
    for (const palette of ['yellow', 'purple'] as const) {
      for (let cls = 1; cls <= 8; cls++) {
        for (let i = 0; i < args.perClass; i++, k++) {
          const seed = args.seed * 1_000_000 + cls * 1000 + i * 2 + (palette === 'purple' ? 1 : 0);
          const s = generateSmear({ seed, size: args.size, difficulty: cls as DifficultyClass, palette });
          const bytes = await encodeRgbPng(s.image);
          const name = `synthetic-${palette}-c${cls}-${String(i + 1).padStart(3, '0')}.png`;
          items.push({
            file: name, name, bytes, hash: hashBytes(bytes), format: 'png', image: s.image, mask: s.truth,
            maskSource: SOURCE.synthetic, difficulty: cls as DifficultyClass, split: k % 7 === 3 ? 'val' : 'train',
          });
        }
      }
    }
    await writePrepared(project, items, 'train-default-model', emptyReport());
    console.log(`generated ${items.length} synthetic smears (${args.size}px) in ${work}`);

    // 2. Train in the ML worker, exactly like `hemaseg train`.
    const request: TrainRequest = {
      ...DEFAULT_TRAIN,
      name: 'synthetic-default',
      unet: { task: 'multiclass-edge', inputSize: args.size, depth: args.depth, baseFilters: args.baseFilters, dropout: 0.5 },
      epochs: args.epochs,
      minutes: args.minutes,
      batch: args.batch,
      lr: args.lr,
      patience: args.patience,
      seed: args.seed,
      classWeights: args.classWeights,
    };
    const out = await startTraining(project, request, {
      onReady: (b, d) => console.log(`backend: ${b} (${d})`),
      onPoint: (p) => {
        if (p.kind !== 'epoch') return;
        const dice = Object.entries(p.valDice ?? {}).map(([c, v]) => `${c} ${v.toFixed(3)}`).join(' ');
        console.log(`epoch ${p.epoch}: loss ${p.loss.toFixed(4)} val loss ${p.valLoss?.toFixed(4) ?? '-'} val dice ${dice} (${p.imagesPerSecond.toFixed(1)} img/s)`);
      },
    });
    console.log(`trained ${out.modelRef}: ${out.epochsRun} epochs, stopped by ${out.stoppedBy}, metrics ${JSON.stringify(out.metrics)}`);

    // 3. Ship it as an exported model folder.
    const stored = new ModelsRepo(project.db).load(out.modelId);
    if (!stored) throw new Error('the trained model is missing from the training project');
    const dir = resolve(args.out);
    writeModelFolder(dir, stored, { name: DEFAULT_MODEL_NAME, version: 1 });
    const bytes = readdirSync(dir).reduce((s, f) => s + statSync(join(dir, f)).size, 0);
    console.log(`wrote ${dir} (${(bytes / 1024 / 1024).toFixed(2)} MB)`);
    if (bytes > MAX_BYTES) throw new Error(`the default model folder is ${(bytes / 1024 / 1024).toFixed(2)} MB, over the 5 MB limit; use fewer base filters`);
  } finally {
    project.close();
    rmSync(work, { recursive: true, force: true });
  }
}

main().catch((err: unknown) => {
  console.error(`train-default-model: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
});
