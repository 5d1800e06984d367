// Segmenters that are not networks (the active-contour baseline of seeds.md A, and any
// other classical method). `--model NAME` and the API's `segment.start` look here before
// the model registry, and the batch runner treats them like a model: same targets, same
// progress, same per-image failure handling, masks stored with `kind` and `source` below.
//
// The batch runs in the ML worker process, so a segmenter must be registered in code the worker loads.
import { SOURCE, type LabelMap, type MaskKind, type RgbImage } from '../../../shared/domain';
import { activeContour } from '../../baselines/active-contour';

export interface ImageSegmenter {
  /** What `--model` accepts, e.g. 'active-contour'. */
  name: string;
  /** Kind of the stored mask versions ('baseline' for classical methods). */
  kind: MaskKind;
  /** Mask source recorded with each version. */
  source: string;
  description: string;
  /** One image at its own size -> a label map of the same size. */
  segment(image: RgbImage, opts: { threshold: number }): LabelMap | Promise<LabelMap>;
}

/** The list the lead extends with the baselines. */
const BUILT_IN_SEGMENTERS: ImageSegmenter[] = [
  {
    name: 'active-contour',
    kind: 'baseline',
    source: SOURCE.activeContour,
    description: 'region-based active contour (morphological Chan-Vese), the classical baseline',
    segment: (img) => activeContour(img),
  },
];

const registry = new Map<string, ImageSegmenter>(BUILT_IN_SEGMENTERS.map((s) => [s.name, s]));

export function registerSegmenter(s: ImageSegmenter): void {
  registry.set(s.name, s);
}

export function findSegmenter(name: string): ImageSegmenter | null {
  return registry.get(name) ?? null;
}

export function segmenterNames(): string[] {
  return [...registry.keys()];
}
