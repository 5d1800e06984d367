// What a segmenter hands the segmentation job per image: a label map, optionally with how
// sure the model is. Classical segmenters return bare label maps; the network's predictor
// returns the map with its PredictionConfidence, stored with the mask version (migration 3).
import type { LabelMap } from '../../../shared/domain';
import type { PredictionConfidence } from '../../../shared/ml';

export type PredictionOutput = LabelMap | { mask: LabelMap; confidence: PredictionConfidence | null };

export function splitPrediction(p: PredictionOutput): { mask: LabelMap; confidence: PredictionConfidence | null } {
  return 'mask' in p ? p : { mask: p, confidence: null };
}
