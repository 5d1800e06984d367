// Training and validation examples from a project: images with a current ground-truth mask
// in a split, decoded once and kept at the network's input size (bytes, not floats, so a
// large project still fits in memory). Batches are assembled per step, with augmentation.
import type { Augmentation } from '../../../shared/ml';
import type { ModelTask, Split } from '../../../shared/domain';
import type { Project } from '../../project/project';
import { decodeImage } from '../../imaging/decode-image';
import { applyTransform, drawTransform, isIdentityAugmentation } from './augment';
import { connectedComponents } from './edges';
import { bytesToInput, resizeNearest, rgbToSquare } from './resample';
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
  /** 'corrected': only images whose current ground truth was hand-edited. */
  images: 'all' | 'corrected';
}

/** Ids and current ground-truth versions of the images a training run would use. */
export function selectTrainingImages(project: Project, opts: SelectOptions): { imageId: number; name: string; maskVersionId: number }[] {
  const out: { imageId: number; name: string; maskVersionId: number }[] = [];
  for (const img of project.images.list({ split: [opts.split] })) {
    if (!img.maskKinds.includes('ground-truth')) continue;
    if (opts.images === 'corrected' && !img.corrected) continue;
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
): Promise<LoadedSet> {
  const examples: Example[] = [];
  const skipped: LoadedSet['skipped'] = [];
  let done = 0;
  for (const item of items) {
    try {
      const stored = project.images.bytes(item.imageId);
      if (!stored) throw new Error('image missing from the project');
      const { image } = await decodeImage(stored.bytes, stored.name);
      const mask = project.masks.load(item.maskVersionId);
      if (!mask) throw new Error(`mask version ${item.maskVersionId} missing`);
      if (mask.width !== image.width || mask.height !== image.height) {
        throw new Error(`mask is ${mask.width}x${mask.height} but the image is ${image.width}x${image.height}`);
      }
      let instances: Uint16Array | null = null;
      if (needInstances) {
        const own = mask.instances && mask.instances.some((v) => v !== 0) ? mask.instances : null;
        const full = own ?? connectedComponents(mask.labels, mask.width, mask.height).ids;
        instances = resizeNearest(full, mask.width, mask.height, size, size);
      }
      examples.push({
        imageId: item.imageId,
        maskVersionId: item.maskVersionId,
        name: item.name,
        rgb: rgbToSquare(image, size),
        labels: resizeNearest(mask.labels, mask.width, mask.height, size, size),
        instances,
      });
    } catch (err) {
      skipped.push({ file: item.name, reason: (err as Error).message });
    }
    onProgress?.(++done, items.length);
  }
  return { examples, skipped };
}

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
      ({ labels, instances } = applyTransform(e, size, t, x, k * px * 3));
    } else {
      bytesToInput(e.rgb, x, k * px * 3);
    }
    y.set(classTargets(labels, instances, size, size, task), k * px);
  });
  return { x, y, n };
}
