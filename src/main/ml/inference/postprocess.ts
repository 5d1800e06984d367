// From network output to a label map at the image's own size: the probabilities (not the
// labels) are resized back, then thresholded (binary) or argmaxed; cells become instances,
// and a predicted edge class splits touching cells (seeds.md E).
import { LABEL, type LabelMap, type ModelTask } from '../../../shared/domain';
import { cellIds, splitInstances } from '../data/edges';
import { resampleChannels } from '../data/resample';

export interface PostprocessOptions {
  task: ModelTask;
  /** Binary only: cell where p(cell) >= threshold. */
  threshold: number;
  /** multiclass-edge: keep edge pixels as LABEL.edge instead of folding them into their cell. */
  keepEdgeLabel?: boolean;
}

/**
 * `probs` is inputSize x inputSize x channels for one image. Returns labels (binary cells
 * are stored as cytoplasm, as binary masks are on import) and an instance map.
 */
export function probsToLabelMap(probs: Float32Array, inputSize: number, channels: number, width: number, height: number, opts: PostprocessOptions): LabelMap {
  const p = width === inputSize && height === inputSize ? probs : resampleChannels(probs, inputSize, inputSize, channels, width, height);
  return labelsFromProbs(p, channels, width, height, opts);
}

/** `p` is width x height x channels, already at the image's size. */
export function labelsFromProbs(p: Float32Array, channels: number, width: number, height: number, opts: PostprocessOptions): LabelMap {
  const n = width * height;
  const labels = new Uint8Array(n);
  if (channels === 1) {
    for (let i = 0; i < n; i++) labels[i] = p[i] >= opts.threshold ? LABEL.cytoplasm : LABEL.background;
  } else {
    for (let i = 0; i < n; i++) {
      let best = 0;
      let bv = p[i * channels];
      for (let c = 1; c < channels; c++) {
        const v = p[i * channels + c];
        if (v > bv) {
          bv = v;
          best = c;
        }
      }
      labels[i] = best; // class index = label value for multiclass (0,1,2) and edge (3)
    }
  }
  if (opts.task === 'multiclass-edge') {
    const split = splitInstances(labels, width, height, opts.keepEdgeLabel ?? false);
    return { width, height, labels: split.labels, instances: split.instances };
  }
  return { width, height, labels, instances: cellIds(labels, width, height) };
}
