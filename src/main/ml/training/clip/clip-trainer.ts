// The clip training loop (worker): the LSTM-CNN report's training for any clip family.
// Shuffled batches of clips (one frame size per batch), one optimiser step each, validation
// every `valEvery` steps (the report: 40), the stop after `patience` consecutive increases of
// the validation cost (the report: 100), the weights of the lowest validation cost kept, a
// wall-clock budget, a checkpoint after every validation and cancellation between steps:
// the conventions of the image trainer (../trainer.ts), whose hooks and checkpoint it shares.
import type { TrainPoint, TrainRequest } from '../../../../shared/ml';
import { seededRng, shuffledIndices, type Rng } from '../../data/rng';
import type { Checkpoint, CheckpointState } from '../checkpoint';
import type { NamedArray } from '../network';
import type { StopReason, TrainerHooks } from '../trainer';
import { initialStopping, observeValidation, type EarlyStoppingRule, type EarlyStoppingState } from '../early-stopping';
import type { ClipNetwork } from './clip-seam';
import { makeClipBatch, type LoadedClip } from './clip-data';

/** The report's validation interval (steps) and stop rule (consecutive increases). */
export const REPORT_VAL_EVERY = 40;
export const REPORT_PATIENCE = 100;
/** The report's probability threshold for accuracy, recall and precision. */
export const REPORT_THRESHOLD = 0.7;

export interface ClipTrainerInput {
  net: ClipNetwork;
  train: LoadedClip[];
  val: LoadedClip[];
  /**
   * epochs (passes over the training clips), minutes, batch, clipNorm, seed; patience and
   * stopRule (default for clips: 'consecutive-increases', the report's), validateEvery (default 40).
   */
  request: Pick<TrainRequest, 'epochs' | 'minutes' | 'batch' | 'patience' | 'clipNorm' | 'seed' | 'validateEvery' | 'stopRule'>;
  /** Overrides request.validateEvery. */
  valEvery?: number;
  resume: Checkpoint | null;
}

export interface ClipTrainerResult {
  stoppedBy: StopReason;
  /** The weights of the lowest validation cost (else the last). */
  weights: NamedArray[];
  /** Validation (1-based) of the lowest validation cost, and the step and epoch it came at. */
  bestValidation: number | null;
  bestStep: number | null;
  /** Passes over the training clips at the best validation (the report's "epoch"). */
  bestEpoch: number | null;
  bestValLoss: number | null;
  curves: TrainPoint[];
  steps: number;
  epochsRun: number;
  trainingSeconds: number;
  lastCheckpointEpoch: number | null;
}

/** Batches of one epoch: clips grouped by frame size, shuffled, chunked, the batches shuffled. */
export function epochBatches(clips: readonly LoadedClip[], batch: number, rng: Rng): number[][] {
  const groups = new Map<string, number[]>();
  clips.forEach((c, i) => {
    const k = `${c.w}x${c.h}x${c.frames.length}`;
    groups.set(k, [...(groups.get(k) ?? []), i]);
  });
  const out: number[][] = [];
  for (const idx of groups.values()) {
    const order = shuffledIndices(idx.length, rng).map((j) => idx[j]);
    for (let s = 0; s < order.length; s += batch) out.push(order.slice(s, s + batch));
  }
  return shuffledIndices(out.length, rng).map((j) => out[j]);
}

/** Mean loss over clips (batched by size), weighted by clip count. */
export function clipSetLoss(net: ClipNetwork, clips: readonly LoadedClip[], batch: number): number {
  let sum = 0;
  for (const b of sizeBatches(clips, batch)) {
    const e = net.evaluate(makeClipBatch(b, net.config.inChannels));
    sum += e.loss * b.length;
  }
  return clips.length ? sum / clips.length : NaN;
}

/** Clips in batches of one size, in their order. */
export function sizeBatches(clips: readonly LoadedClip[], batch: number): LoadedClip[][] {
  const out: LoadedClip[][] = [];
  let cur: LoadedClip[] = [];
  for (const c of clips) {
    if (cur.length && (cur.length >= batch || cur[0].w !== c.w || cur[0].h !== c.h || cur[0].frames.length !== c.frames.length)) {
      out.push(cur);
      cur = [];
    }
    cur.push(c);
  }
  if (cur.length) out.push(cur);
  return out;
}

export async function runClipTrainer(input: ClipTrainerInput, hooks: TrainerHooks): Promise<ClipTrainerResult> {
  const { net, train, val, request: req } = input;
  if (train.length === 0) throw new Error('no training clips');
  const now = hooks.now ?? (() => performance.now());
  const valEvery = Math.max(1, input.valEvery ?? req.validateEvery ?? REPORT_VAL_EVERY);
  // The shared early-stopping module (../early-stopping.ts); clips default to the report's rule.
  const rule: EarlyStoppingRule = { rule: req.stopRule ?? 'consecutive-increases', patience: req.patience };
  const batch = Math.max(1, Math.min(req.batch, train.length));
  const rng = seededRng(req.seed);
  const budget = req.minutes !== null && req.minutes > 0 ? req.minutes * 60 : null;
  const state: CheckpointState = input.resume?.state ?? {
    epoch: 0, rngState: rng.state(), trainingSeconds: 0, bestEpoch: null, bestValLoss: null, bestMetrics: {},
    epochsWithoutImprovement: 0, curves: [], stepsDone: 0,
  };
  let best: NamedArray[] | null = input.resume?.best ?? null;
  if (input.resume) {
    net.setWeights(input.resume.weights);
    await net.setOptimizerState(input.resume.optimizer);
    rng.setState(state.rngState);
  }
  const curves = [...state.curves];
  const t0 = now();
  const startSeconds = state.trainingSeconds;
  const elapsed = (): number => startSeconds + (now() - t0) / 1000;
  const stepsPerEpoch = epochBatches(train, batch, seededRng(1)).length;
  const totalSteps = req.epochs * stepsPerEpoch;
  /** Passes over the training clips after `steps` steps (2 decimals; the report's "epoch"). */
  const passes = (steps: number): number => Math.round((steps / stepsPerEpoch) * 100) / 100;
  /** The epoch (1-based) a step belongs to. */
  const epochOf = (steps: number): number => Math.max(1, Math.ceil(steps / stepsPerEpoch));
  let stepSeconds = 0;
  let valSeconds = 0;
  let lastCheckpointEpoch: number | null = input.resume ? state.epoch : null;
  let lossSum = 0;
  let lossN = 0;
  let stoppedBy: StopReason = 'epochs';
  // The stopping state is rebuilt from the curve's validation costs (the checkpoint stores the curve).
  let stopping: EarlyStoppingState = curves
    .filter((p) => p.kind === 'validation')
    .reduce((st, p) => observeValidation(st, p.valLoss ?? p.loss, rule).state, initialStopping());
  const outOfBudget = (): boolean => budget !== null && elapsed() + stepSeconds + valSeconds > budget;
  const progress = (final: boolean): Pick<TrainPoint, 'epochsDone' | 'epochsExpected' | 'elapsedSeconds' | 'budgetSeconds' | 'fraction' | 'final'> => {
    const t = elapsed();
    const fraction = final ? 1 : Math.min(0.999, Math.max(state.stepsDone / totalSteps, budget ? t / budget : 0));
    return { epochsDone: Math.floor(state.stepsDone / stepsPerEpoch), epochsExpected: null, elapsedSeconds: Math.round(t * 10) / 10, budgetSeconds: budget, fraction, final };
  };

  // One validation: the point, the best weights, the checkpoint. Returns true when the stop rule fires.
  const validateNow = async (final: boolean): Promise<boolean> => {
    const vs = now();
    const trainLoss = lossN ? lossSum / lossN : NaN;
    const vLoss = val.length ? clipSetLoss(net, val, batch) : trainLoss;
    valSeconds = (now() - vs) / 1000;
    lossSum = 0;
    lossN = 0;
    state.epoch++;
    // A 'validation' point (the shared convention of runs validating every K steps): `step`
    // says when, `loss` is the mean training loss since the previous validation.
    const point: TrainPoint = {
      kind: 'validation', epoch: epochOf(state.stepsDone), step: state.stepsDone, stepsPerEpoch, epochs: req.epochs, loss: trainLoss,
      // Without validation clips the training loss stands in for the stop rule, but is no validation loss.
      valLoss: val.length && Number.isFinite(vLoss) ? vLoss : null, valDice: null, imagesPerSecond: stepSeconds ? batch / stepSeconds : 0, etaSeconds: null,
    };
    curves.push(point);
    const seen = observeValidation(stopping, vLoss, rule);
    stopping = seen.state;
    if (seen.improved) {
      state.bestValLoss = vLoss;
      state.bestEpoch = state.epoch;
      state.bestMetrics = { valLoss: vLoss, bestStep: state.stepsDone, bestEpoch: passes(state.stepsDone) };
      best = net.getWeights();
    }
    state.epochsWithoutImprovement = rule.rule === 'consecutive-increases' ? stopping.increases : stopping.sinceBest;
    const stop = seen.stop;
    Object.assign(point, progress(final || stop));
    state.rngState = rng.state();
    state.trainingSeconds = elapsed();
    state.curves = curves;
    await hooks.onCheckpoint({ state: { ...state, curves: [...curves] }, weights: net.getWeights(), optimizer: await net.getOptimizerState(), best });
    lastCheckpointEpoch = state.epoch;
    hooks.onPoint(point);
    return stop;
  };

  let sinceVal = state.stepsDone % valEvery;
  outer: while (state.stepsDone < totalSteps) {
    for (const idx of epochBatches(train, batch, rng)) {
      await hooks.breathe();
      if (hooks.cancelled()) return finish('cancelled');
      if (state.stepsDone >= totalSteps) break outer;
      if ((state.stepsDone > 0 && outOfBudget()) || (budget !== null && elapsed() >= budget)) {
        stoppedBy = 'minutes';
        break outer;
      }
      const ss = now();
      const loss = net.trainStep(makeClipBatch(idx.map((i) => train[i]), net.config.inChannels), req.clipNorm);
      if (!Number.isFinite(loss)) throw new Error(`the loss became ${loss} at step ${state.stepsDone + 1}; try a lower --lr or --clip-norm (the report advises clipping for the pooling and decoder networks)`);
      const sec = (now() - ss) / 1000;
      stepSeconds = stepSeconds ? 0.8 * stepSeconds + 0.2 * sec : sec;
      lossSum += loss;
      lossN++;
      state.stepsDone++;
      sinceVal++;
      hooks.onPoint({
        kind: 'step', epoch: epochOf(state.stepsDone), step: state.stepsDone, stepsPerEpoch, epochs: req.epochs, loss, valLoss: null, valDice: null,
        imagesPerSecond: batch / Math.max(1e-3, stepSeconds), etaSeconds: null, ...progress(false),
      });
      if (sinceVal >= valEvery) {
        sinceVal = 0;
        if (await validateNow(state.stepsDone >= totalSteps)) {
          stoppedBy = 'early-stopping';
          break outer;
        }
      }
    }
  }
  // Steps since the last validation are validated too, so the kept weights saw every step.
  if (stoppedBy !== 'early-stopping' && lossN > 0) await validateNow(true);
  return finish(stoppedBy);

  function finish(reason: StopReason): ClipTrainerResult {
    return {
      stoppedBy: reason,
      weights: best ?? net.getWeights(),
      bestValidation: state.bestEpoch,
      bestStep: state.bestMetrics.bestStep ?? null,
      bestEpoch: state.bestMetrics.bestEpoch ?? null,
      bestValLoss: state.bestValLoss,
      curves,
      steps: state.stepsDone,
      epochsRun: passes(state.stepsDone),
      trainingSeconds: elapsed(),
      lastCheckpointEpoch,
    };
  }
}

export interface ClipTestMetrics {
  frames: number;
  accuracy: number;
  accuracyStd: number;
  recall: number;
  recallStd: number;
  precision: number;
  precisionStd: number;
  cost: number;
  costStd: number;
}

const meanStd = (v: number[]): [number, number] => {
  if (!v.length) return [NaN, NaN];
  const m = v.reduce((a, b) => a + b, 0) / v.length;
  return [m, Math.sqrt(v.reduce((a, b) => a + (b - m) ** 2, 0) / v.length)];
};

/** Per-frame accuracy, recall and precision of P(cell) at `threshold` (binary families). */
export function frameMetrics(probs: ArrayLike<number>, labels: ArrayLike<number>, threshold: number, offset = 0, n = labels.length): { accuracy: number; recall: number; precision: number } {
  let tp = 0;
  let fp = 0;
  let fn = 0;
  let tn = 0;
  for (let i = 0; i < n; i++) {
    const p = probs[offset + i] >= threshold;
    const y = labels[offset + i] > 0;
    if (p && y) tp++;
    else if (p) fp++;
    else if (y) fn++;
    else tn++;
  }
  // A frame without cells has recall 1 when nothing is missed; without predictions, precision 1 when nothing is wrong.
  return { accuracy: n ? (tp + tn) / n : 0, recall: tp + fn ? tp / (tp + fn) : 1, precision: tp + fp ? tp / (tp + fp) : 1 };
}

/** The report's test metrics: mean and std over the test frames of accuracy, recall, precision at `threshold`, and of the cost. */
export function clipTestMetrics(net: ClipNetwork, clips: readonly LoadedClip[], threshold = REPORT_THRESHOLD): ClipTestMetrics {
  if (net.channels !== 1) throw new Error('accuracy, recall and precision at a threshold are defined for the binary task');
  const acc: number[] = [];
  const rec: number[] = [];
  const prec: number[] = [];
  const cost: number[] = [];
  for (const b of sizeBatches(clips, 1)) {
    const batchData = makeClipBatch(b, net.config.inChannels);
    const e = net.evaluate(batchData);
    const m = frameMetrics(e.probs, batchData.y, threshold);
    acc.push(m.accuracy);
    rec.push(m.recall);
    prec.push(m.precision);
    cost.push(e.loss);
  }
  const [a, as] = meanStd(acc);
  const [r, rs] = meanStd(rec);
  const [p, ps] = meanStd(prec);
  const [c, cs] = meanStd(cost);
  return { frames: clips.length, accuracy: a, accuracyStd: as, recall: r, recallStd: rs, precision: p, precisionStd: ps, cost: c, costStd: cs };
}
