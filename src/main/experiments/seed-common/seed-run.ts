// What the seed experiments share with `hemaseg experiment loop`: a project (given, or a new
// one in the temp folder), training through train-service in the ML worker, segmenting from
// the images alone, and the facts of a trained version (parameters, training seconds).
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Backend, Split } from '../../../shared/domain';
import { DEFAULT_TRAIN, type ModelSpec, type TrainPoint, type TrainRequest } from '../../../shared/ml';
import { runSegmentation } from '../../ml/inference/segment-service';
import { startTraining, type TrainOutcome } from '../../ml/training/train-service';
import type { WorkerLauncher } from '../../ml/worker/launcher';
import { Project } from '../../project/project';
import { SeedInputError } from './seed-folder';

export interface SeedHooks {
  signal?: AbortSignal;
  launcher?: WorkerLauncher;
  onStage?(text: string): void;
  onBackend?(backend: Backend, detail: string): void;
  onPoint?(point: TrainPoint): void;
  onSegmentProgress?(done: number, total: number): void;
}

/** One network of an experiment: what to build and how to train it. */
export interface NetworkPlan {
  model: ModelSpec;
  lr: number;
  batch: number;
  /** Cap on epochs (the time budget usually ends the run first). */
  epochs?: number;
}

export interface OpenedProject {
  project: Project;
  /** Set when the project is a new temporary one (removed again if the run fails). */
  tempDir: string | null;
}

/** The project to run in: `path` (created when missing), else a new one in the temp folder. */
export function openSeedProject(path: string | null, prefix: string): OpenedProject {
  if (path) return { project: Project.open(path, { create: !existsSync(path) }), tempDir: null };
  const tempDir = mkdtempSync(join(tmpdir(), `hemaseg-${prefix}-`));
  return { project: Project.open(join(tempDir, `${prefix}.hemaseg`), { create: true }), tempDir };
}

export function discardTemp(tempDir: string | null): void {
  if (tempDir) rmSync(tempDir, { recursive: true, force: true });
}

/**
 * Refuse a project holding images the experiment did not put there: they would train with
 * its images (training reads the project's whole train split). `ours` decides per image.
 */
export function checkProjectImages(project: Project, ours: (img: { name: string; hash: string; tags: string[] }) => boolean, what: string): void {
  const foreign = project.images.list().filter((img) => !ours(img));
  if (foreign.length) {
    const names = foreign.slice(0, 3).map((i) => i.name).join(', ');
    throw new SeedInputError(
      `${project.path}: holds ${foreign.length} images that are not ${what} (${names}${foreign.length > 3 ? ', ...' : ''}); they would train with the experiment's images. Use a new project (or leave out --project)`,
    );
  }
}

/** Put images into splits (only those whose split changes are written). */
export function applySplits(project: Project, splitOf: Map<number, Split>): number {
  const current = new Map(project.images.list({ ids: [...splitOf.keys()] }).map((i) => [i.id, i.split]));
  const bySplit = new Map<Split, number[]>();
  for (const [id, split] of splitOf) {
    if (current.get(id) === split) continue;
    bySplit.set(split, [...(bySplit.get(split) ?? []), id]);
  }
  let changed = 0;
  project.transaction(() => {
    for (const [split, ids] of bySplit) changed += project.images.update(ids, { split });
  });
  return changed;
}

/** Train one network from scratch on the project's train split (val split for early stopping). */
export async function trainNetwork(p: Project, name: string, net: NetworkPlan, o: { minutes: number; seed: number; augmentation: TrainRequest['augmentation'] }, hooks: SeedHooks): Promise<TrainOutcome> {
  const req: TrainRequest = {
    ...DEFAULT_TRAIN,
    name,
    model: net.model,
    // The time budget ends the run; a huge epoch cap and no patience let it use the budget
    // (the best validation epoch's weights are kept either way).
    epochs: net.epochs ?? 100_000,
    minutes: o.minutes,
    patience: null,
    lr: net.lr,
    batch: net.batch,
    augmentation: o.augmentation,
    from: null,
    images: 'all',
    seed: o.seed,
    optimizer: 'adam',
  };
  return startTraining(p, req, { signal: hooks.signal, launcher: hooks.launcher, onReady: (b, d) => hooks.onBackend?.(b, d), onPoint: (pt) => hooks.onPoint?.(pt) });
}

/** Segment `imageIds` with `model` from the images alone (no TTA, no post-processing). */
export async function segmentImages(p: Project, model: string, imageIds: number[], hooks: SeedHooks): Promise<void> {
  const r = await runSegmentation(p, { model, threshold: p.settings.get().threshold, target: { kind: 'project', images: 'all', imageIds } }, {
    author: 'experiment', signal: hooks.signal, launcher: hooks.launcher,
    onReady: (b, d) => hooks.onBackend?.(b, d),
    onProgress: (e) => hooks.onSegmentProgress?.(e.done, e.total),
  });
  if (r.failed.length) throw new Error(`segmenting with ${model} failed on ${r.failed.length} images (${r.failed[0].file}: ${r.failed[0].reason})`);
}

export interface ModelFacts {
  ref: string;
  params: number | null;
  arch: string;
  trainingSeconds: number | null;
  epochsRun: number | null;
  bestEpoch: number | null;
  trainImages: number;
  valImages: number;
}

export function modelFacts(p: Project, ref: string): ModelFacts {
  const info = p.models.resolve(ref);
  const lineage = p.models.load(info.id)?.lineage ?? null;
  return {
    ref: info.ref, params: info.paramCount, arch: info.arch,
    trainingSeconds: lineage?.trainingSeconds ?? null, epochsRun: lineage?.epochsRun ?? null, bestEpoch: lineage?.bestEpoch ?? null,
    trainImages: lineage?.trainImages.length ?? 0, valImages: lineage?.valImages.length ?? 0,
  };
}

/** Mean ± standard error as text. */
export const pm = (v: { mean: number; se: number } | null | undefined, digits = 3): string => (v ? `${v.mean.toFixed(digits)} ± ${v.se.toFixed(digits)}` : '-');

/** Columns padded to a table (the first `left` columns left-aligned, the numbers right-aligned). */
export function textTable(head: string[], rows: string[][], left = 1): string {
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]): string => cells.map((c, i) => (i < left ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ').trimEnd();
  return [line(head), ...rows.map(line)].join('\n');
}
