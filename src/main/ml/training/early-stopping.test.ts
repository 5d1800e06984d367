import { describe, expect, it } from 'vitest';
import { initialStopping, legacyStopping, observeValidation, shouldStop, type EarlyStoppingRule, type EarlyStoppingState } from './early-stopping';

/** Feeds costs in order; returns the 1-based validation at which the rule stopped (null: never) and the last state. */
function feed(costs: number[], rule: EarlyStoppingRule): { stoppedAt: number | null; state: EarlyStoppingState; improvedAt: number[] } {
  let state = initialStopping();
  const improvedAt: number[] = [];
  for (const [i, c] of costs.entries()) {
    const r = observeValidation(state, c, rule);
    state = r.state;
    if (r.improved) improvedAt.push(i + 1);
    if (r.stop) return { stoppedAt: i + 1, state, improvedAt };
  }
  return { stoppedAt: null, state, improvedAt };
}

describe('early stopping: no-improvement', () => {
  it('stops after patience validations without a new best and tracks the best', () => {
    const r = feed([1, 0.8, 0.9, 0.85, 0.7, 0.75, 0.72, 0.71, 0.6], { rule: 'no-improvement', patience: 3 });
    expect(r.improvedAt).toEqual([1, 2, 5]);
    expect(r.stoppedAt).toBe(8);
    expect(r.state).toMatchObject({ validations: 8, bestCost: 0.7, bestValidation: 5, sinceBest: 3 });
  });

  it('needs more than minDelta to count as a new best', () => {
    const r = feed([1, 0.9999999, 0.99], { rule: 'no-improvement', patience: null });
    expect(r.improvedAt).toEqual([1, 3]);
    const strict = feed([1, 0.95, 0.9], { rule: 'no-improvement', patience: null, minDelta: 0.2 });
    expect(strict.improvedAt).toEqual([1]);
  });

  it('never stops with patience null or 0, but still tracks the best', () => {
    const costs = Array.from({ length: 50 }, (_, i) => 1 + i);
    for (const patience of [null, 0]) {
      const r = feed(costs, { rule: 'no-improvement', patience });
      expect(r.stoppedAt).toBeNull();
      expect(r.state.bestValidation).toBe(1);
      expect(r.state.sinceBest).toBe(49);
    }
  });
});

describe('early stopping: consecutive-increases (seed 000)', () => {
  it('stops after N increases in a row; a decrease or a tie resets the count', () => {
    const rule: EarlyStoppingRule = { rule: 'consecutive-increases', patience: 3 };
    // 1 up, 2 up, down (reset), tie (reset), up, up, up -> stop at validation 8.
    const r = feed([1, 1.1, 1.2, 1.05, 1.05, 1.06, 1.07, 1.08, 1.09], rule);
    expect(r.stoppedAt).toBe(8);
    expect(r.state.increases).toBe(3);
    expect(r.state.bestValidation).toBe(1);
  });

  it('does not stop while costs rise and fall without a new best (unlike no-improvement)', () => {
    const zigzag = Array.from({ length: 200 }, (_, i) => 2 + (i % 2 === 0 ? 0.1 : 0.2));
    expect(feed(zigzag, { rule: 'consecutive-increases', patience: 2 }).stoppedAt).toBeNull();
    expect(feed(zigzag, { rule: 'no-improvement', patience: 2 }).stoppedAt).toBe(3);
  });

  it('runs the seed 000 rule: 100 consecutive increases', () => {
    const costs = [...Array.from({ length: 20 }, (_, i) => 1 - i * 0.01), ...Array.from({ length: 150 }, (_, i) => 0.9 + i * 0.001)];
    const r = feed(costs, { rule: 'consecutive-increases', patience: 100 });
    // The first rising cost (validation 21) is already above validation 20's; the 100th increase is validation 120.
    expect(r.stoppedAt).toBe(120);
    expect(r.state.bestValidation).toBe(20);
  });

  it('counts a non-finite cost as an increase and never as a best', () => {
    const r = feed([1, Number.NaN, 0.5], { rule: 'consecutive-increases', patience: 5 });
    expect(r.improvedAt).toEqual([1, 3]);
    const s = observeValidation(observeValidation(initialStopping(), 1, { rule: 'consecutive-increases', patience: 5 }).state, Number.NaN, { rule: 'consecutive-increases', patience: 5 });
    expect(s.state.increases).toBe(1);
  });
});

describe('early stopping state', () => {
  it('does not change the state it is given and is plain JSON', () => {
    const s0 = initialStopping();
    const frozen = JSON.stringify(s0);
    const r = observeValidation(s0, 0.5, { rule: 'no-improvement', patience: 1 });
    expect(JSON.stringify(s0)).toBe(frozen);
    expect(JSON.parse(JSON.stringify(r.state))).toEqual(r.state);
  });

  it('refuses an unknown rule', () => {
    expect(() => observeValidation(initialStopping(), 1, { rule: 'sometimes' as never, patience: 1 })).toThrow(/unknown stop rule 'sometimes'.*no-improvement, consecutive-increases/);
  });

  it('continues a legacy (epoch) checkpoint with the no-improvement rule', () => {
    const s = legacyStopping(0.3, 2, 1, 3);
    expect(shouldStop(s, { rule: 'no-improvement', patience: 2 })).toBe(false);
    const r = observeValidation(s, 0.4, { rule: 'no-improvement', patience: 2 });
    expect(r.stop).toBe(true);
    expect(r.state).toMatchObject({ validations: 4, bestValidation: 2, sinceBest: 2 });
  });
});
