// `hemaseg experiment seed001`: the U-LSTM paper's loss comparison (seeds.md E). The same
// U-LSTM is trained twice on the same sequences of touching, moving cells with the same
// budget, once with the three-class loss (background, cell, edge) and once with the
// boundary-weighted two-class loss; each segments the test sequences frame by frame with
// streaming inference (the state carried, never a window recomputed) and is scored by SEG per
// sequence and overall, beside the paper's 80.2 % vs 67.7 %.
// The sequences are generated (src/main/synth/moving-cells), written as folders and imported
// with `--as-sequence` semantics, so the project holds them, their masks, both models, the
// predictions and both evaluations (Compare opens them). Training and streaming run in this
// process through the U-LSTM's sequence runner (TensorFlow.js, like `hemaseg bench`): the
// two-class weights need the instance ids of every frame, which the generic clip trainer's
// last-frame batches do not carry.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { LabelMap } from '../../../shared/domain';
import { segBySequence, type FrameSegDetail, type SequenceSeg } from '../../../shared/core/sequence-seg';
import { segDetail } from '../../metrics/instances';
import { runEvaluation } from '../../evaluation/run-evaluation';
import { loadULstmNetworkModule } from '../../ml/families/u-lstm';
import type { LabelledSequence } from '../../ml/families/u-lstm/augment';
import { labelsOfClasses } from '../../ml/families/u-lstm/boundary';
import type { ULstmConfig } from '../../ml/families/u-lstm/config';
import { generateMovingCells } from '../../synth/moving-cells/generate-moving-cells';
import { movingCellsSet, writeMovingCellsFolder } from '../../synth/moving-cells/write-moving-cells';
import { importSequenceFolder } from '../../transfer/import-sequence';
import { discardTemp, openSeedProject } from '../seed-common/seed-run';
import paper from './paper-numbers.json';

export const SEED001_DEFAULT_MINUTES = 4;

export interface Seed001Options {
  projectPath: string | null;
  /** Training budget per network. */
  minutes: number;
  sequences: number;
  /** The last `testSequences` sequences are segmented and scored; the others train. */
  testSequences: number;
  frames: number;
  size: number;
  seed: number;
  /** U-LSTM options (both networks); default the family's tiny defaults. */
  config?: Partial<ULstmConfig>;
  learningRate?: number;
  /** Cap on training batches per network (tests). */
  maxSteps?: number;
}

/** Training crops of the experiment (frames are segmented whole): a quarter of the 64-px frame's cost per step. */
export const SEED001_CROP = 32;

export const SEED001_DEFAULTS: Omit<Seed001Options, 'projectPath'> = { minutes: SEED001_DEFAULT_MINUTES, sequences: 8, testSequences: 2, frames: 20, size: 64, seed: 1, learningRate: 1e-3 };

export interface Seed001Network {
  label: string;
  task: 'multiclass-edge' | 'binary';
  modelRef: string;
  paramCount: number;
  batches: number;
  trainSeconds: number;
  firstLoss: number;
  lastLoss: number;
  framesPerSecond: number;
  sequences: SequenceSeg[];
  /** SEG pooled over every ground-truth cell of the test sequences. */
  seg: number | null;
  meanOfSequences: number | null;
  paperSeg: number;
  evaluationId: number | null;
}

export interface Seed001Result {
  project: string;
  backend: string;
  data: { sequences: number; trainSequences: string[]; testSequences: string[]; frames: number; size: number; seed: number };
  learningRate: number;
  networks: [Seed001Network, Seed001Network];
  /** The paper's direction: three-class SEG above two-class SEG. */
  directionHolds: boolean;
}

export interface Seed001Hooks {
  onStage?(text: string): void;
  onStep?(network: string, step: number, loss: number, elapsedSeconds: number, budgetSeconds: number): void;
}

/** 8-bit frames as imported (what the project holds), with the generator's instance ids. */
function labelled(seed: number, o: Seed001Options): LabelledSequence {
  const s = generateMovingCells({ size: o.size, frames: o.frames, seed });
  return {
    width: s.width,
    height: s.height,
    frames: s.frames.map((f) => Float32Array.from(f, (v) => Math.round(v * 255) / 255)),
    ids: s.instances.map((ids) => Int32Array.from(ids)),
  };
}

export async function runSeed001(opts: Seed001Options, hooks: Seed001Hooks = {}): Promise<Seed001Result> {
  const o = { ...opts };
  if (o.testSequences < 1 || o.testSequences >= o.sequences) throw new Error(`seed001: --test-sequences must be between 1 and ${o.sequences - 1} (the others train), got ${o.testSequences}`);
  const { project, tempDir } = openSeedProject(o.projectPath, 'seed001');
  const dataDir = mkdtempSync(join(tmpdir(), 'hemaseg-seed001-data-'));
  let ok = false;
  try {
    hooks.onStage?.(`generating ${o.sequences} sequences of ${o.frames} frames (${o.size} px) and importing them`);
    const set = movingCellsSet({ sequences: o.sequences, frames: o.frames, size: o.size, seed: o.seed });
    await writeMovingCellsFolder(dataDir, { sequences: o.sequences, frames: o.frames, size: o.size, seed: o.seed });
    const prefix = `seed001-s${o.seed}-`;
    const frameIds = new Map<string, number[]>();
    for (const s of set) {
      const name = `${prefix}${s.name}`;
      await importSequenceFolder(project, join(dataDir, s.name, 'frames'), { name }, { masksDir: join(dataDir, s.name, 'masks'), maskConvention: 'index' });
      const seq = project.sequences.byName(name);
      if (!seq) throw new Error(`seed001: the sequence ${name} was not imported`);
      frameIds.set(s.name, Array.from({ length: o.frames }, (_, f) => project.sequences.imageAt(seq.id, f) ?? -1));
      if (frameIds.get(s.name)!.includes(-1)) throw new Error(`seed001: ${name} lacks frames after the import`);
    }
    const testNames = set.slice(-o.testSequences).map((s) => s.name);
    const trainNames = set.slice(0, -o.testSequences).map((s) => s.name);
    for (const s of set) {
      const seq = project.sequences.byName(`${prefix}${s.name}`)!;
      project.sequences.setSplit(seq.id, testNames.includes(s.name) ? 'test' : 'train');
    }
    const seqs = new Map(set.map((s) => [s.name, labelled(s.seed, o)]));
    const train = trainNames.map((n) => seqs.get(n)!);
    const test = testNames.map((n) => seqs.get(n)!);
    const truthOf = (name: string, f: number): LabelMap => {
      const v = project.masks.current(frameIds.get(name)![f], 'ground-truth');
      const m = v ? project.masks.load(v.id) : null;
      if (!m) throw new Error(`seed001: frame ${f} of ${name} has no ground truth`);
      return m;
    };

    const runner = await loadULstmNetworkModule();
    const lr = o.learningRate ?? SEED001_DEFAULTS.learningRate!;
    let backend = '';
    const networks: Seed001Network[] = [];
    for (const task of ['multiclass-edge', 'binary'] as const) {
      const label = task === 'binary' ? 'two-class, boundary-weighted' : 'three-class (edge)';
      const modelName = task === 'binary' ? 'seed001-2class' : 'seed001-3class';
      hooks.onStage?.(`training the U-LSTM, ${label} loss, ${o.minutes} min`);
      const r = await runner.trainAndSegmentSequences({
        config: { inputSize: Math.min(SEED001_CROP, o.size), ...(o.config ?? {}), task },
        train,
        segment: test,
        seconds: o.minutes * 60,
        ...(o.maxSteps !== undefined ? { maxSteps: o.maxSteps } : {}),
        seed: o.seed,
        learningRate: lr,
        onStep: (step, loss, t) => hooks.onStep?.(label, step, loss, t, o.minutes * 60),
      });
      backend = r.backend;
      const model = project.models.add({
        name: modelName,
        family: 'u-lstm',
        task,
        config: r.config as unknown as Record<string, unknown>,
        backend: null,
        parentId: null,
        trainImages: trainNames.length * o.frames,
        metrics: { batches: r.batches, trainSeconds: r.trainSeconds, lastLoss: r.lastLoss },
        lineage: {
          parentRef: null, runId: null, trainImages: [], valImages: [], hyperparameters: null, backend: null, backendDetail: r.backend,
          curves: [], bestEpoch: null, epochsRun: null, trainingSeconds: r.trainSeconds, stoppedBy: 'minutes',
        },
        modelJson: r.modelJson,
        weights: r.weights,
      });
      // Predictions per frame (streamed), stored as the model's masks; SEG per frame, pooled per sequence.
      const details: FrameSegDetail[] = [];
      const testIds: number[] = [];
      testNames.forEach((name, k) => {
        r.classes[k].forEach((classes, f) => {
          const pred: LabelMap = { width: o.size, height: o.size, labels: labelsOfClasses(classes, task) };
          const imageId = frameIds.get(name)![f];
          testIds.push(imageId);
          project.masks.append({ imageId, kind: 'prediction', source: model.ref, author: 'experiment seed001', mask: pred, modelId: model.id, backend: r.backend });
          const d = segDetail(truthOf(name, f), pred);
          details.push({ sequence: name, frame: f, jaccardSum: d.jaccardSum, truthObjects: d.truthObjects });
        });
      });
      const seg = segBySequence(details);
      const evaluation = runEvaluation(project, { pred: model.ref, truth: 'ground-truth', split: 'all', borderPx: null, imageIds: testIds });
      networks.push({
        label, task, modelRef: model.ref, paramCount: r.paramCount, batches: r.batches, trainSeconds: r.trainSeconds,
        firstLoss: r.firstLoss, lastLoss: r.lastLoss, framesPerSecond: r.framesPerSecond,
        sequences: seg.sequences, seg: seg.overall, meanOfSequences: seg.meanOfSequences,
        paperSeg: task === 'binary' ? paper.twoClass : paper.threeClass, evaluationId: evaluation.id,
      });
    }
    const [three, two] = networks;
    ok = true;
    return {
      project: project.path,
      backend,
      data: { sequences: o.sequences, trainSequences: trainNames, testSequences: testNames, frames: o.frames, size: o.size, seed: o.seed },
      learningRate: lr,
      networks: [three, two],
      directionHolds: (three.seg ?? 0) > (two.seg ?? 0),
    };
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
    project.close();
    if (!ok) discardTemp(tempDir);
  }
}
