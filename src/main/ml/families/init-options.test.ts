// The seeds' initialisation options on tiny networks of every image family: Xavier-uniform
// kernels stay within their bound, N(0, 0.1) kernels have std ~0.1, biases start at exactly
// the requested value, and configs without the options build exactly as before.
import * as tf from '@tensorflow/tfjs-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from '../backend/initBackend';
import { deserializeModel, serializeModel } from '../model/serialize';
import type { SegmentationModel } from '../model/segmentation-model';
import { createDeconvnet } from './deconvnet/network/deconvnet';
import { familyInfos, resolveModelSpec } from './registry';
import { createSegnet } from './segnet/network/segnet';
import { createUnet } from './unet/network/unet';

const built: SegmentationModel<never>[] = [];
function keep<T>(m: T): T {
  built.push(m as unknown as SegmentationModel<never>);
  return m;
}

/** The 3x3 / KxK kernels of the conv + BN layers (the 1x1 output kernel is left out: always Glorot). */
function convKernels(m: { variables: ReadonlyMap<string, tf.Variable> }): { name: string; shape: number[]; data: Float32Array }[] {
  return [...m.variables.entries()]
    .filter(([n]) => n.endsWith('/kernel') && !n.startsWith('out/'))
    .map(([name, v]) => ({ name, shape: [...v.shape], data: v.dataSync() as Float32Array }));
}

function biases(m: { variables: ReadonlyMap<string, tf.Variable> }): Float32Array[] {
  return [...m.variables.entries()].filter(([n]) => n.endsWith('/bn/beta') || n === 'out/bias').map(([, v]) => v.dataSync() as Float32Array);
}

const stats = (xs: Float32Array[]): { mean: number; std: number; n: number } => {
  let n = 0;
  let s = 0;
  let s2 = 0;
  for (const a of xs) {
    for (const v of a) {
      n++;
      s += v;
      s2 += v * v;
    }
  }
  const mean = s / n;
  return { mean, std: Math.sqrt(s2 / n - mean * mean), n };
};

describe('kernel and bias initialisation options', () => {
  beforeAll(async () => {
    await initBackend('wasm');
  });
  afterAll(() => {
    for (const m of built) m.dispose();
  });

  it('Xavier-uniform kernels stay within sqrt(6 / (fan-in + fan-out)) and fill it (U-Net, SegNet, DeconvNet)', () => {
    const nets = [
      keep(createUnet({ task: 'multiclass', inputSize: 16, depth: 1, baseFilters: 8, dropout: 0, init: 'xavier' }, 3)),
      keep(createSegnet({ task: 'multiclass', inputSize: 16, depth: 2, kernelSize: 3, baseFilters: 8, maxFilters: 16, dropout: 0, init: 'xavier' }, 3)),
      keep(createDeconvnet({ task: 'binary', inputSize: 16, poolings: '2,2', baseFilters: 8, maxFilters: 16, dropout: 0, init: 'xavier', decoder: 'unpool' }, 3)),
    ];
    for (const net of nets) {
      for (const k of convKernels(net)) {
        const [kh, kw] = k.shape;
        // A transposed kernel is [K, K, Cout, Cin]: the bound is symmetric in the channels.
        const limit = Math.sqrt(6 / (kh * kw * (k.shape[2] + k.shape[3])));
        const maxAbs = k.data.reduce((m, v) => Math.max(m, Math.abs(v)), 0);
        expect(maxAbs, k.name).toBeLessThanOrEqual(limit);
        // Uniform on [-L, L]: the largest of hundreds of draws is close to L, the std is L / sqrt(3).
        expect(maxAbs, k.name).toBeGreaterThan(0.9 * limit);
        const { std } = stats([k.data]);
        expect(std / (limit / Math.sqrt(3)), k.name).toBeGreaterThan(0.85);
        expect(std / (limit / Math.sqrt(3)), k.name).toBeLessThan(1.15);
      }
    }
  });

  it('normal kernels are N(0, 0.1) and biases start at exactly 0.1', () => {
    const nets = [
      keep(createUnet({ task: 'multiclass', inputSize: 16, depth: 1, baseFilters: 8, dropout: 0, init: 'normal', biasInit: 0.1 }, 5)),
      keep(createDeconvnet({ task: 'multiclass', inputSize: 16, poolings: '2,2', baseFilters: 8, maxFilters: 16, dropout: 0, init: 'normal', biasInit: 0.1 }, 5)),
    ];
    for (const net of nets) {
      const { mean, std, n } = stats(convKernels(net).map((k) => k.data));
      expect(n).toBeGreaterThan(5000);
      expect(Math.abs(mean)).toBeLessThan(0.01);
      expect(std).toBeGreaterThan(0.095);
      expect(std).toBeLessThan(0.105);
      const bs = biases(net);
      expect(bs.length).toBeGreaterThan(3);
      for (const b of bs) expect([...b].every((v) => v === Math.fround(0.1))).toBe(true);
    }
  });

  it('configs without the options build exactly as before: He-normal kernels, zero biases', () => {
    const old = keep(createUnet({ task: 'multiclass', inputSize: 16, depth: 1, baseFilters: 8, dropout: 0 }, 9));
    const he = keep(createUnet({ task: 'multiclass', inputSize: 16, depth: 1, baseFilters: 8, dropout: 0, init: 'he', biasInit: 0 }, 9));
    expect(old.config).not.toHaveProperty('init');
    expect(old.config).not.toHaveProperty('biasInit');
    const a = [...old.variables.entries()];
    const b = he.variables;
    for (const [name, v] of a) expect(Array.from(v.dataSync()), name).toEqual(Array.from(b.get(name)!.dataSync()));
    for (const x of biases(old)) expect([...x].every((v) => v === 0)).toBe(true);
    // He-normal: std sqrt(2 / fan-in) on the first layer (fan-in 9 * 3).
    const first = convKernels(old).find((k) => k.name === 'enc0/conv1/kernel')!;
    expect(stats([first.data]).std / Math.sqrt(2 / 27)).toBeGreaterThan(0.8);
    const dnOld = keep(createDeconvnet({ task: 'binary', inputSize: 16, poolings: '2,2', baseFilters: 4, maxFilters: 8, dropout: 0 }, 2));
    expect(dnOld.config).not.toHaveProperty('biasInit');
    for (const x of biases(dnOld)) expect([...x].every((v) => v === 0)).toBe(true);
  });

  it('are family options of every image family (SegNet: kernels only, it has no biases) and stay in the stored config', async () => {
    const infos = familyInfos();
    const flags = (id: string): string[] => infos.find((f) => f.id === id)!.options.map((o) => o.flag);
    expect(flags('unet')).toEqual(expect.arrayContaining(['init', 'bias-init']));
    expect(flags('deconvnet')).toEqual(expect.arrayContaining(['init', 'bias-init']));
    expect(flags('segnet')).toContain('init');
    expect(flags('segnet')).not.toContain('bias-init');
    expect(() => resolveModelSpec({ family: 'segnet', config: { biasInit: 0.1 } })).toThrow(/segnet family has no option 'biasInit'/);
    expect(() => resolveModelSpec({ family: 'unet', config: { init: 'zeros' } })).toThrow(/must be one of he, xavier, normal/);
    const unet = infos.find((f) => f.id === 'unet')!;
    expect(unet.options.find((o) => o.key === 'init')?.help).toBe(infos.find((f) => f.id === 'segnet')!.options.find((o) => o.key === 'init')?.help);

    // A trained model's file keeps them, so fine-tuning and retraining rebuild the same network.
    const net = keep(createUnet({ task: 'binary', inputSize: 16, depth: 1, baseFilters: 4, dropout: 0, init: 'xavier', biasInit: 0.1 }, 1));
    const { modelJson, weights } = await serializeModel(net);
    const back = keep(await deserializeModel(JSON.parse(JSON.stringify(modelJson)) as unknown, weights));
    expect(back.config).toMatchObject({ init: 'xavier', biasInit: 0.1 });
    expect(resolveModelSpec({ family: 'unet', config: { init: 'normal', biasInit: 0.1 } }).config).toMatchObject({ init: 'normal', biasInit: 0.1 });
  });
});
