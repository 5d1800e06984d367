// `hemaseg experiment seed003`: k-fold cross-validation of the 2-class DeconvNet with switch
// unpooling (seeds.md C) on the binary cell task, one run per fold and learning rate. Each
// fold's test images keep their own (variable) size: segmented whole with the aspect kept
// (input mode 'fit', no square crop), scored at their size by cell IoU; the learning rates of a fold are
// compared on exactly that fold's images (runComparison, stored: it opens in Compare).
// The folder's content-hash test split (the shipped default model's test images) is held
// out of every fold, so no fold trains on it.
import { resolve } from 'node:path';
import type { Backend, Split } from '../../../shared/domain';
import type { Augmentation } from '../../../shared/ml';
import type { MeanSe } from '../../../shared/core/metric-types';
import { runComparison } from '../../evaluation/compare/run-comparison';
import { resolveModelSpec } from '../../ml/families/registry';
import { importFolder } from '../../transfer/import-folder';
import { readSeedFolder, SeedInputError } from '../seed-common/seed-folder';
import { applySplits, checkProjectImages, discardTemp, modelFacts, openSeedProject, segmentImages, trainNetwork, type NetworkPlan, type SeedHooks } from '../seed-common/seed-run';
import { checkFolds, lrLabel, partitionFolds, splitTrainSide } from './folds';
import paper from './paper-numbers.json';

export const SEED003_DEFAULT_FOLDS = 5;
export const SEED003_DEFAULT_LRS = [1e-3, 1e-4, 1e-5];
export const SEED003_DEFAULT_MINUTES = 4;
export const IOU_THRESHOLD = paper.iouThreshold;

/**
 * Seed 003's network at CPU widths: three VGG blocks (2, 2, 3 conv layers, 8..32 filters),
 * 2x2 poolings with switches, mirrored by max-unpooling + transposed convolutions, 2 classes.
 * 120 px input: the folder's largest side, so the 120 px images run at their own scale.
 * Trial on wbc-dataset1's clean split, lr 1e-3, 3 min on a busy 2-core machine: 23 epochs,
 * test cell IoU 0.950 ± 0.005, 28 % of the 53 test images above 0.97.
 */
export const SEED003_NETWORK: Omit<NetworkPlan, 'lr'> = {
  model: { family: 'deconvnet', config: { task: 'binary', inputSize: 120, poolings: '2,2,2', decoder: 'unpool', baseFilters: 8, maxFilters: 64, dropout: 0.5 } },
  batch: 8,
};

const AUGMENT: Augmentation = { flips: true, rotate90: true, shift: 0, zoom: 0, shear: 0 };

export interface Seed003Options {
  folder: string;
  projectPath: string | null;
  folds: number;
  lrs: number[];
  /** Training budget per run (folds x learning rates runs). */
  minutes: number;
  seed: number;
  /** Tests: another (tiny) network. */
  network?: Omit<NetworkPlan, 'lr'>;
}

export interface Seed003Cell {
  lr: number;
  model: string;
  iou: MeanSe;
  /** Share of the fold's test images with cell IoU above the threshold. */
  above: number;
  trainingSeconds: number | null;
  epochsRun: number | null;
  stoppedBy: string;
  evaluationId: number | null;
}

export interface Seed003Fold {
  fold: number;
  train: number;
  val: number;
  test: number;
  comparisonId: number | null;
  cells: Seed003Cell[];
}

export interface Seed003LrSummary {
  lr: number;
  /** Mean and standard error of the per-fold mean IoUs. */
  foldIou: MeanSe;
  /** Over every test image of every fold (each image is tested in exactly one fold). */
  imageIou: MeanSe;
  above: number;
  images: number;
}

export interface Seed003Result {
  experiment: 'seed003';
  project: string;
  temporaryProject: boolean;
  folder: string;
  images: { inFolder: number; withoutMasks: number; crossValidated: number; heldOut: number; sizes: number };
  folds: Seed003Fold[];
  byLr: Seed003LrSummary[];
  threshold: number;
  minutes: number;
  arch: string;
  params: number | null;
  backend: Backend | null;
  paper: typeof paper;
  seconds: number;
}

function meanSe(xs: number[]): MeanSe {
  const n = xs.length;
  const mean = xs.reduce((a, b) => a + b, 0) / n;
  const sd = n > 1 ? Math.sqrt(xs.reduce((a, b) => a + (b - mean) ** 2, 0) / (n - 1)) : 0;
  return { mean, se: n > 1 ? sd / Math.sqrt(n) : 0, n };
}

export async function runSeed003(o: Seed003Options, hooks: SeedHooks = {}): Promise<Seed003Result> {
  const t0 = Date.now();
  const stage = (s: string): void => hooks.onStage?.(s);
  if (!(o.minutes > 0)) throw new SeedInputError(`--minutes must be positive, got ${o.minutes}`);
  if (!o.lrs.length) throw new SeedInputError('--lrs: give at least one learning rate');
  const network = o.network ?? SEED003_NETWORK;
  let params: number | null;
  try {
    const { family, config } = resolveModelSpec(network.model);
    if (config.task !== 'binary') throw new Error(`seed 003 is the 2-class (binary cell) task, not ${String(config.task)}`);
    params = family.paramCount(config);
  } catch (err) {
    throw new SeedInputError(`seed003 network: ${(err as Error).message}`);
  }

  stage(`reading ${o.folder}`);
  const { items, withoutMask } = await readSeedFolder(o.folder);
  const pool = items.filter((it) => it.split !== 'test');
  const heldOut = items.length - pool.length;
  try {
    checkFolds(pool.length, o.folds, `${o.folder}: ${items.length} images with masks, ${heldOut} in the held-out test split`);
  } catch (err) {
    throw new SeedInputError((err as Error).message);
  }

  const { project: p, tempDir } = openSeedProject(o.projectPath, 'seed003');
  let succeeded = false;
  const hashSplit = new Map<number, Split>();
  try {
    const ours = new Set(items.map((it) => `${it.hash}|${it.name}`));
    checkProjectImages(p, (img) => ours.has(`${img.hash}|${img.name}`), `images of ${o.folder}`);
    stage(`importing ${items.length} images with masks`);
    await importFolder(p, o.folder, { maskConvention: 'auto', author: 'experiment', signal: hooks.signal });
    const idOf = new Map<string, number>();
    for (const it of items) {
      const id = p.images.find(it.hash, it.name);
      if (id === null) throw new Error(`${it.name} was not imported`);
      idOf.set(it.name, id);
      hashSplit.set(id, it.split);
    }
    const poolIds = pool.map((it) => idOf.get(it.name) as number).sort((a, b) => a - b);
    const folds = partitionFolds(poolIds, o.folds, o.seed);
    const sizes = new Set(pool.map((it) => `${it.width}x${it.height}`)).size;
    stage(`${o.folds}-fold cross-validation over ${poolIds.length} images (${sizes} different sizes); ${heldOut} test-split images held out of every fold`);

    const out: Seed003Fold[] = [];
    let backend: Backend | null = null;
    let arch = '';
    for (let f = 0; f < folds.length; f++) {
      const testIds = [...folds[f]].sort((a, b) => a - b);
      const testSet = new Set(testIds);
      const { train, val } = splitTrainSide(poolIds.filter((id) => !testSet.has(id)), o.seed + f + 1);
      const splitOf = new Map<number, Split>();
      for (const id of train) splitOf.set(id, 'train');
      for (const id of val) splitOf.set(id, 'val');
      for (const id of testIds) splitOf.set(id, 'test');
      for (const [id, s] of hashSplit) if (s === 'test') splitOf.set(id, 'test');
      applySplits(p, splitOf);

      const refs: { lr: number; ref: string; stoppedBy: string }[] = [];
      for (const lr of o.lrs) {
        const name = `seed003-fold${f + 1}-lr${lrLabel(lr)}`;
        stage(`fold ${f + 1}/${folds.length}, lr ${lrLabel(lr)}: training ${name} for ${o.minutes} min on ${train.length} images (${val.length} validate)`);
        const r = await trainNetwork(p, name, { ...network, lr }, { minutes: o.minutes, seed: o.seed, augmentation: AUGMENT }, hooks);
        backend = r.backend ?? backend;
        stage(`segmenting the fold's ${testIds.length} test images with ${r.modelRef}`);
        await segmentImages(p, r.modelRef, testIds, hooks);
        refs.push({ lr, ref: r.modelRef, stoppedBy: r.stoppedBy });
      }
      const { comparison } = runComparison(p, {
        sources: refs.map((x) => x.ref), split: 'test', imageIds: testIds, metric: 'iou.cell',
        label: `experiment seed003 fold ${f + 1}/${folds.length} (lr ${o.lrs.map(lrLabel).join(', ')})`,
      });
      const cells: Seed003Cell[] = refs.map((x, k) => {
        const res = comparison.sources[k].result;
        const ious = res.perImage.map((row) => row.metrics.iou.cell ?? 0);
        const facts = modelFacts(p, x.ref);
        arch = facts.arch;
        return {
          lr: x.lr, model: x.ref, iou: res.means['iou.cell'] ?? meanSe(ious), above: ious.filter((v) => v > IOU_THRESHOLD).length / ious.length,
          trainingSeconds: facts.trainingSeconds, epochsRun: facts.epochsRun, stoppedBy: x.stoppedBy, evaluationId: comparison.sources[k].evaluationId,
        };
      });
      out.push({ fold: f + 1, train: train.length, val: val.length, test: testIds.length, comparisonId: comparison.id, cells });
    }

    // Pooled over folds: every cross-validated image was tested once per learning rate.
    const byLr: Seed003LrSummary[] = o.lrs.map((lr, k) => {
      const perImage: number[] = [];
      for (const fold of out) {
        const ev = fold.cells[k].evaluationId !== null ? p.evaluations.get(fold.cells[k].evaluationId as number) : null;
        for (const row of ev?.result.perImage ?? []) perImage.push(row.metrics.iou.cell ?? 0);
      }
      return {
        lr, foldIou: meanSe(out.map((fold) => fold.cells[k].iou.mean)), imageIou: meanSe(perImage),
        above: perImage.filter((v) => v > IOU_THRESHOLD).length / Math.max(1, perImage.length), images: perImage.length,
      };
    });
    succeeded = true;
    return {
      experiment: 'seed003', project: p.path, temporaryProject: tempDir !== null, folder: resolve(o.folder),
      images: { inFolder: items.length, withoutMasks: withoutMask.length, crossValidated: poolIds.length, heldOut, sizes },
      folds: out, byLr, threshold: IOU_THRESHOLD, minutes: o.minutes, arch, params, backend, paper, seconds: Math.round((Date.now() - t0) / 1000),
    };
  } finally {
    // Back to the content-hash split, so the project's train/val/test mean what they mean elsewhere.
    if (hashSplit.size) {
      try {
        applySplits(p, hashSplit);
      } catch {
        // The project is going away (failed temporary run) or closed under us: nothing to restore.
      }
    }
    p.close();
    if (!succeeded) discardTemp(tempDir);
  }
}
