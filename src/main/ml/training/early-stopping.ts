// Early stopping as a pure state machine over validation costs, shared by the image trainer
// (./trainer.ts) and the clip trainer: it only sees one cost per validation, so it does not
// care whether validations come per epoch or every K steps. Two rules:
//   'no-improvement'        stop after `patience` validations without a new best (the
//                           trainer's rule before this module; a best must beat the previous
//                           one by more than minDelta);
//   'consecutive-increases' stop after `patience` validations in a row whose cost is above the
//                           previous validation's (seed 000: validate every 40 steps, stop after
//                           100 consecutive increases).
// Either way the best validation (lowest cost) is tracked so the caller keeps its weights.
// The state is plain JSON so it goes into training checkpoints as it is.
import type { StopRule } from '../../../shared/ml';
import { STOP_RULES } from '../../../shared/ml';

export type { StopRule };
export { STOP_RULES };

export interface EarlyStoppingRule {
  rule: StopRule;
  /** Validations (see above); null or 0: never stop early, only track the best. */
  patience: number | null;
  /** Improvement a new best needs (default 1e-6, the trainer's historical tolerance). */
  minDelta?: number;
}

export interface EarlyStoppingState {
  /** Validations observed so far (1-based index of the last one). */
  validations: number;
  /** Lowest cost so far and the validation (1-based) where it was seen; null before any. */
  bestCost: number | null;
  bestValidation: number | null;
  /** Validations since the best one (0 right after a new best). */
  sinceBest: number;
  /** Validations in a row whose cost rose above the previous one's. */
  increases: number;
  /** The previous validation's cost. */
  lastCost: number | null;
}

export interface EarlyStoppingStep {
  state: EarlyStoppingState;
  /** This validation is the new best: keep the weights now. */
  improved: boolean;
  /** The rule says stop after this validation. */
  stop: boolean;
}

export function initialStopping(): EarlyStoppingState {
  return { validations: 0, bestCost: null, bestValidation: null, sinceBest: 0, increases: 0, lastCost: null };
}

/** Whether `rule` stops a run in `state` (after the validation that produced it). */
export function shouldStop(state: EarlyStoppingState, rule: EarlyStoppingRule): boolean {
  const p = rule.patience;
  if (p === null || !(p > 0)) return false;
  return rule.rule === 'consecutive-increases' ? state.increases >= p : state.sinceBest >= p;
}

/** Feeds one validation cost; returns the next state (the input is not changed). */
export function observeValidation(state: EarlyStoppingState, cost: number, rule: EarlyStoppingRule): EarlyStoppingStep {
  if (!STOP_RULES.includes(rule.rule)) throw new Error(`unknown stop rule '${String(rule.rule)}' (rules: ${STOP_RULES.join(', ')})`);
  const minDelta = rule.minDelta ?? 1e-6;
  const validations = state.validations + 1;
  // A NaN cost is never a best, and counts as an increase (the run is going wrong).
  const improved = Number.isFinite(cost) && (state.bestCost === null || cost < state.bestCost - minDelta);
  const rose = state.lastCost !== null && !(cost <= state.lastCost);
  const next: EarlyStoppingState = {
    validations,
    bestCost: improved ? cost : state.bestCost,
    bestValidation: improved ? validations : state.bestValidation,
    sinceBest: improved ? 0 : state.sinceBest + 1,
    increases: rose ? state.increases + 1 : 0,
    lastCost: cost,
  };
  return { state: next, improved, stop: shouldStop(next, rule) };
}

/**
 * The state of a checkpoint written before this module existed (epoch validations, the
 * no-improvement rule): the best cost and the epochs since it are all it recorded.
 */
export function legacyStopping(bestCost: number | null, bestValidation: number | null, sinceBest: number, validations: number): EarlyStoppingState {
  return { validations, bestCost, bestValidation, sinceBest, increases: 0, lastCost: null };
}
