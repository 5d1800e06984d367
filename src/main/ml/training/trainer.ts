// The training loop (runs in the worker): shuffled batches with augmentation, one optimiser
// step each, validation after every epoch or every K steps (request.validateEvery), early
// stopping on the validation cost (./early-stopping.ts) keeping the best weights, a
// wall-clock budget, a checkpoint per epoch, and cancellation between steps.
import type { ModelTask } from '../../../shared/domain';
import type { TrainPoint, TrainRequest } from '../../../shared/ml';
import type { Example } from '../data/dataset';
import { makeBatch } from '../data/dataset';
import { seededRng, shuffledIndices } from '../data/rng';
import type { Checkpoint, CheckpointState } from './checkpoint';
import { initialStopping, legacyStopping, observeValidation, type EarlyStoppingRule } from './early-stopping';
import type { NamedArray, SegmentationNetwork } from './network';
import { validate, type ValidationResult } from './validation';

export interface TrainerHooks {
  onPoint(point: TrainPoint): void;
  /** Persist the checkpoint of a finished epoch. */
  onCheckpoint(checkpoint: Checkpoint): Promise<void> | void;
  /** True once a cancel was requested. */
  cancelled(): boolean;
  /** Give the event loop a turn (IPC messages such as cancel arrive here). */
  breathe(): Promise<void>;
  now?(): number;
}

export type StopReason = 'epochs' | 'minutes' | 'early-stopping' | 'cancelled';

export interface TrainerResult {
  stoppedBy: StopReason;
  /** Weights to keep: the best validation's (validation loss), else the last. */
  weights: NamedArray[];
  /** The epoch of the best validation (the epoch in progress when validating every K steps). */
  bestEpoch: number | null;
  /** The global step of the best validation. */
  bestStep: number | null;
  metrics: Record<string, number>;
  curves: TrainPoint[];
  epochsRun: number;
  trainingSeconds: number;
  lastCheckpointEpoch: number | null;
}

export interface TrainerInput {
  net: SegmentationNetwork;
  train: Example[];
  val: Example[];
  request: TrainRequest;
  task: ModelTask;
  resume: Checkpoint | null;
}

export async function runTrainer(input: TrainerInput, hooks: TrainerHooks): Promise<TrainerResult> {
  const { net, train, val, request: req, task } = input;
  const now = hooks.now ?? (() => performance.now());
  if (train.length === 0) throw new Error('no training images');
  const size = net.config.inputSize;
  const batch = Math.max(1, Math.min(req.batch, train.length));
  const stepsPerEpoch = Math.ceil(train.length / batch);
  const budgetSeconds = req.minutes !== null && req.minutes > 0 ? req.minutes * 60 : Infinity;
  const rng = seededRng(req.seed);
  const valRng = seededRng(req.seed ^ 0x2545f491);

  const state: CheckpointState = input.resume?.state ?? {
    epoch: 0,
    rngState: rng.state(),
    trainingSeconds: 0,
    bestEpoch: null,
    bestValLoss: null,
    bestMetrics: {},
    epochsWithoutImprovement: 0,
    curves: [],
    stepsDone: 0,
    stopping: initialStopping(),
    bestStep: null,
    sinceValidation: { lossSum: 0, steps: 0 },
  };
  let best: NamedArray[] | null = input.resume?.best ?? null;
  if (input.resume) {
    net.setWeights(input.resume.weights);
    await net.setOptimizerState(input.resume.optimizer);
    rng.setState(state.rngState);
    // Checkpoints written before step-level validation counted epochs only.
    state.stopping ??= legacyStopping(state.bestValLoss, state.bestEpoch, state.epochsWithoutImprovement, state.epoch);
    state.bestStep ??= null;
    state.sinceValidation ??= { lossSum: 0, steps: 0 };
  }
  const stopRule: EarlyStoppingRule = { rule: req.stopRule ?? 'no-improvement', patience: req.patience };
  // Validation every K steps (K >= 1), else once per epoch.
  const validateEvery = req.validateEvery != null && req.validateEvery >= 1 ? Math.floor(req.validateEvery) : null;
  let stopEarly = false;
  // One validation (or, without validation images, the training loss since the last one as
  // the cost): feeds the stopping rule and keeps the weights of a new best.
  const assess = (cost: number, trainLoss: number, v: ValidationResult | null, epochNumber: number): void => {
    const r = observeValidation(state.stopping!, cost, stopRule);
    state.stopping = r.state;
    state.epochsWithoutImprovement = r.state.sinceBest;
    if (r.improved) {
      state.bestValLoss = cost;
      state.bestEpoch = epochNumber;
      state.bestStep = state.stepsDone;
      state.bestMetrics = metricsOf(trainLoss, v);
      best = net.getWeights();
    }
    if (r.stop) stopEarly = true;
  };
  const curves = [...state.curves];
  // A validation every K steps: a 'validation' point (the training loss since the previous
  // one, the validation loss and Dice), then the stopping rule.
  const validateAtStep = (epochIndex: number, stepInEpoch: number): void => {
    const since = state.sinceValidation!;
    const trainSince = since.lossSum / Math.max(1, since.steps);
    state.sinceValidation = { lossSum: 0, steps: 0 };
    const valStart = now();
    const v = val.length ? validate(net, val, task, batch, req.classWeights, valRng) : null;
    if (v) valSeconds = (now() - valStart) / 1000;
    const vPoint: TrainPoint = {
      kind: 'validation', epoch: epochIndex + 1, step: state.stepsDone, stepsPerEpoch, epochs: req.epochs, loss: trainSince,
      valLoss: v ? v.loss : null, valDice: v ? v.dice : null, imagesPerSecond, etaSeconds: eta(epochIndex, stepInEpoch), ...progress(epochIndex, false),
    };
    curves.push(vPoint);
    hooks.onPoint(vPoint);
    assess(v ? v.loss : trainSince, trainSince, v, epochIndex + 1);
  };
  const startSeconds = state.trainingSeconds;
  const t0 = now();
  const elapsed = (): number => startSeconds + (now() - t0) / 1000;
  let lastCheckpointEpoch: number | null = input.resume ? state.epoch : null;
  let imagesPerSecond = 0;
  let epochSeconds: number | null = null;
  let valSeconds: number | null = null;
  let stoppedBy: StopReason = 'epochs';
  const budget = Number.isFinite(budgetSeconds) ? budgetSeconds : null;
  const totalSteps = req.epochs * stepsPerEpoch;
  let epochsEnded = 0; // in this session: until one has, no epoch count is claimed

  // Validation runs after the budget cuts an epoch, so its cost is kept in reserve: the last
  // validation's time, or before any a forward-only guess from the training speed.
  const valReserve = (): number => {
    if (!val.length || budget === null) return 0;
    if (valSeconds !== null) return valSeconds;
    return imagesPerSecond ? (val.length / imagesPerSecond) * 0.5 : 0;
  };
  // True when one more step and the validation after it would overrun the budget.
  const outOfBudget = (): boolean => budget !== null && elapsed() + (imagesPerSecond ? batch / imagesPerSecond : 0) + valReserve() > budget;
  const progress = (epochsDone: number, final: boolean): Pick<TrainPoint, 'epochsDone' | 'epochsExpected' | 'elapsedSeconds' | 'budgetSeconds' | 'fraction' | 'final'> => {
    const t = elapsed();
    let expected: number | null = null;
    if (epochsEnded > 0 && epochSeconds !== null) {
      expected = budget === null ? req.epochs : Math.min(req.epochs, epochsDone + Math.max(0, Math.floor((budget - t) / Math.max(epochSeconds, 1e-3))));
    }
    if (final) expected = epochsDone;
    const byTime = budget !== null ? t / budget : 0;
    const fraction = final ? 1 : Math.min(0.999, Math.max(state.stepsDone / totalSteps, byTime));
    return { epochsDone, epochsExpected: expected, elapsedSeconds: Math.round(t * 10) / 10, budgetSeconds: budget, fraction, final };
  };

  const eta = (epochIndex: number, stepInEpoch: number): number | null => {
    if (!imagesPerSecond) return null;
    const perStep = batch / imagesPerSecond;
    const valCost = epochSeconds !== null ? Math.max(0, epochSeconds - stepsPerEpoch * perStep) : 0;
    const remainingSteps = (req.epochs - epochIndex) * stepsPerEpoch - stepInEpoch;
    const byEpochs = remainingSteps * perStep + (req.epochs - epochIndex) * valCost;
    return Math.max(0, Math.min(byEpochs, budgetSeconds - elapsed()));
  };

  let epoch = state.epoch;
  for (; epoch < req.epochs; epoch++) {
    if (elapsed() >= budgetSeconds || (epoch > state.epoch && outOfBudget())) {
      stoppedBy = 'minutes';
      break;
    }
    const epochStart = now();
    const order = shuffledIndices(train.length, rng);
    let lossSum = 0;
    let steps = 0;
    let outOfTime = false;
    for (let s = 0; s < stepsPerEpoch; s++) {
      await hooks.breathe();
      if (hooks.cancelled()) return finish('cancelled');
      // Checked before every step, the first epoch's too: the budget includes the validation that follows.
      if (steps > 0 && outOfBudget()) {
        outOfTime = true;
        break;
      }
      if (elapsed() >= budgetSeconds) {
        outOfTime = true;
        break;
      }
      const idx = order.slice(s * batch, (s + 1) * batch);
      const stepStart = now();
      const b = makeBatch(train, idx, size, task, req.augmentation, rng);
      const loss = net.trainStep(b.x, b.y, b.n, { classWeights: req.classWeights, clipNorm: req.clipNorm, dropoutSeed: rng.int(2 ** 31) });
      if (!Number.isFinite(loss)) throw new Error(`the loss became ${loss} at epoch ${epoch + 1}, step ${s + 1}; try a lower --lr or gradient clipping`);
      const ips = (b.n * 1000) / Math.max(1e-3, now() - stepStart);
      imagesPerSecond = imagesPerSecond ? 0.8 * imagesPerSecond + 0.2 * ips : ips;
      lossSum += loss;
      steps++;
      state.stepsDone++;
      state.sinceValidation!.lossSum += loss;
      state.sinceValidation!.steps++;
      hooks.onPoint({
        kind: 'step', epoch: epoch + 1, step: state.stepsDone, stepsPerEpoch, epochs: req.epochs, loss, valLoss: null, valDice: null,
        imagesPerSecond, etaSeconds: eta(epoch, s + 1), ...progress(epoch, false),
      });
      if (validateEvery !== null && state.stepsDone % validateEvery === 0) {
        validateAtStep(epoch, s + 1);
        // The epoch ends here: its checkpoint is written and the run stops after it.
        if (stopEarly) break;
      }
    }
    if (steps === 0) {
      stoppedBy = 'minutes';
      break;
    }
    // End of the epoch (or of the time budget within it): validate (unless every K steps),
    // keep the best, checkpoint.
    const trainLoss = lossSum / steps;
    const valStart = now();
    const v = validateEvery === null && val.length ? validate(net, val, task, batch, req.classWeights, valRng) : null;
    if (v) valSeconds = (now() - valStart) / 1000;
    const score = v ? v.loss : trainLoss;
    const point: TrainPoint = {
      kind: 'epoch', epoch: epoch + 1, step: state.stepsDone, stepsPerEpoch, epochs: req.epochs, loss: trainLoss,
      valLoss: v ? v.loss : null, valDice: v ? v.dice : null, imagesPerSecond, etaSeconds: null,
    };
    curves.push(point);
    if (validateEvery === null) {
      state.sinceValidation = { lossSum: 0, steps: 0 };
      assess(score, trainLoss, v, epoch + 1);
    }
    epochSeconds = (now() - epochStart) / 1000;
    epochsEnded++;
    const patienceOut = stopEarly;
    // Whether this is the last epoch, known before the point is sent so the run ends at 100 %.
    if (!outOfTime && !patienceOut && epoch + 1 < req.epochs && outOfBudget()) outOfTime = true;
    // A run validating every K steps that ends before its first validation validates once
    // now, so it still reports validation metrics and a best.
    if (validateEvery !== null && state.stopping!.validations === 0 && (outOfTime || epoch + 1 >= req.epochs)) {
      curves.pop();
      validateAtStep(epoch, steps);
      curves.push(point);
    }
    const last = outOfTime || patienceOut || epoch + 1 >= req.epochs;
    Object.assign(point, progress(epoch + 1, last));
    point.etaSeconds = last ? 0 : eta(epoch + 1, 0);
    state.epoch = epoch + 1;
    state.rngState = rng.state();
    state.trainingSeconds = elapsed();
    state.curves = curves;
    await hooks.onCheckpoint({ state: { ...state, curves: [...curves] }, weights: net.getWeights(), optimizer: await net.getOptimizerState(), best });
    lastCheckpointEpoch = epoch + 1;
    // Reported after the checkpoint is stored: an epoch point means "resumable from here".
    hooks.onPoint(point);
    if (outOfTime) {
      stoppedBy = 'minutes';
      epoch++;
      break;
    }
    if (patienceOut) {
      stoppedBy = 'early-stopping';
      epoch++;
      break;
    }
  }
  return finish(stoppedBy);

  function finish(reason: StopReason): TrainerResult {
    return {
      stoppedBy: reason,
      weights: best ?? net.getWeights(),
      bestEpoch: state.bestEpoch,
      bestStep: state.bestStep ?? null,
      metrics: {
        ...state.bestMetrics,
        ...(state.bestEpoch !== null ? { bestEpoch: state.bestEpoch } : {}),
        ...(validateEvery !== null && state.bestStep != null ? { bestStep: state.bestStep } : {}),
      },
      curves,
      epochsRun: Math.min(epoch, req.epochs),
      trainingSeconds: elapsed(),
      lastCheckpointEpoch,
    };
  }
}

function metricsOf(trainLoss: number, v: { loss: number; dice: Record<string, number> } | null): Record<string, number> {
  const m: Record<string, number> = { trainLoss };
  if (v) {
    m.valLoss = v.loss;
    for (const [k, d] of Object.entries(v.dice)) m[`dice.${k}`] = d;
  }
  return m;
}
