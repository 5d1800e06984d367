import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { onnx } from 'onnx-proto';
import type { ModelTask } from '../../../shared/domain';
import { makeCell, tempDir } from '../../testing/fixtures';
import { initBackend } from '../backend/initBackend';
import { BN_EPSILON as TFJS_BN_EPSILON } from '../model/layers';
import { createNetwork, type SegmentationNetwork } from '../training/network';
import { buildOnnx, ExportError, writeOnnxFolder, writeTritonRepository, type ExportSource } from './export-onnx';
import { checkSegmentationModel, encodeModel, readModelInfo } from './onnx-model';
import { OrtEngine } from './ort-engine';
import { BN_EPSILON } from './graph-builder';
import { unetFamily } from '../families/unet';

/** A network with non-trivial batch-norm statistics (fresh ones are mean 0 / var 1). */
async function randomNet(task: ModelTask, seed: number, inputSize = 32, depth = 2): Promise<SegmentationNetwork> {
  const net = await createNetwork({ family: 'unet', config: { task, inputSize, depth, baseFilters: 8, dropout: 0.5, inChannels: 3 } }, seed);
  let s = seed * 7919;
  const rand = (): number => ((s = (s * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff);
  net.setWeights(net.getWeights().map((w) => {
    if (w.name.endsWith('moving_mean')) return { ...w, data: w.data.map(() => (rand() - 0.5) * 0.4) };
    if (w.name.endsWith('moving_variance')) return { ...w, data: w.data.map(() => 0.3 + rand() * 2) };
    if (w.name.endsWith('gamma')) return { ...w, data: w.data.map(() => 0.5 + rand()) };
    if (w.name.endsWith('beta') || w.name === 'out/bias') return { ...w, data: w.data.map(() => (rand() - 0.5) * 0.2) };
    return w;
  }));
  return net;
}

async function source(net: SegmentationNetwork, name = 'unet', version = 3): Promise<ExportSource> {
  const s = await net.serialize();
  return { name, version, modelJson: s.modelJson, weights: s.weights, exportedBy: 'HemaSeg test' };
}

/** n generated cell images at h x w, as NHWC floats in [0, 1]. */
function images(n: number, h: number, w: number, seed: number): Float32Array {
  const x = new Float32Array(n * h * w * 3);
  for (let k = 0; k < n; k++) {
    const { rgb } = makeCell(seed + k, w, h);
    for (let i = 0; i < rgb.length; i++) x[k * h * w * 3 + i] = rgb[i] / 255;
  }
  return x;
}

function compare(a: Float32Array, b: Float32Array, c: number): { maxDiff: number; agreement: number } {
  let maxDiff = 0;
  for (let i = 0; i < a.length; i++) maxDiff = Math.max(maxDiff, Math.abs(a[i] - b[i]));
  const px = a.length / c;
  let same = 0;
  for (let p = 0; p < px; p++) {
    const arg = (v: Float32Array): number => {
      if (c === 1) return v[p] >= 0.5 ? 1 : 0;
      let best = 0;
      for (let k = 1; k < c; k++) if (v[p * c + k] > v[p * c + best]) best = k;
      return best;
    };
    if (arg(a) === arg(b)) same++;
  }
  return { maxDiff, agreement: same / px };
}

describe('ONNX export of the U-Net', () => {
  beforeAll(async () => {
    await initBackend('wasm');
  });

  it('folds batch norm with the same epsilon as the tfjs layers', () => {
    expect(BN_EPSILON).toBe(TFJS_BN_EPSILON);
  });

  for (const task of ['multiclass', 'multiclass-edge', 'binary'] as const) {
    it(`matches the tfjs network (${task}): probabilities within 1e-4, classes >= 99.9 %, any batch and size`, async () => {
      const net = await randomNet(task, task.length);
      const e = buildOnnx(await source(net));
      const engine = await OrtEngine.create(e.bytes);
      try {
        expect(engine.channels).toBe(net.channels);
        expect(engine.sizeMultiple).toBe(4);
        for (const [n, h, w] of [[3, 32, 32], [2, 48, 64]] as const) {
          const x = images(n, h, w, 11 * n + h);
          const ref = net.predictProbs(x, n, h, w);
          const got = await engine.forward(x, n, h, w);
          expect(got.length).toBe(ref.length);
          const r = compare(got, ref, net.channels);
          expect(r.maxDiff).toBeLessThan(1e-4);
          expect(r.agreement).toBeGreaterThanOrEqual(0.999);
        }
      } finally {
        engine.dispose();
        net.dispose();
      }
    });
  }

  it('records opset, dynamic dims and metadata, and writes ONNX and Triton folders', async () => {
    const net = await randomNet('multiclass-edge', 5);
    const src = await source(net, 'wbc net', 2);
    net.dispose();
    const info = readModelInfo(buildOnnx(src).bytes, 'x');
    expect(info.opset).toBeGreaterThanOrEqual(13);
    expect(info.inputs).toEqual([{ name: 'image', elemType: 1, dims: ['batch', 'height', 'width', 3] }]);
    expect(info.outputs[0].dims).toEqual(['batch', 'height', 'width', 4]);
    expect(JSON.parse(info.metadata.classes)).toEqual(['background', 'cytoplasm', 'nucleus', 'edge']);
    expect(info.metadata).toMatchObject({ task: 'multiclass-edge', input_size: '32', size_multiple: '4', model_ref: 'wbc net@2', input_layout: 'NHWC' });
    expect(info.metadata.weights_sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(info.metadata.normalisation).toContain('[0, 1]');

    const dir = tempDir('hemaseg-onnx-');
    const files = writeOnnxFolder(join(dir, 'onnx'), src);
    expect(files.every((f) => existsSync(f))).toBe(true);
    const side = JSON.parse(readFileSync(files[1], 'utf8')) as Record<string, string>;
    expect(side.onnx_sha256).toMatch(/^[0-9a-f]{64}$/);

    const repo = writeTritonRepository(join(dir, 'triton'), src);
    expect(repo.map((f) => f.slice(dir.length + 1))).toEqual(['triton/wbc_net/2/model.onnx', 'triton/wbc_net/config.pbtxt', 'triton/README.md']);
    const cfg = readFileSync(repo[1], 'utf8');
    expect(cfg).toContain('name: "wbc_net"');
    expect(cfg).toContain('platform: "onnxruntime_onnx"');
    expect(cfg).toMatch(/name: "image"\s+data_type: TYPE_FP32\s+dims: \[ -1, -1, 3 \]/);
    expect(cfg).toMatch(/name: "probabilities"\s+data_type: TYPE_FP32\s+dims: \[ -1, -1, 4 \]/);
    expect(cfg).toContain('dynamic_batching');
    expect(cfg).toMatch(/instance_group \[\s+\{\s+count: 2\s+kind: KIND_CPU/);
    expect(readFileSync(repo[2], 'utf8')).toContain('tritonserver --model-repository');
  });

  it('loads in a plain onnxruntime-node session outside HemaSeg and gives the same masks', async () => {
    const net = await randomNet('multiclass', 9);
    const dir = tempDir('hemaseg-onnx-plain-');
    const [file] = writeOnnxFolder(dir, await source(net));
    const [n, h, w] = [2, 32, 32];
    const x = images(n, h, w, 3);
    writeFileSync(join(dir, 'in.f32'), Buffer.from(x.buffer));
    const run = spawnSync(process.execPath, [join(__dirname, 'tools', 'plain-session.mjs'), file, join(dir, 'in.f32'), String(n), String(h), String(w), join(dir, 'out.f32')], { encoding: 'utf8' });
    expect(run.stderr).toBe('');
    expect(JSON.parse(run.stdout)).toEqual({ inputs: ['image'], outputs: ['probabilities'], dims: [n, h, w, 3] });
    const b = readFileSync(join(dir, 'out.f32'));
    const got = new Float32Array(b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength));
    const r = compare(got, net.predictProbs(x, n, h, w), 3);
    net.dispose();
    expect(r.maxDiff).toBeLessThan(1e-4);
    expect(r.agreement).toBe(1);
  });

  it('refuses models it cannot export, saying why', async () => {
    const net = await randomNet('multiclass', 2);
    const src = await source(net);
    net.dispose();
    const other = JSON.stringify({ ...JSON.parse(src.modelJson), format: 'hemaseg-segnet' });
    expect(() => buildOnnx({ ...src, modelJson: other })).toThrow(/not a HemaSeg model \(format 'hemaseg-segnet'/);
    // The exporter asks the family: one without a graph builder is refused, naming the family.
    const graph = unetFamily.onnxGraph;
    delete unetFamily.onnxGraph;
    try {
      expect(() => buildOnnx(src)).toThrow(/the unet family has no ONNX graph builder/);
    } finally {
      unetFamily.onnxGraph = graph;
    }
    expect(() => buildOnnx({ ...src, weights: src.weights.subarray(0, 100) })).toThrow(ExportError);
    expect(() => buildOnnx({ ...src, weights: src.weights.subarray(0, 100) })).toThrow(/shorter than model.json/);
  });
});

describe('ONNX files from elsewhere', () => {
  /** A one-node model (Identity or Transpose) with the given signature and metadata. */
  function foreign(inDims: (number | string)[], outDims: (number | string)[], metadata: Record<string, string> = {}): Uint8Array {
    const same = inDims.join() === outDims.join();
    return encodeModel({
      name: 'foreign',
      nodes: [same ? { op: 'Identity', name: 'id', inputs: ['x'], outputs: ['y'] } : { op: 'Transpose', name: 't', inputs: ['x'], outputs: ['y'], attrs: { perm: [0, 1, 2, 3] } }],
      initializers: [],
      input: { name: 'x', dims: inDims },
      output: { name: 'y', dims: outDims },
    }, metadata, 'test');
  }

  it('accepts a plain NHWC model with 3 classes and runs it', async () => {
    const bytes = foreign(['n', 'h', 'w', 3], ['n', 'h', 'w', 3]);
    const meta = checkSegmentationModel(readModelInfo(bytes, 'other.onnx'), 'other.onnx');
    expect(meta.task).toBe('multiclass');
    const engine = await OrtEngine.create(bytes, { label: 'other.onnx' });
    // Without HemaSeg metadata the size multiple is assumed to be 16 (a depth-4 U-Net).
    expect(engine.sizeMultiple).toBe(16);
    const x = Float32Array.from({ length: 2 * 16 * 16 * 3 }, (_, i) => (i % 255) / 255);
    expect(Array.from(await engine.forward(x, 2, 16, 16))).toEqual(Array.from(x));
    engine.dispose();
  });

  it('refuses NCHW inputs, fixed sizes, wrong class counts and wrong classes with clear messages', async () => {
    const check = (b: Uint8Array): void => {
      checkSegmentationModel(readModelInfo(b, 'other.onnx'), 'other.onnx');
    };
    expect(() => check(foreign(['n', 3, 'h', 'w'], ['n', 3, 'h', 'w']))).toThrow(/other.onnx: input 'x' has shape \[n, 3, h, w\] \(this looks like an NCHW model/);
    expect(() => check(foreign([1, 256, 256, 3], [1, 256, 256, 3]))).toThrow(/fixed size \[1, 256, 256, 3\]/);
    expect(() => check(foreign(['n', 'h', 'w', 3], ['n', 'h', 'w', 2]))).toThrow(/has 2 class channels/);
    expect(() => check(foreign(['n', 'h', 'w', 3], ['n', 'h', 'w', 3], { classes: '["background","nucleus","cytoplasm"]' }))).toThrow(/classes are \["background","nucleus","cytoplasm"\]/);
    expect(() => check(foreign(['n', 'h', 'w', 3], ['n', 'h', 'w', 3], { task: 'multiclass-edge' }))).toThrow(/task 'multiclass-edge' but the output has 3 channels/);
    expect(() => check(new Uint8Array([1, 2, 3, 4, 5]))).toThrow(/other.onnx: not an ONNX model/);
    await expect(OrtEngine.fromFile('/nonexistent/model.onnx')).rejects.toThrow(/\/nonexistent\/model.onnx: cannot read \(ENOENT\)/);
  });

  it('uses the onnx-proto schema (the file decodes as a ModelProto)', () => {
    const bytes = foreign(['n', 'h', 'w', 3], ['n', 'h', 'w', 3]);
    const m = onnx.ModelProto.decode(bytes);
    expect(m.producerName).toBe('HemaSeg');
  });
});
