// Public API of the segmentation model (see README.md in this folder).
// The U-Net itself is a model family (../families/unet); these are the family-independent parts.
export { numClasses, outputChannels } from '../families/common-config';
export type { ApplyOptions, SegmentationModel } from './segmentation-model';
export { labelToClass, labelsToClasses, lossFn, type LossOptions } from './loss';
export { createOptimizer, globalNorm, trainStep, type AdamOptions, type TrainStepOptions, type TrainStepResult } from './train';
export { probsToClasses } from './predict';
export {
  deserializeModel,
  MODEL_JSON_FILE,
  parseModelJson,
  readModelFiles,
  restoreOptimizer,
  serializeModel,
  serializeOptimizer,
  WEIGHTS_FILE,
  writeModelFiles,
  type ModelJson,
  type SerializedModel,
  type SerializedOptimizer,
} from './serialize';
export { activeBackend, initBackend, type BackendInfo, type BackendName, type InitBackendOptions } from '../backend/initBackend';
