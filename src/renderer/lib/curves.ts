// Turn training points into chart series. Step points carry the running training loss;
// epoch points carry the epoch's training loss, validation loss and validation Dice;
// validation points (runs validating every K steps) carry validation loss and Dice at their step.
import type { TrainPoint } from '../../shared/ml';

export interface XY {
  x: number;
  y: number;
}

export interface CurveSeries {
  stepLoss: XY[];
  epochLoss: XY[];
  valLoss: XY[];
  dice: Record<string, XY[]>;
}

/** x in epochs (fractional for steps), so step and epoch points share one axis. */
export function toSeries(points: readonly TrainPoint[]): CurveSeries {
  const out: CurveSeries = { stepLoss: [], epochLoss: [], valLoss: [], dice: {} };
  for (const p of points) {
    if (p.kind === 'validation') {
      // Validation every K steps: plotted at its step, between the epochs.
      const spe = p.stepsPerEpoch && p.stepsPerEpoch > 0 ? p.stepsPerEpoch : null;
      const x = spe ? p.step / spe : p.epoch;
      if (p.valLoss !== null && Number.isFinite(p.valLoss)) out.valLoss.push({ x, y: p.valLoss });
      for (const [cls, v] of Object.entries(p.valDice ?? {})) if (Number.isFinite(v)) (out.dice[cls] ??= []).push({ x, y: v });
      continue;
    }
    const isEpoch = p.kind === 'epoch' || (p.kind === undefined && (p.valLoss !== null || p.valDice !== null));
    if (!isEpoch) {
      const spe = p.stepsPerEpoch && p.stepsPerEpoch > 0 ? p.stepsPerEpoch : null;
      const x = spe ? p.step / spe : p.epoch;
      if (Number.isFinite(p.loss)) out.stepLoss.push({ x, y: p.loss });
      continue;
    }
    if (Number.isFinite(p.loss)) out.epochLoss.push({ x: p.epoch, y: p.loss });
    if (p.valLoss !== null && Number.isFinite(p.valLoss)) out.valLoss.push({ x: p.epoch, y: p.valLoss });
    for (const [cls, v] of Object.entries(p.valDice ?? {})) if (Number.isFinite(v)) (out.dice[cls] ??= []).push({ x: p.epoch, y: v });
  }
  return out;
}

export interface RunProgress {
  /** The epoch in progress (1-based as the engine reports it). */
  epoch: number;
  /** Epochs completed; null when the points do not say (old rows). */
  epochsDone: number | null;
  /** Epochs the run is expected to complete; null until the first epoch ended. */
  epochs: number | null;
  fraction: number | null;
  etaSeconds: number | null;
  imagesPerSecond: number | null;
  lastLoss: number | null;
  lastValLoss: number | null;
  elapsedSeconds: number | null;
  budgetSeconds: number | null;
  final: boolean;
}

export function runProgress(points: readonly TrainPoint[]): RunProgress {
  const last = points.at(-1);
  if (!last) return { epoch: 0, epochsDone: null, epochs: null, fraction: null, etaSeconds: null, imagesPerSecond: null, lastLoss: null, lastValLoss: null, elapsedSeconds: null, budgetSeconds: null, final: false };
  const spe = last.stepsPerEpoch ?? null;
  const epochEnded = points.some((p) => p.kind === 'epoch' || (p.kind === undefined && p.valLoss !== null));
  // Newer engines say how many epochs they expect once one has ended; older points carry
  // the planned count, shown only after an epoch ended so nothing is claimed too early.
  const epochs = last.epochsExpected !== undefined ? last.epochsExpected : epochEnded ? (last.epochs ?? null) : null;
  const planned = last.epochs ?? null;
  const fraction = last.final ? 1 : last.fraction !== undefined ? last.fraction : planned && spe ? Math.min(1, last.step / (planned * spe)) : null;
  const lastVal = [...points].reverse().find((p) => p.valLoss !== null);
  const withEta = [...points].reverse().find((p) => p.etaSeconds !== null);
  const done = last.epochsDone ?? (epochEnded ? [...points].reverse().find((p) => p.kind === 'epoch' || p.valLoss !== null)?.epoch ?? null : 0);
  return {
    epoch: last.epoch,
    epochsDone: done,
    epochs,
    fraction,
    etaSeconds: withEta?.etaSeconds ?? null,
    imagesPerSecond: last.imagesPerSecond || null,
    lastLoss: last.loss,
    lastValLoss: lastVal?.valLoss ?? null,
    elapsedSeconds: last.elapsedSeconds ?? null,
    budgetSeconds: last.budgetSeconds ?? null,
    final: last.final ?? false,
  };
}

/** "0.4 / 1 min" for budgeted runs, null otherwise. */
export function budgetLabel(p: Pick<RunProgress, 'elapsedSeconds' | 'budgetSeconds'>, finished: boolean): string | null {
  if (!p.budgetSeconds) return null;
  const min = (s: number): string => (s / 60 < 10 ? (s / 60).toFixed(1) : Math.round(s / 60).toString());
  const elapsed = finished ? Math.min(p.elapsedSeconds ?? p.budgetSeconds, p.budgetSeconds * 2) : (p.elapsedSeconds ?? 0);
  return `${min(elapsed)} / ${min(p.budgetSeconds)} min`;
}

/** Models ordered as a lineage forest: each fine-tuned version right under its parent. */
export function lineageOrder<T extends { ref: string; parentRef: string | null; createdAt: string }>(models: readonly T[]): { model: T; depth: number }[] {
  const byRef = new Map(models.map((m) => [m.ref, m]));
  const children = new Map<string | null, T[]>();
  for (const m of models) {
    const parent = m.parentRef && byRef.has(m.parentRef) ? m.parentRef : null;
    (children.get(parent) ?? children.set(parent, []).get(parent))?.push(m);
  }
  for (const list of children.values()) list.sort((a, b) => a.createdAt.localeCompare(b.createdAt));
  const out: { model: T; depth: number }[] = [];
  const seen = new Set<string>();
  const walk = (parent: string | null, depth: number): void => {
    for (const m of children.get(parent) ?? []) {
      if (seen.has(m.ref)) continue;
      seen.add(m.ref);
      out.push({ model: m, depth });
      walk(m.ref, depth + 1);
    }
  };
  walk(null, 0);
  return out;
}
