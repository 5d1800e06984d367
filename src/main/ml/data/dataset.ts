// Training and validation examples from a project: images with a current ground-truth mask
// in a split, decoded once and kept at the network's input size (bytes, not floats, so a
// large project still fits in memory). Batches are assembled per step, with augmentation.
import type { Augmentation } from '../../../shared/ml';
import type { LabelMap, ModelTask, RgbImage, Split } from '../../../shared/domain';
import type { Project } from '../../project/project';
import { decodeImage } from '../../imaging/decode-image';
import { applyTransform, drawTransform, isIdentityAugmentation } from './augment';
import { applyColourAugmentation, hasColourAugmentation } from './augment-colour';
import { normaliseStain } from './stain-norm';
import type { InputMode, StainNorm } from '../families/common-config';
import { cellIds } from './edges';
import { bytesToInput, resampleChannels, resizeNearest, rgbToSquare } from './resample';
import type { Rng } from './rng';
import { classTargets } from './targets';

export interface Example {
  imageId: number;
  maskVersionId: number;
  name: string;
  rgb: Uint8Array;
  labels: Uint8Array;
  instances: Uint16Array | null;
}

export interface LoadedSet {
  examples: Example[];
  skipped: { file: string; reason: string }[];
}

export interface SelectOptions {
  split: Split;
  /** 'corrected': only images whose current ground truth was hand-edited; 'reviewed': only images marked reviewed. */
  images: 'all' | 'corrected' | 'reviewed';
}

/** Ids and current ground-truth versions of the images a training run would use. */
export function selectTrainingImages(project: Project, opts: SelectOptions): { imageId: number; name: string; maskVersionId: number }[] {
  const out: { imageId: number; name: string; maskVersionId: number }[] = [];
  for (const img of project.images.list({ split: [opts.split] })) {
    if (!img.maskKinds.includes('ground-truth')) continue;
    if (opts.images === 'corrected' && !img.corrected) continue;
    if (opts.images === 'reviewed' && img.review !== 'reviewed') continue;
    const v = project.masks.current(img.id, 'ground-truth');
    if (v) out.push({ imageId: img.id, name: img.name, maskVersionId: v.id });
  }
  return out;
}

/**
 * Decode and resize the given images and masks to size x size. An unreadable image is
 * skipped with its reason rather than failing the run. `needInstances` keeps cell
 * instances (for the edge class): the mask's own, else components at full resolution, so
 * cells that only touch after shrinking stay apart.
 */
export async function loadExamples(
  project: Project,
  items: { imageId: number; name: string; maskVersionId: number }[],
  size: number,
  needInstances: boolean,
  onProgress?: (done: number, total: number) => void,
  input: { inputMode?: InputMode; stainNorm?: StainNorm } = {},
): Promise<LoadedSet> {
  const examples: Example[] = [];
  const skipped: LoadedSet['skipped'] = [];
  let done = 0;
  for (const item of items) {
    try {
      const stored = project.images.bytes(item.imageId);
      if (!stored) throw new Error('image missing from the project');
      const decoded = (await decodeImage(stored.bytes, stored.name)).image;
      const mask = project.masks.load(item.maskVersionId);
      if (!mask) throw new Error(`mask version ${item.maskVersionId} missing`);
      if (mask.width !== decoded.width || mask.height !== decoded.height) {
        throw new Error(`mask is ${mask.width}x${mask.height} but the image is ${decoded.width}x${decoded.height}`);
      }
      const image = normaliseStain(decoded, input.stainNorm ?? 'none');
      examples.push({ imageId: item.imageId, maskVersionId: item.maskVersionId, name: item.name, ...toExampleSize(image, mask, size, needInstances, input.inputMode ?? 'squash') });
    } catch (err) {
      skipped.push({ file: item.name, reason: (err as Error).message });
    }
    onProgress?.(++done, items.length);
  }
  return { examples, skipped };
}

/**
 * An image and its mask at the network's input size: squashed ('squash'), or with the
 * aspect ratio kept and the short side mirrored out to the square ('fit'), as inference
 * places it (../inference/input-geometry.ts).
 */
export function toExampleSize(image: RgbImage, mask: LabelMap, size: number, needInstances: boolean, mode: InputMode): Pick<Example, 'rgb' | 'labels' | 'instances'> {
  const own = mask.instances && mask.instances.some((v) => v !== 0) ? mask.instances : null;
  const fullInstances = needInstances ? (own ?? cellIds(mask.labels, mask.width, mask.height)) : null;
  if (mode === 'squash' || image.width === image.height) {
    return {
      rgb: rgbToSquare(image, size),
      labels: resizeNearest(mask.labels, mask.width, mask.height, size, size),
      instances: fullInstances ? resizeNearest(fullInstances, mask.width, mask.height, size, size) : null,
    };
  }
  const f = size / Math.max(image.width, image.height);
  const w = Math.max(1, Math.round(image.width * f));
  const h = Math.max(1, Math.round(image.height * f));
  const x0 = Math.floor((size - w) / 2);
  const y0 = Math.floor((size - h) / 2);
  const small = resampleChannels(image.data, image.width, image.height, 3, w, h);
  const labels = resizeNearest(mask.labels, mask.width, mask.height, w, h);
  const inst = fullInstances ? resizeNearest(fullInstances, mask.width, mask.height, w, h) : null;
  const rgb = new Uint8Array(size * size * 3);
  const outLabels = new Uint8Array(size * size);
  const outInst = inst ? new Uint16Array(size * size) : null;
  for (let y = 0; y < size; y++) {
    const sy = reflectIndex(y - y0, h);
    for (let x = 0; x < size; x++) {
      const sx = reflectIndex(x - x0, w);
      const q = sy * w + sx;
      const o = y * size + x;
      for (let c = 0; c < 3; c++) rgb[o * 3 + c] = Math.round(Math.min(255, Math.max(0, small[q * 3 + c])));
      outLabels[o] = labels[q];
      if (outInst && inst) outInst[o] = inst[q];
    }
  }
  return { rgb, labels: outLabels, instances: outInst };
}

const reflectIndex = (i: number, n: number): number => {
  if (n === 1) return 0;
  const period = 2 * n;
  let m = ((i % period) + period) % period;
  if (m >= n) m = period - 1 - m;
  return m;
};

export interface Batch {
  /** N x size x size x 3, floats in [0, 1]. */
  x: Float32Array;
  /** N x size x size class indices. */
  y: Uint8Array;
  n: number;
}

/** Assemble a batch; `aug` null (validation) leaves the samples as they are. */
export function makeBatch(examples: Example[], indices: number[], size: number, task: ModelTask, aug: Augmentation | null, rng: Rng): Batch {
  const n = indices.length;
  const px = size * size;
  const x = new Float32Array(n * px * 3);
  const y = new Uint8Array(n * px);
  indices.forEach((idx, k) => {
    const e = examples[idx];
    let labels = e.labels;
    let instances = e.instances;
    if (aug && !isIdentityAugmentation(aug)) {
      const t = drawTransform(size, aug, rng);
      ({ labels, instances } = applyTransform(e, size, t, x, k * px * 3, aug.scalePad ?? 'reflect'));
    } else {
      bytesToInput(e.rgb, x, k * px * 3);
    }
    if (aug && hasColourAugmentation(aug)) applyColourAugmentation(x, k * px * 3, size, size, aug, rng);
    y.set(classTargets(labels, instances, size, size, task), k * px);
  });
  return { x, y, n };
}
