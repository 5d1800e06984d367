// Bilinear up-sampling (Keras UpSampling2D(interpolation='bilinear'), TF2 semantics: half-pixel
// centres, no corner alignment). Differentiable in x; the gradient is
// kernels/ResizeBilinearGrad.ts (tfjs 4.22's own ignores half-pixel centres).
import * as tf from '@tensorflow/tfjs-core';

export interface BilinearOptions {
  alignCorners?: boolean;
  /** Default true (TF2 / PyTorch align_corners=False). */
  halfPixelCenters?: boolean;
}

/** x [N, H, W, C] -> [N, H * f, W * f, C] (f or [fH, fW], positive integers). */
export function upsampleBilinear(x: tf.Tensor4D, factor: number | [number, number] = 2, options: BilinearOptions = {}): tf.Tensor4D {
  const [fh, fw] = typeof factor === 'number' ? [factor, factor] : factor;
  if (!Number.isInteger(fh) || !Number.isInteger(fw) || fh < 1 || fw < 1) {
    throw new Error(`upsampleBilinear: factor must be a positive integer, got ${String(factor)}`);
  }
  return resizeBilinear(x, [x.shape[1] * fh, x.shape[2] * fw], options);
}

/** x [N, H, W, C] -> [N, height, width, C]. */
export function resizeBilinear(x: tf.Tensor4D, size: [number, number], options: BilinearOptions = {}): tf.Tensor4D {
  const alignCorners = options.alignCorners ?? false;
  const halfPixel = options.halfPixelCenters ?? !alignCorners;
  if (alignCorners && halfPixel) throw new Error('resizeBilinear: alignCorners and halfPixelCenters exclude each other');
  return tf.image.resizeBilinear(x, size, alignCorners, halfPixel);
}
