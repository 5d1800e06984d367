// Turn training points into chart series. Step points carry the running training loss;
// epoch points carry the epoch's training loss, validation loss and validation Dice.
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
  epoch: number;
  epochs: number | null;
  fraction: number | null;
  etaSeconds: number | null;
  imagesPerSecond: number | null;
  lastLoss: number | null;
  lastValLoss: number | null;
}

export function runProgress(points: readonly TrainPoint[]): RunProgress {
  const last = points.at(-1);
  if (!last) return { epoch: 0, epochs: null, fraction: null, etaSeconds: null, imagesPerSecond: null, lastLoss: null, lastValLoss: null };
  const epochs = last.epochs ?? null;
  const spe = last.stepsPerEpoch ?? null;
  const fraction = epochs && spe ? Math.min(1, last.step / (epochs * spe)) : null;
  const lastVal = [...points].reverse().find((p) => p.valLoss !== null);
  const withEta = [...points].reverse().find((p) => p.etaSeconds !== null);
  return {
    epoch: last.epoch,
    epochs,
    fraction,
    etaSeconds: withEta?.etaSeconds ?? null,
    imagesPerSecond: last.imagesPerSecond || null,
    lastLoss: last.loss,
    lastValLoss: lastVal?.valLoss ?? null,
  };
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
