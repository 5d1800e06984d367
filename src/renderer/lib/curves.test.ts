import { describe, expect, it } from 'vitest';
import type { TrainPoint } from '../../shared/ml';
import { budgetLabel, lineageOrder, runProgress, toSeries } from './curves';

const step = (step: number, loss: number): TrainPoint => ({ kind: 'step', epoch: Math.ceil(step / 4), step, stepsPerEpoch: 4, epochs: 2, loss, valLoss: null, valDice: null, imagesPerSecond: 10, etaSeconds: 30 - step });
const epoch = (e: number, loss: number, val: number, dice: Record<string, number>): TrainPoint => ({ kind: 'epoch', epoch: e, step: e * 4, stepsPerEpoch: 4, epochs: 2, loss, valLoss: val, valDice: dice, imagesPerSecond: 10, etaSeconds: null });

describe('training curves', () => {
  it('splits step and epoch points onto one epoch axis', () => {
    const pts = [step(1, 1), step(2, 0.9), epoch(1, 0.95, 1.1, { nucleus: 0.5, cytoplasm: 0.4 }), step(6, 0.7), epoch(2, 0.7, 0.8, { nucleus: 0.7, cytoplasm: 0.6 })];
    const s = toSeries(pts);
    expect(s.stepLoss).toEqual([{ x: 0.25, y: 1 }, { x: 0.5, y: 0.9 }, { x: 1.5, y: 0.7 }]);
    expect(s.valLoss).toEqual([{ x: 1, y: 1.1 }, { x: 2, y: 0.8 }]);
    expect(s.dice.nucleus).toEqual([{ x: 1, y: 0.5 }, { x: 2, y: 0.7 }]);
    const p = runProgress(pts);
    expect(p.fraction).toBe(1);
    expect(p.lastValLoss).toBe(0.8);
    expect(p.etaSeconds).toBe(24);
  });

  it('plots validations every K steps at their step, not as training loss', () => {
    const validation = (st: number, val: number): TrainPoint => ({ ...step(st, 0.5), kind: 'validation', valLoss: val, valDice: { nucleus: 0.6 } });
    const pts = [step(1, 1), step(2, 0.9), validation(2, 1.2), step(3, 0.8), step(4, 0.7), validation(4, 1.0), { ...epoch(1, 0.85, 0, {}), valLoss: null, valDice: null }, step(5, 0.6), validation(6, 0.9)];
    const s = toSeries(pts);
    expect(s.stepLoss.map((p) => p.x)).toEqual([0.25, 0.5, 0.75, 1, 1.25]);
    expect(s.valLoss).toEqual([{ x: 0.5, y: 1.2 }, { x: 1, y: 1.0 }, { x: 1.5, y: 0.9 }]);
    expect(s.dice.nucleus.map((p) => p.x)).toEqual([0.5, 1, 1.5]);
    expect(s.epochLoss).toEqual([{ x: 1, y: 0.85 }]);
    expect(runProgress(pts).lastValLoss).toBe(0.9);
  });

  it('claims no epoch count before an epoch ended, shows budget minutes, and 100 % when final', () => {
    const early = runProgress([step(1, 1), step(2, 0.9)]);
    expect(early.epochs).toBeNull();
    expect(early.epochsDone).toBe(0);
    const budgeted: TrainPoint = { ...step(3, 0.8), epochsDone: 0, epochsExpected: null, elapsedSeconds: 24, budgetSeconds: 60, fraction: 0.4 };
    const p = runProgress([budgeted]);
    expect(p.epochs).toBeNull();
    expect(p.fraction).toBe(0.4);
    expect(budgetLabel(p, false)).toBe('0.4 / 1.0 min');
    const last: TrainPoint = { ...epoch(1, 0.7, 0.8, {}), epochsDone: 1, epochsExpected: 1, elapsedSeconds: 61, budgetSeconds: 60, fraction: 0.98, final: true };
    const f = runProgress([budgeted, last]);
    expect(f.fraction).toBe(1);
    expect(f.epochsDone).toBe(1);
    expect(f.epochs).toBe(1);
  });

  it('orders models as a lineage forest', () => {
    const m = (ref: string, parentRef: string | null, createdAt: string) => ({ ref, parentRef, createdAt });
    const order = lineageOrder([m('b@1', null, '2'), m('a@2', 'a@1', '3'), m('a@1', null, '1'), m('a@3', 'a@2', '4'), m('c@1', 'gone@1', '5')]);
    expect(order.map((o) => `${o.model.ref}:${o.depth}`)).toEqual(['a@1:0', 'a@2:1', 'a@3:2', 'b@1:0', 'c@1:0']);
  });
});
