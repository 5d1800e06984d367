import { beforeAll, describe, expect, it } from 'vitest';
import { LABEL, type LabelMap, type RgbImage } from '../../../shared/domain';
import { initBackend } from '../backend/initBackend';
import { rgbToSquare, bytesToInput } from '../data/resample';
import { inputSettings } from '../families/common-config';
import { resolveUnetConfig } from '../families/unet/config';
import { join, dirname } from 'node:path';
import { defaultModelDir } from '../registry/default-model';
import { readModelFolder } from '../registry/model-folder';
import { createNetwork, loadNetwork } from '../training/network';
import { dihedralForward, dihedralInverse } from './dihedral';
import { cleanupMask } from './mask-cleanup';
import { probsToLabelMap } from './postprocess';
import { Predictor, predictorSpec, RECOMMENDED_CLEANUP, type PredictorSpec } from './predictor';
import type { ProbabilityEngine } from './probability-engine';
import { forwardCanvases, tileStarts } from './tiled-forward';

/**
 * A pixel-wise engine (no spatial context, so tiling and padding must be exact): dark
 * pixels are nucleus, mid-dark cytoplasm, bright background. `tilt` adds a column-dependent
 * bias so the engine is deliberately not mirror-symmetric.
 */
class PixelEngine implements ProbabilityEngine {
  readonly name = 'pixel';
  readonly channels = 3;
  calls: { n: number; h: number; w: number }[] = [];
  constructor(
    readonly sizeMultiple = 8,
    readonly sharpness = 12,
    readonly tilt = 0,
  ) {}
  async forward(x: Float32Array, n: number, h: number, w: number): Promise<Float32Array> {
    this.calls.push({ n, h, w });
    const out = new Float32Array(n * h * w * 3);
    for (let i = 0; i < n * h * w; i++) {
      const col = i % w;
      const v = (x[i * 3] + x[i * 3 + 1] + x[i * 3 + 2]) / 3;
      const t = this.tilt * (col / w - 0.5);
      const logits = [this.sharpness * (v - 0.6) + t, this.sharpness * (0.25 - Math.abs(v - 0.45)) * 2, this.sharpness * (0.3 - v) - t];
      const m = Math.max(...logits);
      const e = logits.map((l) => Math.exp(l - m));
      const s = e[0] + e[1] + e[2];
      for (let c = 0; c < 3; c++) out[i * 3 + c] = e[c] / s;
    }
    return out;
  }
  dispose(): void {}
}

/** A white field with a cell (grey disc) around a dark nucleus, centred; optional noise. */
function cellImage(w: number, h: number, noise = 0, seed = 1, radius = 0.3): RgbImage {
  const data = new Uint8Array(w * h * 3);
  let s = seed;
  const rnd = (): number => ((s = (s * 1103515245 + 12345) >>> 0) / 4294967296);
  const r = Math.min(w, h) * radius;
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const d = Math.hypot(x + 0.5 - w / 2, y + 0.5 - h / 2);
      let v = d < r * 0.5 ? 0.1 : d < r ? 0.45 : 0.95;
      v = Math.min(1, Math.max(0, v + noise * (rnd() - 0.5) * 2));
      for (let c = 0; c < 3; c++) data[(y * w + x) * 3 + c] = Math.round(v * 255);
    }
  }
  return { width: w, height: h, data };
}

const spec = (over: Partial<PredictorSpec> = {}): PredictorSpec => ({ task: 'multiclass', inputSize: 64, inputMode: 'fit', cellDiameter: 0.55, stainNorm: 'none', ...over });

const mirrorX = (m: LabelMap): Uint8Array => {
  const out = new Uint8Array(m.labels.length);
  for (let y = 0; y < m.height; y++) for (let x = 0; x < m.width; x++) out[y * m.width + x] = m.labels[y * m.width + m.width - 1 - x];
  return out;
};

describe('geometry, tiling and test-time augmentation', () => {
  it('the 8 square symmetries invert exactly, also on non-square maps', () => {
    const w = 5, h = 3, c = 2;
    const src = Float32Array.from({ length: w * h * c }, (_, i) => i);
    for (let k = 0; k < 8; k++) {
      const t = dihedralForward(src, w, h, c, k);
      expect([t.w, t.h]).toEqual(k & 4 ? [h, w] : [w, h]);
      const back = dihedralInverse(t.data, t.w, t.h, c, k);
      expect([...back.data]).toEqual([...src]);
    }
  });

  it('tiles cover the canvas and a tiled pass equals a single pass for a pixel-wise engine', async () => {
    expect(tileStarts(100, 40, 8)).toEqual([0, 30, 60]);
    const img = cellImage(96, 72);
    const canvas = { data: new Float32Array(96 * 72 * 3), w: 96, h: 72 };
    bytesToInput(img.data, canvas.data);
    const engine = new PixelEngine();
    const [single] = await forwardCanvases(engine, [canvas]);
    const [tiled] = await forwardCanvases(engine, [canvas], { maxSide: 40, tile: 32, overlap: 8 });
    expect(engine.calls.at(-1)).toMatchObject({ h: 32, w: 32 });
    let maxDiff = 0;
    for (let i = 0; i < single.length; i++) maxDiff = Math.max(maxDiff, Math.abs(single[i] - tiled[i]));
    expect(maxDiff).toBeLessThan(1e-5);
  });

  it('padding to the input size changes nothing for a pixel-wise engine; masks come back at the image size', async () => {
    const img = cellImage(80, 48);
    const p = new Predictor(new PixelEngine(), spec({ inputSize: 64 }));
    const [fit] = await p.predict([img], { threshold: 0.5 });
    expect([fit.mask.width, fit.mask.height]).toEqual([80, 48]);
    // Fit mode runs the image at 64x38 inside a 64x64 canvas: same labels as squashing
    // nothing at all, i.e. as the engine on the image at its own scale (up to resampling).
    const direct = new Predictor(new PixelEngine(), spec({ inputSize: 48, inputMode: 'fit' }));
    const [big] = await direct.predict([img], { threshold: 0.5, scaleNorm: false });
    let agree = 0;
    for (let i = 0; i < fit.mask.labels.length; i++) if (fit.mask.labels[i] === big.mask.labels[i]) agree++;
    expect(agree / fit.mask.labels.length).toBeGreaterThan(0.97);
    expect(fit.mask.labels[24 * 80 + 40]).toBe(LABEL.nucleus);
    expect(fit.mask.labels[0]).toBe(LABEL.background);
  });

  it('TTA makes the prediction of a mirror-symmetric input mirror-symmetric, even for an asymmetric engine', async () => {
    // A smooth radial ramp, so the engine's left-right bias moves the class borders.
    const img: RgbImage = { width: 64, height: 64, data: new Uint8Array(64 * 64 * 3) };
    for (let i = 0; i < 64 * 64; i++) img.data.fill(Math.round(255 * Math.min(1, 0.05 + Math.hypot((i % 64) - 31.5, Math.floor(i / 64) - 31.5) / 32)), i * 3, i * 3 + 3);
    const p = new Predictor(new PixelEngine(8, 12, 8), spec());
    const [plain] = await p.predict([img], { threshold: 0.5 });
    const [tta] = await p.predict([img], { threshold: 0.5, tta: 'd4' });
    const asym = (m: LabelMap): number => mirrorX(m).reduce((s, v, i) => s + (v !== m.labels[i] ? 1 : 0), 0);
    expect(asym(plain.mask)).toBeGreaterThan(0);
    expect(asym(tta.mask)).toBe(0);
    expect(tta.confidence.method).toContain('tta');
    expect(tta.confidence.parts?.ttaAgreement).toBeLessThan(1);
  });

  it('confidence is lower for a noisy, ambiguous input than for a clean one, per image and per cell', async () => {
    const p = new Predictor(new PixelEngine(8, 6), spec());
    const [clean, noisy] = await p.predict([cellImage(64, 64), cellImage(64, 64, 0.35, 7)], { threshold: 0.5 });
    expect(clean.confidence.image).toBeGreaterThan(noisy.confidence.image + 0.05);
    expect(clean.confidence.cells.length).toBeGreaterThan(0);
    const cellConf = (c: typeof clean): number => Math.max(...c.confidence.cells.map((x) => x.confidence));
    expect(cellConf(clean)).toBeGreaterThan(cellConf(noisy));
    expect(clean.confidence.image).toBeLessThanOrEqual(1);
  });

  it('scale normalisation zooms a small cell up to the training diameter', async () => {
    // The cell's diameter is 20 % of the field; the model expects 55 %.
    const p = new Predictor(new PixelEngine(), spec({ inputSize: 64, cellDiameter: 0.55 }));
    const [r] = await p.predict([cellImage(128, 128, 0, 1, 0.1)], { threshold: 0.5, scaleNorm: true });
    expect(r.zoom).toBeGreaterThan(2);
    expect(r.zoom).toBeLessThan(3.5);
    expect(r.mask.labels[64 * 128 + 64]).toBe(LABEL.nucleus);
  });
});

describe('clean-up', () => {
  it('fills holes, drops small cells and keeps the central cell', () => {
    const w = 20, h = 20;
    const labels = new Uint8Array(w * h);
    for (let y = 4; y < 16; y++) for (let x = 4; x < 16; x++) labels[y * w + x] = LABEL.cytoplasm;
    labels[10 * w + 10] = LABEL.background; // a hole
    labels[1 * w + 1] = LABEL.cytoplasm; // a fragment in the corner
    labels[1 * w + 18] = LABEL.nucleus;
    labels[2 * w + 18] = LABEL.nucleus; // a nucleus-only speck
    const m: LabelMap = { width: w, height: h, labels };
    const filled = cleanupMask(m, { fillHoles: true });
    expect(filled.labels[10 * w + 10]).toBe(LABEL.cytoplasm);
    const small = cleanupMask(m, { minCellArea: 0.01 });
    expect(small.labels[1 * w + 1]).toBe(LABEL.background);
    expect(small.labels[5 * w + 5]).toBe(LABEL.cytoplasm);
    const nuc = cleanupMask(m, { nucleusInCell: true });
    expect(nuc.labels[1 * w + 18]).toBe(LABEL.background);
    const central = cleanupMask(m, { centralCell: true });
    expect(central.labels.filter((v) => v !== 0).length).toBe(12 * 12 - 1);
  });
});

describe('default clean-up', () => {
  /** A cell with a background hole and a small stray speck in the corner. */
  function holeyCell(): RgbImage {
    const img = cellImage(64, 64);
    const set = (x: number, y: number, v: number): void => {
      img.data.fill(v, (y * 64 + x) * 3, (y * 64 + x) * 3 + 3);
    };
    for (let y = 40; y < 42; y++) for (let x = 40; x < 42; x++) set(x, y, 245); // hole inside the cytoplasm ring
    for (let y = 1; y < 3; y++) for (let x = 1; x < 3; x++) set(x, y, 110); // a 4-px speck
    return img;
  }

  it('robust-recipe models fill holes and drop fragments unless told not to; older models change nothing', async () => {
    const robust = predictorSpec({ task: 'multiclass', inputSize: 64, inputMode: 'fit', cellDiameter: 0.55, stainNorm: 'none' });
    expect(robust.cleanup).toEqual(RECOMMENDED_CLEANUP);
    const old = predictorSpec({ task: 'multiclass', inputSize: 64 });
    expect(old.cleanup).toEqual({});
    const img = holeyCell();
    const plain = (await new Predictor(new PixelEngine(), { ...robust, scaleNorm: false, cleanup: {} }).segment([img], { threshold: 0.5 }))[0];
    expect(plain.labels[40 * 64 + 40]).toBe(LABEL.background);
    expect(plain.labels[1 * 64 + 1]).not.toBe(LABEL.background);
    const cleaned = (await new Predictor(new PixelEngine(), { ...robust, scaleNorm: false }).segment([img], { threshold: 0.5 }))[0];
    expect(cleaned.labels[40 * 64 + 40]).not.toBe(LABEL.background);
    expect(cleaned.labels[1 * 64 + 1]).toBe(LABEL.background);
    const optedOut = (await new Predictor(new PixelEngine(), { ...robust, scaleNorm: false }).segment([img], { threshold: 0.5, fillHoles: false, minCellArea: 0 }))[0];
    expect(Buffer.from(optedOut.labels).equals(Buffer.from(plain.labels))).toBe(true);
  });
});

describe('with the tfjs network', () => {
  beforeAll(async () => {
    await initBackend();
  });

  it('runs fully convolutionally on non-square sizes', async () => {
    const net = await createNetwork({ family: 'unet', config: { task: 'multiclass-edge', inputSize: 32, depth: 2, baseFilters: 4, dropout: 0, inChannels: 3 } }, 3);
    const probs = net.predictProbs(new Float32Array(2 * 24 * 40 * 3).fill(0.5), 2, 24, 40);
    expect(probs.length).toBe(2 * 24 * 40 * 4);
    const p = Predictor.forNetwork(net);
    const [r] = await p.predict([cellImage(50, 30)], { threshold: 0.5, tta: 'flip', tiling: { maxSide: 24, tile: 16 } });
    expect([r.mask.width, r.mask.height]).toEqual([50, 30]);
    expect(r.confidence.image).toBeGreaterThan(0);
    p.dispose();
  });

  it('old model configs load with the old input settings and segment exactly as before', async () => {
    expect(inputSettings(resolveUnetConfig({ inputSize: 64 }))).toEqual({ inputMode: 'squash', cellDiameter: 0.6, stainNorm: 'none' });
    expect(() => resolveUnetConfig({ inputMode: 'stretch' })).toThrow(/inputMode/);
    // The first shipped default (squash input, no cell size), kept as resources/models/synthetic-only.
    const f = readModelFolder(join(dirname(defaultModelDir()), 'synthetic-only'));
    const json = JSON.parse(f.modelJson) as { config: Record<string, unknown> };
    expect(json.config.inputMode).toBeUndefined();
    const net = await loadNetwork(f.modelJson, f.weights);
    expect(predictorSpec(net.config).inputMode).toBe('squash');
    const img = cellImage(90, 70);
    // The old path: squash to the input size, one pass, probabilities resized back.
    const s = net.config.inputSize;
    const x = new Float32Array(s * s * 3);
    bytesToInput(rgbToSquare(img, s), x);
    const old = probsToLabelMap(net.predictProbs(x, 1), s, net.channels, img.width, img.height, { task: net.config.task, threshold: 0.5 });
    const p = Predictor.forNetwork(net);
    const [now] = await p.segment([img], { threshold: 0.5 });
    expect([...now.labels]).toEqual([...old.labels]);
    p.dispose();
  });
});
