// Segment decoded images with any ProbabilityEngine (the tfjs network here, ONNX Runtime,
// a remote server): the same pre- and post-processing for all of them.
//   1. optional stain normalisation stored with the model;
//   2. placement on the network's canvas (input-geometry.ts: 'squash' for old models,
//      'fit' keeps the aspect ratio), optionally zoomed so the central cell has the
//      training scale (scale normalisation: a first pass measures it);
//   3. test-time augmentation (flips / the 8 square symmetries), probabilities averaged;
//      large canvases run in overlapping tiles (tiled-forward.ts);
//   4. probabilities cropped and resized to the image's own size, argmax / threshold,
//      cells split at predicted edges (postprocess.ts), optional clean-up (mask-cleanup.ts);
//   5. confidence per image and per cell (confidence.ts).
import type { LabelMap, ModelTask, RgbImage } from '../../../shared/domain';
import type { PredictionConfidence } from '../../../shared/ml';
import { normaliseStain } from '../data/stain-norm';
import { inputSettings, type BaseModelConfig, type InputMode, type StainNorm } from '../families/common-config';
import type { SegmentationNetwork } from '../training/network';
import { predictionConfidence } from './confidence';
import { dihedralForward, dihedralInverse, ttaElements } from './dihedral';
import { canvasToImage, imageToCanvas, placeImage, type Placement } from './input-geometry';
import { cleanupMask, centralInstance, type CleanupOptions } from './mask-cleanup';
import { labelsFromProbs } from './postprocess';
import type { ProbabilityEngine } from './probability-engine';
import { TfjsEngine } from './tfjs-engine';
import { forwardCanvases, type CanvasInput, type TileOptions } from './tiled-forward';

/** What the pre/post-processing needs to know about a model (from its stored config). */
export interface PredictorSpec {
  task: ModelTask;
  inputSize: number;
  inputMode: InputMode;
  /** Training cell diameter as a fraction of inputSize (scale normalisation's target). */
  cellDiameter: number;
  stainNorm: StainNorm;
  /**
   * Scale normalisation when the request does not say: on for models that recorded the cell
   * diameter they were trained at (measured: +0.06 cell IoU on 300 px fields, neutral on
   * 120 px crops), off for older models so they segment exactly as before.
   */
  scaleNorm?: boolean;
  /**
   * Clean-up when the request does not say. Models that record their training cell size (the
   * stain- and scale-robust recipe) get the cheap steps measured to help on both 120 px crops
   * and 300 px fields (hole filling, nucleus in cell, fragments under 1 % of the field); older
   * models none, so they segment exactly as before.
   */
  cleanup?: CleanupOptions;
}

/** The clean-up a robust-recipe model applies unless told otherwise (README: Inference options). */
export const RECOMMENDED_CLEANUP: Readonly<CleanupOptions> = { fillHoles: true, nucleusInCell: true, minCellArea: 0.01 };

export function predictorSpec(config: Pick<BaseModelConfig, 'task' | 'inputSize' | 'inputMode' | 'cellDiameter' | 'stainNorm'>): PredictorSpec {
  const robust = config.cellDiameter !== undefined;
  return { task: config.task, inputSize: config.inputSize, ...inputSettings(config), scaleNorm: robust, cleanup: robust ? RECOMMENDED_CLEANUP : {} };
}

export interface PredictOptions extends CleanupOptions {
  threshold: number;
  keepEdgeLabel?: boolean;
  tta?: 'none' | 'flip' | 'd4';
  /** Two passes: measure the central cell, zoom so it has the training diameter, segment again. Absent: the model's default (PredictorSpec.scaleNorm). */
  scaleNorm?: boolean;
  tiling?: TileOptions;
}

export interface Prediction {
  mask: LabelMap;
  confidence: PredictionConfidence;
  /** The zoom the image was segmented at (1 unless scale normalisation changed it). */
  zoom: number;
}

/** Zooms outside this range are clamped (a failed first pass must not blow the image up 10x). */
const ZOOM_MIN = 0.33;
const ZOOM_MAX = 3;
/** Within this ratio of the training diameter the first pass is kept. */
const ZOOM_TOLERANCE = 1.15;

interface Pass {
  probs: Float32Array; // image size x channels
  agreement: Float32Array | null; // image size, TTA only
}

export class Predictor {
  readonly spec: PredictorSpec;

  constructor(
    readonly engine: ProbabilityEngine,
    spec: PredictorSpec,
  ) {
    this.spec = spec;
  }

  /** The tfjs network of this process, with its stored input settings. */
  static forNetwork(net: SegmentationNetwork, backend?: string): Predictor {
    return new Predictor(new TfjsEngine(net, backend), predictorSpec(net.config));
  }

  /** Label maps for a batch of images (any sizes), in order. */
  async segment(images: RgbImage[], opts: PredictOptions): Promise<LabelMap[]> {
    return (await this.predict(images, opts)).map((p) => p.mask);
  }

  /** Label maps with their confidence, in order. */
  async predict(images: RgbImage[], opts: PredictOptions): Promise<Prediction[]> {
    if (images.length === 0) return [];
    const inputs = images.map((img) => normaliseStain(img, this.spec.stainNorm));
    let zooms = inputs.map(() => 1);
    let first: Pass[] | null = null;
    if (opts.scaleNorm ?? this.spec.scaleNorm ?? false) {
      const probe = await this.passes(inputs, zooms, 'none', opts.tiling, true);
      zooms = probe.map((p) => p.zoom);
      if ((opts.tta ?? 'none') === 'none') first = probe.map((p) => p.pass);
    }
    const passes: Pass[] = [];
    const redo = inputs.map((_, i) => !first || zooms[i] !== 1);
    const idx = inputs.map((_, i) => i).filter((i) => redo[i]);
    const fresh = await this.passes(idx.map((i) => inputs[i]), idx.map((i) => zooms[i]), opts.tta, opts.tiling, false);
    idx.forEach((i, k) => {
      passes[i] = fresh[k].pass;
    });
    return inputs.map((img, i) => {
      const pass = passes[i] ?? (first as Pass[])[i];
      const c = this.engine.channels;
      const raw = labelsFromProbs(pass.probs, c, img.width, img.height, { task: this.spec.task, threshold: opts.threshold, keepEdgeLabel: opts.keepEdgeLabel });
      const mask = cleanupMask(raw, {
        fillHoles: opts.fillHoles ?? this.spec.cleanup?.fillHoles,
        nucleusInCell: opts.nucleusInCell ?? this.spec.cleanup?.nucleusInCell,
        minCellArea: opts.minCellArea ?? this.spec.cleanup?.minCellArea,
        centralCell: opts.centralCell ?? this.spec.cleanup?.centralCell,
      });
      return { mask, confidence: predictionConfidence(pass.probs, c, mask, pass.agreement), zoom: zooms[i] };
    });
  }

  /**
   * One pass per image at the given zooms. With `measure`, also the zoom that would give
   * the central cell the training diameter (1 when it already has it or no cell is found).
   */
  private async passes(images: RgbImage[], zooms: number[], tta: PredictOptions['tta'], tiling: TileOptions | undefined, measure: boolean): Promise<{ pass: Pass; zoom: number }[]> {
    const c = this.engine.channels;
    const ks = ttaElements(tta);
    const placements: Placement[] = images.map((img, i) => placeImage(img.width, img.height, this.spec.inputSize, this.spec.inputMode, this.engine.sizeMultiple, zooms[i]));
    const canvases: CanvasInput[] = [];
    images.forEach((img, i) => {
      const p = placements[i];
      const base = imageToCanvas(img, p);
      for (const k of ks) {
        const t = k === 0 ? { data: base, w: p.canvasW, h: p.canvasH } : dihedralForward(base, p.canvasW, p.canvasH, 3, k);
        canvases.push(t);
      }
    });
    const outs = await forwardCanvases(this.engine, canvases, tiling);
    return images.map((img, i) => {
      const p = placements[i];
      const px = p.canvasW * p.canvasH;
      const mean = new Float32Array(px * c);
      const members: Float32Array[] = [];
      ks.forEach((k, j) => {
        const o = outs[i * ks.length + j];
        const back = k === 0 ? o : dihedralInverse(o, canvases[i * ks.length + j].w, canvases[i * ks.length + j].h, c, k).data;
        members.push(back);
        for (let q = 0; q < mean.length; q++) mean[q] += back[q] / ks.length;
      });
      let agreement: Float32Array | null = null;
      if (ks.length > 1) {
        const cls = argmax(mean, c, px, 0.5);
        const agree = new Float32Array(px);
        for (const m of members) {
          const mc = argmax(m, c, px, 0.5);
          for (let q = 0; q < px; q++) if (mc[q] === cls[q]) agree[q] += 1 / members.length;
        }
        agreement = canvasToImage(agree, 1, p, img.width, img.height);
      }
      const pass: Pass = { probs: canvasToImage(mean, c, p, img.width, img.height), agreement };
      return { pass, zoom: measure ? this.zoomFor(mean, p) * zooms[i] : zooms[i] };
    });
  }

  /** Zoom that brings the central cell of this pass to the training diameter. */
  private zoomFor(canvasProbs: Float32Array, p: Placement): number {
    const c = this.engine.channels;
    const crop = canvasToImage(canvasProbs, c, p, p.w, p.h);
    const m = labelsFromProbs(crop, c, p.w, p.h, { task: this.spec.task, threshold: 0.5 });
    const ids = m.instances ?? new Uint16Array(p.w * p.h);
    const central = centralInstance(m.labels, ids, p.w, p.h);
    if (central === null) return 1;
    let area = 0;
    for (let q = 0; q < ids.length; q++) if (m.labels[q] !== 0 && ids[q] === central) area++;
    // A speck is no cell to measure by.
    if (area < 0.002 * p.canvasW * p.canvasH) return 1;
    const diameter = 2 * Math.sqrt(area / Math.PI);
    const zoom = (this.spec.cellDiameter * this.spec.inputSize) / diameter;
    if (Math.abs(Math.log(zoom)) < Math.log(ZOOM_TOLERANCE)) return 1;
    return Math.min(ZOOM_MAX, Math.max(ZOOM_MIN, zoom));
  }

  dispose(): void {
    this.engine.dispose();
  }
}

function argmax(probs: Float32Array, c: number, px: number, threshold: number): Uint8Array {
  const out = new Uint8Array(px);
  if (c === 1) {
    for (let q = 0; q < px; q++) out[q] = probs[q] >= threshold ? 1 : 0;
    return out;
  }
  for (let q = 0; q < px; q++) {
    let best = 0;
    let bv = probs[q * c];
    for (let k = 1; k < c; k++) {
      if (probs[q * c + k] > bv) {
        bv = probs[q * c + k];
        best = k;
      }
    }
    out[q] = best;
  }
  return out;
}
