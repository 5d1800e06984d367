// `hemaseg experiment seed000`: the LSTM-CNN report on the simulated film of flowing red
// cells (seeds.md D). Two films of the flow simulation under the seed's split (train
// 0,10..390, val 400..490, test 5..495, every other frame unused), then each network trained
// from scratch on clips of 5 frames ending at the training frames (the report's training:
// N(0, 0.1) weights, biases 0.1, Adam at its learning rate, cross-entropy, validation every
// 40 steps, stop after 100 consecutive increases; a time budget per network here), scored on
// the test frames at threshold 0.7 (the clip trainer's test metrics), and, optionally, the
// test frames segmented by streaming each film and evaluated (stored for Compare).
import { LABEL } from '../../../shared/domain';
import { DEFAULT_TRAIN, type TrainRequest } from '../../../shared/ml';
import { runEvaluation } from '../../evaluation/run-evaluation';
import { runSegmentation } from '../../ml/inference/segment-service';
import { planClips } from '../../ml/training/clip/clip-sampler';
import { startTraining } from '../../ml/training/train-service';
import type { Project } from '../../project/project';
import { flowFilm, importFlow } from '../../synth/write-synth';
import { checkProjectImages, discardTemp, openSeedProject, type SeedHooks } from '../seed-common/seed-run';
import { SeedInputError } from '../seed-common/seed-folder';
import { SEED000_NETWORKS, SEED000_REPORT, type ReportRow } from './seed000-table';

export interface Seed000Options {
  projectPath: string | null;
  /** Training budget per network, minutes. */
  minutes: number;
  /** Variant names (SEED000_NETWORKS by default). */
  networks?: readonly string[];
  /** Seed of film 1 (film 2: seed + 1); also the training seed. */
  seed: number;
  /** Film frames and side (the report: 500 frames of 128 x 128). */
  frames?: number;
  size?: number;
  /** Clips per step (default 1). */
  batch?: number;
  /** Consecutive increases of the validation cost that stop a run (the report: 100); null: never. */
  patience?: number | null;
  /** Global-norm gradient clipping (the report advises it for the pooling and decoder networks); null: none. */
  clipNorm?: number | null;
  /** Also segment the test frames by streaming each film and store an evaluation (default true). */
  stream?: boolean;
}

export interface Seed000Network {
  variant: string;
  ref: string | null;
  params: number | null;
  lr: number;
  report: ReportRow;
  test: { frames: number; accuracy: number; accuracyStd: number; recall: number; recallStd: number; precision: number; precisionStd: number; cost: number; costStd: number } | null;
  valLoss: number | null;
  bestEpoch: number | null;
  steps: number | null;
  trainingSeconds: number | null;
  stoppedBy: string | null;
  stream: { frames: number; accuracy: number; recall: number; precision: number; evaluationId: number | null } | null;
  error: string | null;
}

export interface Seed000Result {
  project: string;
  minutes: number;
  film: { seed: number; frames: number; size: number; sequences: string[] };
  clips: { train: number; val: number; test: number };
  networks: Seed000Network[];
  targets: { cnnEnTRecall: boolean | null; d2: boolean | null };
}

export const SEED000_DEFAULT_MINUTES = 10;
export const SEED000_THRESHOLD = 0.7;

export function parseNetworks(text: string): string[] {
  const names = text.split(',').map((s) => s.trim()).filter(Boolean);
  if (!names.length) throw new SeedInputError('--networks: give at least one network');
  for (const n of names) {
    if (!SEED000_REPORT[n]) throw new SeedInputError(`--networks: unknown network '${n}' (known: ${SEED000_NETWORKS.join(', ')})`);
  }
  return names;
}

/** Import the two films unless the project has them already (a rerun reuses them). */
async function ensureFilms(p: Project, o: Seed000Options, hooks: SeedHooks): Promise<string[]> {
  const names = [1, 2].map((k) => flowFilm(o.seed, k).name);
  const present = names.filter((n) => p.sequences.byName(n));
  if (present.length === names.length) return names;
  checkProjectImages(p, (img) => img.tags.includes('rbc-flow'), 'frames of the flow film');
  hooks.onStage?.(`simulating two films (seed ${o.seed}) and importing them with the seed's split`);
  const total = 2 * (o.frames ?? 500);
  await importFlow(p, { seed: o.seed, ...(o.frames ? { frames: o.frames } : {}), ...(o.size ? { size: o.size } : {}) }, (d) => hooks.onSegmentProgress?.(d, total), { films: 2 });
  return names;
}

/** Per-frame accuracy / recall / precision of stored predictions against the ground truth, averaged over frames. */
function storedMetrics(p: Project, source: string, imageIds: number[]): { frames: number; accuracy: number; recall: number; precision: number } {
  const acc: number[] = [];
  const rec: number[] = [];
  const prec: number[] = [];
  for (const id of imageIds) {
    const tv = p.masks.current(id, 'ground-truth');
    const pv = p.masks.current(id, 'prediction', source);
    if (!tv || !pv) continue;
    const t = p.masks.load(tv.id)!.labels;
    const q = p.masks.load(pv.id)!.labels;
    let tp = 0;
    let fp = 0;
    let fn = 0;
    for (let i = 0; i < t.length; i++) {
      const y = t[i] !== LABEL.background;
      const z = q[i] !== LABEL.background;
      if (y && z) tp++;
      else if (z) fp++;
      else if (y) fn++;
    }
    acc.push((t.length - fp - fn) / t.length);
    rec.push(tp + fn ? tp / (tp + fn) : 1);
    prec.push(tp + fp ? tp / (tp + fp) : 1);
  }
  const mean = (v: number[]): number => (v.length ? v.reduce((a, b) => a + b, 0) / v.length : NaN);
  return { frames: acc.length, accuracy: mean(acc), recall: mean(rec), precision: mean(prec) };
}

export async function runSeed000(o: Seed000Options, hooks: SeedHooks = {}): Promise<Seed000Result> {
  const networks = o.networks?.length ? [...o.networks] : [...SEED000_NETWORKS];
  for (const n of networks) if (!SEED000_REPORT[n]) throw new SeedInputError(`unknown network '${n}' (known: ${SEED000_NETWORKS.join(', ')})`);
  if (!(o.minutes > 0)) throw new SeedInputError(`--minutes must be positive, got ${o.minutes}`);
  const { project: p, tempDir } = openSeedProject(o.projectPath, 'seed000');
  let ok = false;
  try {
    const sequences = await ensureFilms(p, o, hooks);
    const seqIds = sequences.map((n) => p.sequences.byName(n)!.id);
    const plan = planClips(p, 5, seqIds);
    const testIds = plan.test.map((t) => t.imageId);
    const out: Seed000Network[] = [];
    for (const variant of networks) {
      const report = SEED000_REPORT[variant];
      const name = `seed000-${variant}`;
      hooks.onStage?.(`training ${variant} (lr ${report.lr}, ${o.minutes} min)`);
      const req: TrainRequest = {
        ...DEFAULT_TRAIN,
        name,
        model: { family: 'lstm-cnn', variant, config: { ...(o.size ? { inputSize: o.size } : {}) } },
        epochs: 100_000,
        minutes: o.minutes,
        batch: o.batch ?? 1,
        lr: report.lr,
        // The report: validation every 40 steps, stop after 100 consecutive increases of its cost.
        patience: o.patience === undefined ? 100 : o.patience,
        stopRule: 'consecutive-increases',
        validateEvery: 40,
        clipNorm: o.clipNorm ?? null,
        augmentation: { flips: false, rotate90: false, shift: 0, zoom: 0, shear: 0 },
        images: 'all',
        seed: o.seed,
      };
      const row: Seed000Network = { variant, ref: null, params: null, lr: report.lr, report, test: null, valLoss: null, bestEpoch: null, steps: null, trainingSeconds: null, stoppedBy: null, stream: null, error: null };
      out.push(row);
      try {
        const r = await startTraining(p, req, { signal: hooks.signal, launcher: hooks.launcher, onReady: (b, d) => hooks.onBackend?.(b, d), onPoint: (pt) => hooks.onPoint?.(pt) });
        const m = r.metrics;
        const info = p.models.resolve(r.modelRef);
        Object.assign(row, {
          ref: r.modelRef, params: info.paramCount, valLoss: m.valLoss ?? null, bestEpoch: m.bestEpoch ?? null, steps: m.steps ?? null,
          trainingSeconds: m.trainingSeconds ?? null, stoppedBy: r.stoppedBy,
          test: m['test.frames'] !== undefined
            ? { frames: m['test.frames'], accuracy: m['test.accuracy'], accuracyStd: m['test.accuracyStd'], recall: m['test.recall'], recallStd: m['test.recallStd'], precision: m['test.precision'], precisionStd: m['test.precisionStd'], cost: m['test.cost'], costStd: m['test.costStd'] }
            : null,
        });
        if (o.stream !== false && testIds.length) {
          hooks.onStage?.(`streaming the films through ${r.modelRef} (test frames stored)`);
          const s = await runSegmentation(p, { model: r.modelRef, threshold: SEED000_THRESHOLD, target: { kind: 'project', images: 'test', imageIds: testIds } }, {
            author: 'experiment', signal: hooks.signal, launcher: hooks.launcher, onProgress: (e) => hooks.onSegmentProgress?.(e.done, e.total),
          });
          if (s.failed.length) throw new Error(`streaming ${r.modelRef} failed on ${s.failed.length} frames (${s.failed[0].file}: ${s.failed[0].reason})`);
          const ev = runEvaluation(p, { pred: r.modelRef, truth: 'ground-truth', split: 'test', borderPx: null, imageIds: testIds });
          row.stream = { ...storedMetrics(p, r.modelRef, testIds), evaluationId: ev.id };
        }
      } catch (err) {
        if ((err as Error).name === 'JobCancelledError') throw err;
        row.error = (err as Error).message;
      }
    }
    const by = (v: string): Seed000Network | undefined => out.find((n) => n.variant === v && n.test);
    const cnn = by('cnn-en-t');
    const d2 = by('lstm-cnn-en-t-d2');
    ok = true;
    return {
      project: p.path, minutes: o.minutes,
      film: { seed: o.seed, frames: o.frames ?? 500, size: o.size ?? 128, sequences },
      clips: { train: plan.train.length, val: plan.val.length, test: plan.test.length },
      networks: out,
      targets: {
        cnnEnTRecall: cnn ? cnn.test!.recall >= 0.92 : null,
        d2: d2 ? d2.test!.recall >= 0.95 && d2.test!.accuracy >= 0.99 : null,
      },
    };
  } finally {
    p.close();
    // A temporary project is kept when the run succeeded (its path is in the result), removed when it failed.
    if (!ok) discardTemp(tempDir);
  }
}
