// The benchmark runs end to end on a tiny configuration (the reference config is for
// `npm run bench`, not for the test suite) and parses the PyTorch reference's output.
import { describe, expect, it } from 'vitest';
import { benchMain, formatBenchmark, median, parseTorchOutput, runBenchmark, type BenchmarkResult } from './benchmark';

describe('benchmark', () => {
  it('times training and inference of a tiny U-Net on wasm', async () => {
    const r = await runBenchmark({ size: 32, depth: 2, base: 4, classes: 3, batch: 2, steps: 2, backend: 'wasm', torch: false, e2e: { images: 12, sizes: [120] } });
    expect(r.backend).toBe('wasm');
    expect(r.backendDetail).toMatch(/^wasm: /);
    expect(r.trainMsPerImageSteps).toHaveLength(2);
    expect(r.trainMsPerImage).toBeGreaterThan(0);
    expect(r.inferMsRuns.length).toBeGreaterThanOrEqual(10);
    expect(r.inferMsPerImage).toBeGreaterThan(0);
    expect(r.params).toBeGreaterThan(1000);
    expect(r.peakRssMb).toBeGreaterThan(10);
    expect(r.torch).toEqual({ available: false, reason: 'disabled' });
    expect(r.ratios).toBeUndefined();
    // The same network on ONNX Runtime: timed, and numerically the same function.
    expect(r.onnx.available).toBe(true);
    expect(r.onnx.inferMsPerImage).toBeGreaterThan(0);
    expect(r.onnx.inferMsPerImageBatch).toBeGreaterThan(0);
    expect(r.onnx.maxProbDiff).toBeLessThan(1e-4);
    expect(r.endToEnd).toEqual([expect.objectContaining({ size: 120, images: 12, format: 'bmp', engine: 'onnxruntime-cpu', failed: 0 })]);
    expect(r.endToEnd[0].imagesPerSecond).toBeGreaterThan(0);
    const text = formatBenchmark(r);
    expect(text).toMatch(/train ms\/image\/step/);
    expect(text).toMatch(/ONNX Runtime infer ms/);
    expect(text).toMatch(/12 images 120x120 bmp {2}onnxruntime-cpu .* images\/s .*target >= 40/);
  });

  it('prints JSON with --json and rejects unknown options', async () => {
    const lines: string[] = [];
    const code = await benchMain(['--size', '16', '--depth=1', '--base', '2', '--batch', '1', '--steps', '1', '--no-torch', '--no-e2e', '--profile', '--json'], (s) => lines.push(s));
    expect(code).toBe(0);
    const parsed = JSON.parse(lines.join('\n')) as BenchmarkResult;
    expect(parsed.config).toEqual({ size: 16, depth: 1, base: 2, classes: 3, batch: 1, steps: 1 });
    expect(parsed.profile?.map((k) => k.kernel)).toContain('Conv2DBackpropFilter');
    expect(parsed.endToEnd).toEqual([]);
    expect(await benchMain(['--frobnicate'], (s) => lines.push(s))).toBe(2);
    expect(await benchMain(['--e2e-sizes', '8'], (s) => lines.push(s))).toBe(2);
  });

  it('parses the reference script output and computes medians', () => {
    const t = parseTorchOutput('warming up\n{"framework": "pytorch", "version": "1.13.0", "threads": 2, "params": 537459, "train_ms_per_image": 40.62, "infer_ms_per_image": 16.57}\n');
    expect(t).toEqual({ available: true, version: '1.13.0', threads: 2, params: 537459, trainMsPerImage: 40.62, inferMsPerImage: 16.57 });
    expect(parseTorchOutput('').available).toBe(false);
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 2, 3])).toBe(2.5);
  });
});
