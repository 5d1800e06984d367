// `npm run bench` / `hemaseg bench`: times the reference U-Net (issue 4, section 7) on the
// active backend and, when /usr/bin/python3 has torch, the same network in PyTorch
// (shared/bench/torch_unet_ref.py) in the same run, and reports the ratios against the
// targets (training <= 8x PyTorch per image per step, inference <= 5x).
import * as tf from '@tensorflow/tfjs-core';
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ModelTask } from '../../../shared/domain';
import { initBackend, type BackendName } from '../backend/initBackend';
import { createOptimizer, trainStep } from '../model/train';
import { createUnet } from '../families/unet/network/unet';
import { serializeModel } from '../model/serialize';
import { buildOnnx } from '../onnx/export-onnx';
import { formatStreaming, runStreamingBench, type StreamingTime } from './streaming';
import { OrtEngine } from '../onnx/ort-engine';
import { runEndToEnd, type EndToEndResult } from './end-to-end';

export interface BenchmarkOptions {
  size?: number;
  depth?: number;
  base?: number;
  /** 1 (binary), 3 (multiclass) or 4 (multiclass-edge). */
  classes?: number;
  batch?: number;
  /** Timed training steps (after one warm-up step). */
  steps?: number;
  /** Backend to start from (falls back as initBackend does). */
  backend?: BackendName;
  /** Run the PyTorch reference when available. Default true. */
  torch?: boolean;
  python?: string;
  torchScript?: string;
  /** Also profile one training step kernel by kernel. */
  profile?: boolean;
  /** Threads for both sides (wasm pool and torch.set_num_threads). Default: all CPUs. */
  threads?: number;
  /** Time the same network exported to ONNX on ONNX Runtime. Default true. */
  onnx?: boolean;
  /** End-to-end batch segmentation: images per project and image sizes; false = skip. Default 1000 at 120 and 480 px. */
  e2e?: { images: number; sizes: number[] } | false;
  /** Streaming speed of the LSTM-CNN variants (./streaming.ts); false = skip. Default true. */
  streaming?: boolean;
}

export interface OnnxResult {
  available: boolean;
  /** Median over max(10, steps) runs, batch 1 (same input as tfjs). */
  inferMsPerImage?: number;
  inferMsRuns?: number[];
  /** Median per image of batches of `batch`. */
  inferMsPerImageBatch?: number;
  /** Largest |p_onnx - p_tfjs| on the timed input. */
  maxProbDiff?: number;
  reason?: string;
}

export interface TorchResult {
  available: boolean;
  version?: string;
  threads?: number;
  params?: number;
  trainMsPerImage?: number;
  inferMsPerImage?: number;
  /** Why it did not run. */
  reason?: string;
}

export interface KernelTime {
  kernel: string;
  ms: number;
  calls: number;
}

export interface BenchmarkResult {
  backend: BackendName;
  backendDetail: string;
  config: { size: number; depth: number; base: number; classes: number; batch: number; steps: number };
  params: number;
  /** Median over the timed steps, batch `batch`, divided by the batch size. */
  trainMsPerImage: number;
  trainMsPerImageSteps: number[];
  /** Median over max(10, steps) runs with batch 1. */
  inferMsPerImage: number;
  inferMsRuns: number[];
  peakRssMb: number;
  /** 1-minute load average before the run and the CPU count: timings mean little when busy. */
  loadAverage: number;
  cpus: number;
  torch: TorchResult;
  onnx: OnnxResult;
  /** End-to-end segmentation of generated projects (engine 'auto': ONNX Runtime when it loads). */
  endToEnd: EndToEndResult[];
  /** Per-kernel time of one training step (tf.profile; syncs every kernel), with --profile. */
  profile?: KernelTime[];
  /** Frames per second of streaming segmentation with the LSTM-CNN variants. */
  streaming?: StreamingTime[];
  /** ours / PyTorch (lower is better), when PyTorch ran. */
  ratios?: { train: number; infer: number; onnxInfer?: number };
  targets: { train: number; infer: number; onnxInfer: number; endToEnd: Record<string, number> };
}

export const TARGET_RATIOS = { train: 8, infer: 5, onnxInfer: 0.6 } as const;
/** Images per second of end-to-end batch segmentation, by image side (issue 14). */
export const TARGET_E2E: Record<string, number> = { '120': 40, '480': 10 };
const DEFAULT_PYTHON = '/usr/bin/python3';

function taskFor(classes: number): ModelTask {
  if (classes === 1 || classes === 2) return 'binary';
  if (classes === 3) return 'multiclass';
  if (classes === 4) return 'multiclass-edge';
  throw new Error(`classes must be 1, 3 or 4, got ${classes}`);
}

export function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

function round2(v: number): number {
  return Math.round(v * 100) / 100;
}

/** Candidate locations of torch_unet_ref.py: env, next to the repo, relative to this file. */
export function findTorchScript(explicit?: string): string | null {
  const here = dirname(fileURLToPath(import.meta.url));
  const candidates = [
    explicit,
    process.env.HEMASEG_TORCH_REF,
    resolve(process.cwd(), '../shared/bench/torch_unet_ref.py'),
    resolve(process.cwd(), 'shared/bench/torch_unet_ref.py'),
    resolve(here, '../../../../../shared/bench/torch_unet_ref.py'), // src/main/ml/bench
    resolve(here, '../../../shared/bench/torch_unet_ref.py'), // out/main
  ];
  for (const c of candidates) if (c && existsSync(c)) return c;
  return null;
}

/** Parses the JSON line torch_unet_ref.py prints. */
export function parseTorchOutput(stdout: string): TorchResult {
  const line = stdout.trim().split('\n').reverse().find((l) => l.trim().startsWith('{'));
  if (!line) return { available: false, reason: 'no JSON output from the reference script' };
  const j = JSON.parse(line) as Record<string, unknown>;
  return {
    available: true,
    version: String(j.version ?? ''),
    threads: Number(j.threads),
    params: Number(j.params),
    trainMsPerImage: Number(j.train_ms_per_image),
    inferMsPerImage: Number(j.infer_ms_per_image),
  };
}

export function runTorchReference(
  config: BenchmarkResult['config'],
  options: { python?: string; script?: string; threads?: number } = {},
): TorchResult {
  const python = options.python ?? DEFAULT_PYTHON;
  if (!existsSync(python)) return { available: false, reason: `${python} not found` };
  const probe = spawnSync(python, ['-c', 'import torch'], { encoding: 'utf8', timeout: 60_000 });
  if (probe.status !== 0) return { available: false, reason: `${python} has no torch` };
  const script = findTorchScript(options.script);
  if (!script) return { available: false, reason: 'torch_unet_ref.py not found (set HEMASEG_TORCH_REF)' };
  const args = [
    script,
    '--size', String(config.size),
    '--depth', String(config.depth),
    '--base', String(config.base),
    '--classes', String(Math.max(config.classes, 2)),
    '--batch', String(config.batch),
    '--steps', String(config.steps),
    ...(options.threads ? ['--threads', String(options.threads)] : []),
  ];
  const run = spawnSync(python, args, { encoding: 'utf8', timeout: 20 * 60_000 });
  if (run.status !== 0) return { available: false, reason: `reference failed: ${(run.stderr || '').trim().slice(-300)}` };
  return parseTorchOutput(run.stdout);
}

/** Times training and inference of the configured U-Net; see BenchmarkResult. */
export async function runBenchmark(options: BenchmarkOptions = {}): Promise<BenchmarkResult> {
  const config = {
    size: options.size ?? 128,
    depth: options.depth ?? 3,
    base: options.base ?? 16,
    classes: options.classes ?? 3,
    batch: options.batch ?? 8,
    steps: options.steps ?? 6,
  };
  const loadBefore = loadavg()[0];
  const info = await initBackend(options.backend, options.threads ? { wasmThreads: options.threads } : {});
  const model = createUnet(
    { task: taskFor(config.classes), inputSize: config.size, depth: config.depth, baseFilters: config.base },
    0,
  );
  const optimizer = createOptimizer();
  // Same inputs as the reference: uniform images, uniform random labels.
  const x = tf.randomUniform([config.batch, config.size, config.size, 3], 0, 1, 'float32', 1) as tf.Tensor4D;
  const classesForLabels = Math.max(config.classes, 2);
  const y = tf.randomUniform([config.batch, config.size, config.size], 0, classesForLabels, 'int32', 2) as tf.Tensor3D;
  const train: number[] = [];
  const infer: number[] = [];
  let profile: KernelTime[] | undefined;
  let onnx: OnnxResult = { available: false, reason: 'disabled' };
  try {
    trainStep(model, optimizer, x, y); // warm-up: operator caches, optimizer slots, JIT
    for (let i = 0; i < config.steps; i++) {
      const t0 = performance.now();
      trainStep(model, optimizer, x, y);
      train.push((performance.now() - t0) / config.batch);
    }
    if (options.profile) profile = await profileStep(() => trainStep(model, optimizer, x, y));
    const x1 = tf.slice(x, [0, 0, 0, 0], [1, -1, -1, -1]) as tf.Tensor4D;
    tf.dispose(model.predictProbs(x1)); // warm-up
    for (let i = 0; i < Math.max(10, config.steps); i++) {
      const t0 = performance.now();
      const p = model.predictProbs(x1);
      p.dataSync(); // include the read-back, as a caller would
      infer.push(performance.now() - t0);
      p.dispose();
    }
    if (options.onnx !== false) onnx = await timeOnnx(model, x1, x, config, Math.max(10, config.steps));
    x1.dispose();
  } finally {
    tf.dispose([x, y]);
    optimizer.dispose();
  }
  const params = model.paramCount();
  model.dispose();
  const e2e = options.e2e === undefined ? { images: 1000, sizes: [120, 480] } : options.e2e;
  const endToEnd: EndToEndResult[] = [];
  if (e2e) for (const size of e2e.sizes) endToEnd.push(await runEndToEnd({ size, count: e2e.images, engine: 'auto' }));
  // The clip families stream sequences frame by frame: their frames/s at --size (default 128; ./streaming.ts), a multiple of 4.
  const streaming = options.streaming === false ? undefined : await runStreamingBench({ size: Math.max(4, config.size - (config.size % 4)) });
  const peakRssMb = Math.round(process.resourceUsage().maxRSS / 1024);

  const torch = options.torch === false ? { available: false, reason: 'disabled' } : runTorchReference(config, {
    python: options.python,
    script: options.torchScript,
    threads: options.threads,
  });
  const result: BenchmarkResult = {
    backend: info.backend,
    backendDetail: info.detail,
    config,
    params,
    trainMsPerImage: round2(median(train)),
    trainMsPerImageSteps: train.map(round2),
    inferMsPerImage: round2(median(infer)),
    inferMsRuns: infer.map(round2),
    peakRssMb,
    loadAverage: Math.round(loadBefore * 100) / 100,
    cpus: cpus().length,
    torch,
    onnx,
    endToEnd,
    ...(streaming ? { streaming } : {}),
    targets: { ...TARGET_RATIOS, endToEnd: { ...TARGET_E2E } },
  };
  if (profile) result.profile = profile;
  if (torch.available && torch.trainMsPerImage && torch.inferMsPerImage) {
    result.ratios = {
      train: round2(result.trainMsPerImage / torch.trainMsPerImage),
      infer: round2(result.inferMsPerImage / torch.inferMsPerImage),
      ...(onnx.inferMsPerImage !== undefined ? { onnxInfer: round2(onnx.inferMsPerImage / torch.inferMsPerImage) } : {}),
    };
  }
  return result;
}

/** The same network (same weights, same input) exported to ONNX, on ONNX Runtime (CPU, this thread). */
async function timeOnnx(model: ReturnType<typeof createUnet>, x1: tf.Tensor4D, xb: tf.Tensor4D, config: BenchmarkResult['config'], runs: number): Promise<OnnxResult> {
  let engine: OrtEngine;
  try {
    const s = await serializeModel(model);
    const e = buildOnnx({ name: 'bench', version: 1, modelJson: JSON.stringify(s.modelJson), weights: s.weights, exportedBy: 'HemaSeg bench' });
    engine = await OrtEngine.create(e.bytes);
  } catch (err) {
    return { available: false, reason: (err as Error).message };
  }
  try {
    const a = x1.dataSync() as Float32Array;
    const { size } = config;
    const ref = tf.tidy(() => model.predictProbs(x1)).dataSync() as Float32Array;
    const first = await engine.forward(a, 1, size, size); // warm-up
    let maxProbDiff = 0;
    for (let i = 0; i < ref.length; i++) maxProbDiff = Math.max(maxProbDiff, Math.abs(ref[i] - first[i]));
    const one: number[] = [];
    for (let i = 0; i < runs; i++) {
      const t0 = performance.now();
      await engine.forward(a, 1, size, size);
      one.push(performance.now() - t0);
    }
    const b = xb.dataSync() as Float32Array;
    await engine.forward(b, config.batch, size, size);
    const batch: number[] = [];
    for (let i = 0; i < Math.max(3, Math.ceil(runs / config.batch)); i++) {
      const t0 = performance.now();
      await engine.forward(b, config.batch, size, size);
      batch.push((performance.now() - t0) / config.batch);
    }
    return { available: true, inferMsPerImage: round2(median(one)), inferMsRuns: one.map(round2), inferMsPerImageBatch: round2(median(batch)), maxProbDiff: Number(maxProbDiff.toExponential(2)) };
  } finally {
    engine.dispose();
  }
}

/** Kernel times of one call of `f`, summed per kernel name, largest first. */
export async function profileStep(f: () => unknown): Promise<KernelTime[]> {
  const info = await tf.profile(() => {
    f();
  });
  const byName = new Map<string, KernelTime>();
  for (const k of info.kernels) {
    // Scopes of custom gradients time their inner kernels again; skip them.
    if (k.name === 'unnamed scope' || k.name.endsWith('__op')) continue;
    const e = byName.get(k.name) ?? { kernel: k.name, ms: 0, calls: 0 };
    e.ms += typeof k.kernelTimeMs === 'number' ? k.kernelTimeMs : 0;
    e.calls++;
    byName.set(k.name, e);
  }
  return [...byName.values()].map((e) => ({ ...e, ms: round2(e.ms) })).sort((a, b) => b.ms - a.ms);
}

/** Human-readable table of a result. */
export function formatBenchmark(r: BenchmarkResult): string {
  const c = r.config;
  const ours = `HemaSeg (${r.backend})`;
  const theirs = r.torch.available ? `PyTorch ${r.torch.version} (${r.torch.threads} thr)` : 'PyTorch';
  const pad = (s: string, n: number) => s.padEnd(n);
  const num = (v: number | undefined) => (v === undefined ? '-' : v.toFixed(1));
  const ratio = (v: number | undefined, target: number) =>
    v === undefined ? '' : `${v.toFixed(2)}x  (target <= ${target}x: ${v <= target ? 'met' : 'MISSED'})`;
  const lines = [
    `U-Net benchmark: ${c.size}x${c.size}, depth ${c.depth}, base ${c.base}, ${c.classes} classes, batch ${c.batch}, ${c.steps} steps`,
    `backend: ${r.backendDetail}`,
    '',
    `${pad('', 26)}${pad(ours, 20)}${pad(theirs, 30)}ratio`,
    `${pad('train ms/image/step', 26)}${pad(num(r.trainMsPerImage), 20)}${pad(num(r.torch.trainMsPerImage), 30)}${ratio(r.ratios?.train, r.targets.train)}`,
    `${pad('infer ms/image (batch 1)', 26)}${pad(num(r.inferMsPerImage), 20)}${pad(num(r.torch.inferMsPerImage), 30)}${ratio(r.ratios?.infer, r.targets.infer)}`,
    `${pad('ONNX Runtime infer ms', 26)}${pad(num(r.onnx.inferMsPerImage), 20)}${pad(num(r.torch.inferMsPerImage), 30)}${ratio(r.ratios?.onnxInfer, r.targets.onnxInfer)}`,
    `${pad('  (batch ' + c.batch + ', per image)', 26)}${pad(num(r.onnx.inferMsPerImageBatch), 20)}${r.onnx.maxProbDiff !== undefined ? `max |p_onnx - p_tfjs| ${r.onnx.maxProbDiff}` : ''}`,
    `${pad('parameters', 26)}${pad(String(r.params), 20)}${pad(r.torch.params ? String(r.torch.params) : '-', 30)}`,
    `${pad('peak RSS MB', 26)}${pad(String(r.peakRssMb), 20)}`,
  ];
  if (r.endToEnd.length) {
    lines.push('', 'end-to-end batch segmentation (generated project, default model, decode + network + post-processing + store):');
    for (const e of r.endToEnd) {
      const target = r.targets.endToEnd[String(e.size)];
      lines.push(`  ${String(e.images).padStart(5)} images ${e.size}x${e.size} ${e.format}  ${e.engine.padEnd(16)} ${e.imagesPerSecond.toFixed(1).padStart(6)} images/s  (${e.seconds.toFixed(1)} s${e.failed ? `, ${e.failed} failed` : ''}; peak RSS ${e.peakRssMb} MB)${target ? `  target >= ${target}: ${e.imagesPerSecond >= target ? 'met' : 'MISSED'}` : ''}`);
    }
  }
  if (r.streaming?.length) lines.push('', formatStreaming(r.streaming));
  if (!r.onnx.available) lines.push('', `ONNX Runtime not timed: ${r.onnx.reason}`);
  if (r.profile) {
    const total = r.profile.reduce((t, k) => t + k.ms, 0);
    lines.push('', `one training step by kernel (tf.profile, ${total.toFixed(0)} ms in kernels):`);
    for (const k of r.profile.slice(0, 15)) {
      lines.push(`  ${k.kernel.padEnd(26)}${k.ms.toFixed(1).padStart(9)} ms ${String(k.calls).padStart(5)} calls ${((100 * k.ms) / total).toFixed(1).padStart(6)} %`);
    }
  }
  if (r.loadAverage > 0.5 * r.cpus) {
    lines.push('', `warning: load average ${r.loadAverage} on ${r.cpus} CPUs before the run; other processes distort these timings`);
  }
  if (!r.torch.available) lines.push('', `PyTorch reference not run: ${r.torch.reason}`);
  else if (r.torch.params !== undefined && r.torch.params !== r.params) {
    lines.push('', `(PyTorch counts ${r.torch.params - r.params} conv biases before batch norm, which this U-Net omits: no effect on outputs)`);
  }
  return lines.join('\n');
}

function parseArgs(argv: string[]): BenchmarkOptions & { json: boolean; streamingOnly?: boolean } {
  const opts: BenchmarkOptions & { json: boolean; streamingOnly?: boolean } = { json: false };
  const numeric: Record<string, keyof BenchmarkOptions> = {
    '--size': 'size', '--depth': 'depth', '--base': 'base', '--base-filters': 'base',
    '--classes': 'classes', '--batch': 'batch', '--steps': 'steps', '--threads': 'threads',
  };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const [flag, inline] = a.includes('=') ? a.split('=', 2) : [a, undefined];
    const value = () => inline ?? argv[++i];
    if (flag === '--json') opts.json = true;
    else if (flag === '--no-torch') opts.torch = false;
    else if (flag === '--profile') opts.profile = true;
    else if (flag === '--no-onnx') opts.onnx = false;
    else if (flag === '--no-e2e') opts.e2e = false;
    else if (flag === '--no-streaming') opts.streaming = false;
    else if (flag === '--streaming-only') opts.streamingOnly = true;
    else if (flag === '--e2e-images' || flag === '--e2e-sizes') {
      const v = value();
      const nums = v.split(',').map(Number);
      if (!nums.length || nums.some((n) => !Number.isInteger(n) || n < 32)) throw new Error(`${flag} needs ${flag === '--e2e-images' ? 'a count' : 'sizes'} of at least 32, got '${v}'`);
      const cur = opts.e2e === false || opts.e2e === undefined ? { images: 1000, sizes: [120, 480] } : opts.e2e;
      opts.e2e = flag === '--e2e-images' ? { ...cur, images: nums[0] } : { ...cur, sizes: nums };
    }
    else if (flag === '--backend') opts.backend = value() as BackendName;
    else if (flag === '--python') opts.python = value();
    else if (flag === '--torch-script') opts.torchScript = value();
    else if (numeric[flag]) {
      const v = Number(value());
      if (!Number.isInteger(v) || v <= 0) throw new Error(`${flag} needs a positive integer`);
      (opts as unknown as Record<string, unknown>)[numeric[flag]] = v;
    } else throw new Error(`unknown option ${a}`);
  }
  return opts;
}

export const BENCH_USAGE =
  'usage: bench [--size 128] [--depth 3] [--base 16] [--classes 3] [--batch 8] [--steps 6] [--threads N] ' +
  '[--backend tensorflow|wasm|cpu] [--no-torch] [--no-onnx] [--no-e2e] [--no-streaming] [--streaming-only] [--e2e-images 1000] [--e2e-sizes 120,480] [--profile] [--python /usr/bin/python3] [--torch-script PATH] [--json]';

/** CLI entry: prints the table (or JSON with --json); resolves to the exit code. */
export async function benchMain(argv: string[], out: (s: string) => void = (s) => process.stdout.write(s + '\n')): Promise<number> {
  let opts: ReturnType<typeof parseArgs>;
  try {
    opts = parseArgs(argv);
  } catch (e) {
    out(`${e instanceof Error ? e.message : String(e)}\n${BENCH_USAGE}`);
    return 2;
  }
  const { json, streamingOnly, ...options } = opts;
  if (streamingOnly) {
    // Only the clip families' streaming speed (the LSTM-CNN variants at --size, default 128).
    const info = await initBackend(options.backend, options.threads ? { wasmThreads: options.threads } : {});
    const streaming = await runStreamingBench({ size: options.size, frames: options.steps ? Math.max(10, options.steps) : undefined });
    out(json ? JSON.stringify({ backend: info.backend, backendDetail: info.detail, streaming }, null, 2) : `backend: ${info.detail}\n${formatStreaming(streaming)}`);
    return 0;
  }
  const result = await runBenchmark(options);
  out(json ? JSON.stringify(result, null, 2) : formatBenchmark(result));
  return 0;
}
