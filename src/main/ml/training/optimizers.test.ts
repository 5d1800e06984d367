// The optimiser choice of a training request (TrainRequest.optimizer): Adam, RMSProp and SGD
// each lower the loss of a tiny network on a toy task on wasm, and their state survives a
// checkpoint round trip (the resume path) with the right number of slots.
import { beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from '../backend/initBackend';
import { toyDisks } from '../model/toy-disks';
import { createNetwork } from './network';
import type { OptimizerName } from '../../../shared/ml';

describe('optimizers', () => {
  beforeAll(async () => {
    await initBackend('wasm');
  });

  for (const [optimizer, lr, slots] of [['adam', 3e-3, 2], ['rmsprop', 3e-3, 2], ['sgd', 0.1, 0]] as [OptimizerName, number, number][]) {
    it(`${optimizer} lowers the loss and its state round-trips`, async () => {
      const spec = { family: 'segnet', config: { task: 'binary', inputSize: 32, depth: 2, kernelSize: 3, baseFilters: 4, maxFilters: 8, dropout: 0 } };
      const net = await createNetwork(spec, 3, { learningRate: lr, optimizer });
      const losses: number[] = [];
      for (let step = 0; step < 25; step++) {
        const d = toyDisks(8, 32, step + 1);
        losses.push(net.trainStep(d.x, Uint8Array.from(d.labels), 8, {}));
      }
      const first = losses.slice(0, 5).reduce((a, b) => a + b) / 5;
      const last = losses.slice(-5).reduce((a, b) => a + b) / 5;
      expect(last).toBeLessThan(first * 0.8);
      const state = await net.getOptimizerState();
      const trainable = 2 * 2 * 3 + 2; // 4 conv layers x (kernel, gamma, beta) + out kernel and bias
      expect(state).toHaveLength(1 + slots * trainable);
      expect(state[0].data[0]).toBe(25);
      const copy = await createNetwork(spec, 3, { learningRate: lr, optimizer });
      await copy.setOptimizerState(state);
      expect((await copy.getOptimizerState()).map((s) => Array.from(s.data))).toEqual(state.map((s) => Array.from(s.data)));
      if (slots > 0) await expect(copy.setOptimizerState(state.slice(1))).rejects.toThrow(/optimizer state has/);
      net.dispose();
      copy.dispose();
    });
  }

  it('refuses an unknown optimizer', async () => {
    const net = await createNetwork({ family: 'segnet', config: { inputSize: 16, depth: 1, baseFilters: 2, maxFilters: 2 } }, 1, { optimizer: 'adagrad' as OptimizerName });
    const d = toyDisks(1, 16, 1);
    expect(() => net.trainStep(d.x, Uint8Array.from(d.labels), 1, {})).toThrow(/unknown optimizer 'adagrad' \(optimizers: adam, rmsprop, sgd\)/);
    net.dispose();
  });
});
