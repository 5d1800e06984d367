// The TensorFlow.js network of this process as a ProbabilityEngine: the seam every engine
// (ONNX Runtime, a remote server) implements, so pre/post-processing is shared.
import type { SegmentationNetwork } from '../training/network';
import type { ProbabilityEngine } from './probability-engine';

export class TfjsEngine implements ProbabilityEngine {
  readonly name: string;
  readonly channels: number;
  readonly sizeMultiple: number;

  constructor(
    readonly net: SegmentationNetwork,
    backend = 'tfjs',
  ) {
    this.name = backend.startsWith('tfjs') ? backend : `tfjs-${backend}`;
    this.channels = net.channels;
    this.sizeMultiple = net.sizeMultiple;
  }

  async forward(x: Float32Array, n: number, h: number, w: number): Promise<Float32Array> {
    if (x.length !== n * h * w * 3) throw new Error(`engine input has ${x.length} values, expected ${n}x${h}x${w}x3`);
    return this.net.predictProbs(x, n, h, w);
  }

  dispose(): void {
    this.net.dispose();
  }
}
