// The correction loop as one experiment: import a folder of images with expert masks, score
// the starting model on the test split, let a simulated technician "correct" N train-split
// images (their expert masks become hand-corrected ground truth), fine-tune (or train from
// scratch) on those corrections, segment the test split again from the images alone, and
// score it. Both evaluations are stored in the project, so Compare can open them.
import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { Backend } from '../../shared/domain';
import { SOURCE } from '../../shared/domain';
import { DEFAULT_FINETUNE, DEFAULT_TRAIN, type ModelSpec, type TrainPlan, type TrainPoint } from '../../shared/ml';
import { promotionOf, type Promotion } from '../../shared/promotion';
import { runEvaluation, type EvaluationRun } from '../evaluation/run-evaluation';
import type { MeanSe } from '../../shared/core/metric-types';
import { defaultModelDir, resolveModelRef } from '../ml/registry/default-model';
import { importModelFolder, readModelFolder } from '../ml/registry/model-folder';
import { runSegmentation } from '../ml/inference/segment-service';
import { startTraining } from '../ml/training/train-service';
import { planTrainingImages } from '../ml/training/training-images';
import type { WorkerLauncher } from '../ml/worker/launcher';
import { Project } from '../project/project';
import { importFolder } from '../transfer/import-folder';
import { decodeImage } from '../imaging/decode-image';
import { checkLoopFolder, LoopInputError } from './loop-input';
import { committeeAgreement, imageDescriptor, pickMixed, pickRandom, pickUncertainDiverse, type Candidate } from './pick-corrections';

export type PickStrategy = 'random' | 'uncertain' | 'mixed';

export interface LoopOptions {
  folder: string;
  corrections: number;
  pick: PickStrategy;
  /** Training budget; the loop's default is DEFAULT_FINETUNE.minutes. */
  minutes: number;
  /** 'default' (the project's default, else the shipped model), 'scratch', a model folder, or a model in --project. */
  from: string;
  seed: number;
  /** Run in this project (created when missing); null: a new project in the temp folder. */
  projectPath: string | null;
  /** Overrides for tests and tuning. */
  lr?: number;
  batch?: number;
  epochs?: number;
  /** The network when training from scratch (default: the default family at its defaults). */
  model?: ModelSpec;
  author?: string;
}

export interface LoopHooks {
  signal?: AbortSignal;
  launcher?: WorkerLauncher;
  onStage?(text: string): void;
  onBackend?(backend: Backend, detail: string): void;
  onPoint?(point: TrainPoint): void;
  onSegmentProgress?(done: number, total: number): void;
}

export const LOOP_METRICS = ['iou', 'dice', 'iou_b'] as const;
export const LOOP_CLASSES = ['cell', 'cytoplasm', 'nucleus'] as const;

export interface LoopRow {
  metric: (typeof LOOP_METRICS)[number];
  cls: (typeof LOOP_CLASSES)[number];
  before: MeanSe | null;
  after: MeanSe;
}

export interface LoopResult {
  project: string;
  temporaryProject: boolean;
  folder: string;
  images: { withMasks: number; withoutMasks: number; train: number; val: number; test: number };
  from: string | null;
  pick: PickStrategy;
  /** How "least confident" was decided: the stored prediction confidence, or agreement with the active contour. */
  pickedBy: 'random' | 'confidence' | 'committee';
  corrected: { imageId: number; name: string; confidence: number | null }[];
  plan: TrainPlan;
  model: string;
  runId: number;
  minutes: number;
  stoppedBy: string;
  epochsRun: number;
  backend: Backend | null;
  evaluations: { before: number | null; after: number };
  evaluationImages: number;
  table: LoopRow[];
  promotion: Promotion | null;
  seconds: number;
}

/** The loop. Bad input throws LoopInputError before any project is touched. */
export async function runLoopExperiment(o: LoopOptions, hooks: LoopHooks = {}): Promise<LoopResult> {
  const t0 = Date.now();
  const stage = (s: string): void => hooks.onStage?.(s);
  if (!Number.isInteger(o.corrections) || o.corrections < 1) throw new LoopInputError(`--corrections must be a whole number of at least 1, got ${o.corrections}`);
  if (o.pick !== 'random' && o.from === 'scratch') throw new LoopInputError(`--pick ${o.pick} needs a model to be uncertain: use --from default or a model, or --pick random`);
  if (o.from !== 'default' && o.from !== 'scratch' && /[\\/]/.test(o.from)) {
    if (!existsSync(o.from) || !statSync(o.from).isDirectory()) throw new LoopInputError(`${o.from}: no such model folder`);
    readModelFolder(o.from); // a broken folder fails here, before the import
  }
  if (o.from === 'default') defaultModelDir();

  const existingProject = o.projectPath !== null && existsSync(o.projectPath);
  let project: Project | null = existingProject ? Project.open(o.projectPath as string) : null;
  let tempDir: string | null = null;
  let succeeded = false;
  try {
    if (project) {
      const corrected = project.images.list().filter((i) => i.corrected).length;
      if (corrected > 0) {
        throw new LoopInputError(`${project.path}: already holds ${corrected} hand-corrected images, which would train with the simulated corrections; use a project without corrections (or leave out --project)`);
      }
    }
    stage(`checking ${o.folder}`);
    const checked = await checkLoopFolder(o.folder, o.corrections, project);

    if (!project) {
      let path = o.projectPath;
      if (!path) {
        tempDir = mkdtempSync(join(tmpdir(), 'hemaseg-loop-'));
        path = join(tempDir, 'loop.hemaseg');
      }
      project = Project.open(path, { create: true });
    }
    const p = project;
    if (o.from !== 'default' && o.from !== 'scratch' && !/[\\/]/.test(o.from)) resolveModelRef(p, o.from); // unknown model: fails before the import

    stage(`importing ${checked.items.length} images with masks`);
    await importFolder(p, o.folder, { maskConvention: 'auto', author: o.author, signal: hooks.signal });
    const ids = new Map<string, number>();
    for (const it of checked.items) {
      const id = p.images.find(it.hash, it.name);
      if (id === null) throw new Error(`${it.name} was not imported`);
      ids.set(it.name, id);
    }
    const inSplit = (split: string): { imageId: number; name: string }[] =>
      checked.items.filter((it) => it.split === split).map((it) => ({ imageId: ids.get(it.name) as number, name: it.name }));
    const evalImages = inSplit('test');
    const evalIds = evalImages.map((i) => i.imageId);
    const pool = inSplit('train');

    const fromRef = o.from === 'scratch' ? null : /[\\/]/.test(o.from) ? importModelFolder(p, o.from).model.ref : resolveModelRef(p, o.from).ref;
    const author = o.author ?? 'experiment';
    const segment = async (model: string, imageIds: number[], what: string) => {
      stage(`segmenting ${imageIds.length} ${what} with ${model}`);
      const r = await runSegmentation(p, { model, threshold: p.settings.get().threshold, target: { kind: 'project', images: 'all', imageIds } }, {
        author, signal: hooks.signal, launcher: hooks.launcher,
        onReady: (b, d) => hooks.onBackend?.(b, d),
        onProgress: (e) => hooks.onSegmentProgress?.(e.done, e.total),
      });
      if (r.failed.length) throw new Error(`segmenting with ${model} failed on ${r.failed.length} images (${r.failed[0].file}: ${r.failed[0].reason})`);
      return r;
    };
    const evaluate = (source: string): EvaluationRun => runEvaluation(p, { pred: source, truth: 'ground-truth', split: 'test', borderPx: null, imageIds: evalIds });

    // 1. The starting model out of the box.
    let before: EvaluationRun | null = null;
    if (fromRef) {
      await segment(fromRef, evalIds, 'evaluation images');
      before = evaluate(fromRef);
    }

    // 2. The technician's picks.
    let picked: Candidate[];
    let pickedBy: LoopResult['pickedBy'] = 'random';
    if (o.pick === 'random') {
      picked = pickRandom(pool.map((c) => ({ ...c, confidence: null })), o.corrections, o.seed);
    } else {
      await segment(fromRef as string, pool.map((c) => c.imageId), 'train-split images to rank them');
      const candidates = pool.map((c) => ({ ...c, confidence: p.masks.current(c.imageId, 'prediction', fromRef as string)?.confidence ?? null }));
      if (candidates.every((c) => c.confidence !== null)) {
        pickedBy = 'confidence';
      } else {
        // No stored confidence: rank by disagreement with the classical active contour.
        pickedBy = 'committee';
        await segment('active-contour', pool.map((c) => c.imageId), 'train-split images (second opinion)');
        for (const c of candidates) {
          const mv = p.masks.current(c.imageId, 'prediction', fromRef as string);
          const ac = p.masks.current(c.imageId, 'baseline', SOURCE.activeContour);
          c.confidence = mv && ac ? committeeAgreement(p.masks.load(mv.id)!, p.masks.load(ac.id)!) : 0;
        }
      }
      if (o.pick === 'mixed') {
        picked = pickMixed(candidates, o.corrections, o.seed);
      } else {
        const described = await Promise.all(candidates.map(async (c) => {
          const stored = p.images.bytes(c.imageId);
          const image = stored ? (await decodeImage(stored.bytes, stored.name)).image : null;
          const mv = p.masks.current(c.imageId, 'prediction', fromRef as string);
          const mask = mv ? p.masks.load(mv.id) : null;
          return { ...c, descriptor: image ? imageDescriptor(image, mask) : [] };
        }));
        picked = pickUncertainDiverse(described.filter((c) => c.descriptor.length > 0), o.corrections);
      }
    }

    // 3. The simulated technician: the expert mask becomes the hand-corrected ground truth.
    stage(`correcting ${picked.length} images (expert masks as the technician's corrections)`);
    p.transaction(() => {
      for (const c of picked) {
        const gt = p.masks.current(c.imageId, 'ground-truth');
        if (!gt) throw new Error(`${c.name} has no ground truth`);
        const pred = fromRef ? p.masks.current(c.imageId, 'prediction', fromRef) : null;
        p.masks.append({
          imageId: c.imageId, kind: 'ground-truth', source: SOURCE.handEdited, author: 'simulated technician',
          mask: p.masks.load(gt.id)!, parentId: pred?.id ?? gt.id, note: 'experiment loop: the expert mask stands in for a correction',
        });
      }
    });

    // 4. Fine-tune (or train from scratch) on the corrections.
    const plan = planTrainingImages(p, 'corrected').plan;
    stage(`training ${fromRef ? `from ${fromRef}` : 'from scratch'} for ${o.minutes} min on ${plan.train} corrected images (${plan.heldBack} held back for early stopping)`);
    const outcome = await startTraining(
      p,
      {
        ...DEFAULT_TRAIN,
        ...DEFAULT_FINETUNE,
        name: `loop-${o.pick}`,
        model: o.model ?? null,
        minutes: o.minutes,
        epochs: o.epochs ?? DEFAULT_FINETUNE.epochs,
        lr: o.lr ?? DEFAULT_FINETUNE.lr,
        batch: o.batch ?? DEFAULT_FINETUNE.batch,
        from: fromRef,
        seed: o.seed,
        images: 'corrected',
      },
      { signal: hooks.signal, launcher: hooks.launcher, onReady: (b, d) => hooks.onBackend?.(b, d), onPoint: (pt) => hooks.onPoint?.(pt) },
    );

    // 5. The evaluation images again, from the images alone.
    await segment(outcome.modelRef, evalIds, 'evaluation images');
    const after = evaluate(outcome.modelRef);

    const table: LoopRow[] = [];
    for (const cls of LOOP_CLASSES) {
      for (const metric of LOOP_METRICS) {
        const k = `${metric}.${cls}`;
        if (!after.result.means[k]) continue;
        table.push({ metric, cls, before: before?.result.means[k] ?? null, after: after.result.means[k] });
      }
    }
    succeeded = true;
    return {
      project: p.path,
      temporaryProject: tempDir !== null,
      folder: resolve(o.folder),
      images: { withMasks: checked.items.length, withoutMasks: checked.withoutMask.length, ...checked.bySplit },
      from: fromRef,
      pick: o.pick,
      pickedBy,
      corrected: picked.map((c) => ({ imageId: c.imageId, name: c.name, confidence: c.confidence })),
      plan,
      model: outcome.modelRef,
      runId: outcome.runId,
      minutes: o.minutes,
      stoppedBy: outcome.stoppedBy,
      epochsRun: outcome.epochsRun,
      backend: outcome.backend,
      evaluations: { before: before?.id ?? null, after: after.id as number },
      evaluationImages: after.result.images,
      table,
      promotion: fromRef ? promotionOf(outcome.metrics) : null,
      seconds: Math.round((Date.now() - t0) / 1000),
    };
  } finally {
    project?.close();
    // A failed run in a temporary project leaves nothing behind.
    if (!succeeded && tempDir) rmSync(tempDir, { recursive: true, force: true });
  }
}
