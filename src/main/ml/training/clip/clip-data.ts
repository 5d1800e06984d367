// Worker side: the frames and target labels of clips, decoded once (a frame shared by
// several clips is decoded once), and batches assembled from them per step.
import type { ModelTask, RgbImage } from '../../../../shared/domain';
import type { Project } from '../../../project/project';
import { decodeImage } from '../../../imaging/decode-image';
import { decodeIntensity } from '../../../imaging/decode-intensity';
import { classTargets } from '../../data/targets';
import type { ClipBatch } from './clip-seam';
import type { ClipTarget } from './clip-sampler';

/** A clip ready to batch: its frames (shared arrays, [h, w, c] grey in [0, 1]) and the target's classes. */
export interface LoadedClip {
  target: ClipTarget;
  name: string;
  h: number;
  w: number;
  frames: Float32Array[];
  /** [h, w] classes of the last frame. */
  y: Uint8Array;
}

/** Grey values in [0, 1] from an 8-bit RGB image (the film is grey: channel means). */
export function rgbToGrey(image: RgbImage, channels = 1): Float32Array {
  const n = image.width * image.height;
  const out = new Float32Array(n * channels);
  for (let i = 0; i < n; i++) {
    if (channels === 1) out[i] = (image.data[i * 3] + image.data[i * 3 + 1] + image.data[i * 3 + 2]) / (3 * 255);
    else for (let c = 0; c < channels; c++) out[i * channels + c] = image.data[i * 3 + Math.min(c, 2)] / 255;
  }
  return out;
}

/** A frame as network input [h, w, channels] in [0, 1]: 16-bit intensities where the file has them. */
export async function decodeFrame(bytes: Uint8Array, name: string, channels: number): Promise<{ w: number; h: number; data: Float32Array }> {
  if (channels === 1) {
    const g = await decodeIntensity(bytes, name);
    return { w: g.width, h: g.height, data: g.data };
  }
  const img = (await decodeImage(bytes, name)).image;
  return { w: img.width, h: img.height, data: rgbToGrey(img, channels) };
}

/** Decodes frames by image id, each once. */
export class FrameCache {
  private readonly frames = new Map<number, { w: number; h: number; data: Float32Array }>();
  constructor(
    private readonly project: Project,
    private readonly channels: number,
  ) {}

  async get(imageId: number): Promise<{ w: number; h: number; data: Float32Array; name: string }> {
    const hit = this.frames.get(imageId);
    const stored = hit ? null : this.project.images.bytes(imageId);
    if (hit) return { ...hit, name: String(imageId) };
    if (!stored) throw new Error(`frame image ${imageId} is missing from the project`);
    // One channel: intensities at the file's depth (the film's 16-bit frames keep the cells' noise).
    const f = await decodeFrame(stored.bytes, stored.name, this.channels);
    this.frames.set(imageId, f);
    return { ...f, name: stored.name };
  }
}

/**
 * Load clips: frames decoded (through `cache`), the target's mask as the task's classes.
 * A clip whose frames differ in size, whose size is not a multiple of `sizeMultiple`, or
 * whose mask is missing is skipped with its reason.
 */
export async function loadClips(
  project: Project,
  targets: readonly ClipTarget[],
  opts: { task: ModelTask; sizeMultiple: number; cache: FrameCache },
  onProgress?: (done: number) => void,
): Promise<{ clips: LoadedClip[]; skipped: { file: string; reason: string }[] }> {
  const clips: LoadedClip[] = [];
  const skipped: { file: string; reason: string }[] = [];
  let done = 0;
  for (const t of targets) {
    const name = `${t.sequenceName}#${t.frameIndex}`;
    try {
      const frames = await Promise.all(t.frames.map((id) => opts.cache.get(id)));
      const { w, h } = frames[frames.length - 1];
      if (frames.some((f) => f.w !== w || f.h !== h)) throw new Error('the frames of the clip differ in size');
      if (w % opts.sizeMultiple !== 0 || h % opts.sizeMultiple !== 0) throw new Error(`frame size ${w}x${h} is not a multiple of ${opts.sizeMultiple}`);
      const mask = project.masks.load(t.maskVersionId);
      if (!mask) throw new Error(`mask version ${t.maskVersionId} missing`);
      if (mask.width !== w || mask.height !== h) throw new Error(`mask is ${mask.width}x${mask.height} but the frame is ${w}x${h}`);
      clips.push({ target: t, name, h, w, frames: frames.map((f) => f.data), y: classTargets(mask.labels, mask.instances ?? null, w, h, opts.task) });
    } catch (err) {
      skipped.push({ file: name, reason: (err as Error).message });
    }
    onProgress?.(++done);
  }
  return { clips, skipped };
}

/** A batch of clips of one frame size (callers group by size). */
export function makeClipBatch(clips: readonly LoadedClip[], channels: number): ClipBatch {
  const n = clips.length;
  if (n === 0) throw new Error('an empty batch of clips');
  const { h, w } = clips[0];
  const t = clips[0].frames.length;
  const px = h * w;
  const x = new Float32Array(n * t * px * channels);
  const y = new Uint8Array(n * px);
  clips.forEach((c, i) => {
    if (c.h !== h || c.w !== w || c.frames.length !== t) throw new Error('clips of one batch must share frame size and length');
    c.frames.forEach((f, k) => x.set(f, (i * t + k) * px * channels));
    y.set(c.y, i * px);
  });
  return { x, n, t, h, w, c: channels, y };
}
