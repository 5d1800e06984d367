// ONNX export of SegNet and DeconvNet: each graph (MaxPool indices + MaxUnpool, Resize,
// transposed convs rewritten as convs) run by ONNX Runtime gives the tfjs network's
// probabilities within 1e-4, for every task, decoder, up-sampling and activation, any batch
// and size the poolings divide.
import { beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from '../backend/initBackend';
import { buildOnnx } from '../onnx/export-onnx';
import { OrtEngine } from '../onnx/ort-engine';
import { createNetwork } from '../training/network';
import { createRng } from '../model/random';
import type { ModelSpec } from '../../../shared/ml';

const CASES: { label: string; spec: ModelSpec; multiple: number; sizes: [number, number, number][] }[] = [
  { label: 'segnet multiclass-edge relu', spec: { family: 'segnet', config: { task: 'multiclass-edge', inputSize: 32, depth: 3, kernelSize: 5, baseFilters: 4, maxFilters: 8 } }, multiple: 8, sizes: [[2, 32, 32], [1, 24, 40]] },
  { label: 'segnet binary leaky', spec: { family: 'segnet', config: { task: 'binary', activation: 'leaky', inputSize: 32, depth: 2, kernelSize: 3, baseFilters: 4, maxFilters: 8 } }, multiple: 4, sizes: [[2, 32, 32], [1, 20, 36]] },
  { label: 'deconvnet upsample nearest', spec: { family: 'deconvnet', config: { task: 'multiclass', inputSize: 24, baseFilters: 2, maxFilters: 4 } }, multiple: 24, sizes: [[2, 24, 24], [1, 48, 24]] },
  { label: 'deconvnet upsample bilinear leaky', spec: { family: 'deconvnet', config: { task: 'binary', inputSize: 24, upsampling: 'bilinear', activation: 'leaky', baseFilters: 2, maxFilters: 4 } }, multiple: 24, sizes: [[2, 24, 24], [1, 48, 24]] },
  { label: 'deconvnet unpool', spec: { family: 'deconvnet', config: { task: 'multiclass-edge', inputSize: 24, decoder: 'unpool', baseFilters: 2, maxFilters: 4 } }, multiple: 24, sizes: [[2, 24, 24], [1, 48, 24]] },
];

describe('ONNX export of SegNet and DeconvNet', () => {
  beforeAll(async () => {
    await initBackend('wasm');
  });

  for (const t of CASES) {
    it(`matches the tfjs network (${t.label}) within 1e-4`, async () => {
      const net = await createNetwork(t.spec, 7);
      const rng = createRng(t.label.length);
      // Non-trivial batch-norm statistics (fresh ones are mean 0 / var 1).
      net.setWeights(
        net.getWeights().map((w) => {
          if (w.name.endsWith('moving_mean')) return { ...w, data: w.data.map(() => (rng() - 0.5) * 0.4) };
          if (w.name.endsWith('moving_variance')) return { ...w, data: w.data.map(() => 0.3 + rng() * 2) };
          if (w.name.endsWith('beta')) return { ...w, data: w.data.map(() => (rng() - 0.5) * 0.2) };
          return w;
        }),
      );
      const s = await net.serialize();
      const e = buildOnnx({ name: t.spec.family, version: 1, modelJson: s.modelJson, weights: s.weights, exportedBy: 'HemaSeg test' });
      const engine = await OrtEngine.create(e.bytes);
      try {
        expect(engine.channels).toBe(net.channels);
        expect(engine.sizeMultiple).toBe(t.multiple);
        for (const [n, h, w] of t.sizes) {
          const x = new Float32Array(n * h * w * 3).map(() => rng());
          const ref = net.predictProbs(x, n, h, w);
          const got = await engine.forward(x, n, h, w);
          expect(got.length).toBe(ref.length);
          let maxDiff = 0;
          for (let i = 0; i < got.length; i++) maxDiff = Math.max(maxDiff, Math.abs(got[i] - ref[i]));
          expect(maxDiff).toBeLessThan(1e-4);
        }
      } finally {
        engine.dispose();
        net.dispose();
      }
    });
  }
});
