// Segment decoded images with a network: each image is resized to the input size, run in
// small batches, and its probabilities resized back to its own size (postprocess.ts).
import type { LabelMap, ModelTask, RgbImage } from '../../../shared/domain';
import { bytesToInput, rgbToSquare } from '../data/resample';
import type { SegmentationNetwork } from '../training/network';
import { probsToLabelMap } from './postprocess';

export interface PredictOptions {
  threshold: number;
  keepEdgeLabel?: boolean;
}

export class Predictor {
  constructor(
    readonly net: SegmentationNetwork,
    readonly task: ModelTask,
  ) {}

  /** Label maps for a batch of images (any sizes), in order. */
  segment(images: RgbImage[], opts: PredictOptions): LabelMap[] {
    if (images.length === 0) return [];
    const s = this.net.config.inputSize;
    const px = s * s;
    const x = new Float32Array(images.length * px * 3);
    images.forEach((img, k) => bytesToInput(rgbToSquare(img, s), x, k * px * 3));
    const probs = this.net.predictProbs(x, images.length);
    const c = this.net.channels;
    return images.map((img, k) =>
      probsToLabelMap(probs.subarray(k * px * c, (k + 1) * px * c), s, c, img.width, img.height, {
        task: this.task,
        threshold: opts.threshold,
        keepEdgeLabel: opts.keepEdgeLabel,
      }),
    );
  }
}
