// The seam between pre/post-processing and whatever computes class probabilities: the
// TensorFlow.js network in this process, an ONNX Runtime session, or a remote KServe-v2
// server. Pre-processing (padding, tiling, scale, test-time augmentation) and
// post-processing live in the Predictor and are the same for every engine, so masks from
// two engines differ only by the engines' arithmetic.
export interface ProbabilityEngine {
  /** Short name stored with every prediction, e.g. 'tfjs-wasm', 'onnxruntime-cpu', 'triton'. */
  readonly name: string;
  /** Probability channels per pixel: 1 (binary sigmoid), 3 (multiclass) or 4 (with edge). */
  readonly channels: number;
  /** Spatial sizes must be multiples of this (2^poolings); 1 when any size runs. */
  readonly sizeMultiple: number;
  /**
   * x: n*h*w*3 floats, NHWC, already normalised the way the model expects.
   * Returns n*h*w*channels probabilities (after sigmoid/softmax).
   */
  forward(x: Float32Array, n: number, h: number, w: number): Promise<Float32Array>;
  dispose(): void;
}
