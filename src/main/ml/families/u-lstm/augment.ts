// The U-LSTM paper's augmentation, on plain arrays (no TensorFlow): a training clip is cut
// from a labelled sequence with a random temporal down-sampling (every 1st or 2nd frame),
// a random start, possibly reversed in time, then flipped, rotated by a multiple of 90
// degrees and randomly cropped, the same transform for every frame and its cell ids. Grey
// values are not augmented (the paper does not).
import type { Rng } from '../../../synth/random';

/** A sequence of single-channel frames with cell ids on the labelled ones (null: unlabelled). */
export interface LabelledSequence {
  width: number;
  height: number;
  /** Grey frames in [0, 1], width * height each, in time order. */
  frames: Float32Array[];
  /** Cell ids per frame (0 = no cell), null where the frame has no mask. */
  ids: (Int32Array | null)[];
}

export interface AugmentOptions {
  /** Frames per clip. */
  length: number;
  /** Side of the square crop (<= the frame's smaller side). */
  crop: number;
  flips?: boolean;
  rot90?: boolean;
  reverse?: boolean;
  /** Largest temporal stride tried (1: no down-sampling). */
  maxStride?: number;
}

export interface Clip {
  size: number;
  frames: Float32Array[];
  ids: (Int32Array | null)[];
}

/** Pixel (x, y) of the output after flipping and rotating: the source pixel index of a size x size square. */
function sourceIndex(x: number, y: number, size: number, rot: number, flip: boolean): number {
  let sx = flip ? size - 1 - x : x;
  let sy = y;
  for (let r = 0; r < rot; r++) {
    const t = sx;
    sx = sy;
    sy = size - 1 - t;
  }
  return sy * size + sx;
}

function transform<T extends Float32Array | Int32Array>(src: T, seq: LabelledSequence, x0: number, y0: number, size: number, rot: number, flip: boolean, make: (n: number) => T): T {
  const out = make(size * size);
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      const s = sourceIndex(x, y, size, rot, flip);
      const sx = s % size, sy = Math.floor(s / size);
      out[y * size + x] = src[(y0 + sy) * seq.width + x0 + sx];
    }
  }
  return out;
}

/** One augmented clip of `length` frames (fewer frames than needed: the stride falls back to 1 and frames repeat at the end). */
export function augmentClip(seq: LabelledSequence, rng: Rng, o: AugmentOptions): Clip {
  const t = seq.frames.length;
  if (t === 0) throw new Error('augmentClip: the sequence has no frame');
  if (o.crop > seq.width || o.crop > seq.height) throw new Error(`augmentClip: crop ${o.crop} exceeds the frame ${seq.width}x${seq.height}`);
  const strides = Array.from({ length: Math.max(1, o.maxStride ?? 2) }, (_, i) => i + 1).filter((s) => (o.length - 1) * s < t);
  const stride = strides.length ? rng.pick(strides) : 1;
  const span = (o.length - 1) * stride + 1;
  const start = span <= t ? rng.int(0, t - span) : 0;
  let order = Array.from({ length: o.length }, (_, k) => Math.min(t - 1, start + k * stride));
  if ((o.reverse ?? true) && rng.chance(0.5)) order = order.reverse();
  const rot = (o.rot90 ?? true) ? rng.int(0, 3) : 0;
  const flip = (o.flips ?? true) && rng.chance(0.5);
  const x0 = rng.int(0, seq.width - o.crop);
  const y0 = rng.int(0, seq.height - o.crop);
  return {
    size: o.crop,
    frames: order.map((k) => transform(seq.frames[k], seq, x0, y0, o.crop, rot, flip, (n) => new Float32Array(n))),
    ids: order.map((k) => {
      const ids = seq.ids[k];
      return ids ? transform(ids, seq, x0, y0, o.crop, rot, flip, (n) => new Int32Array(n)) : null;
    }),
  };
}
