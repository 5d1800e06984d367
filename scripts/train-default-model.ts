// Re-creates the shipped default model (resources/models/default): a multiclass-edge U-Net
// trained through the same worker and training code as `hemaseg train`, on
//   - wbc-dataset1's train and val splits (the project's content-hash split, so its test
//     split is the one `hemaseg import` gives everywhere and is never trained on), unless
//     --no-real (the "new lab" model for the transfer check);
//   - generated smears of the chosen palettes, all eight difficulty classes, at several
//     field sizes;
// with stain/colour augmentation (geometry + 'colour', src/main/ml/data/augment-spec.ts: in
// short measurements it carried over to stain changes better than adding scale augmentation,
// which inference-time scale normalisation does better) and the aspect-keeping 'fit' input; the
// model records its training cell diameter, so scale normalisation is on by default. Afterwards it scores the model on wbc-dataset1's test
// split as it is and through the transfer proxies (scripts/eval-transfer.ts) and writes the
// model folder with a README (data, recipe, time, numbers).
//
//   npx tsx scripts/train-default-model.ts [--out resources/models/default] [--real DIR | --no-real]
//     [--palettes both|yellow|purple] [--per-class 12] [--fields 128,192] [--size 128] [--depth 3]
//     [--base-filters 16] [--minutes 60] [--epochs 100000] [--batch 8] [--lr 0.0005] [--patience 0]
//     [--seed 7] [--class-weights 1,1,1,10] [--augment default,colour] [--input-mode fit] [--stain-norm none]
//     [--eval yes|no] [--from MODEL (fine-tune instead: quick experiments)]
//
// Everything is seeded, so the same arguments give the same training data; the weights
// also depend on the backend's arithmetic and on where the time budget cuts the run.
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Project } from '../src/main/project/project';
import { defaultSplit } from '../src/main/project/split';
import { decodeImage } from '../src/main/imaging/decode-image';
import { encodeRgbPng } from '../src/main/imaging/encode-image';
import { maskFromImage } from '../src/main/imaging/mask-convention';
import { emptyReport, hashBytes, writePrepared, type PreparedImage } from '../src/main/transfer/import-folder';
import { generateSmear } from '../src/main/synth/smear/generate-smear';
import { startTraining } from '../src/main/ml/training/train-service';
import { ModelsRepo } from '../src/main/ml/registry/models-repo';
import { writeModelFolder } from '../src/main/ml/registry/model-folder';
import { DEFAULT_MODEL_NAME } from '../src/main/ml/registry/default-model';
import { parseAugmentationSpec } from '../src/main/ml/data/augment-spec';
import { centralCellDiameter } from '../src/main/ml/data/cell-size';
import { SOURCE, type DifficultyClass, type LabelMap } from '../src/shared/domain';
import { DEFAULT_TRAIN, type Augmentation, type TrainRequest } from '../src/shared/ml';

/** The repository keeps shipped weights small. */
const MAX_BYTES = 20 * 1024 * 1024;

interface Args {
  out: string;
  real: string | null;
  palettes: ('yellow' | 'purple')[];
  perClass: number;
  fields: number[];
  size: number;
  depth: number;
  baseFilters: number;
  epochs: number;
  minutes: number | null;
  batch: number;
  lr: number;
  patience: number | null;
  seed: number;
  classWeights: number[] | null;
  augment: string;
  augmentation: Augmentation;
  inputMode: 'fit' | 'squash';
  stainNorm: 'none' | 'od-scale';
  evaluate: boolean;
  /** Fine-tune this model (e.g. `default`) instead of training from scratch: quick experiments. */
  from: string | null;
}

function parseArgs(argv: string[]): Args {
  const a: Args = {
    out: 'resources/models/default', real: '../shared/data/wbc-dataset1', palettes: ['yellow', 'purple'], perClass: 12, fields: [128, 192],
    size: 128, depth: 3, baseFilters: 16, epochs: 100_000, minutes: 60, batch: 8, lr: 5e-4, patience: null, seed: 7,
    classWeights: [1, 1, 1, 10], augment: 'default,colour', augmentation: parseAugmentationSpec('default,colour'), inputMode: 'fit', stainNorm: 'none', evaluate: true, from: null,
  };
  for (let i = 0; i < argv.length; i++) {
    const key = argv[i].replace(/^--/, '');
    if (key === 'no-real') {
      a.real = null;
      continue;
    }
    const value = argv[++i];
    if (value === undefined) throw new Error(`--${key} needs a value`);
    const num = Number(value);
    const need = (ok: boolean): void => {
      if (!ok) throw new Error(`--${key}: bad value '${value}'`);
    };
    switch (key) {
      case 'out': a.out = value; break;
      case 'real': a.real = value; break;
      case 'palettes': need(['both', 'yellow', 'purple'].includes(value)); a.palettes = value === 'both' ? ['yellow', 'purple'] : [value as 'yellow' | 'purple']; break;
      case 'per-class': need(Number.isInteger(num) && num >= 0); a.perClass = num; break;
      case 'fields': a.fields = value.split(',').map(Number); need(a.fields.every((f) => Number.isInteger(f) && f >= 32)); break;
      case 'size': a.size = num; break;
      case 'depth': a.depth = num; break;
      case 'base-filters': a.baseFilters = num; break;
      case 'epochs': a.epochs = num; break;
      case 'minutes': a.minutes = value === 'none' ? null : num; break;
      case 'batch': a.batch = num; break;
      case 'lr': a.lr = num; break;
      case 'patience': a.patience = num === 0 ? null : num; break;
      case 'seed': a.seed = num; break;
      case 'class-weights': a.classWeights = value === 'none' ? null : value.split(',').map(Number); break;
      case 'augment': a.augment = value; a.augmentation = parseAugmentationSpec(value); break;
      case 'input-mode': need(value === 'fit' || value === 'squash'); a.inputMode = value as 'fit' | 'squash'; break;
      case 'stain-norm': need(value === 'none' || value === 'od-scale'); a.stainNorm = value as 'none' | 'od-scale'; break;
      case 'eval': a.evaluate = value !== 'no'; break;
      case 'from': a.from = value; break;
      default: throw new Error(`unknown option --${key}`);
    }
  }
  return a;
}

const median = (v: number[]): number => {
  const s = [...v].sort((x, y) => x - y);
  return s.length ? s[Math.floor(s.length / 2)] : NaN;
};

/** wbc-dataset1's train and val images (never test), split exactly as `hemaseg import` splits them. */
async function realItems(dir: string): Promise<{ items: PreparedImage[]; testNames: string[] }> {
  if (!existsSync(dir) || !statSync(dir).isDirectory()) throw new Error(`${dir}: no such folder (pass --real DIR or --no-real)`);
  const items: PreparedImage[] = [];
  const testNames: string[] = [];
  for (const f of readdirSync(dir).filter((x) => /\.bmp$/i.test(x)).sort()) {
    const bytes = new Uint8Array(readFileSync(join(dir, f)));
    const hash = hashBytes(bytes);
    const split = defaultSplit(hash);
    if (split === 'test') {
      testNames.push(f);
      continue;
    }
    const maskFile = join(dir, f.replace(/\.bmp$/i, '.png'));
    if (!existsSync(maskFile)) throw new Error(`${maskFile}: missing mask for ${f}`);
    const image = (await decodeImage(bytes, f)).image;
    const mask = maskFromImage((await decodeImage(new Uint8Array(readFileSync(maskFile)), maskFile)).image, 'gray3');
    items.push({ file: f, name: `wbc-${f}`, bytes, hash, format: 'bmp', image, mask, maskSource: SOURCE.imported, split });
  }
  return { items, testNames };
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  const started = new Date();
  const work = mkdtempSync(join(tmpdir(), 'hemaseg-default-model-'));
  const project = Project.open(join(work, 'training.hemaseg'), { create: true });
  try {
    // 1. Data: real train+val, generated smears (every 7th validates).
    const items: PreparedImage[] = [];
    let realTrain = 0, realVal = 0, testNames: string[] = [];
    if (args.real) {
      const r = await realItems(args.real);
      items.push(...r.items);
      testNames = r.testNames;
      realTrain = r.items.filter((i) => i.split === 'train').length;
      realVal = r.items.length - realTrain;
    }
    let k = 0;
    const synth: Record<string, number> = {};
    for (const field of args.fields) {
      for (const palette of args.palettes) {
        for (let cls = 1; cls <= 8; cls++) {
          for (let i = 0; i < args.perClass; i++, k++) {
            const seed = args.seed * 1_000_000 + field * 10_000 + cls * 1000 + i * 2 + (palette === 'purple' ? 1 : 0);
            const s = generateSmear({ seed, size: field, difficulty: cls as DifficultyClass, palette });
            const bytes = await encodeRgbPng(s.image);
            const name = `synthetic-${palette}-${field}-c${cls}-${String(i + 1).padStart(3, '0')}.png`;
            items.push({
              file: name, name, bytes, hash: hashBytes(bytes), format: 'png', image: s.image, mask: s.truth,
              maskSource: SOURCE.synthetic, difficulty: cls as DifficultyClass, split: k % 7 === 3 ? 'val' : 'train',
            });
            synth[palette] = (synth[palette] ?? 0) + 1;
          }
        }
      }
    }
    if (!items.length) throw new Error('no training data (use --real or --per-class > 0)');
    // The cell scale of the training data: scale normalisation at inference aims for it.
    const ref = items.filter((i) => (args.real ? i.name.startsWith('wbc-') : i.name.includes(args.palettes.includes('yellow') ? '-yellow-' : '-purple-')) && i.split === 'train');
    const cellDiameter = Math.round(median(ref.map((i) => centralCellDiameter(i.mask as LabelMap)).filter((d) => d > 0)) * 1000) / 1000;
    await writePrepared(project, items, 'train-default-model', emptyReport());
    const trainCount = items.filter((i) => i.split === 'train').length;
    console.log(`data: ${realTrain} + ${realVal} wbc-dataset1 train + val images${args.real ? ` (${testNames.length} test images left out)` : ' (--no-real)'}, ${Object.entries(synth).map(([p, n]) => `${n} ${p}`).join(' + ')} generated smears at ${args.fields.join('/')} px; ${trainCount} train / ${items.length - trainCount} val; cell diameter ${cellDiameter} of the field`);

    // 2. Train in the ML worker, exactly like `hemaseg train`.
    const request: TrainRequest = {
      ...DEFAULT_TRAIN,
      name: 'default-candidate',
      model: {
        family: 'unet',
        config: {
          task: 'multiclass-edge', inputSize: args.size, depth: args.depth, baseFilters: args.baseFilters, dropout: 0.5,
          inputMode: args.inputMode, ...(Number.isFinite(cellDiameter) ? { cellDiameter } : {}), stainNorm: args.stainNorm,
        },
      },
      epochs: args.epochs,
      minutes: args.minutes,
      batch: args.batch,
      lr: args.lr,
      patience: args.patience,
      seed: args.seed,
      classWeights: args.classWeights,
      augmentation: args.augmentation,
      from: args.from,
    };
    let lastIps = 0;
    const out = await startTraining(project, request, {
      onReady: (b, d) => console.log(`backend: ${b} (${d})`),
      onPoint: (p) => {
        if (p.kind !== 'epoch') return;
        lastIps = p.imagesPerSecond;
        const dice = Object.entries(p.valDice ?? {}).map(([c, v]) => `${c} ${v.toFixed(3)}`).join(' ');
        console.log(`epoch ${p.epoch}: loss ${p.loss.toFixed(4)} val loss ${p.valLoss?.toFixed(4) ?? '-'} val dice ${dice} (${p.imagesPerSecond.toFixed(1)} img/s)`);
      },
    });
    console.log(`trained ${out.modelRef}: ${out.epochsRun} epochs, stopped by ${out.stoppedBy}, metrics ${JSON.stringify(out.metrics)}`);

    // 3. The model folder.
    const stored = new ModelsRepo(project.db).load(out.modelId);
    if (!stored) throw new Error('the trained model is missing from the training project');
    const dir = resolve(args.out);
    writeModelFolder(dir, stored, { name: DEFAULT_MODEL_NAME, version: 2 });
    const bytes = readdirSync(dir).reduce((s, f) => s + statSync(join(dir, f)).size, 0);
    if (bytes > MAX_BYTES) throw new Error(`the model folder is ${(bytes / 1024 / 1024).toFixed(2)} MB, over the ${MAX_BYTES / 1024 / 1024} MB limit; use fewer base filters`);

    // 4. Numbers on data it never saw, then the README.
    let table = '(not evaluated: --eval no)';
    if (args.evaluate) table = await evaluate(dir, args.real ?? '../shared/data/wbc-dataset1');
    const minutes = (Date.now() - started.getTime()) / 60000;
    writeFileSync(join(dir, 'README.md'), readme(args, { realTrain, realVal, testNames, synth, trainCount, valCount: items.length - trainCount, cellDiameter, out, lastIps, minutes, bytes, table }));
    console.log(`wrote ${dir} (${(bytes / 1024 / 1024).toFixed(2)} MB) in ${minutes.toFixed(1)} min`);
  } finally {
    project.close();
    rmSync(work, { recursive: true, force: true });
  }
}

/** Scores on wbc-dataset1's test split and the proxies, with and without the recommended options. */
async function evaluate(dir: string, realDir: string): Promise<string> {
  const { loadWbc, variant, syntheticSet, score, OPTION_SETS } = await import('./eval-transfer');
  const { initBackend } = await import('../src/main/ml/backend/initBackend');
  const { readModelFolder } = await import('../src/main/ml/registry/model-folder');
  const { loadNetwork } = await import('../src/main/ml/training/network');
  const { Predictor } = await import('../src/main/ml/inference/predictor');
  const { backend } = await initBackend();
  const f = readModelFolder(dir);
  const predictor = Predictor.forNetwork(await loadNetwork(f.modelJson, f.weights), backend);
  const test = existsSync(realDir) ? await loadWbc(realDir, 'test') : [];
  const sets: [string, Awaited<ReturnType<typeof loadWbc>>][] = [];
  if (test.length) for (const v of ['orig', 'large', 'purple', 'large-purple']) sets.push([`wbc-dataset1 test, ${v}`, variant(test, v)]);
  sets.push(['48 fresh generated smears, purple', syntheticSet('purple', 48, 128)]);
  const lines = ['| data | options | IoU cell | IoU cytoplasm | IoU nucleus | Dice cytoplasm | Dice nucleus | ms/image |', '|---|---|---|---|---|---|---|---|'];
  for (const [name, samples] of sets) {
    for (const o of ['base', 'all']) {
      const s = await score(predictor, samples, OPTION_SETS[o]);
      const f3 = (x: number): string => x.toFixed(3);
      lines.push(`| ${name} (${s.n}) | ${o} | ${f3(s.iou.cell)} | ${f3(s.iou.cytoplasm)} | ${f3(s.iou.nucleus)} | ${f3(s.dice.cytoplasm)} | ${f3(s.dice.nucleus)} | ${s.msPerImage.toFixed(0)} |`);
      console.log(lines[lines.length - 1]);
    }
  }
  predictor.dispose();
  return lines.join('\n');
}

interface Facts {
  realTrain: number;
  realVal: number;
  testNames: string[];
  synth: Record<string, number>;
  trainCount: number;
  valCount: number;
  cellDiameter: number;
  out: { modelRef: string; epochsRun: number; stoppedBy: string; metrics: Record<string, number> };
  lastIps: number;
  minutes: number;
  bytes: number;
  table: string;
}

function readme(a: Args, f: Facts): string {
  const cmd = `npx tsx scripts/train-default-model.ts ${process.argv.slice(2).join(' ')}`.trim();
  const m = f.out.metrics;
  return `# The default model (\`--model default\`)

A \`multiclass-edge\` U-Net (background, cytoplasm, nucleus, edge) made by
\`scripts/train-default-model.ts\` through HemaSeg's own training path. It is an exported model
folder like any other (\`model.json\` + \`weights.bin\` + \`metadata.json\`, ${(f.bytes / 1024 / 1024).toFixed(1)} MB).

## Data

- ${a.real ? `wbc-dataset1: its **train and val splits** (${f.realTrain} + ${f.realVal} images), split by content hash exactly as \`hemaseg import\` splits it; its ${f.testNames.length} test images were never read for training.` : 'No real image (`--no-real`): the "new lab" model of the transfer check.'}
- Generated smears (\`src/main/synth\`): ${Object.entries(f.synth).map(([p, n]) => `${n} ${p}`).join(', ')}, all eight difficulty classes, fields of ${a.fields.join(' and ')} px; every 7th validates.
- ${f.trainCount} training / ${f.valCount} validation images.

## Recipe

\`\`\`
${cmd}
\`\`\`

- Network: input ${a.size} (\`${a.inputMode}\`: aspect ratio kept, padded), depth ${a.depth}, base filters ${a.baseFilters}, dropout 0.5; stain normalisation \`${a.stainNorm}\`; training cell diameter ${f.cellDiameter} of the field (the target of \`--scale-norm\`).
- Augmentation \`${a.augment}\`: ${JSON.stringify(a.augmentation)}.
- Adam lr ${a.lr}, batch ${a.batch}, class weights ${a.classWeights?.join(',') ?? 'none'}, ${a.minutes ? `${a.minutes}-minute budget` : `${a.epochs} epochs`}, best epoch by validation loss.

## This version

${f.out.epochsRun} epochs, stopped by ${f.out.stoppedBy}, best epoch ${m.bestEpoch ?? '-'}, validation loss ${m.valLoss?.toFixed(4) ?? '-'}, validation Dice (input size, edge as its own class) ${Object.entries(m).filter(([k]) => k.startsWith('dice.')).map(([k, v]) => `${k.slice(5)} ${v.toFixed(3)}`).join(', ')}; about ${f.lastIps.toFixed(1)} images/s; ${f.minutes.toFixed(0)} minutes in all (data, training, evaluation).

## Numbers on images it never trained on

\`base\` = no options; \`all\` = \`--tta flip --scale-norm --fill-holes --nucleus-in-cell --min-cell-area 0.01\`.
\`large\` = each test crop pasted on its own background in a field twice as wide, enlarged to 300 px
(cells about half as large relative to the field, as on a 300 px CellaVision-style image);
\`purple\` = colour statistics moved to the purple generated palette (Reinhard transfer). Both
are proxies for another lab, scored with \`scripts/eval-transfer.ts\`.

${f.table}

## How HemaSeg uses it

- In a project (\`hemaseg segment P --model default\`, the UI's model picker): imported into the
  project's registry on first use, so its predictions carry a model id and a lineage like any
  trained model; \`hemaseg train P --name mine --from default\` fine-tunes it.
- On a plain folder (\`hemaseg segment FOLDER --model default --out DIR\`): loaded from here.
- Found at \`HEMASEG_DEFAULT_MODEL_DIR\`, else Electron's \`resources/models/default\` when
  packaged, else \`resources/models/default\` above the running code.
`;
}

main().catch((err: unknown) => {
  console.error(`train-default-model: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
});
